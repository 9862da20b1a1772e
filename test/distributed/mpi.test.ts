/**
 * Runs the scripts of test/distributed/ under a real MPI launcher (`mpirun -np N`), so the collectives,
 * DistributedDataParallel and the abort of a failed job are tested across processes. Without mpirun (or
 * without the built binding) these tests are skipped with a notice, except under CI=true, where they fail:
 * CI installs Open MPI (.ci/run).
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(__dirname, "..", "..");
const binding = join(root, "native", "mpi", "build", "Release", "tensorgrad_mpi.node");
const version = spawnSync("mpirun", ["--version"], { encoding: "utf8" });
const haveMpirun = version.status === 0 && !version.error;
const openMpi = haveMpirun && /Open MPI|OpenRTE/i.test(version.stdout + version.stderr);
const missing = !haveMpirun ? "mpirun is not installed" : !existsSync(binding) ? `the MPI binding is not built (${binding})` : null;
const inCi = process.env.CI === "true";

if (missing !== null && !inCi) {
  console.warn(`test/distributed: SKIPPED, ${missing}. Install Open MPI (apt-get install openmpi-bin libopenmpi-dev) and run npm run build:native.`);
}

function mpirun(np: number, script: string): { status: number | null; out: string; err: string } {
  // Open MPI refuses root without --allow-run-as-root, and more ranks than cores without --oversubscribe.
  const flags = openMpi ? ["--allow-run-as-root", "--oversubscribe"] : [];
  const r = spawnSync("mpirun", [...flags, "-np", String(np), process.execPath, "--import", "tsx", join(__dirname, script)], {
    cwd: root,
    encoding: "utf8",
    timeout: 150_000,
  });
  return { status: r.status, out: r.stdout ?? "", err: `${r.stderr ?? ""}${r.error ? `\n${r.error.message}` : ""}` };
}

function expectOk(np: number, script: string, tag: string): void {
  const r = mpirun(np, script);
  expect(r.status, `${r.out}\n${r.err}`).toBe(0);
  const lines = r.out.split("\n").filter((l) => l.endsWith(`: ok ${tag}`));
  expect(lines.sort()).toEqual(Array.from({ length: np }, (_, i) => `rank ${i}/${np}: ok ${tag}`).sort());
}

const suite = missing !== null && !inCi ? describe.skip : describe;
// The second pass of `npm test` (TypeScript kernels) runs the 2-rank cases only: the rest exercises MPI, not kernels.
const jsPass = process.env.TENSORGRAD_BACKEND === "js";

suite("under mpirun", () => {
  it("MPI is available (CI installs it)", () => {
    expect(missing).toBeNull();
  });

  for (const np of jsPass ? [2] : [2, 3, 4]) {
    it(`collectives: every op and dtype, async forms, errors, DistributedSampler (-np ${np})`, () => expectOk(np, "collectives.ts", "collectives"), 180_000);
  }

  for (const np of jsPass ? [2] : [2, 3]) {
    it(`DistributedDataParallel equals one process on the full batch; noSync; buffers; overlap (-np ${np})`, () => expectOk(np, "ddp.ts", "ddp"), 180_000);
  }

  it.skipIf(jsPass)("a rank that throws ends the job with a non-zero status and says why", () => {
    const r = mpirun(3, "crash.ts");
    expect(r.status).not.toBe(0);
    expect(r.err).toContain("rank 2 gives up on purpose");
    expect(r.err).toContain("tensorgrad.distributed: rank 2 of 3 failed with the error above; aborting the MPI job");
    expect(r.out).not.toContain("must not get here");
  }, 180_000);
});
