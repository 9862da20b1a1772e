import { describe, expect, it } from "vitest";
import * as tg from "../../ts/index";
import { casesOf } from "./reference";
import { defineOpCases } from "./op-suite";

describe("tensor ops for sequence models match PyTorch (values, gradients, gradFns)", () => {
  defineOpCases(
    casesOf(["flip", "roll", "repeat", "tile", "tril", "triu", "maskedFill", "outer", "sort", "argsort", "topk", "cumsum", "cumprod", "any", "all", "norm"]),
  );
});

describe("sequence-model tensor ops: behaviour beyond the goldens", () => {
  it("split and chunk give views with PyTorch's sizes", () => {
    const x = tg.arange(10).float();
    expect(tg.split(x, 4).map((t) => t.shape[0])).toEqual([4, 4, 2]);
    expect(tg.split(x, [3, 7]).map((t) => t.shape[0])).toEqual([3, 7]);
    expect(tg.chunk(x, 3).map((t) => t.shape[0])).toEqual([4, 4, 2]);
    expect(tg.chunk(tg.arange(6), 4).map((t) => t.shape[0])).toEqual([2, 2, 2]);
    expect(() => tg.split(x, [3, 3])).toThrow("split_with_sizes expects split_sizes to sum exactly to 10 (input tensor's size at dimension 0), but got split_sizes=[3, 3]");
    const parts = tg.split(x.requiresGrad_(), 5);
    parts[1].sum().backward();
    expect(x.grad!.tolist()).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
  });

  it("sort is stable and orders NaN last (descending: first), as PyTorch", () => {
    const x = tg.tensor([2, NaN, 1, 2, -1]);
    expect(x.sort().indices.tolist()).toEqual([4, 2, 0, 3, 1]);
    expect(x.sort(-1, true).indices.tolist()).toEqual([1, 0, 3, 2, 4]);
  });

  it("the infinity norm splits its gradient among the maxima; a zero norm has zero gradient", () => {
    const x = tg.tensor([[1, -3, 3], [0, 0, 0]], { dtype: "float64", requiresGrad: true });
    const n = x.norm(Infinity, 1);
    expect(n.tolist()).toEqual([3, 0]);
    n.sum().backward();
    expect(x.grad!.tolist()).toEqual([[0, -0.5, 0.5], [0, 0, 0]]);
    const y = tg.zeros([3], { dtype: "float64", requiresGrad: true });
    y.norm().backward();
    expect(y.grad!.tolist()).toEqual([0, 0, 0]);
  });

  it("gradcheck: flip, roll, repeat, tril, sort, topk, cumsum, cumprod, norm", () => {
    const x = tg.randn([3, 4], { dtype: "float64", requiresGrad: true });
    const fns: ((t: tg.Tensor) => tg.Tensor)[] = [
      (t) => t.flip([0, 1]).mul(t),
      (t) => t.roll([1, 2], [0, 1]).mul(t),
      (t) => t.repeat(2, 3).pow(2),
      (t) => t.tril(1).mul(t),
      (t) => t.sort(1).values.mul(tg.arange(4).double()),
      (t) => t.topk(2, 0).values.pow(2),
      (t) => t.cumsum(1).mul(t),
      (t) => t.cumprod(0),
      (t) => t.norm(3, 1),
    ];
    for (const f of fns) expect(tg.autograd.gradcheck(f, [x])).toBe(true);
  });

  it("cumsum of int32 that overflows is an error, not a wrapped number", () => {
    expect(() => tg.full([3], 2 ** 30, { dtype: "int32" }).cumsum(0)).toThrow(/overflows int32/);
  });
});
