/**
 * Every ```ts block of the user-facing docs runs as written: each block is written to a module of its own and
 * imported (`tensorgrad` resolves to the sources, as in every test). Blocks are checked by the compiler too,
 * in test/docs/code-samples-types.test.ts.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { DOCS_WITH_SAMPLES, tsBlocks } from "./samples";

const dir = mkdtempSync(path.join(tmpdir(), "tensorgrad-samples-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

for (const doc of DOCS_WITH_SAMPLES) {
  describe(doc, () => {
    const blocks = tsBlocks(doc);
    it("has code samples", () => expect(blocks.length).toBeGreaterThan(0));
    for (const b of blocks) {
      it(`the sample at line ${b.line} runs`, async () => {
        const file = path.join(dir, `${path.basename(doc, ".md")}-${b.line}.ts`);
        writeFileSync(file, `${b.code}\nexport {};\n`);
        const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
        try {
          await import(file);
        } finally {
          log.mockRestore();
        }
      });
    }
  });
}

it("the samples' files exist", () => {
  for (const doc of DOCS_WITH_SAMPLES) expect(readFileSync(path.resolve(__dirname, "../..", doc), "utf8").length).toBeGreaterThan(0);
});
