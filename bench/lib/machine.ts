// Machine and software description stored with every results file.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { BENCH_DIR, PYTHON, REPO_DIR } from "./systems";

const tryRun = (cmd: string, args: string[]): string | null => {
  try { return execFileSync(cmd, args, { encoding: "utf8", timeout: 30_000, stdio: ["ignore", "pipe", "ignore"] }).trim(); } catch { return null; }
};
const pkgVersion = (name: string): string | null => {
  try { return (JSON.parse(fs.readFileSync(path.join(BENCH_DIR, "node_modules", name, "package.json"), "utf8")) as { version: string }).version; } catch { return null; }
};

export interface MachineInfo {
  date: string; cpuModel: string; cores: number; memGiB: number; loadAvgAtStart: number[];
  node: string; python: string | null; torch: string | null; numpy: string | null;
  /** The BLAS library behind Python's numpy/torch (libblas.so.3 resolved). */
  pythonBlas: string | null;
  tfjs: string | null; tfjsBackendWasm: string | null; jsPytorch: string | null; gitCommit: string | null;
}

export function machineInfo(): MachineInfo {
  const py = tryRun(PYTHON, ["-c", "import sys, torch, numpy; print(sys.version.split()[0], torch.__version__, numpy.__version__)"])?.split(" ") ?? [];
  return {
    date: new Date().toISOString(),
    cpuModel: os.cpus()[0]?.model ?? "unknown",
    cores: os.cpus().length,
    memGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    loadAvgAtStart: os.loadavg(),
    node: process.version,
    python: py[0] ?? null, torch: py[1] ?? null, numpy: py[2] ?? null,
    pythonBlas: tryRun(PYTHON, ["-c", "import os, numpy; numpy.ones((4,4),'f4') @ numpy.ones((4,4),'f4'); print(', '.join(sorted({os.path.realpath(l.split()[-1]) for l in open('/proc/self/maps') if 'blas' in l.lower() and '/' in l})))"]),
    tfjs: pkgVersion("@tensorflow/tfjs"), tfjsBackendWasm: pkgVersion("@tensorflow/tfjs-backend-wasm"), jsPytorch: pkgVersion("js-pytorch"),
    gitCommit: tryRun("git", ["-C", REPO_DIR, "rev-parse", "--short", "HEAD"]),
  };
}
