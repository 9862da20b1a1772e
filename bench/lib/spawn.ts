// Runs one system on one workload in its own child process, with a timeout; never throws.
import { spawn } from "node:child_process";
import { REPO_DIR, type SystemSpec } from "./systems";
import { RESULT_PREFIX, type ChildResult } from "./result";

export interface ChildRun { result: ChildResult; wallS: number; stderrTail: string }

export function runSystem(spec: SystemSpec, workload: string, dataDir: string, timeoutS: number): Promise<ChildRun> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    const child = spawn(spec.command, [...spec.args, "--workload", workload, "--data", dataDir], {
      cwd: REPO_DIR,
      env: { ...process.env, ...spec.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "", err = "", timedOut = false, done = false;
    child.stdout.on("data", (d: Buffer) => { out += d.toString(); });
    child.stderr.on("data", (d: Buffer) => { err = (err + d.toString()).slice(-4000); });
    const timer = setTimeout(() => { timedOut = true; child.kill("SIGKILL"); }, timeoutS * 1000);
    const finish = (code: number | null, spawnError?: Error): void => {
      if (done) return; // 'error' and 'close' can both fire
      done = true;
      clearTimeout(timer);
      const wallS = (performance.now() - t0) / 1000;
      const line = out.split("\n").find((l) => l.startsWith(RESULT_PREFIX));
      let result: ChildResult;
      if (line && !timedOut) {
        result = JSON.parse(line.slice(RESULT_PREFIX.length)) as ChildResult;
      } else {
        const why = timedOut ? `timed out after ${timeoutS} s`
          : spawnError ? `could not start: ${spawnError.message}`
          : `exited with code ${code} and no result; stderr: ${lastLines(err, 3)}`;
        result = { system: spec.id, workload, ok: false, error: why, rows: [], maxRssKB: 0, versions: {}, notes: [] };
      }
      result.system = spec.id; // the runner's name wins (python reports what it was told anyway)
      resolve({ result, wallS, stderrTail: lastLines(err, 10) });
    };
    child.on("error", (e) => finish(null, e));
    child.on("close", (code) => finish(code));
  });
}

const lastLines = (s: string, n: number): string => s.trim().split("\n").slice(-n).join(" | ");
