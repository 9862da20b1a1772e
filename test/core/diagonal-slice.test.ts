import { describe, expect, it } from "vitest";
import * as tg from "../../ts/index";
import { casesOf } from "./reference";
import { defineOpCases } from "./op-suite";

describe("diagonal, diag and diagEmbed match PyTorch", () => {
  defineOpCases(casesOf(["diagonal", "diag", "diagEmbed"]));
});

describe("slice, meshgrid and the default dtype", () => {
  it("slice follows Python's rules and is a view", () => {
    const x = tg.arange(10).float();
    expect(x.slice(0, 2, 8, 3).tolist()).toEqual([2, 5]);
    expect(x.slice(0, -3).tolist()).toEqual([7, 8, 9]);
    expect(x.slice(0, null, -8).tolist()).toEqual([0, 1]);
    expect(x.slice(0, 20, 30).shape).toEqual([0]);
    expect(x.slice(0, 5, 2).shape).toEqual([0]);
    x.slice(0, 0, 10, 4).fill_(-1);
    expect(x.tolist()).toEqual([-1, 1, 2, 3, -1, 5, 6, 7, -1, 9]);
    expect(() => x.slice(0, 0, 5, 0)).toThrow("slice step must be positive");
    const y = tg.arange(12).double().reshape(3, 4).requiresGrad_();
    expect(tg.autograd.gradcheck((t: tg.Tensor) => t.slice(1, 1, null, 2).mul(t.slice(1, 0, 4, 2)), [y])).toBe(true);
  });

  it("meshgrid with ij and xy indexing", () => {
    const [a, b] = tg.meshgrid([tg.tensor([1, 2, 3]), tg.tensor([4, 5])]);
    expect(a.tolist()).toEqual([[1, 1], [2, 2], [3, 3]]);
    expect(b.tolist()).toEqual([[4, 5], [4, 5], [4, 5]]);
    const [x, y] = tg.meshgrid([tg.tensor([1, 2, 3]), tg.tensor([4, 5])], { indexing: "xy" });
    expect(x.tolist()).toEqual([[1, 2, 3], [1, 2, 3]]);
    expect(y.tolist()).toEqual([[4, 4, 4], [5, 5, 5]]);
  });

  it("setDefaultDtype changes what creation functions make; only float dtypes", () => {
    expect(tg.getDefaultDtype()).toBe("float32");
    tg.setDefaultDtype("float64");
    try {
      expect(tg.tensor([1.5]).dtype).toBe("float64");
      expect(tg.zeros(2).dtype).toBe("float64");
      expect(tg.randn(2).dtype).toBe("float64");
      expect(tg.tensor([1], { dtype: "float32" }).dtype).toBe("float32");
    } finally {
      tg.setDefaultDtype("float32");
    }
    expect(() => tg.setDefaultDtype("int32" as never)).toThrow(/only floating-point types/);
  });

  it("diagonal's gradient scatters back, second derivatives included", () => {
    const x = tg.randn([3, 4], { dtype: "float64", requiresGrad: true });
    expect(tg.autograd.gradcheck((t: tg.Tensor) => t.diagonal(1).pow(2), [x])).toBe(true);
    expect(tg.autograd.gradcheck((t: tg.Tensor) => tg.diagEmbed(t).pow(2), [x])).toBe(true);
  });
});
