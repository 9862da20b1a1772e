/**
 * W9: LeNet-5 (padding 2) on 28×28, batch 64, SGD with momentum: training samples/s on the current backend
 * (median of 3 timed runs of 20 steps). Run: node --import tsx bench/lenet.ts [native|js] [threads]
 */
import { nn, optim, randn, randint, manualSeed, setBackend, setNumThreads, getNumThreads, type Tensor } from "../ts/index";

const backend = (process.argv[2] ?? "native") as "native" | "js";
setBackend(backend);
if (process.argv[3]) setNumThreads(Number(process.argv[3]));
manualSeed(0);
const model = new nn.Sequential(
  new nn.Conv2d(1, 6, 5, { padding: 2 }), new nn.ReLU(), new nn.MaxPool2d(2),
  new nn.Conv2d(6, 16, 5), new nn.ReLU(), new nn.MaxPool2d(2),
  new nn.Flatten(), new nn.Linear(400, 120), new nn.ReLU(), new nn.Linear(120, 84), new nn.ReLU(), new nn.Linear(84, 10),
);
const opt = new optim.SGD(model.parameters(), { lr: 0.01, momentum: 0.9 });
const lossFn = new nn.CrossEntropyLoss();
const batch = 64;
const x = randn(batch, 1, 28, 28);
const y = randint(0, 10, [batch], { dtype: "int32" });
const step = (): Tensor => {
  opt.zeroGrad();
  const loss = lossFn(model(x), y);
  loss.backward();
  opt.step();
  return loss;
};
for (let i = 0; i < 5; i++) step();
const steps = backend === "js" ? 5 : 20;
const rates: number[] = [];
for (let r = 0; r < 3; r++) {
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) step();
  rates.push((steps * batch) / ((performance.now() - t0) / 1000));
}
rates.sort((a, b) => a - b);
console.log(`W9 LeNet-5 b${batch} ${backend} threads=${getNumThreads()}: ${Math.round(rates[1])} samples/s (runs: ${rates.map((r) => Math.round(r)).join(", ")})`);
