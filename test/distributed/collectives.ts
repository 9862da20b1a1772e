/**
 * Every collective's values for each op and dtype, the async forms, the errors, and DistributedSampler's
 * shares over the process group. Run as `mpirun -np N node --import tsx test/distributed/collectives.ts`;
 * prints one "ok" line per rank at the end.
 */
import { distributed, tensor, zeros, data, type Tensor } from "../../ts/index";
import type { DType } from "../../ts/index";
import { check, checkClose, checkThrows } from "./check";

const { allReduce, broadcast, allGather, reduceScatter, barrier } = distributed;

distributed.initProcessGroup({ backend: "mpi" });
const rank = distributed.getRank();
const size = distributed.getWorldSize();
check(distributed.isInitialized(), "isInitialized");
checkThrows(() => distributed.initProcessGroup({ backend: "mpi" }), "trying to initialize the default process group twice!", "double init");

const DTYPES: DType[] = ["float32", "float64", "int32"];
const ranks = Array.from({ length: size }, (_, r) => r);
/** Rank r's value at element i: small integers, exact in every dtype and under every op. */
const value = (r: number, i: number) => ((r + 1) * (i + 2)) % 7 - 2 + (i === 0 ? r : 0);
const n = 5;
const mine = (dtype: DType) => tensor(Array.from({ length: n }, (_, i) => value(rank, i)), { dtype });

const reference: Record<string, (vs: number[]) => number> = {
  sum: (vs) => vs.reduce((a, b) => a + b, 0),
  avg: (vs) => vs.reduce((a, b) => a + b, 0) / size,
  max: (vs) => Math.max(...vs),
  min: (vs) => Math.min(...vs),
  product: (vs) => vs.reduce((a, b) => a * b, 1),
};

for (const dtype of DTYPES) {
  for (const op of ["sum", "avg", "max", "min", "product"] as const) {
    if (op === "avg" && dtype === "int32") continue;
    const want = Array.from({ length: n }, (_, i) => reference[op](ranks.map((r) => value(r, i))));
    const t = mine(dtype);
    allReduce(t, op);
    checkClose(t.tolist() as number[], dtype === "float32" ? Float32Array.from(want) : want, `allReduce ${op} ${dtype}`);
    const a = mine(dtype);
    const work = allReduce(a, op, { asyncOp: true });
    work.wait();
    check(work.isCompleted(), "isCompleted after wait");
    checkClose(a.tolist() as number[], t.tolist() as number[], `async allReduce ${op} ${dtype}`);
  }
  // A view into a larger storage (contiguous, offset): only its elements change.
  const base = tensor([100, ...Array.from({ length: n }, (_, i) => value(rank, i)), 100], { dtype });
  allReduce(base.narrow(0, 1, n));
  checkClose(base.tolist() as number[], [100, ...Array.from({ length: n }, (_, i) => reference.sum(ranks.map((r) => value(r, i)))), 100], `allReduce of a view ${dtype}`);

  for (const src of ranks) {
    const b = mine(dtype);
    broadcast(b, src);
    checkClose(b.tolist() as number[], Array.from({ length: n }, (_, i) => value(src, i)), `broadcast from ${src} ${dtype}`);
  }

  const outs = ranks.map(() => zeros([n], { dtype }));
  allGather(outs, mine(dtype));
  ranks.forEach((r) => checkClose(outs[r].tolist() as number[], Array.from({ length: n }, (_, i) => value(r, i)), `allGather part ${r} ${dtype}`));

  // reduceScatter: rank r's input part p holds value(r, p * n + i); rank p receives the sums of part p.
  for (const op of ["sum", "max", "min"] as const) {
    const parts = ranks.map((p) => tensor(Array.from({ length: n }, (_, i) => value(rank, p * n + i)), { dtype }));
    const out = zeros([n], { dtype });
    reduceScatter(out, parts, op);
    checkClose(out.tolist() as number[], Array.from({ length: n }, (_, i) => reference[op](ranks.map((r) => value(r, rank * n + i)))), `reduceScatter ${op} ${dtype}`);
  }
}

// Async forms and the event loop: rank 0 waits for a collective the others join late; its timer keeps ticking.
async function overlap(): Promise<void> {
  const big = zeros([1 << 16]).add(rank + 1);
  if (rank !== 0) await new Promise((r) => setTimeout(r, 300));
  const work = allReduce(big, "sum", { asyncOp: true });
  let ticks = 0;
  const timer = setInterval(() => ticks++, 10);
  await work.waitAsync();
  clearInterval(timer);
  if (rank === 0 && size > 1) check(ticks >= 5, `the event loop ran while waiting (${ticks} ticks)`);
  check(big.max().item() === (size * (size + 1)) / 2 && big.min().item() === (size * (size + 1)) / 2, "async allReduce value");
  const outs = ranks.map(() => zeros([3]));
  const g = allGather(outs, tensor([rank, rank, rank]), { asyncOp: true });
  await g.waitAsync();
  ranks.forEach((r) => checkClose(outs[r].tolist() as number[], [r, r, r], "async allGather"));
  await barrier({ asyncOp: true }).waitAsync();
  // wait() while a waitAsync() of the same Work is pending: both end, the result is in once.
  const both = tensor([1, 2], { dtype: "float64" });
  const bothWork = allReduce(both, "sum", { asyncOp: true });
  const pending = bothWork.waitAsync();
  bothWork.wait();
  await pending;
  check(bothWork.isCompleted(), "completed after wait and waitAsync");
  checkClose(both.tolist() as number[], [size, 2 * size], "wait() during waitAsync()");
  const b = tensor([rank]);
  const bw = broadcast(b, size - 1, { asyncOp: true });
  bw.wait();
  bw.wait();
  check(b.item() === size - 1, "async broadcast, waited twice");
}

function errors(): void {
  const t = zeros([2, 3]).t();
  checkThrows(() => allReduce(t), "input tensor has to be contiguous", "non-contiguous");
  checkThrows(() => allReduce(tensor([true, false])), "unsupported dtype bool", "bool");
  checkThrows(() => allReduce(tensor([1, 2], { dtype: "int32" }), "avg"), "Cannot use ReduceOp.AVG with integer tensors", "int avg");
  checkThrows(() => allReduce(zeros([2]), "mean" as never), "op must be one of", "bad op");
  checkThrows(() => broadcast(zeros([2]), size), `invalid root rank: ${size}`, "src out of range");
  checkThrows(() => broadcast(zeros([2]), -1), "invalid root rank: -1", "negative src");
  checkThrows(() => allGather([zeros([2])].concat(size > 1 ? [] : [zeros([2])]), zeros([2])), "number of output tensors should equal to the world size", "allGather list");
  checkThrows(() => allGather(ranks.map(() => zeros([3])), zeros([2])), "Tensors are not equal in size or data type", "allGather sizes");
  checkThrows(() => reduceScatter(zeros([2]), ranks.map(() => zeros([2], { dtype: "float64" }))), "Tensors are not equal in size or data type", "reduceScatter dtype");
  checkThrows(() => distributed.initProcessGroup({ backend: "nccl" as never }), "Invalid backend: 'nccl'", "backend");
}

function sampler(): void {
  // Defaults from the process group; the shares of all ranks, gathered, cover the dataset once each.
  const s = new data.DistributedSampler({ length: 6 * size }, { seed: 3 });
  s.setEpoch(2);
  check(s.numReplicas === size && s.rank === rank, "DistributedSampler defaults from the group");
  const shares = ranks.map(() => zeros([6], { dtype: "int32" }));
  allGather(shares, tensor([...s], { dtype: "int32" }));
  const all = shares.flatMap((x: Tensor) => x.tolist() as number[]).sort((a, b) => a - b);
  checkClose(all, Array.from({ length: 6 * size }, (_, i) => i), "DistributedSampler shares are disjoint and covering");
}

errors();
sampler();
// A rejection here is unhandled, hence an uncaught exception, which aborts the job.
void overlap().then(() => {
  barrier();
  distributed.destroyProcessGroup();
  check(!distributed.isInitialized(), "destroyed");
  checkThrows(() => distributed.getRank(), "Default process group has not been initialized", "after destroy");
  console.log(`rank ${rank}/${size}: ok collectives`);
});
