/** docs/EXAMPLES.md lists every example with a command that names it; no example is left out or misnamed. */
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { expect, it } from "vitest";

const root = path.resolve(__dirname, "../..");

it("docs/EXAMPLES.md indexes every example with a working command", () => {
  const doc = readFileSync(path.join(root, "docs/EXAMPLES.md"), "utf8");
  const examples = readdirSync(path.join(root, "examples")).filter((f) => f.endsWith(".ts") && f !== "run.ts" && f !== "demo.ts").map((f) => f.slice(0, -3));
  expect(examples.length).toBeGreaterThan(0);
  for (const name of examples) {
    expect(doc, name).toContain(`\`examples/${name}.ts\``);
    // An example that needs several processes is started by mpirun instead of `npm run example`.
    const command = doc.includes(`mpirun -np 2 node --import tsx examples/${name}.ts`) ? "mpirun" : `npm run example ${name}`;
    expect(doc, name).toContain(command);
  }
  for (const [, name] of doc.matchAll(/npm run example ([a-z0-9-]+)/g)) expect(examples, name).toContain(name);
  const scripts = (JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
  expect(scripts.start).toContain("examples/demo.ts");
  expect(scripts.example).toContain("examples/run.ts");
});
