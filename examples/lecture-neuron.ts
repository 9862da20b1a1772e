/**
 * The lecture "Learning and Autograd": a single sigmoid neuron on a 12×2 dataset, trained by gradient
 * descent three ways — hand-derived gradients, autograd with noGrad updates, and optim.SGD.
 * Run: npx tsx examples/lecture-neuron.ts [--quick] [--every 100]
 */
import { join } from "node:path";
import { Tensor, tensor, ones, zeros, sum, sigmoid, square, mean, noGrad, optim, data } from "tensorgrad";
import { Progress } from "./lib/progress";
import { linePlot, thin } from "./lib/svg-plot";
import { numberFlag, outDir, pyFloat, quick, size, type RunOptions } from "./lib/args";

type Item = { input: Tensor; target: Tensor };

class SimpleDataset extends data.Dataset<Item> {
  readonly X: Tensor;
  readonly y: Tensor;
  constructor() {
    super();
    const X = [[0.5, 0.9], [14.0, 12.0], [15.0, 13.6], [28.0, 22.8], [11.0, 8.1], [8.0, 7.1],
      [3.0, 2.9], [-4.0, 0.1], [6.0, 5.3], [13.0, 12.0], [21.0, 19.9], [-1.0, 1.5]];
    const y = [35.7, 55.9, 58.2, 81.9, 56.3, 48.9, 33.9, 21.8, 48.4, 60.4, 68.4, 29.1];
    this.X = tensor(X);
    this.y = tensor(y).mul(0.01);
  }
  get length(): number {
    return this.X.shape[0];
  }
  getItem(idx: number): Item {
    return { input: this.X.at(idx), target: this.y.at(idx) };
  }
  override toString(): string {
    return `Data Size: ${this.length}, Input Shape: ${size(this.X.shape)}, Target Shape: ${size(this.y.shape)}`;
  }
}

const activate = (u: Tensor): Tensor => sigmoid(u);

function model(X: Tensor, W: Tensor, b: Tensor): Tensor {
  const u = sum(X.mul(W), 1).add(b); // u.shape: [12]
  return activate(u);
}

function lossFn(yPred: Tensor, y: Tensor): Tensor {
  return square(yPred.sub(y)).mean();
}

/** The hand-derived gradient of the MSE through the sigmoid neuron. */
function gradient(W: Tensor, b: Tensor, X: Tensor, y: Tensor): [Tensor, Tensor] {
  const yPred = model(X, W, b);
  const dlDy = yPred.sub(y).mul(2).unsqueeze(-1);
  const dyDf = 1.0;
  const z = sum(X.mul(W), -1).add(b);
  const dsDz = activate(z).mul(activate(z).rsub1()).unsqueeze(-1);
  const WGrad = mean(dlDy.mul(dyDf).mul(dsDz).mul(X), 0);
  const bGrad = mean(dlDy.mul(dyDf).mul(dsDz).mul(1.0), 0);
  return [WGrad, bGrad];
}

declare module "../ts/tensor" {
  interface Tensor {
    /** 1 − x (Python's `1.0 - x`), local to this example. */
    rsub1(): Tensor;
  }
}
Tensor.prototype.rsub1 = function (this: Tensor) {
  return this.neg().add(1);
};

/** "{0:6,}" — Python's width-6 number with thousands separators. */
const epochStr = (e: number) => e.toLocaleString("en-US").padStart(6);
const f = (v: number, w: number, p: number) => v.toFixed(p).padStart(w);

function logLine(epoch: number, loss: number, W: Tensor, b: Tensor, WGrad: Tensor | null, bGrad: Tensor | null): void {
  console.log(
    `[Epoch:${epochStr(epoch)}] loss:${f(loss, 8, 5)}, w0:${f(W.at(0).item(), 6, 3)}, w1:${f(W.at(1).item(), 6, 3)}, b:${f(b.item(), 6, 3)}, ` +
      `W.grad: ${String(WGrad)}, b.grad:${String(bGrad)}`,
  );
}

type Variant = "manual" | "autograd" | "optim";

/** 20,000 epochs of full-batch gradient descent; returns the final W, b and the loss curve. */
export function learn(variant: Variant, loader: data.DataLoader<Item>, epochs: number, every: number, verbose: boolean) {
  const LEARNING_RATE = 0.01;
  const rg = variant !== "manual";
  let W = ones([2], { requiresGrad: rg });
  let b = zeros([1], { requiresGrad: rg });
  const optimizer = variant === "optim" ? new optim.SGD([W, b], { lr: LEARNING_RATE }) : null;
  const losses: number[] = [];
  const progress = new Progress(`  ${variant.padEnd(8)}`, epochs);
  for (let epoch = 0; epoch < epochs; epoch++) {
    const batch = loader[Symbol.iterator]().next().value as Item;
    const yPred = model(batch.input, W, b);
    const loss = lossFn(yPred, batch.target);
    losses.push(loss.item());
    if (variant === "manual") {
      const [WGrad, bGrad] = gradient(W, b, batch.input, batch.target);
      if (verbose && epoch % every === 0) logLine(epoch, loss.item(), W, b, WGrad, bGrad);
      W = W.sub(WGrad.mul(LEARNING_RATE));
      b = b.sub(bGrad.mul(LEARNING_RATE));
    } else {
      loss.backward();
      if (verbose && epoch % every === 0) logLine(epoch, loss.item(), W, b, W.grad, b.grad);
      if (optimizer !== null) {
        optimizer.step();
        optimizer.zeroGrad();
      } else {
        noGrad(() => {
          W.sub_((W.grad as Tensor).mul(LEARNING_RATE));
          b.sub_((b.grad as Tensor).mul(LEARNING_RATE));
          W.grad = null;
          b.grad = null;
        });
      }
    }
    if (!verbose) progress.update(epoch + 1, losses[epoch]);
  }
  return { W, b, losses };
}

export function main(opts: RunOptions = {}) {
  const verbose = opts.verbose ?? true;
  const epochs = opts.quick ? 2_000 : 20_000;
  const every = numberFlag("every", 2_000);

  const simpleDataset = new SimpleDataset();
  console.log(String(simpleDataset));
  const trainDataLoader = new data.DataLoader(simpleDataset, { batchSize: simpleDataset.length });
  const batch = trainDataLoader[Symbol.iterator]().next().value as Item;
  const W0 = ones([2]);
  const b0 = zeros([1]);
  console.log(size(batch.input.shape), size(W0.shape), size(b0.shape));
  const yPred = model(batch.input, W0, b0);
  console.log(size(yPred.shape));
  console.log(String(yPred));
  console.log(String(lossFn(yPred, batch.target)));

  // The dummy autograd example: gradients accumulate unless zeroed.
  const weights = ones(4, { requiresGrad: true });
  const sgd = new optim.SGD([weights], { lr: 0.1 });
  for (let epoch = 0; epoch < 3; epoch++) {
    const output = weights.mul(3).sum();
    console.log(`[output ${epoch}]:`, String(output));
    output.backward();
    console.log("weights.grad:", String(weights.grad));
    sgd.step();
    sgd.zeroGrad();
    console.log("weights:", String(weights));
  }
  console.log("\n[output final]:", String(weights.mul(3).sum()));

  const results: Record<Variant, ReturnType<typeof learn>> = {} as Record<Variant, ReturnType<typeof learn>>;
  for (const variant of ["manual", "autograd", "optim"] as const) {
    console.log(`\n== learn (${variant === "manual" ? "hand-derived gradient" : variant === "autograd" ? "autograd + noGrad updates" : "optim.SGD"}), ${epochs.toLocaleString("en-US")} epochs ==`);
    const r = learn(variant, trainDataLoader, epochs, every, verbose);
    results[variant] = r;
    console.log(`final W: ${String(r.W.detach())}, b: ${String(r.b.detach())}, loss: ${pyFloat(r.losses[r.losses.length - 1])}`);
  }
  if (opts.plots ?? true) {
    const c = thin(results.optim.losses);
    linePlot(join(outDir, "lecture-loss.svg"), [{ ...c, label: "MSE", color: "#d4a017" }], {
      title: "Lecture neuron: training loss", xLabel: "Epoch", yLabel: "MSE (log scale)", logY: true,
    });
    const X = simpleDataset.X;
    const { W, b } = results.optim;
    const pred = noGrad(() => model(X, W, b)).toArray();
    const idx = Array.from({ length: simpleDataset.length }, (_, i) => i);
    linePlot(join(outDir, "lecture-fit.svg"), [
      { x: idx, y: Array.from(simpleDataset.y.toArray()), label: "target", color: "#17a2b8", kind: "scatter" },
      { x: idx, y: Array.from(pred), label: "prediction", color: "#d62728", kind: "scatter" },
    ], { title: "Lecture neuron: targets and predictions", xLabel: "sample", yLabel: "y" });
  }
  return results;
}

if (require.main === module) main({ quick });
