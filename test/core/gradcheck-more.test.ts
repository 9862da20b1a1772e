import { describe, expect, it } from "vitest";
import * as tg from "../../ts/index";
import { Rng } from "../support/rng";
import { randF64 } from "../support/tensors";

type T = tg.Tensor;

const idx = (v: number[][]) => tg.tensor(v, { dtype: "int32" });

describe("autograd.gradcheck (float64) for the ops the main table leaves out", () => {
  const rand = new Rng(77);
  const cases: { name: string; shapes: number[][]; fn: (...xs: T[]) => T; lo?: number; hi?: number }[] = [
    { name: "gather along dim 1", shapes: [[3, 4]], fn: (a) => a.gather(1, idx([[0, 3], [1, 1], [2, 0]])) },
    { name: "rsqrt and reciprocal", shapes: [[5]], fn: (a) => a.rsqrt().add(a.reciprocal()), lo: 0.5, hi: 2 },
    { name: "nn.functional.linear with bias (AddmmBackward0)", shapes: [[4, 3], [2, 3], [2]], fn: (x, w, b) => tg.nn.functional.linear(x, w, b) },
    { name: "linear on a 3-d input", shapes: [[2, 2, 3], [4, 3], [4]], fn: (x, w, b) => tg.nn.functional.linear(x, w, b) },
    { name: "mv", shapes: [[3, 4], [4]], fn: (a, v) => tg.mv(a, v) },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const xs = c.shapes.map((s) => randF64(rand, s, c.lo ?? -1.5, c.hi ?? 1.5));
      expect(tg.autograd.gradcheck(c.fn, xs, { atol: 1e-4 })).toBe(true);
    });
  }
});

it("a float64 -> float32 -> float64 round trip passes the gradient through (coarse eps for float32 rounding)", () => {
  const x = randF64(new Rng(79), [4]);
  expect(tg.autograd.gradcheck((a: T) => a.float().double().mul(a), [x], { eps: 1e-3, atol: 1e-3 })).toBe(true);
});

describe("second derivatives through the fused activation backwards (createGraph)", () => {
  const rand = new Rng(78);
  const grads = (f: (x: T) => T) => (x: T): T => tg.autograd.grad(f(x).sum(), x, { createGraph: true })[0]!;
  for (const [name, f] of [
    ["tanh", (x: T) => x.tanh()],
    ["sigmoid", (x: T) => x.sigmoid()],
    ["elu", (x: T) => x.elu(0.7)],
    ["softmax", (x: T) => x.softmax(0).mul(tg.linspace(1, 2, 5, { dtype: "float64" }))],
  ] as const) {
    it(`gradcheck of d/dx ${name}`, () => {
      const x = randF64(rand, [5]);
      expect(tg.autograd.gradcheck(grads(f), [x])).toBe(true);
    });
  }
});
