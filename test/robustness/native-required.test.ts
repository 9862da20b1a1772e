import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { isCI, nativeRequirement } from "../support/native-required";

const root = path.resolve(__dirname, "../..");

describe("a missing native addon fails the test run in CI and is announced locally", () => {
  it("reads CI as CI systems set it", () => {
    expect(isCI({ CI: "true" })).toBe(true);
    expect(isCI({ CI: "1" })).toBe(true);
    for (const v of [undefined, "", "0", "false", "FALSE"]) expect(isCI({ CI: v })).toBe(false);
  });

  it("fails in CI, notices locally, says nothing when the addon loads or on the TypeScript pass", () => {
    expect(nativeRequirement("no build", { CI: "true" })).toEqual({ fail: expect.stringContaining("did not load (no build) and CI=true") });
    expect(nativeRequirement("no build", {})).toEqual({ notice: expect.stringContaining("tests are SKIPPED") });
    expect(nativeRequirement(null, { CI: "true" })).toBeNull();
    expect(nativeRequirement("no build", { CI: "true", TENSORGRAD_BACKEND: "js" })).toBeNull();
  });

  it("the vitest config runs the check: with CI=true and no loadable addon the run exits non-zero", () => {
    const env: NodeJS.ProcessEnv = { ...process.env, CI: "true", TENSORGRAD_NATIVE_PATH: path.join(root, "no-such-addon.node") };
    delete env.TENSORGRAD_BACKEND;
    delete env.VITEST;
    const r = spawnSync(process.execPath, [path.join(root, "node_modules/vitest/vitest.mjs"), "run", "test/core/linspace.test.ts"], {
      cwd: root, env, encoding: "utf8", timeout: 120_000,
    });
    expect(r.status).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/failing instead of skipping the native tests/);
  });
});
