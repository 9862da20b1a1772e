// js-pytorch 0.7.2 on W1–W8. It lacks sigmoid, tanh, clamp/functional relu, no_grad, optim.SGD, .item(),
// reduction options and general broadcasting; what is missing is composed here as ANCHORS.md describes:
// sigmoid/tanh from exp/add/pow, relu as masked_fill, SGD (+momentum) by hand on the nested arrays,
// bias broadcast via ones[B,1] @ b[1,1]. Run: tsx bench/systems/jspytorch.ts --workload W1 --data <dir>
import { torch } from "js-pytorch";
import { parseArgs, runChild, type WorkloadContext, type WorkloadFn } from "../lib/child";
import { toNested, transpose2d, type Array32 } from "../lib/data";
import type { Row } from "../lib/result";
import { gemmSweep, samplesPerSecond } from "../lib/measure";
import { nowS, repeat, timePerCall } from "../lib/stats";

type Tensor = InstanceType<typeof torch.Tensor>;
type Nested = number | Nested[];

const T = (a: Array32, requiresGrad = false): Tensor => torch.tensor(toNested(a), requiresGrad);
const first = (d: Nested): number => (typeof d === "number" ? d : first(d[0]!));
const scalarOf = (t: Tensor): number => first(t.data as Nested);

/** a*x + b*y over nested arrays: the update arithmetic js-pytorch has no optimizer for. */
function lincomb(x: Nested, y: Nested, a: number, b: number): Nested {
  if (typeof x === "number") return a * x + b * (y as number);
  const ys = y as Nested[];
  return x.map((xi, i) => lincomb(xi, ys[i]!, a, b));
}

/** Plain SGD, optionally with PyTorch's momentum (buf = m*buf + g; p -= lr*buf), then zero_grad. */
class ManualSGD {
  private bufs: (Nested | null)[];
  constructor(private readonly params: Tensor[], private readonly lr: number, private readonly momentum = 0) {
    this.bufs = params.map(() => null);
  }
  step(): void {
    this.params.forEach((p, i) => {
      let g = p._grad._data as Nested;
      if (this.momentum) {
        const prev = this.bufs[i];
        g = prev === null ? g : lincomb(prev, g, this.momentum, 1);
        this.bufs[i] = g;
      }
      p._data = lincomb(p._data as Nested, g, 1, -this.lr) as Nested[];
    });
  }
  zeroGrad(): void { this.params.forEach((p) => p.zero_grad()); }
}

// pow(n) only handles positive integers, so 1/(1+e^-x) divides a ones tensor.
const sigmoid = (x: Tensor): Tensor => torch.ones(x.shape).div(x.neg().exp().add(1));
const tanh = (x: Tensor): Tensor => sigmoid(x.mul(2)).mul(2).sub(1);
const relu = (x: Tensor): Tensor => x.masked_fill(x, (v: number) => v < 0, 0);
/** Mean of all elements of a 1-D or 2-D tensor (its mean() reduces one dim at a time). */
const meanAll = (x: Tensor): Tensor => (x.shape.length === 2 ? x.mean(-1).mean(-1) : x.mean(-1));
const sumAll = (x: Tensor): Tensor => (x.shape.length === 2 ? x.sum(-1).sum(-1) : x.sum(-1));

function w1(ctx: WorkloadContext): Row[] {
  ctx.notes.push("sigmoid composed from exp/add/div; bias broadcast as ones[12,1] @ b[1,1]; SGD by hand; float64 storage");
  const X = T(ctx.data.get("w1_X")), y = T(ctx.data.get("w1_y"));
  const ones = torch.ones([12, 1]);
  const train = (epochs: number): number => {
    const W = torch.ones([2], true), b = torch.zeros([1, 1], true);
    const opt = new ManualSGD([W, b], 0.01);
    let last = NaN;
    for (let e = 0; e < epochs; e++) {
      opt.zeroGrad();
      const yp = sigmoid(X.mul(W).sum(1).add(ones.matmul(b).reshape([12])));
      const loss = meanAll(yp.sub(y).pow(2));
      loss.backward();
      opt.step();
      if (e === epochs - 1) last = scalarOf(loss);
    }
    return last;
  };
  train(ctx.plan.w1.warmupEpochs);
  let loss = NaN;
  const values = repeat(ctx.plan.reps, ctx.plan.repBudgetS, () => { const t0 = nowS(); loss = train(ctx.plan.w1.epochs); return nowS() - t0; });
  return [{ variant: "", unit: "s", higherIsBetter: false, values, loss }];
}

/** js-pytorch's Linear stores W as [in, out]; load torch's [out, in] weights transposed. */
function linear(ctx: WorkloadContext, name: string): { W: Tensor; b: Tensor; fwd: (x: Tensor) => Tensor } {
  const W = T(transpose2d(ctx.data.get(`${name}_W`)), true), b = T(ctx.data.get(`${name}_b`), true);
  return { W, b, fwd: (x) => x.matmul(W).add(b) };
}

function w2(ctx: WorkloadContext): Row[] {
  ctx.notes.push("tanh composed from exp; MSE mean composed (its MSELoss divides by B²); SGD momentum by hand");
  const x = T(ctx.data.get("w2_x")), y = T(ctx.data.get("w2_y"));
  const train = (steps: number): [number, number] => {
    const l1 = linear(ctx, "w2_l1"), l2 = linear(ctx, "w2_l2");
    const opt = new ManualSGD([l1.W, l1.b, l2.W, l2.b], 0.003, 0.9);
    let firstLoss = NaN, last = NaN;
    for (let s = 0; s < steps; s++) {
      opt.zeroGrad();
      const loss = meanAll(l2.fwd(tanh(l1.fwd(x))).sub(y).pow(2));
      loss.backward();
      opt.step();
      last = scalarOf(loss);
      if (s === 0) firstLoss = last;
    }
    return [firstLoss, last];
  };
  train(ctx.plan.w2.warmupSteps);
  let r: [number, number] = [NaN, NaN];
  const values = repeat(ctx.plan.reps, ctx.plan.repBudgetS, () => { const t0 = nowS(); r = train(ctx.plan.w2.steps); return nowS() - t0; });
  return [{ variant: "", unit: "s", higherIsBetter: false, values, firstLoss: r[0], loss: r[1] }];
}

function w3(ctx: WorkloadContext): Row[] {
  ctx.notes.push("clamp(min=0) as masked_fill; manual update on the nested arrays (no no_grad)");
  const x = T(ctx.data.get("w3_x")), y = T(ctx.data.get("w3_y"));
  const train = (iters: number): number => {
    const w1 = T(ctx.data.get("w3_w1"), true), w2 = T(ctx.data.get("w3_w2"), true);
    const opt = new ManualSGD([w1, w2], 1e-6);
    let last = NaN;
    for (let i = 0; i < iters; i++) {
      const loss = sumAll(relu(x.matmul(w1)).matmul(w2).sub(y).pow(2));
      loss.backward();
      opt.step();
      opt.zeroGrad();
      if (i === iters - 1) last = scalarOf(loss);
    }
    return last;
  };
  train(ctx.plan.w3.warmupIters);
  let loss = NaN;
  const n = ctx.plan.w3.iters;
  const values = repeat(ctx.plan.reps, ctx.plan.repBudgetS, () => { const t0 = nowS(); loss = train(n); return ((nowS() - t0) / n) * 1e3; });
  return [{ variant: "", unit: "ms/iter", higherIsBetter: false, values, loss }];
}

function w4(ctx: WorkloadContext): Row[] {
  ctx.notes.push("no Sequential (layers chained by hand), relu as masked_fill (its nn.ReLU is leaky), sum-MSE composed; its Adam has no bias correction, so the loss differs from PyTorch's");
  const x = T(ctx.data.get("w3_x")), y = T(ctx.data.get("w3_y"));
  const train = (steps: number): number => {
    const l1 = linear(ctx, "w4_l1"), l2 = linear(ctx, "w4_l2");
    const opt = new torch.optim.Adam([l1.W, l1.b, l2.W, l2.b], 1e-4, 0, [0.9, 0.999], 1e-8);
    let last = NaN;
    for (let s = 0; s < steps; s++) {
      const loss = sumAll(l2.fwd(relu(l1.fwd(x))).sub(y).pow(2));
      loss.backward();
      opt.step();
      opt.zero_grad();
      if (s === steps - 1) last = scalarOf(loss);
    }
    return last;
  };
  train(ctx.plan.w4.warmupSteps);
  let loss = NaN;
  const n = ctx.plan.w4.steps;
  const values = repeat(ctx.plan.reps, ctx.plan.repBudgetS, () => { const t0 = nowS(); loss = train(n); return ((nowS() - t0) / n) * 1e3; });
  return [{ variant: "", unit: "ms/step", higherIsBetter: false, values, loss }];
}

function w5(ctx: WorkloadContext): Row[] {
  ctx.notes.push("relu as masked_fill; SGD momentum by hand; float64 nested arrays");
  const p = ctx.plan.w5;
  const X = ctx.data.get("w5_x"), Y = ctx.data.get("w5_y");
  const xs: Tensor[] = [], ys: Tensor[] = [];
  for (let i = 0; i < p.batches; i++) {
    xs.push(T({ data: X.data.subarray(i * p.batch * 784, (i + 1) * p.batch * 784), shape: [p.batch, 784] }));
    ys.push(torch.tensor(Array.from(Y.data.subarray(i * p.batch, (i + 1) * p.batch))));
  }
  const layers = ["w5_l1", "w5_l2", "w5_l3"].map((n) => linear(ctx, n));
  const opt = new ManualSGD(layers.flatMap((l) => [l.W, l.b]), 0.01, 0.9);
  const ce = new torch.nn.CrossEntropyLoss();
  let k = 0;
  const step = (): Tensor => {
    const xb = xs[k % p.batches]!, yb = ys[k % p.batches]!;
    k++;
    opt.zeroGrad();
    const logits = layers[2]!.fwd(relu(layers[1]!.fwd(relu(layers[0]!.fwd(xb)))));
    const loss = ce.forward(logits, yb);
    loss.backward();
    opt.step();
    return loss;
  };
  // The loss checked is the last warm-up step's: every system has run the same steps by then.
  let loss = NaN;
  for (let i = 0; i < p.warmupSteps; i++) loss = scalarOf(step());
  return samplesPerSecond(ctx, () => void step(), loss);
}

function w6(ctx: WorkloadContext): Row[] {
  return gemmSweep(ctx, (n) => {
    const A = torch.randn([n, n]), B = torch.randn([n, n]);
    return { call: () => void A.matmul(B) };
  });
}

function w7(ctx: WorkloadContext): Row[] {
  ctx.notes.push("with grad: graph links on a and b grow per op; cleared every 1000 ops with zero_grad()");
  const p = ctx.plan.w7;
  const rows: Row[] = [];
  for (const numel of [1, 1000]) {
    for (const grad of [false, true]) {
      const a = torch.randn([numel], grad), b = torch.randn([numel], grad);
      const loop = (iters: number): number => {
        const t0 = nowS();
        let i = 0;
        while (i < iters) {
          const chunk = Math.min(1000, iters - i);
          for (let j = 0; j < chunk; j++) a.add(b);
          if (grad) { a.zero_grad(); b.zero_grad(); }
          i += chunk;
          if (nowS() - t0 > p.budgetS) break;
        }
        return ((nowS() - t0) / i) * 1e9;
      };
      loop(Math.min(10_000, p.iters));
      const values = repeat(ctx.plan.reps, ctx.plan.repBudgetS, () => loop(p.iters));
      rows.push({ variant: `numel=${numel}${grad ? " grad" : ""}`, unit: "ns/op", higherIsBetter: false, values });
    }
  }
  return rows;
}

function w8(ctx: WorkloadContext): Row[] {
  ctx.notes.push("tanh composed from exp/add/div/mul, relu as masked_fill; float64 nested arrays");
  const p = ctx.plan.w8;
  const rows: Row[] = [];
  for (const n of p.sizes) {
    const label = n >= 1 << 24 ? "16M" : "1M";
    if (n > 1 << 20) {
      // As in ANCHORS.md: at 16M it needs ~1.7 GB RSS and tens of seconds per op.
      for (const op of ["tanh", "relu", "add", "sum"]) rows.push({ variant: `${op} ${label}`, unit: "Melem/s", higherIsBetter: true, values: [], note: "skipped: ~1.7 GB RSS, >10 s per op" });
      continue;
    }
    const x = torch.randn([n]), y = torch.randn([n]);
    const ops: [string, () => unknown][] = [["tanh", () => tanh(x)], ["relu", () => relu(x)], ["add", () => x.add(y)], ["sum", () => x.sum()]];
    for (const [name, op] of ops) {
      const t1 = nowS(); op(); const warm = nowS() - t1;
      const reps = warm > p.maxCallS ? 1 : ctx.plan.reps;
      const secs = repeat(reps, ctx.plan.repBudgetS, () => timePerCall(op, p.minTimeS));
      rows.push({ variant: `${name} ${label}`, unit: "Melem/s", higherIsBetter: true, values: secs.map((s) => n / s / 1e6) });
    }
  }
  return rows;
}

function w9(): Row[] {
  throw new Error("not available (js-pytorch 0.7.2 has no convolution or pooling)");
}

const WORKLOADS: Record<string, WorkloadFn> = { W1: w1, W2: w2, W3: w3, W4: w4, W5: w5, W6: w6, W7: w7, W8: w8, W9: w9 };

void runChild("js-pytorch", parseArgs(process.argv.slice(2)), { "js-pytorch": "0.7.2" }, WORKLOADS);
