import { afterEach, describe, expect, it } from "vitest";
import * as tg from "../../ts/index";
import { setAllocationHook } from "../../ts/backend/storage";
import type { TypedArray } from "../../ts/backend/types";

describe("the graph as data", () => {
  it("each node carries its op's non-tensor arguments as attributes", () => {
    const x = tg.randn([3, 4], { requiresGrad: true });
    expect(x.leakyRelu(0.2).gradFn!.attrs).toEqual({ negative_slope: 0.2 });
    expect(x.sum(1, true).gradFn!.attrs).toEqual({ dim: [1], keepdim: true });
    expect(x.transpose(0, 1).gradFn!.attrs).toEqual({ dim0: 0, dim1: 1 });
    expect(x.pow(3).gradFn!.attrs).toEqual({ exponent: 3 });
    expect(x.clamp(undefined, 1).gradFn!.attrs).toEqual({ min: null, max: 1 });
    expect(x.reshape(2, 6).gradFn!.attrs).toEqual({ shape: [2, 6] });
    expect(x.softmax(-1).gradFn!.attrs).toEqual({ dim: 1 });
    expect(x.add(x).gradFn!.attrs).toEqual({});
  });

  it("makeDot shows the attributes when asked, as torchviz's show_attrs", () => {
    const x = tg.randn([2, 3], { requiresGrad: true });
    const dot = tg.autograd.makeDot(x.transpose(0, 1).sum(), { showAttrs: true });
    expect(dot).toContain('label="TransposeBackward0\\l------------------\\ldim0: 0\\ldim1: 1\\l"');
    expect(tg.autograd.makeDot(x.transpose(0, 1).sum())).toContain("label=TransposeBackward0]");
  });
});

describe("allocation through one door", () => {
  afterEach(() => setAllocationHook(null));

  it("every op output's storage comes from the one allocator", () => {
    const a = tg.randn([8, 16], { requiresGrad: true });
    const b = tg.randn([16, 4]);
    const seen = new Set<TypedArray>();
    setAllocationHook((d) => seen.add(d));
    const outs = [
      a.add(1), a.mul(a), a.tanh(), a.exp(), a.sum(0), a.mean(), a.max(1).values, a.argmax(1), a.matmul(b),
      a.softmax(1), a.gt(0), tg.cat([a, a]), a.indexSelect(0, tg.tensor([1, 0], { dtype: "int32" })), a.clone(), a.double(),
    ];
    const loss = a.matmul(b).relu().sum();
    loss.backward();
    setAllocationHook(null);
    for (const [i, t] of outs.entries()) expect(seen.has((t as unknown as { _data: TypedArray })._data), `output ${i}`).toBe(true);
    expect(seen.has((a.grad as unknown as { _data: TypedArray })._data)).toBe(true);
  });
});
