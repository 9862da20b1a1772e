/**
 * The API reference (`npm run docs`, TypeDoc over ts/index.ts) builds without a warning, and shows no
 * internals: nothing named with a leading underscore (those members are tagged @internal, which also keeps
 * them out of the published .d.ts through tsup's stripInternal).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "../..");

interface Reflection { name: string; children?: Reflection[] }

// Backend-independent: the TypeScript-backend pass of `npm test` need not build it again.
describe.skipIf(process.env.TENSORGRAD_BACKEND === "js")("API reference (TypeDoc)", () => {
  it("builds with no warnings and documents the public API without internals", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "tensorgrad-docs-"));
    try {
      const json = path.join(dir, "api.json");
      const r = spawnSync(process.execPath, [path.join(root, "node_modules/typedoc/bin/typedoc"), "--json", json], {
        cwd: root, encoding: "utf8", timeout: 240_000,
      });
      expect(r.status, r.stdout + r.stderr).toBe(0);
      expect(r.stdout + r.stderr).not.toMatch(/warning/i);
      const api = JSON.parse(readFileSync(json, "utf8")) as Reflection;
      const top = new Set((api.children ?? []).map((c) => c.name));
      for (const name of ["Tensor", "tensor", "nn", "optim", "data", "autograd", "noGrad", "save", "load"]) expect(top.has(name), name).toBe(true);
      const internal: string[] = [];
      (function walk(r: Reflection, at: string): void {
        for (const c of r.children ?? []) {
          if (c.name.startsWith("_")) internal.push(`${at}${c.name}`);
          walk(c, `${at}${c.name}.`);
        }
      })(api, "");
      expect(internal).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
