/**
 * The notebook "from numpy to torch.nn and optim": a 1000 → 100 (ReLU) → 10 network fit to random data four
 * ways — manual backprop, autograd with noGrad updates, nn.Sequential with manual updates, and Adam.
 * Run: npx tsx examples/notebook-mlp.ts [--quick]
 */
import { join } from "node:path";
import { Tensor, randn, manualSeed, noGrad, nn, optim } from "tensorgrad";
import { linePlot } from "./lib/svg-plot";
import { quick, outDir, type RunOptions } from "./lib/args";

const [N, D_in, H, D_out] = [64, 1000, 100, 10];

function report(verbose: boolean, t: number, loss: number, steps: number): void {
  if (verbose && (t % 20 === 0 || t === steps - 1)) console.log(t, loss);
}

export function main(opts: RunOptions = {}) {
  const verbose = opts.verbose ?? true;
  const steps = opts.quick ? 30 : 100;
  const curves: Record<string, number[]> = {};
  manualSeed(0);
  const x = randn(N, D_in);
  const y = randn(N, D_out);

  console.log("== manual backprop (numpy style) ==");
  {
    const w1 = randn(D_in, H);
    const w2 = randn(H, D_out);
    const learningRate = 1e-6;
    const c: number[] = (curves.manual = []);
    for (let t = 0; t < steps; t++) {
      const h = x.mm(w1);
      const hRelu = h.clamp(0);
      const yPred = hRelu.mm(w2);
      const loss = yPred.sub(y).pow(2).sum().item();
      c.push(loss);
      report(verbose, t, loss, steps);
      const gradYPred = yPred.sub(y).mul(2.0);
      const gradW2 = hRelu.t().mm(gradYPred);
      const gradHRelu = gradYPred.mm(w2.t());
      const gradH = gradHRelu.where(h.ge(0), 0); // grad_h[h < 0] = 0
      const gradW1 = x.t().mm(gradH);
      w1.sub_(gradW1.mul(learningRate));
      w2.sub_(gradW2.mul(learningRate));
    }
  }

  console.log("== autograd, updates under noGrad ==");
  {
    const w1 = randn(D_in, H, { requiresGrad: true });
    const w2 = randn(H, D_out, { requiresGrad: true });
    const learningRate = 1e-6;
    const c: number[] = (curves.autograd = []);
    for (let t = 0; t < steps; t++) {
      const yPred = x.mm(w1).clamp(0).mm(w2);
      const loss = yPred.sub(y).pow(2).sum();
      c.push(loss.item());
      report(verbose, t, c[t], steps);
      loss.backward();
      noGrad(() => {
        w1.sub_((w1.grad as Tensor).mul(learningRate));
        w2.sub_((w2.grad as Tensor).mul(learningRate));
        (w1.grad as Tensor).zero_();
        (w2.grad as Tensor).zero_();
      });
    }
  }

  console.log("== nn.Sequential, manual updates ==");
  {
    const model = new nn.Sequential(new nn.Linear(D_in, H), new nn.ReLU(), new nn.Linear(H, D_out));
    const lossFn = new nn.MSELoss({ reduction: "sum" });
    const learningRate = 1e-4;
    const c: number[] = (curves.sequential = []);
    for (let t = 0; t < steps; t++) {
      const loss = lossFn(model(x), y);
      c.push(loss.item());
      report(verbose, t, c[t], steps);
      model.zeroGrad();
      loss.backward();
      noGrad(() => {
        for (const param of model.parameters()) param.sub_((param.grad as Tensor).mul(learningRate));
      });
    }
  }

  console.log("== nn.Sequential with optim.Adam ==");
  {
    const model = new nn.Sequential(new nn.Linear(D_in, H), new nn.ReLU(), new nn.Linear(H, D_out));
    const lossFn = new nn.MSELoss({ reduction: "sum" });
    const optimizer = new optim.Adam(model.parameters(), { lr: 1e-4 });
    const c: number[] = (curves.adam = []);
    for (let t = 0; t < steps; t++) {
      const loss = lossFn(model(x), y);
      c.push(loss.item());
      report(verbose, t, c[t], steps);
      optimizer.zeroGrad();
      loss.backward();
      optimizer.step();
    }
  }
  for (const [k, c] of Object.entries(curves)) console.log(`${k.padEnd(10)} loss ${c[0].toPrecision(6)} → ${c[c.length - 1].toPrecision(6)}`);

  if (opts.plots ?? true) {
    const colors: Record<string, string> = { manual: "#1f77b4", autograd: "#ff7f0e", sequential: "#2ca02c", adam: "#d62728" };
    linePlot(join(outDir, "notebook-loss.svg"),
      Object.entries(curves).map(([k, c]) => ({ x: c.map((_, i) => i), y: c, label: k, color: colors[k] })),
      { title: "Notebook MLP: training loss (sum of squares)", xLabel: "iteration", yLabel: "loss (log scale)", logY: true });
  }
  return curves;
}

if (require.main === module) main({ quick });
