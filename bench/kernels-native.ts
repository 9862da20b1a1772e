/**
 * Native kernel throughput and the JS/native crossover sizes.
 * Run: npx tsx bench/kernels-native.ts   (numbers are noisy on a shared 2-core machine: medians of runs)
 */
import { dtypeOfArray } from "../ts/dtype";
import { jsBackend } from "../ts/backend/js/index";
import { loadRawNativeBackend, nativeAddon } from "../ts/backend/native";
import type { Backend, View } from "../ts/backend/types";

const r = loadRawNativeBackend();
if ("error" in r) {
  console.log(`native addon unavailable: ${r.error}`);
  process.exit(0);
}
const native = r.backend;

function view(data: Float32Array, n: number): View {
  return { data, dtype: dtypeOfArray(data), offset: 0, shape: [n], strides: [1] };
}

/** Median seconds per call of fn over `reps` timed batches of `inner` calls. */
function time(fn: () => void, inner: number, reps = 7): number {
  fn();
  const ts: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < inner; i++) fn();
    ts.push(Number(process.hrtime.bigint() - t0) / 1e9 / inner);
  }
  ts.sort((a, b) => a - b);
  return ts[ts.length >> 1];
}

type Kernel = "add" | "tanh" | "relu" | "sum";

function runner(b: Backend, k: Kernel, n: number): () => void {
  const x = new Float32Array(n).map(() => Math.random() * 4 - 2);
  const y = new Float32Array(n).map(() => Math.random());
  const o = new Float32Array(n);
  const s = new Float32Array(1);
  const vx = view(x, n), vy = view(y, n), vo = view(o, n);
  switch (k) {
    case "add": return () => b.binary("add", vx, vy, vo);
    case "tanh": return () => b.unary("tanh", vx, vo);
    case "relu": return () => b.unary("relu", vx, vo);
    case "sum": return () => b.reduce("sum", vx, 1, s);
  }
}

const kernels: Kernel[] = ["add", "tanh", "relu", "sum"];
console.log(`cpu level: ${nativeAddon()?.cpuLevel()}, pool threads: ${native.getNumThreads()}`);
console.log("\nthroughput, float32, Melem/s (preallocated out)");
console.log("op    n          1 thread   2 threads   js");
for (const n of [1 << 20, 1 << 24]) {
  for (const k of kernels) {
    const cells: string[] = [];
    for (const t of [1, 2]) {
      native.setNumThreads(t);
      const fn = runner(native, k, n);
      cells.push((n / time(fn, n > 1 << 20 ? 2 : 20) / 1e6).toFixed(0).padStart(9));
    }
    const js = n / time(runner(jsBackend, k, n), n > 1 << 20 ? 1 : 3, 3) / 1e6;
    console.log(`${k.padEnd(5)} ${String(n).padEnd(10)} ${cells.join("   ")}   ${js.toFixed(0).padStart(6)}`);
  }
}
native.setNumThreads(2);

console.log("\nper-call time, ns (js vs raw native), and the crossover size");
const sizes = [1, 4, 16, 64, 128, 256, 512, 1024, 2048, 4096];
for (const k of kernels) {
  let crossover: number | null = null;
  const rows: string[] = [];
  for (const n of sizes) {
    const tj = time(runner(jsBackend, k, n), 20000) * 1e9;
    const tn = time(runner(native, k, n), 20000) * 1e9;
    if (crossover === null && tn < tj) crossover = n;
    rows.push(`${n}:${tj.toFixed(0)}/${tn.toFixed(0)}`);
  }
  console.log(`${k.padEnd(5)} crossover≈${crossover ?? ">4096"}  ${rows.join("  ")}`);
}
