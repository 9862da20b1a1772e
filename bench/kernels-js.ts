import { dtypeOfArray } from "../ts/dtype";
import { jsBackend } from "../ts/backend/js/index.js";
import type { View } from "../ts/backend/types.js";

/**
 * Best seconds per call over three rounds. Calls run in batches that take at least 5 ms, so the
 * clock's own cost does not count against tiny calls.
 */
function time(fn: () => void, ms = 300): number {
  let batch = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < batch; i++) fn();
    if (performance.now() - t0 >= 5) break;
    batch *= 2;
  }
  let best = Infinity;
  for (let round = 0; round < 3; round++) {
    let calls = 0;
    const t0 = performance.now();
    let t = t0;
    while (t - t0 < ms / 3) {
      for (let i = 0; i < batch; i++) fn();
      calls += batch;
      t = performance.now();
    }
    best = Math.min(best, (t - t0) / 1000 / calls);
  }
  return best;
}

function random(n: number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = Math.random() * 2 - 1;
  return a;
}

function vec(data: Float32Array): View {
  return { data, dtype: dtypeOfArray(data), offset: 0, shape: [data.length], strides: [1] };
}

console.log("float32 GEMM (C = A·B, square n)");
for (const n of [64, 128, 256, 512]) {
  const a = random(n * n);
  const b = random(n * n);
  const c = new Float32Array(n * n);
  const args = {
    transA: false, transB: false, m: n, n, k: n, alpha: 1, beta: 0,
    a, aOffset: 0, lda: n, b, bOffset: 0, ldb: n, c, cOffset: 0, ldc: n,
    batch: 1, strideA: 0, strideB: 0, strideC: 0,
  };
  const s = time(() => jsBackend.gemm(args), n >= 512 ? 1500 : 600);
  console.log(`  n=${n}: ${((2 * n * n * n) / s / 1e9).toFixed(2)} GFLOP/s`);
}

const N = 1 << 20;
const x = vec(random(N));
const y = vec(random(N));
const out = vec(new Float32Array(N));
console.log("elementwise, 1M float32 elements");
for (const [name, fn] of [
  ["add", () => jsBackend.binary("add", x, y, out)],
  ["tanh", () => jsBackend.unary("tanh", x, out)],
  ["relu", () => jsBackend.unary("relu", x, out)],
] as const) {
  console.log(`  ${name}: ${(N / time(fn) / 1e6).toFixed(0)} Melem/s`);
}

const one = vec(random(1));
const oneOut = vec(new Float32Array(1));
console.log(`tiny add (1 element): ${(time(() => jsBackend.binary("add", one, one, oneOut)) * 1e9).toFixed(0)} ns/call`);
