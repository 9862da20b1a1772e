/**
 * Native boundary fuzz: seeded batches of random and malformed calls into every addon entry point, each
 * batch in its own `node` process (native-fuzz-child.cjs) so a crash is a failed batch, not a dead runner.
 * Reproduce a failing batch with: node test/robustness/native-fuzz-child.cjs . <seed> <calls> --verbose
 * (TENSORGRAD_FUZZ_SEED=<n> shifts the seeds; TENSORGRAD_FUZZ_BATCHES / _CALLS change the amount.)
 * The last batch runs in 3 worker_threads at once (add --threads 3 to reproduce it).
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadAddon } from "../../ts/backend/native/addon";

const root = path.resolve(__dirname, "../..");
const child = path.join(__dirname, "native-fuzz-child.cjs");
const loaded = loadAddon();
const skipReason = "error" in loaded ? `the native addon did not build/load: ${loaded.error}` : null;

const BASE_SEED = Number(process.env.TENSORGRAD_FUZZ_SEED ?? 20240601);
const BATCHES = Number(process.env.TENSORGRAD_FUZZ_BATCHES ?? 8);
const CALLS = Number(process.env.TENSORGRAD_FUZZ_CALLS ?? 500);
const THREADS = 3;

type Report = { seed: number; calls: number; threw: number; passed: number; failures: { call: number; desc: string; problem: string }[] };
type Run = { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; timedOut: boolean };

function runChild(seed: number, calls: number, verbose = false, threads = 1): Promise<Run> {
  return new Promise((resolve) => {
    const args = [child, root, String(seed), String(calls), ...(verbose ? ["--verbose"] : []), ...(threads > 1 ? ["--threads", String(threads)] : [])];
    const p = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    p.stdout.on("data", (d) => (stdout += d));
    p.stderr.on("data", (d) => (stderr += d));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      p.kill("SIGKILL");
    }, 60_000);
    p.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut });
    });
  });
}

async function pool<T, R>(items: T[], n: number, f: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await f(items[i]);
      }
    }),
  );
  return out;
}

describe.skipIf(skipReason !== null)(`native addon boundary fuzz${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  it(`${BATCHES} seeded batches of ${CALLS} calls (one of them in ${THREADS} threads at once): misuse throws JS Errors, valid calls keep working, no crash`, async () => {
    const seeds = Array.from({ length: BATCHES }, (_, i) => BASE_SEED + i);
    // The last batch fuzzes from THREADS worker_threads at once (per-thread addon instances, one thread pool).
    const threadsOf = (i: number) => (i === seeds.length - 1 ? THREADS : 1);
    const runs = await pool(seeds.map((s, i) => [s, i] as const), 2, ([seed, i]) => runChild(seed, CALLS, false, threadsOf(i)));
    const problems: string[] = [];
    let calls = 0;
    let threw = 0;
    let passed = 0;
    for (let i = 0; i < seeds.length; i++) {
      const seed = seeds[i];
      const r = runs[i];
      const threadArgs = threadsOf(i) > 1 ? ` --threads ${threadsOf(i)}` : "";
      const repro = `node test/robustness/native-fuzz-child.cjs . ${seed} ${CALLS} --verbose${threadArgs}`;
      if (r.code !== 0 || r.timedOut) {
        // Find the call that crashed (or hung) by rerunning the same seed with each call logged first.
        const again = await runChild(seed, CALLS, true, threadsOf(i));
        const lastCall = again.stderr.trim().split("\n").filter((l) => l.startsWith("#")).pop() ?? "(none logged)";
        problems.push(
          `seed ${seed}: child ${r.timedOut ? "timed out" : `exited with code ${r.code}, signal ${r.signal}`}; last call: ${lastCall}\n` +
            `  stderr: ${r.stderr.slice(-800)}\n  reproduce: ${repro}`,
        );
        continue;
      }
      let rep: Report;
      try {
        rep = JSON.parse(r.stdout.trim().split("\n").pop() as string) as Report;
      } catch {
        problems.push(`seed ${seed}: no report (stdout ${JSON.stringify(r.stdout.slice(-300))}); reproduce: ${repro}`);
        continue;
      }
      calls += rep.calls;
      threw += rep.threw;
      passed += rep.passed;
      for (const f of rep.failures) problems.push(`seed ${seed} call #${f.call}: ${f.desc}\n  -> ${f.problem}\n  reproduce: ${repro}`);
    }
    expect(problems, problems.join("\n")).toEqual([]);
    expect(calls).toBe((BATCHES - 1 + THREADS) * CALLS);
    // The mix must exercise both sides: plenty of rejected misuse and plenty of checked valid results.
    expect(threw).toBeGreaterThan(calls * 0.4);
    expect(passed).toBeGreaterThan(calls * 0.1);
  }, 240_000);
});
