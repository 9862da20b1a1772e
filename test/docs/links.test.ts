/**
 * The README's links and the relative links of the shipped docs point at files the npm package carries, so they
 * work on the npm package page and in node_modules; the README links to nothing outside the package.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { expect, it } from "vitest";

const root = path.resolve(__dirname, "../..");

function links(doc: string): string[] {
  const text = readFileSync(path.join(root, doc), "utf8").replace(/```[\s\S]*?```/g, "");
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]);
}

it("README and docs link only to files inside the package", () => {
  const npmCli = process.env.npm_execpath;
  const args = ["pack", "--dry-run", "--json", "--ignore-scripts"];
  const out = npmCli && npmCli.endsWith(".js")
    ? execFileSync(process.execPath, [npmCli, ...args], { cwd: root, encoding: "utf8" })
    : execFileSync("npm", args, { cwd: root, encoding: "utf8" });
  const shipped = new Set((JSON.parse(out.slice(out.indexOf("["))) as { files: { path: string }[] }[])[0].files.map((f) => f.path));
  const docs = [...shipped].filter((f) => f === "README.md" || /^docs\/[^/]+\.md$/.test(f));
  expect(docs).toEqual(expect.arrayContaining(["README.md", "docs/COMING_FROM_PYTORCH.md", "docs/EXAMPLES.md", "docs/INSTALL.md"]));
  expect(shipped.has("LICENSE")).toBe(true);
  for (const doc of docs) {
    for (const link of links(doc)) {
      if (/^https?:/.test(link)) {
        expect(doc, `${doc} links outside the package: ${link}`).not.toBe("README.md");
        continue;
      }
      if (link.startsWith("#")) continue;
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(doc), link.split("#")[0]));
      expect(shipped.has(target), `${doc} → ${link}: ${target} is not in the package`).toBe(true);
    }
  }
}, 120_000);
