/** The docs' ```ts samples typecheck (strict) against the sources, as a user's project would compile them. */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { DOCS_WITH_SAMPLES, tsBlocks } from "./samples";

const root = path.resolve(__dirname, "../..");

// Backend-independent: the TypeScript-backend pass of `npm test` need not compile them again.
describe.skipIf(process.env.TENSORGRAD_BACKEND === "js")("docs code samples", () => {
  it("typecheck", () => {
    // Inside the repository, so that the compiler finds @types/node; removed afterwards.
    const dir = mkdtempSync(path.join(root, "test/docs/.samples-"));
    try {
      const files: string[] = [];
      for (const doc of DOCS_WITH_SAMPLES) {
        for (const b of tsBlocks(doc)) {
          const file = path.join(dir, `${path.basename(doc, ".md")}-${b.line}.ts`);
          writeFileSync(file, `${b.code}\nexport {};\n`);
          files.push(file);
        }
      }
      writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({
        extends: "../../../tsconfig.json",
        compilerOptions: { noEmit: true, noUnusedLocals: false, paths: { tensorgrad: ["../../../ts/index.ts"] } },
        include: ["*.ts"],
      }));
      const r = spawnSync(process.execPath, [path.join(root, "node_modules/typescript/bin/tsc"), "-p", dir], { encoding: "utf8", timeout: 240_000 });
      expect(r.stdout + r.stderr).toBe("");
      expect(r.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
