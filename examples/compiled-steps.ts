/**
 * The seed tutorials' training steps run eagerly and through compile(fn), side by side: the same values bit for bit
 * (checked here), and the time per step of each. `npm start` prints this table after the examples.
 * Run: npx tsx examples/compiled-steps.ts [--quick]
 */
import { type Tensor, compile, manualSeed, nn, noGrad, ones, optim, randint, randn, tensor, zeros } from "tensorgrad";
import { quick } from "./lib/args";

interface StepCase {
  readonly name: string;
  readonly steps: number;
  /** A fresh setup from the seed: the step and the tensors whose final values both runs must agree on. */
  readonly make: () => { step: () => Tensor; state: () => Tensor[] };
}

const CASES: StepCase[] = [
  {
    name: "lecture-neuron (12×2, SGD)",
    steps: 2000,
    make: () => {
      const X = tensor([[0.5, 0.9], [14, 12], [15, 13.6], [28, 22.8], [11, 8.1], [8, 7.1], [3, 2.9], [-4, 0.1], [6, 5.3], [13, 12], [21, 19.9], [-1, 1.5]]);
      const y = tensor([35.7, 55.9, 58.2, 81.9, 56.3, 48.9, 33.9, 21.8, 48.4, 60.4, 68.4, 29.1]).mul(0.01);
      const W = ones([2], { requiresGrad: true }), b = zeros([1], { requiresGrad: true });
      const opt = new optim.SGD([W, b], { lr: 0.01 });
      const step = () => {
        opt.zeroGrad();
        const loss = X.mul(W).sum(1).add(b).sigmoid().sub(y).pow(2).mean();
        loss.backward();
        opt.step();
        return loss;
      };
      return { step, state: () => [W, b] };
    },
  },
  {
    name: "neuromatch-widenet (1→512→1, SGD momentum)",
    steps: 500,
    make: () => {
      const x = randn([32, 1]), y = x.sin();
      const net = new nn.Sequential(new nn.Linear(1, 512), new nn.Tanh(), new nn.Linear(512, 1));
      const opt = new optim.SGD(net.parameters(), { lr: 0.003, momentum: 0.9 });
      const lossFn = new nn.MSELoss();
      const step = () => {
        opt.zeroGrad();
        const loss = lossFn(net(x), y);
        loss.backward();
        opt.step();
        return loss;
      };
      return { step, state: () => net.parameters() };
    },
  },
  {
    name: "notebook-mlp (64×1000→100→10, noGrad updates)",
    steps: 100,
    make: () => {
      const x = randn([64, 1000]), y = randn([64, 10]);
      const w1 = randn([1000, 100], { requiresGrad: true }), w2 = randn([100, 10], { requiresGrad: true });
      const step = () => {
        const loss = x.mm(w1).clamp(0).mm(w2).sub(y).pow(2).sum();
        loss.backward();
        noGrad(() => {
          w1.sub_(w1.grad!.mul(1e-6));
          w2.sub_(w2.grad!.mul(1e-6));
          w1.grad!.zero_();
          w2.grad!.zero_();
        });
        return loss;
      };
      return { step, state: () => [w1, w2] };
    },
  },
  {
    name: "MNIST-shaped MLP (Dropout, CrossEntropy, Adam)",
    steps: 40,
    make: () => {
      const x = randn([128, 784]), y = randint(0, 10, [128]);
      const model = new nn.Sequential(new nn.Linear(784, 512), new nn.ReLU(), new nn.Dropout(0.2), new nn.Linear(512, 10));
      const opt = new optim.Adam(model.parameters(), { lr: 1e-3 });
      const lossFn = new nn.CrossEntropyLoss();
      const step = () => {
        opt.zeroGrad();
        const loss = lossFn(model(x), y);
        loss.backward();
        opt.step();
        return loss;
      };
      return { step, state: () => model.parameters() };
    },
  },
];

const bits = (ts: Tensor[]): string => ts.map((t) => Buffer.from(t.contiguous().toArray().buffer).toString("base64")).join();

/** Seconds per step, the final loss and the final state's bytes of one run. */
function run(c: StepCase, compiled: boolean, steps: number): { s: number; loss: number; state: string } {
  manualSeed(0);
  const { step: body, state } = c.make();
  const step = compiled ? compile(body) : body;
  let loss = step();
  const t0 = performance.now();
  for (let i = 1; i < steps; i++) loss = step();
  return { s: (performance.now() - t0) / 1000 / (steps - 1), loss: loss.item(), state: bits(state()) };
}

export function main(opts: { quick?: boolean } = {}): void {
  const rows = [["training step", "eager", "compiled", "eager ÷ compiled", "same bits"]];
  for (const c of CASES) {
    const steps = Math.max(3, opts.quick ? Math.ceil(c.steps / 10) : c.steps);
    run(c, false, Math.min(steps, 20)); // warm the JIT for both paths
    run(c, true, Math.min(steps, 20));
    const e = run(c, false, steps);
    const k = run(c, true, steps);
    const same = e.loss === k.loss && e.state === k.state;
    const us = (s: number): string => `${(s * 1e6).toFixed(0)} µs`;
    rows.push([c.name, us(e.s), us(k.s), `${(e.s / k.s).toFixed(2)}×`, same ? "yes" : "NO"]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  rows.forEach((r, i) => {
    console.log(r.map((cell, j) => (j === 0 ? cell.padEnd(widths[j]) : cell.padStart(widths[j]))).join("  "));
    if (i === 0) console.log(widths.map((w) => "─".repeat(w)).join("  "));
  });
}

if (require.main === module) main({ quick });
