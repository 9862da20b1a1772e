/**
 * Neuromatch W1D2 "Gradient descent and autograd": a one-neuron computational graph with analytic vs
 * autograd gradients, then WideNet (1 → 512 tanh → 1) fitting a noisy sine with MSELoss and SGD(momentum 0.9).
 * Run: npx tsx examples/neuromatch-widenet.ts [--quick]
 */
import { join } from "node:path";
import { Tensor, tensor, linspace, randn, sin, manualSeed, noGrad, nn, optim } from "tensorgrad";
import { Progress } from "./lib/progress";
import { linePlot } from "./lib/svg-plot";
import { outDir, pyFloat, quick, type RunOptions } from "./lib/args";

const SEED = 2021;

function setSeed(seed: number): void {
  manualSeed(seed);
  console.log(`Random seed ${seed} has been set.`);
}

/** A single neuron, prediction = tanh(w·x + b), with its parameters as leaf tensors. */
class SimpleGraph {
  readonly w: Tensor;
  readonly b: Tensor;
  constructor(w: number, b: number) {
    this.w = tensor([w], { requiresGrad: true });
    this.b = tensor([b], { requiresGrad: true });
  }
  forward(x: Tensor): Tensor {
    return this.w.mul(x).add(this.b).tanh();
  }
}

function sqLoss(yTrue: Tensor, yPrediction: Tensor): Tensor {
  return yTrue.sub(yPrediction).pow(2);
}

export class WideNet extends nn.Module {
  layers: nn.Sequential;
  constructor() {
    super();
    const nCells = 512;
    this.layers = new nn.Sequential(new nn.Linear(1, nCells), new nn.Tanh(), new nn.Linear(nCells, 1));
  }
  override forward(x: Tensor): Tensor {
    return this.layers(x);
  }
}

/** The tutorial's train(): zeroGrad, forward, loss, backward, step — once per epoch, full batch. */
export function train(features: Tensor, labels: Tensor, model: nn.Module, lossFun: nn.MSELoss, optimizer: optim.Optimizer<object>, nEpochs: number, verbose: boolean): number[] {
  const lossRecord: number[] = [];
  const progress = new Progress("  train", nEpochs, Math.ceil(nEpochs / 4));
  for (let i = 0; i < nEpochs; i++) {
    optimizer.zeroGrad();
    const predictions = model(features);
    const loss = lossFun(predictions, labels);
    loss.backward();
    optimizer.step();
    lossRecord.push(loss.item());
    if (verbose) progress.update(i + 1, lossRecord[i]);
  }
  return lossRecord;
}

export function main(opts: RunOptions = {}) {
  const verbose = opts.verbose ?? true;
  // Section 2: the computational graph.
  const feature = tensor([1]);
  const target = tensor([7]);
  const simpleGraph = new SimpleGraph(-0.5, 0.5);
  console.log(`initial weight = ${pyFloat(simpleGraph.w.item())}, \ninitial bias = ${pyFloat(simpleGraph.b.item())}`);
  const prediction = simpleGraph.forward(feature);
  const squareLoss = sqLoss(target, prediction);
  console.log(`for x=${feature.item()} and y=${target.item()}, prediction=${pyFloat(prediction.item())}, and L2 Loss = ${pyFloat(squareLoss.item())}`);
  const a = tensor([1.0], { requiresGrad: true });
  const b = tensor([-1.0], { requiresGrad: true });
  console.log(`Gradient function = <${a.add(b).gradFn?.name} object>`);
  console.log(`Gradient function for prediction = <${prediction.gradFn?.name} object>`);
  console.log(`Gradient function for loss = <${squareLoss.gradFn?.name} object>`);
  const p = prediction.detach();
  const anaDlossDw = feature.mul(-2).mul(target.sub(p)).mul(p.pow(2).neg().add(1));
  const anaDlossDb = target.sub(p).mul(-2).mul(p.pow(2).neg().add(1));
  squareLoss.backward();
  console.log(String(anaDlossDw.eq(simpleGraph.w.grad as Tensor)));
  console.log(String(anaDlossDb.eq(simpleGraph.b.grad as Tensor)));

  // Section 3: WideNet on a noisy sine.
  setSeed(SEED);
  const nSamples = 32;
  const inputs = linspace(-1.0, 1.0, nSamples).reshape(nSamples, 1);
  const noise = randn(nSamples, 1).div(4);
  const targets = sin(inputs.mul(Math.PI)).add(noise);

  setSeed(SEED);
  const wideNet = new WideNet();
  console.log(String(wideNet));
  const lossFunction = new nn.MSELoss();
  const lr = 0.003;
  const sgdOptimizer = new optim.SGD(wideNet.parameters(), { lr, momentum: 0.9 });

  sgdOptimizer.zeroGrad();
  const pred = wideNet(inputs);
  const loss = lossFunction(pred, targets);
  const firstLoss = loss.item();
  console.log(`Loss: ${firstLoss}`);
  loss.backward();
  sgdOptimizer.step();

  setSeed(2021);
  const epochs = opts.quick ? 300 : 1847; // Cauchy, Exercices d'analyse et de physique mathematique (1847)
  const losses = train(inputs, targets, wideNet, lossFunction, sgdOptimizer, epochs, verbose);
  console.log(`losses[0] = ${losses[0]}, losses[${epochs - 1}] = ${losses[epochs - 1]}`);

  if (opts.plots ?? true) {
    const xs = Array.from(inputs.toArray());
    const fit = Array.from(noGrad(() => wideNet(inputs)).toArray());
    linePlot(join(outDir, "widenet-regression.svg"), [
      { x: xs, y: Array.from(targets.toArray()), label: "targets", color: "#17a2b8", kind: "scatter" },
      { x: xs, y: fit, label: "prediction", color: "#d62728" },
    ], { title: "Regression", xLabel: "x", yLabel: "y" });
    linePlot(join(outDir, "widenet-loss.svg"), [
      { x: losses.map((_, i) => i + 1), y: losses, label: "MSE", color: "#d4a017" },
    ], { title: "Training loss", xLabel: "Epoch", yLabel: "MSE" });
  }
  return { firstLoss, losses };
}

if (require.main === module) main({ quick });
