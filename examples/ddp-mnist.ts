/**
 * mnist-cnn's LeNet trained data-parallel over MPI: each rank reads its share of every epoch
 * (DistributedSampler), DistributedDataParallel averages the gradients, rank 0 prints progress and saves
 * the checkpoint (examples/out/ddp-mnist.safetensors). Needs Open MPI and the MPI binding (docs/DISTRIBUTED.md):
 *   mpirun -np 2 node --import tsx examples/ddp-mnist.ts [--quick] [--epochs N]
 * (as root add --allow-run-as-root; with more ranks than cores add --oversubscribe).
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import * as tg from "tensorgrad";
import { data, distributed, nn, optim, type Tensor } from "tensorgrad";
import { numberFlag, outDir, quick } from "./lib/args";
import { Progress } from "./lib/progress";
import { LeNet, MnistDigits } from "./mnist-cnn";

type Batch = { image: Tensor; label: Tensor };

/** Correct predictions over this rank's share of the test set, summed over the ranks. */
function accuracy(model: nn.Module<[Tensor], Tensor>, test: MnistDigits): number {
  return tg.noGrad(() => {
    model.eval();
    const sampler = new data.DistributedSampler(test, { shuffle: false, dropLast: true });
    const counts = tg.tensor([0, 0], { dtype: "float64" });
    for (const b of new data.DataLoader(test, { batchSize: 500, sampler }) as Iterable<Batch>) {
      counts.add_(tg.tensor([model(b.image).argmax(1).eq(b.label).sum().item(), b.label.shape[0]], { dtype: "float64" }));
    }
    distributed.allReduce(counts);
    model.train();
    const [right, n] = counts.tolist() as number[];
    return right / n;
  });
}

export function main(opts: { quick?: boolean; epochs?: number } = {}): { testAccuracy: number } {
  distributed.initProcessGroup({ backend: "mpi" });
  const rank = distributed.getRank();
  const size = distributed.getWorldSize();
  const say = (s: string) => rank === 0 && console.log(s);
  tg.manualSeed(rank); // different on purpose: DDP copies rank 0's initial parameters to every rank
  const train = new MnistDigits("train");
  const test = new MnistDigits("test");
  const globalBatch = 64;
  const sampler = new data.DistributedSampler(train, { seed: 0 });
  const loader = new data.DataLoader(train, { batchSize: Math.ceil(globalBatch / size), sampler });
  const model = new nn.parallel.DistributedDataParallel(new LeNet());
  const opt = new optim.SGD(model.parameters(), { lr: 0.05, momentum: 0.9 });
  const lossFn = new nn.CrossEntropyLoss();
  const epochs = opts.epochs ?? numberFlag("epochs", (opts.quick ?? quick) ? 1 : 6);
  const maxBatches = (opts.quick ?? quick) ? 40 : Infinity;
  say(`${size} ranks, ${train.length} training digits (${sampler.length} per rank), global batch ${globalBatch}`);
  let acc = 0;
  for (let epoch = 1; epoch <= epochs; epoch++) {
    sampler.setEpoch(epoch);
    const steps = Math.min(loader.length, maxBatches);
    const progress = new Progress(`epoch ${epoch}/${epochs}`, steps);
    const started = performance.now();
    let step = 0;
    const lossSum = tg.tensor([0], { dtype: "float64" });
    for (const batch of loader as Iterable<Batch>) {
      if (step >= steps) break;
      const loss = lossFn(model(batch.image), batch.label);
      opt.zeroGrad();
      loss.backward();
      opt.step();
      lossSum.add_(loss.item());
      step++;
      if (rank === 0) progress.update(step, lossSum.item() / step);
    }
    distributed.allReduce(lossSum, "avg");
    acc = accuracy(model, test);
    say(`epoch ${epoch}: train loss ${(lossSum.item() / step).toFixed(4)} (mean over ranks), test accuracy ${acc.toFixed(4)}, ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  if (rank === 0) {
    mkdirSync(outDir, { recursive: true });
    const path = join(outDir, "ddp-mnist.safetensors");
    tg.saveCheckpointSync(path, { model: model.module, optimizer: opt, step: epochs });
    console.log(`saved ${path}`);
  }
  distributed.destroyProcessGroup();
  return { testAccuracy: acc };
}

if (require.main === module) main({ quick });
