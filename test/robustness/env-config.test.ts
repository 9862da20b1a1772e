/**
 * Configuration by environment variable fails loudly: a typo in TENSORGRAD_CPU or TENSORGRAD_BACKEND is an
 * Error at import that lists the accepted values (before, an unknown TENSORGRAD_CPU was silently ignored).
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { CPU_LEVELS, checkCpuEnv } from "../../ts/backend/native/addon";
import { nativeUnavailableReason } from "../../ts/backend/index";

const root = fileURLToPath(new URL("../..", import.meta.url));

/** Runs `code` (ESM, top-level await allowed) in a fresh Node with tsx and the given environment. */
function node(code: string, env: Record<string, string>) {
  const base = { ...process.env };
  delete base.TENSORGRAD_CPU;
  delete base.TENSORGRAD_BACKEND;
  return spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], {
    cwd: root,
    encoding: "utf8",
    timeout: 60_000,
    env: { ...base, ...env },
  });
}

// tsx compiles the sources as CommonJS (the package's type), so import() gives them under default.
const importIndex = `const m = await import(${JSON.stringify(join(root, "ts/index.ts"))}); const t = m.default ?? m; console.log("loaded", t.getBackend());`;

describe("TENSORGRAD_CPU", () => {
  it("accepts unset, empty and each level; refuses anything else with the accepted values", () => {
    for (const v of [undefined, "", ...CPU_LEVELS]) expect(() => checkCpuEnv(v)).not.toThrow();
    for (const v of ["avx3", "AVX2", " avx2", "avx-512", "sse"]) {
      expect(() => checkCpuEnv(v)).toThrow(Error);
      expect(() => checkCpuEnv(v)).toThrow(`TENSORGRAD_CPU=${JSON.stringify(v)} is not a CPU level; use one of "baseline", "avx2", "avx512", "avx512bf16", "amx"`);
    }
  });

  it("a typo makes importing tensorgrad throw", () => {
    const r = node(importIndex, { TENSORGRAD_CPU: "avx3" });
    expect(r.status).not.toBe(0);
    expect(r.stdout).not.toMatch(/loaded/);
    expect(r.stderr).toMatch(/Error: tensorgrad: TENSORGRAD_CPU="avx3" is not a CPU level; use one of "baseline", "avx2", "avx512", "avx512bf16", "amx"/);
  });

  it("a valid level imports and the native kernels use it", () => {
    const r = node(`${importIndex} const n = await import(${JSON.stringify(join(root, "ts/backend/native.ts"))}); console.log((n.default ?? n).nativeAddon()?.cpuLevel() ?? "none");`, {
      TENSORGRAD_CPU: "baseline",
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^loaded /);
    if (nativeUnavailableReason() === null) expect(r.stdout.trim().split("\n").pop()).toBe("baseline");
  });

  it.skipIf(nativeUnavailableReason() !== null)("the addon accepts exactly CPU_LEVELS and refuses a typo when it loads", () => {
    const load = `import { createRequire } from "node:module"; const req = createRequire(${JSON.stringify(join(root, "package.json"))});
      try { console.log("level", req("node-gyp-build")(${JSON.stringify(root)}).cpuLevel()); } catch (e) { console.log("error", e.message); }`;
    for (const level of CPU_LEVELS) {
      const r = node(load, { TENSORGRAD_CPU: level });
      expect(r.stdout.trim()).toMatch(/^level (baseline|avx2|avx512)$/);
      const got = r.stdout.trim().slice("level ".length);
      expect(CPU_LEVELS.indexOf(got as (typeof CPU_LEVELS)[number])).toBeLessThanOrEqual(CPU_LEVELS.indexOf(level));
    }
    const bad = node(load, { TENSORGRAD_CPU: "avx3" });
    expect(bad.stdout.trim()).toBe('error tensorgrad: TENSORGRAD_CPU="avx3" is not a CPU level; use one of "baseline", "avx2", "avx512", "avx512bf16", "amx"');
  });
});

describe("TENSORGRAD_BACKEND", () => {
  it("a typo makes importing tensorgrad throw, naming the backends", () => {
    const r = node(importIndex, { TENSORGRAD_BACKEND: "nativ" });
    expect(r.status).not.toBe(0);
    expect(r.stdout).not.toMatch(/loaded/);
    expect(r.stderr).toMatch(/TENSORGRAD_BACKEND=nativ is not a backend; use "native" or "js"/);
  });

  it("js is honoured", () => {
    const r = node(importIndex, { TENSORGRAD_BACKEND: "js" });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe("loaded js");
  });
});
