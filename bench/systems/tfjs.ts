// TensorFlow.js 4.22 (cpu and wasm backends) on W1–W8, idiomatically: tf.variable + optimizer.minimize,
// tf.tidy / dispose for memory. Run: tsx bench/systems/tfjs.ts --backend cpu|wasm --workload W1 --data <dir>
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { parseArgs, runChild, type WorkloadContext, type WorkloadFn } from "../lib/child";
import type { Array32 } from "../lib/data";
import type { Row } from "../lib/result";
import { convRows, gemmSweep, samplesPerSecond } from "../lib/measure";
import { nowS, repeat, timePerCall } from "../lib/stats";

const t = (a: Array32): tf.Tensor => tf.tensor(a.data, a.shape);
const v = (a: Array32): tf.Variable => tf.variable(t(a));
const scalarOf = (x: tf.Tensor): number => x.dataSync()[0]!;


function w1(ctx: WorkloadContext): Row[] {
  const X = t(ctx.data.get("w1_X"));
  const y = t(ctx.data.get("w1_y"));
  const train = (epochs: number): number => {
    const W = tf.variable(tf.ones([2]));
    const b = tf.variable(tf.zeros([1]));
    const opt = tf.train.sgd(0.01);
    let last = NaN;
    for (let e = 0; e < epochs; e++) {
      const loss = opt.minimize(() => tf.mean(tf.square(tf.sigmoid(tf.sum(tf.mul(X, W), 1).add(b)).sub(y))) as tf.Scalar, true, [W, b])!;
      if (e === epochs - 1) last = scalarOf(loss);
      loss.dispose();
    }
    W.dispose(); b.dispose(); opt.dispose();
    return last;
  };
  train(ctx.plan.w1.warmupEpochs);
  let loss = NaN;
  const values = repeat(ctx.plan.reps, ctx.plan.repBudgetS, () => { const t0 = nowS(); loss = train(ctx.plan.w1.epochs); return nowS() - t0; });
  return [{ variant: "", unit: "s", higherIsBetter: false, values, loss }];
}

function w2(ctx: WorkloadContext): Row[] {
  const x = t(ctx.data.get("w2_x"));
  const y = t(ctx.data.get("w2_y"));
  const train = (steps: number): [number, number] => {
    const W1 = v(ctx.data.get("w2_l1_W")), b1 = v(ctx.data.get("w2_l1_b"));
    const W2 = v(ctx.data.get("w2_l2_W")), b2 = v(ctx.data.get("w2_l2_b"));
    const opt = tf.train.momentum(0.003, 0.9);
    const f = (): tf.Scalar => {
      const h = tf.tanh(tf.matMul(x, W1, false, true).add(b1));
      return tf.losses.meanSquaredError(y, tf.matMul(h, W2, false, true).add(b2)) as tf.Scalar;
    };
    let first = NaN, last = NaN;
    for (let s = 0; s < steps; s++) {
      const loss = opt.minimize(f, true, [W1, b1, W2, b2])!;
      last = scalarOf(loss); // the tutorial reads loss.item() every epoch
      if (s === 0) first = last;
      loss.dispose();
    }
    [W1, b1, W2, b2].forEach((a) => a.dispose()); opt.dispose();
    return [first, last];
  };
  train(ctx.plan.w2.warmupSteps);
  let r: [number, number] = [NaN, NaN];
  const values = repeat(ctx.plan.reps, ctx.plan.repBudgetS, () => { const t0 = nowS(); r = train(ctx.plan.w2.steps); return nowS() - t0; });
  return [{ variant: "", unit: "s", higherIsBetter: false, values, firstLoss: r[0], loss: r[1] }];
}

function w3(ctx: WorkloadContext): Row[] {
  const x = t(ctx.data.get("w3_x")), y = t(ctx.data.get("w3_y"));
  const lr = 1e-6;
  const train = (iters: number): number => {
    const w1 = v(ctx.data.get("w3_w1")), w2 = v(ctx.data.get("w3_w2"));
    let last = NaN;
    for (let i = 0; i < iters; i++) {
      tf.tidy(() => {
        const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(tf.matMul(tf.relu(tf.matMul(x, w1)), w2).sub(y))) as tf.Scalar, [w1, w2]);
        if (i === iters - 1) last = scalarOf(value);
        w1.assign(w1.sub(grads[w1.name]!.mul(lr)));
        w2.assign(w2.sub(grads[w2.name]!.mul(lr)));
      });
    }
    w1.dispose(); w2.dispose();
    return last;
  };
  train(ctx.plan.w3.warmupIters);
  let loss = NaN;
  const n = ctx.plan.w3.iters;
  const values = repeat(ctx.plan.reps, ctx.plan.repBudgetS, () => { const t0 = nowS(); loss = train(n); return ((nowS() - t0) / n) * 1e3; });
  return [{ variant: "", unit: "ms/iter", higherIsBetter: false, values, loss }];
}

function w4(ctx: WorkloadContext): Row[] {
  const x = t(ctx.data.get("w3_x")), y = t(ctx.data.get("w3_y"));
  const train = (steps: number): number => {
    const W1 = v(ctx.data.get("w4_l1_W")), b1 = v(ctx.data.get("w4_l1_b"));
    const W2 = v(ctx.data.get("w4_l2_W")), b2 = v(ctx.data.get("w4_l2_b"));
    const opt = tf.train.adam(1e-4, 0.9, 0.999, 1e-8); // PyTorch's eps (tfjs defaults to 1e-7)
    const f = (): tf.Scalar => {
      const h = tf.relu(tf.matMul(x, W1, false, true).add(b1));
      return tf.sum(tf.square(tf.matMul(h, W2, false, true).add(b2).sub(y))) as tf.Scalar;
    };
    let last = NaN;
    for (let s = 0; s < steps; s++) {
      const loss = opt.minimize(f, true, [W1, b1, W2, b2])!;
      if (s === steps - 1) last = scalarOf(loss);
      loss.dispose();
    }
    [W1, b1, W2, b2].forEach((a) => a.dispose()); opt.dispose();
    return last;
  };
  train(ctx.plan.w4.warmupSteps);
  let loss = NaN;
  const n = ctx.plan.w4.steps;
  const values = repeat(ctx.plan.reps, ctx.plan.repBudgetS, () => { const t0 = nowS(); loss = train(n); return ((nowS() - t0) / n) * 1e3; });
  return [{ variant: "", unit: "ms/step", higherIsBetter: false, values, loss }];
}

function w5(ctx: WorkloadContext): Row[] {
  const p = ctx.plan.w5;
  const X = t(ctx.data.get("w5_x"));
  const Y = tf.oneHot(tf.tensor1d(ctx.data.get("w5_y").data, "int32"), 10);
  const xs: tf.Tensor[] = [], ys: tf.Tensor[] = [];
  for (let i = 0; i < p.batches; i++) {
    xs.push(X.slice([i * p.batch, 0], [p.batch, 784]));
    ys.push(Y.slice([i * p.batch, 0], [p.batch, 10]));
  }
  const ps = ["w5_l1", "w5_l2", "w5_l3"].map((n) => [v(ctx.data.get(`${n}_W`)), v(ctx.data.get(`${n}_b`))] as const);
  const vars = ps.flat();
  const opt = tf.train.momentum(0.01, 0.9);
  let k = 0;
  const step = (): tf.Scalar => {
    const xb = xs[k % p.batches]!, yb = ys[k % p.batches]!;
    k++;
    return opt.minimize(() => {
      let h: tf.Tensor = xb;
      ps.forEach(([W, b], i) => { h = tf.matMul(h, W, false, true).add(b); if (i < 2) h = tf.relu(h); });
      return tf.losses.softmaxCrossEntropy(yb, h) as tf.Scalar;
    }, true, vars)!;
  };
  // The loss checked is the last warm-up step's: every system has run the same steps by then.
  let loss = NaN;
  for (let i = 0; i < p.warmupSteps; i++) { const l = step(); loss = scalarOf(l); l.dispose(); }
  return samplesPerSecond(ctx, () => void step().dispose(), loss);
}

function w6(ctx: WorkloadContext): Row[] {
  return gemmSweep(ctx, (n) => {
    const A = tf.randomNormal([n, n]), B = tf.randomNormal([n, n]);
    return { call: () => tf.matMul(A, B).dispose(), done: () => { A.dispose(); B.dispose(); } };
  });
}

interface TapeEngine { startTape(): void; endTape(): void }

function w7(ctx: WorkloadContext): Row[] {
  const p = ctx.plan.w7;
  ctx.notes.push("tfjs has no per-tensor requires_grad; 'grad' = op run while a gradient tape records (engine internals), results disposed");
  const eng = tf.engine() as unknown as TapeEngine;
  const rows: Row[] = [];
  for (const numel of [1, 1000]) {
    for (const grad of [false, true]) {
      const a = tf.randomNormal([numel]), b = tf.randomNormal([numel]);
      const loop = (iters: number): number => {
        const t0 = nowS();
        let i = 0;
        while (i < iters) {
          if (grad) { tf.engine().startScope(); eng.startTape(); }
          const chunk = Math.min(1000, iters - i);
          for (let j = 0; j < chunk; j++) tf.add(a, b).dispose();
          if (grad) { eng.endTape(); tf.engine().endScope(); }
          i += chunk;
          if (nowS() - t0 > p.budgetS) break;
        }
        return ((nowS() - t0) / i) * 1e9;
      };
      loop(Math.min(10_000, p.iters));
      const values = repeat(ctx.plan.reps, ctx.plan.repBudgetS, () => loop(p.iters));
      rows.push({ variant: `numel=${numel}${grad ? " grad" : ""}`, unit: "ns/op", higherIsBetter: false, values });
      a.dispose(); b.dispose();
    }
  }
  return rows;
}

function w8(ctx: WorkloadContext): Row[] {
  const p = ctx.plan.w8;
  const rows: Row[] = [];
  for (const n of p.sizes) {
    const x = tf.randomNormal([n]), y = tf.randomNormal([n]);
    const ops: [string, () => tf.Tensor][] = [
      ["tanh", () => tf.tanh(x)], ["relu", () => tf.relu(x)], ["add", () => tf.add(x, y)], ["sum", () => tf.sum(x)],
    ];
    for (const [name, op] of ops) {
      const call = (): void => op().dispose();
      call();
      const secs = repeat(ctx.plan.reps, ctx.plan.repBudgetS, () => timePerCall(call, p.minTimeS));
      rows.push({ variant: `${name} ${n >= 1 << 24 ? "16M" : "1M"}`, unit: "Melem/s", higherIsBetter: true, values: secs.map((s) => n / s / 1e6) });
    }
    x.dispose(); y.dispose();
  }
  return rows;
}

/** A PyTorch conv weight [out, in, k, k] as tfjs's filter [k, k, in, out]. */
const filterOf = (a: Array32): tf.Variable => tf.variable(tf.tidy(() => tf.transpose(t(a), [2, 3, 1, 0])));

function w9(ctx: WorkloadContext): Row[] {
  const p = ctx.plan.w9;
  ctx.notes.push("NHWC (tfjs's CPU layout): images fed as [N, 28, 28, 1], filters transposed from PyTorch's; the last pool's output is put back in C, H, W order before flattening so the Linear weights (and the loss) are PyTorch's");
  const X = t(ctx.data.get("w9_x")).reshape([-1, 28, 28, 1]);
  const Y = tf.oneHot(tf.tensor1d(ctx.data.get("w9_y").data, "int32"), 10);
  const xs: tf.Tensor4D[] = [], ys: tf.Tensor[] = [];
  for (let i = 0; i < p.batches; i++) {
    xs.push(X.slice([i * p.batch, 0, 0, 0], [p.batch, 28, 28, 1]) as tf.Tensor4D);
    ys.push(Y.slice([i * p.batch, 0], [p.batch, 10]));
  }
  const c1 = [filterOf(ctx.data.get("w9_c1_W")), v(ctx.data.get("w9_c1_b"))] as const;
  const c2 = [filterOf(ctx.data.get("w9_c2_W")), v(ctx.data.get("w9_c2_b"))] as const;
  const ls = ["w9_l1", "w9_l2", "w9_l3"].map((n) => [v(ctx.data.get(`${n}_W`)), v(ctx.data.get(`${n}_b`))] as const);
  const vars = [...c1, ...c2, ...ls.flat()];
  const opt = tf.train.momentum(0.01, 0.9);
  let k = 0;
  const step = (): tf.Scalar => {
    const xb = xs[k % p.batches]!, yb = ys[k % p.batches]!;
    k++;
    return opt.minimize(() => {
      const block = (x: tf.Tensor4D, [W, b]: typeof c1, pad: "same" | "valid"): tf.Tensor4D =>
        tf.maxPool(tf.relu(tf.conv2d(x, W as tf.Tensor4D, 1, pad).add(b)) as tf.Tensor4D, 2, 2, "valid");
      const a = block(block(xb, c1, "same"), c2, "valid");
      let h: tf.Tensor = tf.transpose(a, [0, 3, 1, 2]).reshape([p.batch, 400]);
      ls.forEach(([W, b], i) => { h = tf.matMul(h, W, false, true).add(b); if (i < 2) h = tf.relu(h); });
      return tf.losses.softmaxCrossEntropy(yb, h) as tf.Scalar;
    }, true, vars)!;
  };
  let loss = NaN;
  for (let i = 0; i < p.warmupSteps; i++) {
    const t0 = nowS();
    const l = step();
    loss = scalarOf(l);
    l.dispose();
    // tfjs-cpu's Conv2DBackpropFilter is a plain JS loop: a step takes seconds and the workload would time out.
    if (i === 0 && nowS() - t0 > p.convCapS) throw new Error(`not measured: one LeNet step takes ${(nowS() - t0).toFixed(1)} s on this backend (> ${p.convCapS} s cap)`);
  }
  const rows = samplesPerSecond(ctx, () => void step().dispose(), loss, p, "LeNet-5 train");
  return rows.concat(convRows(ctx, (n, c, s) => {
    const x = tf.randomNormal([n, s, s, c]) as tf.Tensor4D;
    const W = tf.randomNormal([3, 3, c, c]).mul(0.05) as tf.Tensor4D;
    const b = tf.zeros([c]);
    const dy = tf.ones([n, s, s, c]);
    const f = (xi: tf.Tensor, wi: tf.Tensor, bi: tf.Tensor): tf.Tensor => tf.conv2d(xi as tf.Tensor4D, wi as tf.Tensor4D, 1, "same").add(bi);
    const grads = tf.grads(f);
    return {
      fwd: () => tf.tidy(() => void f(x, W, b)),
      fwdBwd: () => tf.tidy(() => void grads([x, W, b], dy)),
    };
  }));
}

const WORKLOADS: Record<string, WorkloadFn> = { W1: w1, W2: w2, W3: w3, W4: w4, W5: w5, W6: w6, W7: w7, W8: w8, W9: w9 };

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const backend = args.options.get("backend") ?? "cpu";
  if (backend === "wasm") {
    // Node cannot fetch the .wasm by URL: point tfjs at the package's own dist directory.
    setWasmPaths(path.join(path.dirname(require.resolve("@tensorflow/tfjs-backend-wasm/package.json")), "dist") + path.sep);
  }
  await tf.setBackend(backend);
  await tf.ready();
  const versions = { tfjs: tf.version.tfjs, backend: tf.getBackend() };
  await runChild(`tfjs-${backend}`, args, versions, WORKLOADS);
}

void main();
