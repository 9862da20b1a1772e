import { describe, expect, it } from "vitest";
import * as tg from "../../ts/index";
import { flat } from "../support/tensors";
import { casesOf } from "./reference";
import { defineOpCases } from "./op-suite";

describe("shape ops match PyTorch (values, shapes, gradients)", () => {
  defineOpCases(casesOf(["reshape", "view", "unsqueeze", "squeeze", "flatten", "expand", "permute",
    "narrow", "indexSelect", "at", "contiguous"]));
});

describe("cat and stack match PyTorch", () => {
  defineOpCases(casesOf(["cat", "stack"]));
});

const base = () => tg.tensor([[0, 1, 2], [3, 4, 5]]);

describe("views share storage with their base", () => {
  it("an in-place op through view() changes the base", () => {
    const a = base();
    a.view(6).add_(10);
    expect(flat(a)).toEqual([10, 11, 12, 13, 14, 15]);
  });

  it("an in-place op through reshape() of a contiguous tensor changes the base", () => {
    const a = base();
    a.reshape(3, 2).mul_(2);
    expect(flat(a)).toEqual([0, 2, 4, 6, 8, 10]);
  });

  it("an in-place op through t() changes the base at the transposed positions", () => {
    const a = base();
    a.t().at(0).fill_(-1); // column 0 of a
    expect(a.tolist()).toEqual([[-1, 1, 2], [-1, 4, 5]]);
  });

  it("an in-place op through narrow() changes only the narrowed slice", () => {
    const a = base();
    a.narrow(1, 1, 2).zero_();
    expect(a.tolist()).toEqual([[0, 0, 0], [3, 0, 0]]);
  });

  it("an in-place op through at(i) changes that row of the base", () => {
    const a = base();
    a.at(1).sub_(3);
    expect(a.tolist()).toEqual([[0, 1, 2], [0, 1, 2]]);
  });

  it("unsqueeze, squeeze, permute, transpose and flatten of a contiguous tensor are views", () => {
    const a = base();
    a.unsqueeze(0).squeeze(0).permute(1, 0).transpose(0, 1).flatten().add_(1);
    expect(flat(a)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("a change to the base is visible through an existing view", () => {
    const a = base();
    const v = a.t();
    a.fill_(7);
    expect(flat(v)).toEqual([7, 7, 7, 7, 7, 7]);
  });

  it("data and detach() share storage with the tensor", () => {
    const a = tg.tensor([1, 2, 3], { requiresGrad: true });
    a.data.mul_(2);
    expect(flat(a)).toEqual([2, 4, 6]);
    a.detach().add_(1);
    expect(flat(a)).toEqual([3, 5, 7]);
  });

  it("clone() does not share storage", () => {
    const a = base();
    a.clone().fill_(9);
    expect(flat(a)).toEqual([0, 1, 2, 3, 4, 5]);
  });
});

describe("expand and contiguous", () => {
  it("expand() makes a stride-0 view that reflects changes to its base", () => {
    const a = tg.tensor([[1], [2], [3]]);
    const e = a.expand(3, 4);
    expect([...e.stride()]).toEqual([1, 0]);
    expect(e.tolist()).toEqual([[1, 1, 1, 1], [2, 2, 2, 2], [3, 3, 3, 3]]);
    a.mul_(10);
    expect(e.tolist()).toEqual([[10, 10, 10, 10], [20, 20, 20, 20], [30, 30, 30, 30]]);
  });

  it("expand() with a new leading dim has stride 0 there", () => {
    const e = tg.tensor([1, 2, 3]).expand(2, 3);
    expect([...e.stride()]).toEqual([0, 1]);
  });

  it("a transpose is not contiguous; contiguous() copies it into row-major order", () => {
    const a = base();
    const t = a.t();
    expect(t.isContiguous()).toBe(false);
    const c = t.contiguous();
    expect(c.isContiguous()).toBe(true);
    expect([...c.stride()]).toEqual([2, 1]);
    expect(c.tolist()).toEqual([[0, 3], [1, 4], [2, 5]]);
    c.fill_(0);
    expect(flat(a)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it("contiguous() of a contiguous tensor returns the tensor itself", () => {
    const a = base();
    expect(a.contiguous()).toBe(a);
  });

  it("reshape() of a non-contiguous tensor gives the logical values (a copy)", () => {
    const a = base();
    const r = a.t().reshape(6);
    expect(flat(r)).toEqual([0, 3, 1, 4, 2, 5]);
    r.fill_(0);
    expect(flat(a)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it("toArray() of a view copies its logical values", () => {
    const a = base();
    expect(Array.from(a.t().toArray())).toEqual([0, 3, 1, 4, 2, 5]);
    expect(Array.from(a.narrow(1, 1, 1).toArray())).toEqual([1, 4]);
  });

  it("gradients flow through a chain of views back to the base's layout", () => {
    const a = tg.tensor([[1, 2, 3], [4, 5, 6]], { requiresGrad: true });
    const w = tg.tensor([[1, 10], [100, 1000], [10000, 100000]]);
    a.t().mul(w).sum().backward();
    expect(a.grad!.tolist()).toEqual([[1, 100, 10000], [10, 1000, 100000]]);
  });
});
