/**
 * autocast("bfloat16", fn) against torch.autocast("cpu", dtype=torch.bfloat16) in PyTorch 1.13
 * (test/reference/bf16.json from gen_bf16.py): an MLP's losses and gradients, and the output dtype of each op
 * category for float32 and bfloat16 inputs.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import * as tg from "../../ts/index";
import { expectClose } from "../support/close";

interface Run {
  losses: number[];
  grads: number[][];
  logitsDType: string;
  lossDType: string;
}
interface Golden {
  mlp: { W1: number[]; b1: number[]; W2: number[]; b2: number[]; X: number[]; Y: number[]; autocast: Run; float32: Run };
  autocastDTypes: { op: string; float32: string; bfloat16: string }[];
}
const G = JSON.parse(readFileSync(fileURLToPath(new URL("../reference/bf16.json", import.meta.url)), "utf8")) as Golden;
const F = tg.nn.functional;

function mlpRun(useAutocast: boolean, steps = 5, lr = 0.1): Run {
  const m = G.mlp;
  const ps = [tg.tensor(m.W1).reshape([16, 8]), tg.tensor(m.b1), tg.tensor(m.W2).reshape([4, 16]), tg.tensor(m.b2)].map((p) => p.requiresGrad_());
  const X = tg.tensor(m.X).reshape([12, 8]);
  const Y = tg.tensor(m.Y, { dtype: "int32" });
  const run: Run = { losses: [], grads: [], logitsDType: "", lossDType: "" };
  for (let step = 0; step < steps; step++) {
    const forward = () => {
      const h = F.relu(F.linear(X, ps[0], ps[1]));
      const logits = F.linear(h, ps[2], ps[3]);
      return { logits, loss: F.crossEntropy(logits, Y) };
    };
    const { logits, loss } = useAutocast ? tg.autocast("bfloat16", forward) : forward();
    run.logitsDType = logits.dtype;
    run.lossDType = loss.dtype;
    for (const p of ps) p.grad = null;
    loss.backward();
    for (const p of ps) expect(p.grad!.dtype).toBe("float32");
    if (step === 0) run.grads = ps.map((p) => Array.from(p.grad!.toArray()));
    run.losses.push(loss.item());
    tg.noGrad(() => {
      for (const p of ps) p.sub_(p.grad!.mul(lr));
    });
    for (const p of ps) expect(p.dtype).toBe("float32");
  }
  return run;
}

describe("autocast('bfloat16') as torch.autocast('cpu', dtype=torch.bfloat16)", () => {
  it("an MLP's logits are bfloat16, its loss float32, parameters and gradients float32", () => {
    const r = mlpRun(true, 1);
    expect(r.logitsDType).toBe(G.mlp.autocast.logitsDType);
    expect(r.lossDType).toBe(G.mlp.autocast.lossDType);
  });

  it("the MLP's losses over 5 SGD steps and first gradients match PyTorch's autocast run within bfloat16 rounding", () => {
    const r = mlpRun(true);
    expectClose(r.losses, G.mlp.autocast.losses, { rtol: 4e-3 }, "autocast losses");
    for (let i = 0; i < 4; i++) {
      const want = G.mlp.autocast.grads[i];
      const scale = Math.max(...want.map(Math.abs));
      expectClose(r.grads[i], want, { rtol: 2 ** -6, atol: scale * 2 ** -7 }, `grad ${i}`);
    }
    // And the float32 run tracks PyTorch's float32 run closely, the autocast run tracks it within a few percent.
    const f = mlpRun(false);
    expectClose(f.losses, G.mlp.float32.losses, { rtol: 1e-5 }, "float32 losses");
    expectClose(r.losses, f.losses, { rtol: 0.02 }, "autocast vs float32");
  });

  it("each op category's output dtype is PyTorch's, for float32 and bfloat16 inputs", () => {
    const x32 = tg.randn([4, 6]);
    const img = tg.randn([1, 2, 6, 6]);
    const kern = tg.randn([3, 2, 3, 3]);
    const tgt = tg.tensor([0, 1, 2, 3], { dtype: "int32" });
    const cases: Record<string, (a: tg.Tensor) => tg.Tensor> = {
      matmul: (a) => tg.matmul(a, a.t()),
      mm: (a) => tg.mm(a, a.t()),
      bmm: (a) => tg.bmm(a.unsqueeze(0), a.t().unsqueeze(0)),
      baddbmm: (a) => tg.baddbmm(tg.zeros([1, 4, 4]), a.unsqueeze(0), a.t().unsqueeze(0)),
      linear: (a) => F.linear(a, tg.randn([5, 6])),
      conv2d: (a) => F.conv2d(img.to(a.dtype), kern),
      conv1d: (a) => F.conv1d(img.select(2, 0).to(a.dtype), kern.select(2, 0)),
      softmax: (a) => tg.softmax(a, 1),
      log_softmax: (a) => tg.logSoftmax(a, 1),
      relu: (a) => a.relu(),
      tanh: (a) => a.tanh(),
      add: (a) => a.add(a),
      sum: (a) => a.sum(),
      mul_float32: (a) => a.mul(x32),
      layer_norm: (a) => F.layerNorm(a, [6]),
      mse_loss: (a) => F.mseLoss(a, tg.zeros([4, 6]).to(a.dtype)),
      l1_loss: (a) => F.l1Loss(a, tg.zeros([4, 6]).to(a.dtype)),
      cross_entropy: (a) => F.crossEntropy(a, tgt),
      nll_loss: (a) => F.nllLoss(a, tgt),
      bce_with_logits: (a) => F.binaryCrossEntropyWithLogits(a, tg.zeros([4, 6]).to(a.dtype)),
      smooth_l1_loss: (a) => F.smoothL1Loss(a, tg.zeros([4, 6]).to(a.dtype)),
      huber_loss: (a) => F.huberLoss(a, tg.zeros([4, 6]).to(a.dtype)),
      max_pool2d: (a) => F.maxPool2d(img.to(a.dtype), 2),
    };
    const seen: string[] = [];
    const want: string[] = [];
    for (const row of G.autocastDTypes) {
      const fn = cases[row.op];
      expect(fn, row.op).toBeDefined();
      for (const input of ["float32", "bfloat16"] as const) {
        const a = input === "float32" ? x32 : x32.bfloat16();
        seen.push(`${row.op}(${input}) -> ${tg.autocast("bfloat16", () => fn(a)).dtype}`);
        want.push(`${row.op}(${input}) -> ${row[input]}`);
      }
    }
    expect(seen).toEqual(want);
  });

  it("is scoped: off outside fn, nested enabled: false turns it off, errors restore it", () => {
    const a = tg.randn([3, 3]);
    expect(tg.isAutocastEnabled()).toBe(false);
    expect(tg.autocast("bfloat16", () => tg.isAutocastEnabled())).toBe(true);
    expect(tg.autocast("bfloat16", () => tg.autocast("bfloat16", () => tg.mm(a, a), { enabled: false })).dtype).toBe("float32");
    expect(() => tg.autocast("bfloat16", () => { throw new Error("boom"); })).toThrow("boom");
    expect(tg.isAutocastEnabled()).toBe(false);
    expect(tg.mm(a, a).dtype).toBe("float32");
    expect(() => tg.autocast("float16" as "bfloat16", () => 0)).toThrow("CPU Autocast only supports dtype of torch.bfloat16");
  });

  it("casts a parameter once per region until it is written to, as PyTorch's autocast cache", () => {
    const lin = new tg.nn.Linear(4, 3);
    const x = tg.randn([2, 4]).requiresGrad_().mul(2); // not a leaf: cast at every use
    const casts = tg.autocast("bfloat16", () => {
      const a = lin.forward(x).gradFn!.nextFunctions.map((e) => e[0]);
      const b = lin.forward(x).gradFn!.nextFunctions.map((e) => e[0]);
      tg.noGrad(() => lin.weight.add_(1));
      const c = lin.forward(x).gradFn!.nextFunctions.map((e) => e[0]);
      return { a, b, c };
    });
    // [input cast, weight cast, bias cast]: the parameters' casts are shared until the weight changes.
    expect(casts.b[1]).toBe(casts.a[1]);
    expect(casts.b[2]).toBe(casts.a[2]);
    expect(casts.c[1]).not.toBe(casts.a[1]);
    expect(casts.c[2]).toBe(casts.a[2]);
    expect(casts.b[0]).not.toBe(casts.a[0]);
    const again = tg.autocast("bfloat16", () => lin.forward(x).gradFn!.nextFunctions.map((e) => e[0]));
    expect(again[2]).not.toBe(casts.a[2]); // a new region casts afresh
  });

  it("an async fn keeps autocast across awaits while other code runs without it", async () => {
    const a = tg.randn([3, 3]);
    let outside = "";
    const p = tg.autocast("bfloat16", async () => {
      await new Promise((r) => setTimeout(r, 5));
      return tg.mm(a, a).dtype;
    });
    outside = tg.mm(a, a).dtype;
    expect(await p).toBe("bfloat16");
    expect(outside).toBe("float32");
    expect(tg.isAutocastEnabled()).toBe(false);
  });
});
