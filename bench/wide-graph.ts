/**
 * Backward through one wide node: N per-step results stacked into one tensor (StackBackward with N inputs),
 * so N nodes become ready at once. Prints forward and backward seconds for tensorgrad and, when
 * /usr/bin/python3 has torch, for PyTorch on the same graph (bench/wide-graph.py, 1 thread). Each figure is
 * the median of REPS runs (default 3): the machine is shared, single runs vary up to 2×.
 *
 *   REPS=5 node --import tsx bench/wide-graph.ts [N ...]        (default 10000 40000 100000)
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { getBackend, ones, stack, type Tensor } from "../ts/index";

const sizes = process.argv.slice(2).map(Number);
if (sizes.length === 0) sizes.push(10_000, 40_000, 100_000);
const reps = Number(process.env.REPS ?? 3);

type Timing = { forward: number; backward: number };
const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[xs.length >> 1];
function medianOf(runs: Timing[]): Timing {
  return { forward: median(runs.map((r) => r.forward)), backward: median(runs.map((r) => r.backward)) };
}

function run(n: number): Timing {
  const x = ones([8], { dtype: "float64", requiresGrad: true });
  const t0 = performance.now();
  const ys: Tensor[] = [];
  for (let i = 0; i < n; i++) ys.push(x.mul(i + 1));
  const loss = stack(ys).sum();
  const t1 = performance.now();
  loss.backward();
  const t2 = performance.now();
  const g = x.grad!.tolist() as number[];
  if (g[0] !== (n * (n + 1)) / 2) throw new Error(`wrong gradient ${g[0]} for N = ${n}`);
  return { forward: (t1 - t0) / 1000, backward: (t2 - t1) / 1000 };
}

function pytorch(): Record<string, Timing> | string {
  const script = fileURLToPath(new URL("./wide-graph.py", import.meta.url));
  const r = spawnSync("/usr/bin/python3", [script, String(reps), ...sizes.map(String)], { encoding: "utf8" });
  if (r.status !== 0) return `unavailable (${(r.stderr || r.error?.message || "").trim().split("\n").pop()})`;
  return JSON.parse(r.stdout.trim()) as Record<string, Timing>;
}

run(1000); // warm-up: JIT and first allocations
const ours = sizes.map((n) => ({ n, ...medianOf(Array.from({ length: reps }, () => run(n))) }));
const torch = pytorch();
const f = (s: number) => s.toFixed(3).padStart(8);
console.log(`backend ${getBackend()}; seconds, median of ${reps}`);
console.log("       N   tg fwd   tg bwd   pt fwd   pt bwd   bwd tg/pt");
for (const r of ours) {
  const p = typeof torch === "string" ? undefined : torch[String(r.n)];
  const pt = p ? `${f(p.forward)} ${f(p.backward)} ${(r.backward / p.backward).toFixed(2).padStart(10)}` : "";
  console.log(`${String(r.n).padStart(8)} ${f(r.forward)} ${f(r.backward)} ${pt}`);
}
if (typeof torch === "string") console.log(`PyTorch: ${torch}`);
