/**
 * When the OS refuses a thread (a pids cgroup, `ulimit -u`), parallel kernels must still run: the pool falls
 * back to the threads it got (or the caller alone) and says so once. Before, std::thread threw
 * std::system_error through N-API and the process aborted (exit 134).
 *
 * RLIMIT_NPROC is what limits thread creation here, and the kernel ignores it for root, so as root the child
 * runs as nobody (setpriv); it lowers its own limit once loaded, so Node itself starts normally.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { nativeUnavailableReason } from "../../ts/backend/index";

const child = fileURLToPath(new URL("./fixtures/thread-limit-child.ts", import.meta.url));
const root = fileURLToPath(new URL("../..", import.meta.url));

function has(cmd: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${cmd}`]).status === 0;
}

const isRoot = process.getuid?.() === 0;
const usable = process.platform === "linux" && has("prlimit") && (!isRoot || has("setpriv"));

function runChild(threads: number, mode: "none" | "one-spare") {
  const node = [process.execPath, "--import", "tsx", child, String(threads), mode];
  const cmd = isRoot ? ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", ...node] : node;
  const r = spawnSync(cmd[0], cmd.slice(1), {
    cwd: root,
    encoding: "utf8",
    timeout: 120_000,
    env: { ...process.env, TENSORGRAD_BACKEND: "native" },
  });
  expect(r.signal, r.stderr).toBeNull();
  expect(r.status, r.stderr).toBe(0);
  const out = JSON.parse(r.stdout.trim().split("\n").pop()!) as {
    backend: string; s1: number; mm: number; w0: number; s2: number; threadsAfterFirst: number; threads: number;
    warnings: string[];
  };
  expect(out.backend).toBe("native");
  expect(out.s1).toBe(2 * (1 << 21));
  expect(out.mm).toBe(256 * 256 * 256);
  expect(out.w0).toBeCloseTo(0.9, 6); // Adam's first step moves every weight by lr
  expect(out.s2).toBe(3 * (1 << 21));
  expect(out.warnings).toHaveLength(1); // setNumThreads(3) was refused again: still one warning
  const m = /^TensorgradWarning: tensorgrad: the OS refused to start a thread \(.+\); kernels run on (\d+) threads? instead of (\d+)$/.exec(
    out.warnings[0],
  );
  expect(m, out.warnings[0]).not.toBeNull();
  expect(Number(m![1])).toBe(out.threadsAfterFirst); // getNumThreads reports the threads that exist
  expect(Number(m![2])).toBe(threads);
  return out;
}

describe.skipIf(!usable || nativeUnavailableReason() !== null)("thread creation refused by the OS", () => {
  it.each([2, 4])("no thread: kernels run on the calling thread, with one warning (%i threads asked)", (threads) => {
    const out = runChild(threads, "none");
    expect(out.threadsAfterFirst).toBe(1);
    expect(out.threads).toBe(1);
  });

  it("some threads: the pool keeps those it got", () => {
    // How many start depends on Node's own threads starting meanwhile; fewer than asked, at least the caller.
    const out = runChild(4, "one-spare");
    expect(out.threadsAfterFirst).toBeGreaterThanOrEqual(1);
    expect(out.threadsAfterFirst).toBeLessThan(4);
  });
});
