// tensorgrad on W1–W8 through its public API (API.md), written as a PyTorch user would port each loop.
// Run: tsx bench/systems/tensorgrad.ts --backend native|js --threads 1|2 --workload W1 --data <dir>
import * as path from "node:path";
import { parseArgs, runChild, type WorkloadContext, type WorkloadFn } from "../lib/child";
import type { Array32 } from "../lib/data";
import type { Row } from "../lib/result";
import { convRows, gemmSweep, samplesPerSecond } from "../lib/measure";
import { nowS, repeat, timePerCall } from "../lib/stats";
import { requireMembers } from "./require-members";
// Types only (erased at run time): the module itself is loaded in main() so that an unfinished
// ts/index is reported as "not available (...)" rather than crashing the child.
import type * as TG from "../../ts/index";
import { stepRate } from "../lib/seq-measure";

type TgApi = typeof TG;
type TgTensor = TG.Tensor;
type TgLinear = TG.nn.Linear;
// The built bundle, as users load it: under tsx the sources' cross-module getters would add to every op.
const INDEX = path.join(__dirname, "..", "..", "dist", "index.cjs");
let tg: TgApi;

const T = (a: Array32, requiresGrad = false): TgTensor => tg.tensor(a.data, { shape: a.shape, requiresGrad });
const loadLinear = (lin: TgLinear, ctx: WorkloadContext, name: string): void =>
  tg.noGrad(() => {
    lin.weight.copy_(T(ctx.data.get(`${name}_W`)));
    lin.bias?.copy_(T(ctx.data.get(`${name}_b`)));
  });

function w1(ctx: WorkloadContext): Row[] {
  requireMembers(tg, ["optim.SGD"]);
  const X = T(ctx.data.get("w1_X")), y = T(ctx.data.get("w1_y"));
  const train = (epochs: number): number => {
    const W = tg.ones([2], { requiresGrad: true }), b = tg.zeros([1], { requiresGrad: true });
    const opt = new tg.optim.SGD([W, b], { lr: 0.01 });
    let loss: TgTensor | null = null;
    for (let e = 0; e < epochs; e++) {
      opt.zeroGrad();
      const yPred = X.mul(W).sum(1).add(b).sigmoid();
      loss = yPred.sub(y).pow(2).mean();
      loss.backward();
      opt.step();
    }
    return loss ? loss.item() : NaN;
  };
  train(ctx.plan.w1.warmupEpochs);
  let loss = NaN;
  const values = repeat(ctx.plan.reps, ctx.plan.repBudgetS, () => { const t0 = nowS(); loss = train(ctx.plan.w1.epochs); return nowS() - t0; });
  return [{ variant: "", unit: "s", higherIsBetter: false, values, loss }];
}

function w2(ctx: WorkloadContext): Row[] {
  requireMembers(tg, ["nn.Sequential", "nn.Linear", "nn.Tanh", "nn.MSELoss", "optim.SGD"]);
  const x = T(ctx.data.get("w2_x")), y = T(ctx.data.get("w2_y"));
  const train = (steps: number): [number, number] => {
    const l1 = new tg.nn.Linear(1, 512), l2 = new tg.nn.Linear(512, 1);
    const net = new tg.nn.Sequential(l1, new tg.nn.Tanh(), l2);
    loadLinear(l1, ctx, "w2_l1");
    loadLinear(l2, ctx, "w2_l2");
    const lossFn = new tg.nn.MSELoss();
    const opt = new tg.optim.SGD(net.parameters(), { lr: 0.003, momentum: 0.9 });
    let first = NaN, last = NaN;
    for (let s = 0; s < steps; s++) {
      opt.zeroGrad();
      const loss = lossFn(net(x), y);
      loss.backward();
      opt.step();
      last = loss.item(); // the tutorial records loss.item() every epoch
      if (s === 0) first = last;
    }
    return [first, last];
  };
  train(ctx.plan.w2.warmupSteps);
  let r: [number, number] = [NaN, NaN];
  const values = repeat(ctx.plan.reps, ctx.plan.repBudgetS, () => { const t0 = nowS(); r = train(ctx.plan.w2.steps); return nowS() - t0; });
  return [{ variant: "", unit: "s", higherIsBetter: false, values, firstLoss: r[0], loss: r[1] }];
}

function w3(ctx: WorkloadContext): Row[] {
  const x = T(ctx.data.get("w3_x")), y = T(ctx.data.get("w3_y"));
  const lr = 1e-6;
  const train = (iters: number): number => {
    const w1 = T(ctx.data.get("w3_w1"), true), w2 = T(ctx.data.get("w3_w2"), true);
    let loss: TgTensor | null = null;
    for (let i = 0; i < iters; i++) {
      loss = x.mm(w1).clamp(0).mm(w2).sub(y).pow(2).sum();
      loss.backward();
      tg.noGrad(() => {
        w1.sub_(w1.grad!.mul(lr));
        w2.sub_(w2.grad!.mul(lr));
        w1.grad!.zero_();
        w2.grad!.zero_();
      });
    }
    return loss ? loss.item() : NaN;
  };
  train(ctx.plan.w3.warmupIters);
  let loss = NaN;
  const n = ctx.plan.w3.iters;
  const values = repeat(ctx.plan.reps, ctx.plan.repBudgetS, () => { const t0 = nowS(); loss = train(n); return ((nowS() - t0) / n) * 1e3; });
  return [{ variant: "", unit: "ms/iter", higherIsBetter: false, values, loss }];
}

function w4(ctx: WorkloadContext): Row[] {
  requireMembers(tg, ["nn.Sequential", "nn.Linear", "nn.ReLU", "nn.MSELoss", "optim.Adam"]);
  const x = T(ctx.data.get("w3_x")), y = T(ctx.data.get("w3_y"));
  const train = (steps: number): number => {
    const l1 = new tg.nn.Linear(1000, 100), l2 = new tg.nn.Linear(100, 10);
    const model = new tg.nn.Sequential(l1, new tg.nn.ReLU(), l2);
    loadLinear(l1, ctx, "w4_l1");
    loadLinear(l2, ctx, "w4_l2");
    const lossFn = new tg.nn.MSELoss({ reduction: "sum" });
    const opt = new tg.optim.Adam(model.parameters(), { lr: 1e-4 });
    let loss: TgTensor | null = null;
    for (let s = 0; s < steps; s++) {
      loss = lossFn(model(x), y);
      opt.zeroGrad();
      loss.backward();
      opt.step();
    }
    return loss ? loss.item() : NaN;
  };
  train(ctx.plan.w4.warmupSteps);
  let loss = NaN;
  const n = ctx.plan.w4.steps;
  const values = repeat(ctx.plan.reps, ctx.plan.repBudgetS, () => { const t0 = nowS(); loss = train(n); return ((nowS() - t0) / n) * 1e3; });
  return [{ variant: "", unit: "ms/step", higherIsBetter: false, values, loss }];
}

function w5(ctx: WorkloadContext): Row[] {
  requireMembers(tg, ["nn.Sequential", "nn.Linear", "nn.ReLU", "nn.CrossEntropyLoss", "optim.SGD"]);
  const p = ctx.plan.w5;
  const X = ctx.data.get("w5_x"), Y = ctx.data.get("w5_y");
  const xs: TgTensor[] = [], ys: TgTensor[] = [];
  for (let i = 0; i < p.batches; i++) {
    xs.push(tg.tensor(X.data.slice(i * p.batch * 784, (i + 1) * p.batch * 784), { shape: [p.batch, 784] }));
    ys.push(tg.tensor(Int32Array.from(Y.data.subarray(i * p.batch, (i + 1) * p.batch)), { shape: [p.batch], dtype: "int32" }));
  }
  const ls = [new tg.nn.Linear(784, 512), new tg.nn.Linear(512, 512), new tg.nn.Linear(512, 10)];
  ls.forEach((l, i) => loadLinear(l, ctx, `w5_l${i + 1}`));
  const model = new tg.nn.Sequential(ls[0]!, new tg.nn.ReLU(), ls[1]!, new tg.nn.ReLU(), ls[2]!);
  const lossFn = new tg.nn.CrossEntropyLoss();
  const opt = new tg.optim.SGD(model.parameters(), { lr: 0.01, momentum: 0.9 });
  let k = 0;
  const step = (): TgTensor => {
    const i = k++ % p.batches;
    opt.zeroGrad();
    const loss = lossFn(model(xs[i]!), ys[i]!);
    loss.backward();
    opt.step();
    return loss;
  };
  // The loss checked is the last warm-up step's: every system has run the same steps by then.
  let loss = NaN;
  for (let i = 0; i < p.warmupSteps; i++) loss = step().item();
  return samplesPerSecond(ctx, () => void step(), loss);
}

function w6(ctx: WorkloadContext): Row[] {
  return gemmSweep(ctx, (n) => {
    const A = tg.randn([n, n]), B = tg.randn([n, n]);
    return { call: () => void A.mm(B) };
  });
}

function w7(ctx: WorkloadContext): Row[] {
  const p = ctx.plan.w7;
  const rows: Row[] = [];
  for (const numel of [1, 1000]) {
    for (const grad of [false, true]) {
      const a = tg.randn([numel], { requiresGrad: grad }), b = tg.randn([numel], { requiresGrad: grad });
      const loop = (iters: number): number => {
        const t0 = nowS();
        let i = 0;
        while (i < iters) {
          const chunk = Math.min(1000, iters - i);
          for (let j = 0; j < chunk; j++) a.add(b);
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
  const p = ctx.plan.w8;
  const rows: Row[] = [];
  for (const n of p.sizes) {
    const x = tg.randn([n]), y = tg.randn([n]);
    const ops: [string, () => unknown][] = [["tanh", () => x.tanh()], ["relu", () => x.relu()], ["add", () => x.add(y)], ["sum", () => x.sum()]];
    for (const [name, op] of ops) {
      op();
      const secs = repeat(ctx.plan.reps, ctx.plan.repBudgetS, () => timePerCall(op, p.minTimeS));
      rows.push({ variant: `${name} ${n >= 1 << 24 ? "16M" : "1M"}`, unit: "Melem/s", higherIsBetter: true, values: secs.map((s) => n / s / 1e6) });
    }
  }
  return rows;
}

function w9(ctx: WorkloadContext): Row[] {
  requireMembers(tg, ["nn.Sequential", "nn.Conv2d", "nn.MaxPool2d", "nn.Flatten", "nn.Linear", "nn.ReLU", "nn.CrossEntropyLoss", "optim.SGD"]);
  const p = ctx.plan.w9;
  const X = ctx.data.get("w9_x"), Y = ctx.data.get("w9_y");
  const per = 28 * 28;
  const xs: TgTensor[] = [], ys: TgTensor[] = [];
  for (let i = 0; i < p.batches; i++) {
    xs.push(tg.tensor(X.data.slice(i * p.batch * per, (i + 1) * p.batch * per), { shape: [p.batch, 1, 28, 28] }));
    ys.push(tg.tensor(Int32Array.from(Y.data.subarray(i * p.batch, (i + 1) * p.batch)), { shape: [p.batch], dtype: "int32" }));
  }
  const nn = tg.nn;
  const c1 = new nn.Conv2d(1, 6, 5, { padding: 2 }), c2 = new nn.Conv2d(6, 16, 5);
  const ls = [new nn.Linear(400, 120), new nn.Linear(120, 84), new nn.Linear(84, 10)];
  tg.noGrad(() => {
    for (const [conv, name] of [[c1, "w9_c1"], [c2, "w9_c2"]] as const) {
      conv.weight.copy_(T(ctx.data.get(`${name}_W`)));
      conv.bias?.copy_(T(ctx.data.get(`${name}_b`)));
    }
  });
  ls.forEach((l, i) => loadLinear(l, ctx, `w9_l${i + 1}`));
  const model = new nn.Sequential(
    c1, new nn.ReLU(), new nn.MaxPool2d(2), c2, new nn.ReLU(), new nn.MaxPool2d(2), new nn.Flatten(),
    ls[0]!, new nn.ReLU(), ls[1]!, new nn.ReLU(), ls[2]!,
  );
  const lossFn = new nn.CrossEntropyLoss();
  const opt = new tg.optim.SGD(model.parameters(), { lr: 0.01, momentum: 0.9 });
  let k = 0;
  const step = (): TgTensor => {
    const i = k++ % p.batches;
    opt.zeroGrad();
    const loss = lossFn(model(xs[i]!), ys[i]!);
    loss.backward();
    opt.step();
    return loss;
  };
  let loss = NaN;
  for (let i = 0; i < p.warmupSteps; i++) loss = step().item();
  const rows = samplesPerSecond(ctx, () => void step(), loss, p, "LeNet-5 train");
  return rows.concat(convRows(ctx, (n, c, s) => {
    const conv = new nn.Conv2d(c, c, 3, { padding: 1 });
    const x = tg.randn([n, c, s, s], { requiresGrad: true });
    const g = tg.ones([n, c, s, s]);
    return {
      fwd: () => void tg.noGrad(() => conv(x)),
      fwdBwd: () => {
        x.grad = null;
        conv.zeroGrad();
        conv(x).backward(g);
      },
    };
  }));
}

/** Rows [batch, len] of an int32 tensor cut from a float array of token ids. */
const tokens = (data: Float32Array, rows: number, len: number): TgTensor => tg.tensor(Int32Array.from(data), { shape: [rows, len], dtype: "int32" });

function w10(ctx: WorkloadContext): Row[] {
  requireMembers(tg, ["nn.Embedding", "nn.TransformerEncoder", "nn.TransformerEncoderLayer", "nn.LayerNorm", "nn.Linear", "nn.CrossEntropyLoss", "nn.causalMask", "optim.AdamW", "arange", "manualSeed"]);
  const p = ctx.plan.w10, T = p.context;
  const all = ctx.data.get("w10_tokens").data;
  const xs: TgTensor[] = [], ys: TgTensor[] = [];
  for (let i = 0; i < p.batches; i++) {
    const rows = all.subarray(i * p.batch * (T + 1), (i + 1) * p.batch * (T + 1));
    const xi = new Float32Array(p.batch * T), yi = new Float32Array(p.batch * T);
    for (let b = 0; b < p.batch; b++) {
      xi.set(rows.subarray(b * (T + 1), b * (T + 1) + T), b * T);
      yi.set(rows.subarray(b * (T + 1) + 1, (b + 1) * (T + 1)), b * T);
    }
    xs.push(tokens(xi, p.batch, T));
    ys.push(tokens(yi, p.batch * T, 1).reshape(-1));
  }
  tg.manualSeed(0);
  const tok = new tg.nn.Embedding(p.vocab, p.dModel), pos = new tg.nn.Embedding(T, p.dModel);
  const layer = new tg.nn.TransformerEncoderLayer(p.dModel, p.heads, { dimFeedforward: p.dimFeedforward, dropout: 0, activation: "gelu", batchFirst: true, normFirst: true });
  const blocks = new tg.nn.TransformerEncoder(layer, p.layers);
  const norm = new tg.nn.LayerNorm(p.dModel), head = new tg.nn.Linear(p.dModel, p.vocab);
  const model = new tg.nn.ModuleList([tok, pos, blocks, norm, head]);
  const positions = tg.arange(T, { dtype: "int32" }), mask = tg.nn.causalMask(T);
  const lossFn = new tg.nn.CrossEntropyLoss();
  const opt = new tg.optim.AdamW(model.parameters(), { lr: 3e-4 });
  let k = 0;
  const step = (): TgTensor => {
    const i = k++ % p.batches;
    opt.zeroGrad();
    const h = blocks(tok(xs[i]!).add(pos(positions)), { mask });
    const loss = lossFn(head(norm(h)).reshape(-1, p.vocab), ys[i]!);
    loss.backward();
    opt.step();
    return loss;
  };
  let loss = NaN;
  for (let i = 0; i < p.warmupSteps; i++) loss = step().item();
  return stepRate(ctx, p, () => void step(), p.batch * T, "tokens/s", loss);
}

function w11(ctx: WorkloadContext): Row[] {
  requireMembers(tg, ["nn.LSTM", "nn.Linear", "nn.CrossEntropyLoss", "optim.Adam", "manualSeed"]);
  const p = ctx.plan.w11;
  const X = ctx.data.get("w11_x"), Y = ctx.data.get("w11_y");
  const per = p.seq * p.input;
  const xs: TgTensor[] = [], ys: TgTensor[] = [];
  for (let i = 0; i < p.batches; i++) {
    xs.push(tg.tensor(X.data.slice(i * p.batch * per, (i + 1) * p.batch * per), { shape: [p.batch, p.seq, p.input] }));
    ys.push(tokens(Y.data.subarray(i * p.batch, (i + 1) * p.batch), p.batch, 1).reshape(-1));
  }
  tg.manualSeed(0);
  const lstm = new tg.nn.LSTM(p.input, p.hidden, { numLayers: p.layers, batchFirst: true }), head = new tg.nn.Linear(p.hidden, p.classes);
  const lossFn = new tg.nn.CrossEntropyLoss();
  const opt = new tg.optim.Adam([...lstm.parameters(), ...head.parameters()], { lr: 1e-3 });
  let k = 0;
  const step = (): TgTensor => {
    const i = k++ % p.batches;
    opt.zeroGrad();
    const [out] = lstm(xs[i]!);
    const loss = lossFn(head(out.select(1, -1)), ys[i]!);
    loss.backward();
    opt.step();
    return loss;
  };
  let loss = NaN;
  for (let i = 0; i < p.warmupSteps; i++) loss = step().item();
  return stepRate(ctx, p, () => void step(), p.batch, "samples/s", loss);
}

const WORKLOADS: Record<string, WorkloadFn> = { W1: w1, W2: w2, W3: w3, W4: w4, W5: w5, W6: w6, W7: w7, W8: w8, W9: w9, W10: w10, W11: w11 };

// The same loops through compile(): each train() builds its model and compiles its step afresh, so the
// recordings (two per run: before and after the optimizer's state exists) are inside the timed region.
function w1Compiled(ctx: WorkloadContext): Row[] {
  const X = T(ctx.data.get("w1_X")), y = T(ctx.data.get("w1_y"));
  const train = (epochs: number): number => {
    const W = tg.ones([2], { requiresGrad: true }), b = tg.zeros([1], { requiresGrad: true });
    const opt = new tg.optim.SGD([W, b], { lr: 0.01 });
    const step = tg.compile(() => {
      opt.zeroGrad();
      const loss = X.mul(W).sum(1).add(b).sigmoid().sub(y).pow(2).mean();
      loss.backward();
      opt.step();
      return loss;
    });
    let loss: TgTensor | null = null;
    for (let e = 0; e < epochs; e++) loss = step();
    return loss ? loss.item() : NaN;
  };
  train(ctx.plan.w1.warmupEpochs);
  let loss = NaN;
  const values = repeat(ctx.plan.reps, ctx.plan.repBudgetS, () => { const t0 = nowS(); loss = train(ctx.plan.w1.epochs); return nowS() - t0; });
  return [{ variant: "compiled", unit: "s", higherIsBetter: false, values, loss }];
}

function w2Compiled(ctx: WorkloadContext): Row[] {
  const x = T(ctx.data.get("w2_x")), y = T(ctx.data.get("w2_y"));
  const train = (steps: number): [number, number] => {
    const l1 = new tg.nn.Linear(1, 512), l2 = new tg.nn.Linear(512, 1);
    const net = new tg.nn.Sequential(l1, new tg.nn.Tanh(), l2);
    loadLinear(l1, ctx, "w2_l1");
    loadLinear(l2, ctx, "w2_l2");
    const lossFn = new tg.nn.MSELoss();
    const opt = new tg.optim.SGD(net.parameters(), { lr: 0.003, momentum: 0.9 });
    const step = tg.compile((xx: TgTensor, yy: TgTensor) => {
      opt.zeroGrad();
      const loss = lossFn(net(xx), yy);
      loss.backward();
      opt.step();
      return loss;
    });
    let first = NaN, last = NaN;
    for (let s = 0; s < steps; s++) {
      last = step(x, y).item();
      if (s === 0) first = last;
    }
    return [first, last];
  };
  train(ctx.plan.w2.warmupSteps);
  let r: [number, number] = [NaN, NaN];
  const values = repeat(ctx.plan.reps, ctx.plan.repBudgetS, () => { const t0 = nowS(); r = train(ctx.plan.w2.steps); return nowS() - t0; });
  return [{ variant: "compiled", unit: "s", higherIsBetter: false, values, firstLoss: r[0], loss: r[1] }];
}

function w3Compiled(ctx: WorkloadContext): Row[] {
  const x = T(ctx.data.get("w3_x")), y = T(ctx.data.get("w3_y"));
  const lr = 1e-6;
  const train = (iters: number): number => {
    const w1 = T(ctx.data.get("w3_w1"), true), w2 = T(ctx.data.get("w3_w2"), true);
    const step = tg.compile(() => {
      const loss = x.mm(w1).clamp(0).mm(w2).sub(y).pow(2).sum();
      loss.backward();
      tg.noGrad(() => {
        w1.sub_(w1.grad!.mul(lr));
        w2.sub_(w2.grad!.mul(lr));
        w1.grad!.zero_();
        w2.grad!.zero_();
      });
      return loss;
    });
    let loss: TgTensor | null = null;
    for (let i = 0; i < iters; i++) loss = step();
    return loss ? loss.item() : NaN;
  };
  train(ctx.plan.w3.warmupIters);
  let loss = NaN;
  const n = ctx.plan.w3.iters;
  const values = repeat(ctx.plan.reps, ctx.plan.repBudgetS, () => { const t0 = nowS(); loss = train(n); return ((nowS() - t0) / n) * 1e3; });
  return [{ variant: "compiled", unit: "ms/iter", higherIsBetter: false, values, loss }];
}

function w4Compiled(ctx: WorkloadContext): Row[] {
  const x = T(ctx.data.get("w3_x")), y = T(ctx.data.get("w3_y"));
  const train = (steps: number): number => {
    const l1 = new tg.nn.Linear(1000, 100), l2 = new tg.nn.Linear(100, 10);
    const model = new tg.nn.Sequential(l1, new tg.nn.ReLU(), l2);
    loadLinear(l1, ctx, "w4_l1");
    loadLinear(l2, ctx, "w4_l2");
    const lossFn = new tg.nn.MSELoss({ reduction: "sum" });
    const opt = new tg.optim.Adam(model.parameters(), { lr: 1e-4 });
    const step = tg.compile(() => {
      const loss = lossFn(model(x), y);
      opt.zeroGrad();
      loss.backward();
      opt.step();
      return loss;
    });
    let loss: TgTensor | null = null;
    for (let s = 0; s < steps; s++) loss = step();
    return loss ? loss.item() : NaN;
  };
  train(ctx.plan.w4.warmupSteps);
  let loss = NaN;
  const n = ctx.plan.w4.steps;
  const values = repeat(ctx.plan.reps, ctx.plan.repBudgetS, () => { const t0 = nowS(); loss = train(n); return ((nowS() - t0) / n) * 1e3; });
  return [{ variant: "compiled", unit: "ms/step", higherIsBetter: false, values, loss }];
}

function w5Compiled(ctx: WorkloadContext): Row[] {
  const p = ctx.plan.w5;
  const X = ctx.data.get("w5_x"), Y = ctx.data.get("w5_y");
  const xs: TgTensor[] = [], ys: TgTensor[] = [];
  for (let i = 0; i < p.batches; i++) {
    xs.push(tg.tensor(X.data.slice(i * p.batch * 784, (i + 1) * p.batch * 784), { shape: [p.batch, 784] }));
    ys.push(tg.tensor(Int32Array.from(Y.data.subarray(i * p.batch, (i + 1) * p.batch)), { shape: [p.batch], dtype: "int32" }));
  }
  const ls = [new tg.nn.Linear(784, 512), new tg.nn.Linear(512, 512), new tg.nn.Linear(512, 10)];
  ls.forEach((l, i) => loadLinear(l, ctx, `w5_l${i + 1}`));
  const model = new tg.nn.Sequential(ls[0]!, new tg.nn.ReLU(), ls[1]!, new tg.nn.ReLU(), ls[2]!);
  const lossFn = new tg.nn.CrossEntropyLoss();
  const opt = new tg.optim.SGD(model.parameters(), { lr: 0.01, momentum: 0.9 });
  const compiled = tg.compile((x: TgTensor, y: TgTensor) => {
    opt.zeroGrad();
    const loss = lossFn(model(x), y);
    loss.backward();
    opt.step();
    return loss;
  });
  let k = 0;
  const step = (): TgTensor => {
    const i = k++ % p.batches;
    return compiled(xs[i]!, ys[i]!);
  };
  let loss = NaN;
  for (let i = 0; i < p.warmupSteps; i++) loss = step().item();
  return samplesPerSecond(ctx, () => void step(), loss).map((r) => ({ ...r, variant: "compiled" }));
}

/** Each workload with a compiled version reports both rows: eager ("") and "compiled", side by side in one run. */
const COMPILED: Record<string, WorkloadFn> = { W1: w1Compiled, W2: w2Compiled, W3: w3Compiled, W4: w4Compiled, W5: w5Compiled };
for (const [id, compiledFn] of Object.entries(COMPILED)) {
  const eager = WORKLOADS[id];
  if (eager === undefined) continue;
  WORKLOADS[id] = async (ctx) => {
    const rows = await eager(ctx);
    return typeof tg.compile === "function" ? [...rows, ...(await compiledFn(ctx))] : rows;
  };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const backend = args.options.get("backend") === "js" ? "js" : "native";
  const threads = Number(args.options.get("threads") ?? "1");
  const system = backend === "js" ? "tensorgrad-js" : `tensorgrad-native-${threads}t`;
  const fail = (why: string): Promise<void> =>
    runChild(system, args, {}, { [args.workload]: () => { throw new Error(why); } });
  try {
    if (backend === "js") process.env.TENSORGRAD_BACKEND = "js"; // skip loading the addon at all
    // The bench runs as CommonJS under tsx; fall back to import() if that ever changes.
    tg = (typeof require === "function" ? require(INDEX) : await import(INDEX)) as TgApi;
  } catch (e) {
    return fail(`not available (dist/index.cjs cannot be loaded; run npm run build first: ${e instanceof Error ? e.message.split("\n")[0] : String(e)})`);
  }
  try {
    requireMembers(tg, ["tensor", "ones", "zeros", "randn", "noGrad", "setBackend", "getBackend"]);
    tg.setBackend(backend); // throws, saying why, when the native addon cannot load
    if (backend === "native") { requireMembers(tg, ["setNumThreads"]); tg.setNumThreads(threads); }
  } catch (e) {
    return fail(e instanceof Error ? e.message : String(e));
  }
  const versions: Record<string, string> = { backend: tg.getBackend() };
  if (backend === "native" && typeof tg.getNumThreads === "function") versions.threads = String(tg.getNumThreads());
  await runChild(system, args, versions, WORKLOADS);
}

void main();
