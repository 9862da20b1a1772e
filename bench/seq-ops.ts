/**
 * The composed sequence ops against the kernels they reduce to, same run, both backends: einsum vs matmul
 * (attention scores), x.index([idx]) vs indexSelect (an embedding-sized gather), indexPut_ with accumulate
 * vs indexAdd, and reflect/replicate pad. Best of `reps` timings, forward only.
 * Run: node --import tsx bench/seq-ops.ts [reps]
 */
import { einsum, getNumThreads, manualSeed, nn, randint, randn, setBackend, type Tensor } from "../ts/index";

const reps = Number(process.argv[2] ?? 7);

function best(fn: () => unknown): number {
  fn();
  let min = Infinity;
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    fn();
    min = Math.min(min, performance.now() - t0);
  }
  return min;
}

for (const backend of ["native", "js"] as const) {
  setBackend(backend);
  manualSeed(0);
  const q = randn(16, 4, 64, 32);
  const k = randn(16, 4, 64, 32);
  const table = randn(50000, 64);
  const idx = randint(0, 50000, [4096], { dtype: "int32" });
  const rows = randn(4096, 64);
  const img = randn(16, 32, 64, 64);
  const line = (what: string, a: number, b: number, an: string, bn: string) =>
    console.log(`${backend.padEnd(6)} threads=${getNumThreads()} ${what.padEnd(34)} ${an} ${a.toFixed(2)} ms  ${bn} ${b.toFixed(2)} ms  (×${(a / b).toFixed(2)})`);
  line("scores [16,4,64,32]x[16,4,64,32]", best(() => einsum("bhqd,bhkd->bhqk", q, k)), best(() => q.matmul(k.transpose(-1, -2))), "einsum", "matmul");
  line("gather 4096 rows of [50000,64]", best(() => table.index([idx])), best(() => table.indexSelect(0, idx)), "index", "indexSelect");
  let target: Tensor = table.clone();
  const put = best(() => target.indexPut_([idx], rows, true));
  target = table.clone();
  line("add 4096 rows into [50000,64]", put, best(() => target.indexAdd(0, idx, rows)), "indexPut_", "indexAdd(copy)");
  line("pad [16,32,64,64] by 2", best(() => nn.functional.pad(img, [2, 2, 2, 2], "reflect")), best(() => nn.functional.pad(img, [2, 2, 2, 2])), "reflect", "constant");
}
