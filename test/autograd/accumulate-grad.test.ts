/**
 * Accumulation into a leaf's existing .grad, as PyTorch's AccumulateGrad: in place (`grad += new`) when no
 * graph is built, refused when .grad's elements share memory; the first gradient stored is always a copy.
 */
import { describe, expect, it } from "vitest";
import { ones, zeros } from "../../ts/index";

const OVERLAP =
  "unsupported operation: more than one element of the written-to tensor refers to a single memory location. Please clone() the tensor before performing the operation.";

describe("accumulating into .grad", () => {
  it("refuses a user-assigned .grad whose elements share one location, leaving it untouched", () => {
    const w = ones([3], { requiresGrad: true });
    const base = zeros([1]);
    w.grad = base.expand([3]);
    expect(() => w.mul(2).sum().backward()).toThrow(OVERLAP);
    expect(base.tolist()).toEqual([0]); // before: silently 6 (three writes of 2 into one element)
  });

  it("a first gradient stored under createGraph is a copy, so a later backward adds into it correctly", () => {
    const x = ones([3], { requiresGrad: true });
    x.sum().backward(null, { createGraph: true }); // sum's gradient is an expanded (stride 0) view
    expect(x.grad!.tolist()).toEqual([1, 1, 1]);
    x.sum().backward(); // before: [4, 4, 4], adding through the stride-0 view three times
    expect(x.grad!.tolist()).toEqual([2, 2, 2]);
  });

  it("leaves that received one shared gradient tensor do not see each other's later accumulation", () => {
    const x = ones([3], { requiresGrad: true });
    const z = ones([3], { requiresGrad: true });
    x.add(z).sum().backward(null, { createGraph: true });
    x.sum().backward();
    expect(x.grad!.tolist()).toEqual([2, 2, 2]);
    expect(z.grad!.tolist()).toEqual([1, 1, 1]);
  });

  it("a strided, non-overlapping .grad is accumulated in place and stays the same tensor", () => {
    const w = ones([2, 3], { requiresGrad: true });
    const g = zeros([3, 2]).t();
    w.grad = g;
    w.mul(2).sum().backward();
    expect(w.grad).toBe(g);
    expect(g.tolist()).toEqual([[2, 2, 2], [2, 2, 2]]);
  });

  it("an overlapping .grad is fine when the accumulation builds a graph (out of place)", () => {
    const w = ones([3], { requiresGrad: true });
    w.grad = zeros([1]).expand([3]);
    w.mul(2).sum().backward(null, { createGraph: true });
    expect(w.grad!.tolist()).toEqual([2, 2, 2]);
    expect(w.grad!.strides).toEqual([1]);
  });
});
