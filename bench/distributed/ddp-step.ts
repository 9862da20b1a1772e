/**
 * Time per training step of an MLP (784-H-H-10, H = --hidden 1024: 1.86 M parameters, 7.4 MB of float32
 * gradients; SGD), global batch --batch 256 (ANCHORS.md's W5 is --hidden 512 --batch 128): as one process on the whole batch, and as N DistributedDataParallel ranks on 256/N rows
 * each, split into compute (forward + backward without averaging, noSync), communication (the same
 * gradients' allreduce alone) and the part of communication hidden behind backward by bucketing:
 *   node --import tsx bench/distributed/ddp-step.ts [--threads 2]          (one process)
 *   mpirun -np 2 node --import tsx bench/distributed/ddp-step.ts           (two ranks, 1 thread each)
 */
import { distributed, manualSeed, nn, optim, randint, randn, setNumThreads, tensor, zeros } from "../../ts/index";

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
distributed.initProcessGroup({ backend: "mpi" });
const rank = distributed.getRank();
const size = distributed.getWorldSize();
setNumThreads(arg("threads", 1));
const steps = arg("steps", 20);
const bucketCapMB = arg("bucket", 25);
const GLOBAL = arg("batch", 256);
const H = arg("hidden", 1024);
const local = GLOBAL / size;

manualSeed(0);
const model = new nn.Sequential(new nn.Linear(784, H), new nn.ReLU(), new nn.Linear(H, H), new nn.ReLU(), new nn.Linear(H, 10));
const x = randn(local, 784);
const y = randint(0, 10, [local]);
const lossFn = new nn.CrossEntropyLoss();

/** Median ms per step over `steps` steps (after 3 warm-up steps), the slowest rank's. */
function time(step: () => void): number {
  for (let i = 0; i < 3; i++) step();
  const ms: number[] = [];
  for (let i = 0; i < steps; i++) {
    if (size > 1) distributed.barrier();
    const t0 = performance.now();
    step();
    ms.push(performance.now() - t0);
  }
  const all = tensor(ms, { dtype: "float64" });
  if (size > 1) distributed.allReduce(all, "max");
  const sorted = (all.tolist() as number[]).sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const say = (s: string) => rank === 0 && console.log(s);
const params = model.parameters().reduce((n, p) => n + p.numel(), 0);
say(`MLP 784-${H}-${H}-10 (${(params / 1e6).toFixed(2)} M parameters), global batch ${GLOBAL}, ${size} rank(s) × ${arg("threads", 1)} thread(s), batch ${local} per rank`);

if (size === 1) {
  const opt = new optim.SGD(model.parameters(), { lr: 0.01, momentum: 0.9 });
  const ms = time(() => {
    opt.zeroGrad();
    lossFn(model(x), y).backward();
    opt.step();
  });
  say(`one process: ${ms.toFixed(1)} ms/step`);
} else {
  const ddp = new nn.parallel.DistributedDataParallel(model, { bucketCapMB });
  const opt = new optim.SGD(ddp.parameters(), { lr: 0.01, momentum: 0.9 });
  const compute = time(() => {
    opt.zeroGrad();
    ddp.noSync(() => lossFn(ddp(x), y).backward());
    opt.step();
  });
  const flat = zeros([params]);
  const comm = time(() => distributed.allReduce(flat, "avg"));
  let exposed = 0;
  const ddpStep = time(() => {
    opt.zeroGrad();
    lossFn(ddp(x), y).backward();
    const s = ddp._lastSyncStats!;
    exposed += s.syncedMs - s.backwardEndMs;
    opt.step();
  });
  const wait = exposed / (steps + 3);
  say(`DDP step ${ddpStep.toFixed(1)} ms = compute ${compute.toFixed(1)} ms (forward+backward+step, no averaging) + ${(ddpStep - compute).toFixed(1)} ms`);
  say(`allreduce of all ${(params * 4 / 1e6).toFixed(1)} MB alone: ${comm.toFixed(1)} ms; waited after backward: ${wait.toFixed(1)} ms/step (rank 0), so ~${Math.max(0, comm - wait).toFixed(1)} ms of communication hidden behind backward (bucketCapMB ${bucketCapMB})`);
}
distributed.destroyProcessGroup();
