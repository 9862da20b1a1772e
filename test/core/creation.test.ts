import { describe, expect, it } from "vitest";
import * as tg from "../../ts/index";
import { flat } from "../support/tensors";
import { expectTensor, ref } from "./reference";

const C = ref.creation;

describe("tensor()", () => {
  it("builds from nested arrays with PyTorch's shape and the default dtype float32", () => {
    const t = tg.tensor([[1, 2, 3], [4, 5, 6]]);
    expect([...t.shape]).toEqual([2, 3]);
    expect(t.ndim).toBe(2);
    expect(t.dtype).toBe("float32");
    expect(t.device).toBe("cpu");
    expect(t.tolist()).toEqual([[1, 2, 3], [4, 5, 6]]);
  });

  it("builds a 0-d tensor from a number", () => {
    const t = tg.tensor(3.5);
    expect([...t.shape]).toEqual([]);
    expect(t.item()).toBe(3.5);
  });

  it("rounds values to float32 by default", () => {
    expect(tg.tensor([0.1]).item()).toBe(Math.fround(0.1));
    expect(tg.tensor([0.1], { dtype: "float64" }).item()).toBe(0.1);
  });

  it("builds from a typed array with opts.shape", () => {
    const t = tg.tensor(new Float32Array([1, 2, 3, 4, 5, 6]), { shape: [3, 2] });
    expect([...t.shape]).toEqual([3, 2]);
    expect(t.tolist()).toEqual([[1, 2], [3, 4], [5, 6]]);
  });

  it("infers the dtype of a typed array (Float64Array → float64, Int32Array → int32, Float32Array → float32)", () => {
    expect(tg.tensor(new Float64Array([1, 2])).dtype).toBe("float64");
    expect(tg.tensor(new Int32Array([1, 2])).dtype).toBe("int32");
    expect(tg.tensor(new Float32Array([1, 2])).dtype).toBe("float32");
    expect([...tg.tensor(new Float64Array([1, 2, 3])).shape]).toEqual([3]);
  });

  it("copies a typed array (later writes to the array do not change the tensor)", () => {
    const arr = new Float32Array([1, 2, 3]);
    const t = tg.tensor(arr);
    arr[0] = 100;
    expect(flat(t)).toEqual([1, 2, 3]);
  });

  it("honours dtype int32 and bool", () => {
    const i = tg.tensor([1, -2, 3], { dtype: "int32" });
    expect(i.dtype).toBe("int32");
    expect(i.tolist()).toEqual([1, -2, 3]);
    const b = tg.tensor([1, 0, 1], { dtype: "bool" });
    expect(b.dtype).toBe("bool");
    expect(flat(b)).toEqual([1, 0, 1]);
  });

  it("rejects ragged input naming the bad dimension, as PyTorch", () => {
    expect(() => tg.tensor([[1, 2], [3]])).toThrow(ref.errors["ragged"]!);
    expect(() => tg.tensor([[[1, 2], [3, 4]], [[1, 2], [3]]])).toThrow(ref.errors["ragged deeper"]!);
  });

  it("requiresGrad in opts makes a leaf that requires grad", () => {
    const t = tg.tensor([1, 2], { requiresGrad: true });
    expect(t.requiresGrad).toBe(true);
    expect(t.isLeaf).toBe(true);
    expect(t.gradFn).toBeNull();
    expect(t.grad).toBeNull();
  });
});

describe("zeros, ones, full, empty", () => {
  it("zeros(2, 3) is zeros([2, 3])", () => {
    const a = tg.zeros(2, 3);
    const b = tg.zeros([2, 3]);
    expect([...a.shape]).toEqual([2, 3]);
    expect([...b.shape]).toEqual([2, 3]);
    expect(flat(a)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(flat(b)).toEqual(flat(a));
  });

  it("takes trailing opts after varargs and after an array", () => {
    const a = tg.ones(2, 2, { dtype: "float64" });
    expect(a.dtype).toBe("float64");
    expect(flat(a)).toEqual([1, 1, 1, 1]);
    const b = tg.zeros([3], { dtype: "int32", requiresGrad: false });
    expect(b.dtype).toBe("int32");
    const c = tg.ones(3, { requiresGrad: true });
    expect(c.requiresGrad).toBe(true);
  });

  it("full(shape, value) fills with the value", () => {
    const t = tg.full([2, 2], 7);
    expect(t.dtype).toBe("float32");
    expect(t.tolist()).toEqual([[7, 7], [7, 7]]);
    expect(tg.full([2], 1.5, { dtype: "float64" }).dtype).toBe("float64");
  });

  it("empty(2, 3) has the shape", () => {
    expect([...tg.empty(2, 3).shape]).toEqual([2, 3]);
  });

  it("a zero-sized dimension is allowed", () => {
    const t = tg.zeros(0, 3);
    expect([...t.shape]).toEqual([0, 3]);
    expect(t.tolist()).toEqual([]);
  });
});

describe("arange, linspace, eye", () => {
  it("arange with integer arguments is int32", () => {
    for (const [key, args] of [["arange 5", [5]], ["arange 2 7", [2, 7]], ["arange 0 10 3", [0, 10, 3]], ["arange 5 0 -2", [5, 0, -2]]] as const) {
      expectTensor(tg.arange(...(args as unknown as [number, number?, number?])), C[key]!, 0, key);
    }
  });

  it("arange with a fractional argument is float32 with PyTorch's length and values", () => {
    expectTensor(tg.arange(0, 1, 0.1), C["arange 0 1 0.1"]!, 1e-7, "arange(0, 1, 0.1)");
    expectTensor(tg.arange(1, 2.5, 0.5), C["arange 1 2.5 0.5"]!, 0, "arange(1, 2.5, 0.5)");
    expectTensor(tg.arange(0.5), C["arange 0.5"]!, 0, "arange(0.5)");
  });

  it("arange takes a dtype in trailing opts", () => {
    expect(tg.arange(0, 3, 1, { dtype: "float64" }).dtype).toBe("float64");
  });

  it("linspace matches PyTorch", () => {
    expectTensor(tg.linspace(0, 1, 5), C["linspace 0 1 5"]!, 1e-7, "linspace(0, 1, 5)");
    expectTensor(tg.linspace(-1, 2, 7), C["linspace -1 2 7"]!, 1e-7, "linspace(-1, 2, 7)");
    expectTensor(tg.linspace(0, 1, 1), C["linspace 0 1 1"]!, 0, "linspace(0, 1, 1)");
    expectTensor(tg.linspace(3, -3, 10), C["linspace 3 -3 10"]!, 1e-6, "linspace(3, -3, 10)");
  });

  it("eye(3) is the identity", () => {
    expectTensor(tg.eye(3), C["eye 3"]!, 0, "eye(3)");
  });
});

describe("*Like", () => {
  const src = tg.tensor([[1, 2, 3], [4, 5, 6]], { dtype: "float64" });
  it("zerosLike and onesLike keep shape and dtype", () => {
    const z = tg.zerosLike(src);
    const o = tg.onesLike(src);
    expect([...z.shape]).toEqual([2, 3]);
    expect(z.dtype).toBe("float64");
    expect(flat(z)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(o.dtype).toBe("float64");
    expect(flat(o)).toEqual([1, 1, 1, 1, 1, 1]);
  });
  it("fullLike fills with the value and keeps dtype", () => {
    const f = tg.fullLike(src, 2.5);
    expect(f.dtype).toBe("float64");
    expect(flat(f)).toEqual([2.5, 2.5, 2.5, 2.5, 2.5, 2.5]);
  });
  it("*Like does not copy requiresGrad", () => {
    const x = tg.ones(2, { requiresGrad: true });
    expect(tg.zerosLike(x).requiresGrad).toBe(false);
  });
});

describe("device and dtype options", () => {
  it("device 'cpu' is accepted", () => {
    expect(tg.zeros(2, { device: "cpu" }).device).toBe("cpu");
  });
  it("an unknown device is an error that lists what is available", () => {
    const bad = { device: "cuda" } as unknown as { device: "cpu" };
    expect(() => tg.zeros(2, bad)).toThrow(/cpu/);
    expect(() => tg.tensor([1], bad)).toThrow(/cuda/);
  });
  it("an unknown dtype is an error naming it", () => {
    const bad = { dtype: "float8" } as unknown as { dtype: "float32" };
    expect(() => tg.zeros(2, bad)).toThrow(/float8/);
    expect(() => tg.tensor([1], bad)).toThrow(/float8/);
  });
  it("to(dtype), float() and double() convert", () => {
    const t = tg.tensor([1.5, 2.5]);
    expect(t.to("float64").dtype).toBe("float64");
    expect(t.double().dtype).toBe("float64");
    expect(t.double().float().dtype).toBe("float32");
    expect(flat(t.to("int32"))).toEqual([1, 2]);
  });
});
