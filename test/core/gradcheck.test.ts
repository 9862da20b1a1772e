import { describe, expect, it } from "vitest";
import * as tg from "../../ts/index";
import { Rng } from "../support/rng";
import { randF64 } from "../support/tensors";

type T = tg.Tensor;
type Check = { name: string; shapes: number[][]; fn: (...xs: T[]) => T; lo?: number; hi?: number };

const idx = (v: number[]) => tg.tensor(v, { dtype: "int32" });

// Inputs avoid kinks (abs, relu, clamp, max near 0 / ties): seeded uniform values in [lo, hi) are almost surely away from them.
const CHECKS: Check[] = [
  { name: "add broadcast", shapes: [[2, 3], [3]], fn: (a, b) => a.add(b) },
  { name: "sub broadcast column", shapes: [[2, 1], [1, 3]], fn: (a, b) => a.sub(b) },
  { name: "mul broadcast 3-d", shapes: [[3, 1, 2], [4, 1]], fn: (a, b) => a.mul(b) },
  { name: "div", shapes: [[2, 3], [2, 3]], fn: (a, b) => a.div(b), lo: 0.5, hi: 2 },
  { name: "div by number and number by tensor", shapes: [[4]], fn: (a) => tg.div(a.div(3), 1).add(a.pow(-1)), lo: 0.5, hi: 2 },
  { name: "pow tensor exponent", shapes: [[2, 3], [3]], fn: (a, b) => a.pow(b), lo: 0.5, hi: 2 },
  { name: "pow scalar", shapes: [[5]], fn: (a) => a.pow(3).add(a.pow(0.5)), lo: 0.5, hi: 2 },
  { name: "neg abs square", shapes: [[5]], fn: (a) => a.neg().abs().add(a.square()) },
  { name: "exp log sqrt", shapes: [[5]], fn: (a) => a.exp().add(a.log()).add(a.sqrt()), lo: 0.5, hi: 2 },
  { name: "sin cos tanh sigmoid", shapes: [[5]], fn: (a) => a.sin().mul(a.cos()).add(a.tanh()).add(a.sigmoid()) },
  { name: "relu leakyRelu elu", shapes: [[6]], fn: (a) => a.relu().add(a.leakyRelu(0.2)).add(a.elu(0.7)) },
  { name: "clamp", shapes: [[6]], fn: (a) => a.clamp(-0.5, 0.5).add(a.clamp(-0.3)).add(a.clamp(undefined, 0.2)) },
  { name: "maximum minimum broadcast", shapes: [[2, 3], [3]], fn: (a, b) => tg.maximum(a, b).add(tg.minimum(a, b).mul(2)) },
  { name: "where", shapes: [[2, 3], [2, 3], [3]], fn: (c, a, b) => tg.where(c.gt(0), a, b) },
  { name: "sum mean dims keepdim", shapes: [[2, 3, 4]], fn: (a) => a.sum(1).mean(-1, true).add(a.sum([0, 2]).sum()) },
  { name: "max min values", shapes: [[3, 4]], fn: (a) => a.max(1).values.add(a.min(0, true).values.sum()).add(a.max()) },
  { name: "std var", shapes: [[3, 4]], fn: (a) => a.std(1).add(a.var(0).sum()).add(a.std()) },
  { name: "logsumexp softmax logSoftmax", shapes: [[3, 4]], fn: (a) => a.logsumexp(1).add(a.softmax(0).mul(a).sum(0).narrow(0, 0, 3)).add(a.logSoftmax(-1).sum(1)) },
  { name: "matmul 1-D . 1-D", shapes: [[4], [4]], fn: (a, b) => a.matmul(b) },
  { name: "matmul 1-D . 2-D and 2-D . 1-D", shapes: [[3], [3, 3]], fn: (a, b) => a.matmul(b).add(b.matmul(a)) },
  { name: "matmul batched broadcast", shapes: [[2, 1, 2, 3], [3, 3, 2]], fn: (a, b) => a.matmul(b) },
  { name: "mm dot t transpose", shapes: [[2, 3], [2, 3]], fn: (a, b) => a.mm(b.t()).add(a.transpose(0, 1).sum(0).dot(b.sum(1))) },
  { name: "reshape view flatten", shapes: [[2, 3, 2]], fn: (a) => a.reshape(3, -1).mul(a.view(6, 2).t().reshape(3, 4)).flatten() },
  { name: "unsqueeze squeeze expand", shapes: [[3, 1]], fn: (a) => a.squeeze(1).unsqueeze(0).expand(2, 3).mul(a.expand(3, 2).t()) },
  { name: "permute", shapes: [[2, 3, 4]], fn: (a) => a.permute(2, 0, 1).mul(tg.arange(0, 4, 1, { dtype: "float64" }).view(4, 1, 1)) },
  { name: "narrow at indexSelect", shapes: [[4, 3]], fn: (a) => a.narrow(0, 1, 2).sum(0).add(a.at(3)).add(a.indexSelect(0, idx([0, 0, 2])).sum(0)) },
  { name: "cat stack", shapes: [[2, 3], [1, 3]], fn: (a, b) => tg.cat([a, b], 0).mul(tg.stack([a.sum(0), b.squeeze(0), a.at(1)], 0)) },
  { name: "contiguous of transpose", shapes: [[2, 3]], fn: (a) => a.t().contiguous().mul(tg.linspace(1, 2, 2, { dtype: "float64" })) },
  { name: "a neuron: sigmoid(sum(X * W, 1) + b) squared error", shapes: [[5, 2], [2], [1]], fn: (X, W, b) => tg.sigmoid(tg.sum(X.mul(W), 1).add(b)).sub(0.3).square().mean() },
];

describe("autograd.gradcheck passes (float64) for every differentiable op", () => {
  const rand = new Rng(2024);
  for (const c of CHECKS) {
    it(c.name, () => {
      const xs = c.shapes.map((s) => randF64(rand, s, c.lo ?? -1.5, c.hi ?? 1.5));
      expect(tg.autograd.gradcheck(c.fn, xs)).toBe(true);
    });
  }

  it("accepts eps, atol and rtol options", () => {
    const x = randF64(rand, [3]);
    expect(tg.autograd.gradcheck((a: T) => a.tanh(), [x], { eps: 1e-6, atol: 1e-5, rtol: 1e-3 })).toBe(true);
  });
});
