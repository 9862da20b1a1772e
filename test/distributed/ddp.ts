/**
 * DistributedDataParallel against one process on the full batch: every rank trains on its share of each
 * batch and must end with the parameters one process reaches on the whole batch (to float rounding);
 * also noSync accumulation, broadcasting at construction and of buffers in forward, stateDict keys, and
 * that the first bucket's allreduce starts before backward ends. Prints one "ok" line per rank.
 */
import { distributed, manualSeed, nn, optim, randn, tensor, zeros, noGrad, type Tensor } from "../../ts/index";
import { check, checkClose } from "./check";

distributed.initProcessGroup({ backend: "mpi" });
const rank = distributed.getRank();
const size = distributed.getWorldSize();
const BATCH = 12;
const share = BATCH / size;
check(Number.isInteger(share), "the batch divides among the ranks");

function mlp(): nn.Sequential {
  return new nn.Sequential(new nn.Linear(8, 16), new nn.Tanh(), new nn.Linear(16, 16), new nn.Tanh(), new nn.Linear(16, 4));
}

manualSeed(1234);
const xs = Array.from({ length: 10 }, () => randn(BATCH, 8));
const ys = Array.from({ length: 10 }, () => randn(BATCH, 4));
const mine = (t: Tensor) => t.narrow(0, rank * share, share);
const flat = (m: nn.Module) => m.parameters().flatMap((p) => Array.from(p.detach().contiguous().reshape(-1).tolist() as number[]));

function train(): void {
  manualSeed(0);
  const reference = mlp();
  manualSeed(rank === 0 ? 0 : 100 + rank); // different replicas: construction must make them rank 0's
  const ddp = new nn.parallel.DistributedDataParallel(mlp());
  checkClose(flat(ddp.module), flat(reference), "parameters broadcast from rank 0 at construction");
  const lossFn = new nn.MSELoss();
  const optRef = new optim.SGD(reference.parameters(), { lr: 0.1, momentum: 0.9 });
  const opt = new optim.SGD(ddp.parameters(), { lr: 0.1, momentum: 0.9 });
  for (let step = 0; step < 10; step++) {
    optRef.zeroGrad();
    lossFn(reference(xs[step]), ys[step]).backward();
    optRef.step();
    opt.zeroGrad();
    lossFn(ddp(mine(xs[step])), mine(ys[step])).backward();
    opt.step();
  }
  checkClose(flat(ddp.module), flat(reference), `DDP on ${size} ranks vs one process on the full batch`, 1e-5);
  check(Object.keys(ddp.stateDict()).join() === Object.keys(reference.stateDict()).map((k) => `module.${k}`).join(), "stateDict keys have the module. prefix");
}

function accumulate(): void {
  manualSeed(0);
  const reference = mlp();
  manualSeed(0);
  const ddp = new nn.parallel.DistributedDataParallel(mlp());
  const lossFn = new nn.MSELoss();
  // Two micro-batches (each split among the ranks); gradients summed over both.
  const micro = [xs[0], xs[1]];
  const target = [ys[0], ys[1]];
  const mineOf = mine;
  for (let k = 0; k < 2; k++) lossFn(reference(micro[k]), target[k]).backward();
  ddp.noSync(() => lossFn(ddp(mineOf(micro[0])), mineOf(target[0])).backward());
  if (size > 1) {
    // Inside noSync nothing was averaged: the ranks' gradients still differ.
    const g = ddp.module.parameters()[0].grad!.reshape(-1);
    const all = Array.from({ length: size }, () => zeros(g.shape));
    distributed.allGather(all, g.contiguous());
    check(!all.every((a) => JSON.stringify(a.tolist()) === JSON.stringify(all[0].tolist())), "noSync left the gradients local");
  }
  lossFn(ddp(mineOf(micro[1])), mineOf(target[1])).backward();
  const grads = (m: nn.Module) => m.parameters().flatMap((p) => Array.from(p.grad!.reshape(-1).tolist() as number[]));
  checkClose(grads(ddp.module), grads(reference), "noSync accumulation then one synchronized backward", 1e-5);
}

class WithBuffer extends nn.Module<[Tensor], Tensor> {
  lin = new nn.Linear(3, 3);
  declare count: Tensor;
  constructor() {
    super();
    this.registerBuffer("count", tensor([0, 0], { dtype: "int32" }));
  }
  override forward(x: Tensor): Tensor {
    return this.lin(x);
  }
}

function buffers(): void {
  const inner = new WithBuffer();
  noGrad(() => inner.count.fill_(rank + 1));
  const ddp = new nn.parallel.DistributedDataParallel(inner);
  checkClose(inner.count.tolist() as number[], [1, 1], "buffers broadcast at construction");
  noGrad(() => inner.count.fill_(10 + rank));
  ddp(zeros([1, 3]));
  checkClose(inner.count.tolist() as number[], [10, 10], "buffers broadcast in forward");
  const quiet = new nn.parallel.DistributedDataParallel(new WithBuffer(), { broadcastBuffers: false });
  noGrad(() => quiet.module.count.fill_(10 + rank));
  quiet(zeros([1, 3]));
  checkClose(quiet.module.count.tolist() as number[], [10 + rank, 10 + rank], "broadcastBuffers: false leaves them");
}

function overlap(): void {
  // Six 512×512 layers in 1 MiB buckets: the last layer's bucket is ready while five layers' backward remain.
  const layers: nn.Module<[Tensor], Tensor>[] = [];
  for (let i = 0; i < 6; i++) layers.push(new nn.Linear(512, 512, { bias: false }), new nn.Tanh());
  const ddp = new nn.parallel.DistributedDataParallel(new nn.Sequential(...layers), { bucketCapMB: 1 });
  let early = 0;
  for (let step = 0; step < 3; step++) {
    ddp(randn(256, 512)).sum().backward();
    const stats = ddp._lastSyncStats!;
    check(stats.buckets.length >= 6, `one bucket per layer (${stats.buckets.length})`);
    check(stats.buckets[0][0] < stats.backwardEndMs, "the first bucket is queued during backward");
    if (stats.buckets[0][1] < stats.backwardEndMs) early++;
  }
  check(early > 0, "the first bucket's allreduce started before backward ended");
}

train();
accumulate();
buffers();
overlap();
distributed.destroyProcessGroup();
console.log(`rank ${rank}/${size}: ok ddp`);
