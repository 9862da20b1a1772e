/**
 * Parity of the native index kernels (indexSelect, indexAdd, gather, scatterAdd) with the TypeScript ones:
 * random shapes, strided/transposed/expanded views, every dim, edge sizes, repeated indices, float32,
 * float64 and int32, several thread counts; results must be bit-identical (NaN matches any NaN). Then
 * misuse of the raw addon functions: clear JS errors, nothing written, no crash.
 */
import { afterAll, describe, expect, it } from "vitest";
import { loadAddon, type NativeAddon } from "../../../ts/backend/native/addon";
import { makeNativeIndexKernels, viewDTypeCode } from "../../../ts/backend/native/index-kernels";
import type { TypedArray, View } from "../../../ts/backend/types";
import { js } from "../../support/backends";
import { Rng } from "../../support/rng";
import { EDGE_SHAPES, LAYOUTS, layoutView as makeView, randomShape } from "../../support/views";

const loaded = loadAddon();
const addon: NativeAddon | null = "addon" in loaded ? loaded.addon : null;
/** Calls that reached the addon, per kernel (so a test cannot pass by silently falling back). */
const calls = { indexSelect: 0, indexAdd: 0, gather: 0, scatterAdd: 0 };
const counted: NativeAddon | null =
  addon === null
    ? null
    : {
        ...addon,
        indexSelect: (...args) => (calls.indexSelect++, addon.indexSelect(...args)),
        indexAdd: (...args) => (calls.indexAdd++, addon.indexAdd(...args)),
        gather: (...args) => (calls.gather++, addon.gather(...args)),
        scatterAdd: (...args) => (calls.scatterAdd++, addon.scatterAdd(...args)),
      };
const kernels = counted === null ? null : makeNativeIndexKernels(counted, js, false);

type DT = "float32" | "float64" | "int32";
const DTYPES: readonly DT[] = ["float32", "float64", "int32"];

function alloc(dtype: DT, n: number): TypedArray {
  return dtype === "float32" ? new Float32Array(n) : dtype === "float64" ? new Float64Array(n) : new Int32Array(n);
}

/** Normals (a few specials) for floats; for int32 mostly small values and some near ±2^31 (wrap-around). */
function fill(a: TypedArray, rng: Rng, specials = 0): void {
  const sp = [NaN, Infinity, -Infinity, 0, -0, 1e-40, 1e30];
  for (let i = 0; i < a.length; i++) {
    if (a instanceof Int32Array) a[i] = rng.next() < 0.1 ? rng.int(-2147483648, 2147483647) : rng.int(-1000, 1000);
    else a[i] = specials > 0 && rng.next() < specials ? rng.pick(sp) : rng.normal() * 3;
  }
}

function numel(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function randomIndex(rng: Rng, n: number, size: number, repeats: boolean): Int32Array {
  const idx = new Int32Array(n);
  // repeats: draw from few distinct values so many j hit one output row
  const pool = repeats ? Math.max(1, Math.min(size, rng.int(1, 3))) : size;
  const base = size > pool ? rng.int(0, size - pool) : 0;
  for (let i = 0; i < n; i++) idx[i] = base + rng.int(0, pool - 1);
  return idx;
}

/** Bit-identical, except that any NaN matches any NaN (payloads are not part of the contract). */
function expectSame(actual: TypedArray, expected: TypedArray, what: string): void {
  if (actual.length !== expected.length) throw new Error(`${what}: lengths ${actual.length} vs ${expected.length}`);
  for (let i = 0; i < actual.length; i++) {
    if (!Object.is(actual[i], expected[i])) {
      throw new Error(`${what}: element ${i} is ${actual[i]} (native) but ${expected[i]} (js)`);
    }
  }
}

/** Runs both; if the TypeScript kernel throws, the native one must throw the same kind of error. */
function both(what: string, f: (k: typeof js) => void, outs: () => [TypedArray, TypedArray]): void {
  let jsError: unknown = null;
  try {
    f(js);
  } catch (e) {
    jsError = e;
  }
  let nativeError: unknown = null;
  try {
    f(kernels! as typeof js);
  } catch (e) {
    nativeError = e;
  }
  if (jsError !== null || nativeError !== null) {
    if (jsError === null || nativeError === null) {
      throw new Error(`${what}: js ${jsError === null ? "ran" : `threw ${jsError}`}, native ${nativeError === null ? "ran" : `threw ${nativeError}`}`);
    }
    expect((nativeError as Error).constructor, what).toBe((jsError as Error).constructor);
    return;
  }
  const [a, b] = outs();
  expectSame(a, b, what);
}

const THREADS = [1, 2, 3];
const threadsBefore = addon?.getNumThreads() ?? 1;
afterAll(() => addon?.setNumThreads(threadsBefore));

/** Random shapes, edge shapes and a few big ones (which run threaded). */
function shapesFor(rng: Rng, nRandom: number): (readonly number[])[] {
  return [
    ...EDGE_SHAPES,
    [64, 1000],
    [1000, 64],
    [2, 3, 4, 5, 3],
    [1, 1, 7, 1],
    ...Array.from({ length: nRandom }, () => randomShape(rng, 5, 9)),
  ];
}

describe.skipIf(addon === null)("parity: index kernels (native vs js)", () => {
  for (const dtype of DTYPES) {
    it(`indexSelect ${dtype}: every dim, every layout, edge sizes, repeated indices`, () => {
      const rng = new Rng(11 + DTYPES.indexOf(dtype));
      for (const shape of shapesFor(rng, 80)) {
        const layout = rng.pick(LAYOUTS);
        const x = makeView(shape, layout, rng, (n) => alloc(dtype, n));
        fill(x.data, rng, 0.02);
        const rank = Math.max(shape.length, 1);
        for (let dim = 0; dim < rank; dim++) {
          const size = shape.length === 0 ? 1 : shape[dim];
          const nIdx = size === 0 ? 0 : rng.pick([0, 1, 2, 5, size, rng.int(1, 2 * size + 3), numel(shape) > 10000 ? 300 : 7]);
          const idx = randomIndex(rng, nIdx, size, rng.next() < 0.3);
          const n = (numel(shape) / Math.max(size, 1)) * nIdx * (size === 0 ? 0 : 1);
          addon!.setNumThreads(rng.pick(THREADS));
          const o1 = alloc(dtype, n + 2), o2 = alloc(dtype, n + 2);
          both(`indexSelect ${dtype} [${shape}] ${layout} dim ${dim} nIdx ${nIdx}`, (k) => k.indexSelect(x, dim, idx, k === js ? o1 : o2), () => [o2, o1]);
        }
      }
    });

    it(`indexAdd ${dtype}: every dim, every layout, edge sizes, heavily repeated indices, accumulating into non-zero out`, () => {
      const rng = new Rng(23 + DTYPES.indexOf(dtype));
      for (const outShape of shapesFor(rng, 80)) {
        const rank = Math.max(outShape.length, 1);
        for (let dim = 0; dim < rank; dim++) {
          const size = outShape.length === 0 ? 1 : outShape[dim];
          const nIdx = size === 0 ? 0 : rng.pick([0, 1, 3, size, rng.int(1, 3 * size + 5), numel(outShape) > 10000 ? 257 : 9]);
          const idx = randomIndex(rng, nIdx, size, rng.next() < 0.5);
          const srcShape = outShape.length === 0 ? (nIdx === 1 && rng.next() < 0.5 ? [] : [nIdx]) : outShape.map((s, d) => (d === dim ? nIdx : s));
          const layout = rng.pick(LAYOUTS);
          const src = makeView(srcShape, layout, rng, (n) => alloc(dtype, n));
          fill(src.data, rng, 0.01);
          const o1 = alloc(dtype, numel(outShape) + 1);
          fill(o1, rng);
          const o2 = o1.slice();
          addon!.setNumThreads(rng.pick(THREADS));
          both(`indexAdd ${dtype} out [${outShape}] src [${srcShape}] ${layout} dim ${dim}`, (k) => k.indexAdd(k === js ? o1 : o2, outShape, dim, idx, src), () => [o2, o1]);
        }
      }
    });

    it(`gather ${dtype}: every dim, every layout, smaller index shapes, edge sizes`, () => {
      const rng = new Rng(37 + DTYPES.indexOf(dtype));
      for (const shape of shapesFor(rng, 80)) {
        const layout = rng.pick(LAYOUTS);
        const x = makeView(shape, layout, rng, (n) => alloc(dtype, n));
        fill(x.data, rng, 0.02);
        const rank = Math.max(shape.length, 1);
        const xs = shape.length === 0 ? [1] : shape;
        for (let dim = 0; dim < rank; dim++) {
          const size = xs[dim];
          const outShape = xs.map((s, d) =>
            d === dim ? (size === 0 ? 0 : rng.pick([1, size, rng.int(1, 2 * size + 2)])) : rng.next() < 0.7 ? s : rng.int(0, s),
          );
          const finalShape = shape.length === 0 && outShape[0] === 1 && rng.next() < 0.5 ? [] : outShape;
          const n = numel(finalShape);
          const idx = randomIndex(rng, n + rng.int(0, 2), Math.max(size, 1), rng.next() < 0.3);
          addon!.setNumThreads(rng.pick(THREADS));
          const o1 = alloc(dtype, n + 1), o2 = alloc(dtype, n + 1);
          both(`gather ${dtype} x [${shape}] ${layout} dim ${dim} out [${finalShape}]`, (k) => k.gather(x, dim, idx, k === js ? o1 : o2, finalShape), () => [o2, o1]);
        }
      }
    });

    it(`scatterAdd ${dtype}: every dim, every layout, smaller src shapes, repeated indices, edge sizes`, () => {
      const rng = new Rng(41 + DTYPES.indexOf(dtype));
      for (const outShapeIn of shapesFor(rng, 80)) {
        const outShape = outShapeIn;
        const os = outShape.length === 0 ? [1] : outShape;
        const rank = os.length;
        for (let dim = 0; dim < rank; dim++) {
          const size = os[dim];
          const srcShape = os.map((s, d) =>
            d === dim ? (size === 0 ? 0 : rng.pick([1, size, rng.int(1, 3 * size + 2)])) : rng.next() < 0.7 ? s : rng.int(0, s),
          );
          const finalSrc = outShape.length === 0 && srcShape[0] === 1 && rng.next() < 0.5 ? [] : srcShape;
          const layout = rng.pick(LAYOUTS);
          const src = makeView(finalSrc, layout, rng, (n) => alloc(dtype, n));
          fill(src.data, rng, 0.01);
          const n = numel(finalSrc);
          const idx = randomIndex(rng, n + rng.int(0, 2), Math.max(size, 1), rng.next() < 0.5);
          const o1 = alloc(dtype, numel(outShape) + 1);
          fill(o1, rng);
          const o2 = o1.slice();
          addon!.setNumThreads(rng.pick(THREADS));
          both(`scatterAdd ${dtype} out [${outShape}] src [${finalSrc}] ${layout} dim ${dim}`, (k) => k.scatterAdd(k === js ? o1 : o2, outShape, dim, idx, src), () => [o2, o1]);
        }
      }
    });
  }

  it("the random cases above reached the addon (no silent fallback)", () => {
    for (const [k, n] of Object.entries(calls)) expect(n, k).toBeGreaterThan(500);
  });

  it("large accumulations with many repeats are bit-identical for every thread count (float32)", () => {
    const rng = new Rng(99);
    // [name, outShape, srcShape, dim, index range]; sizes above the native threading threshold (64K elements)
    const cases: [string, number[], number[], number, number][] = [
      ["Embedding backward", [1000, 128], [4096, 128], 0, 1000],
      ["batched indexAdd", [8, 50, 64], [8, 2048, 64], 1, 50],
      ["scatterAdd rows", [128, 7], [128, 1000], 1, 7],
      ["scatterAdd columns", [5, 1000], [128, 1000], 0, 5],
      ["scatterAdd 3-d", [4, 9, 1000], [4, 64, 1000], 1, 9],
    ];
    for (const [name, outShape, srcShape, dim, range] of cases) {
      const src = makeView(srcShape, "contiguous", rng, (n) => new Float32Array(n));
      fill(src.data, rng);
      const accumulate = name.startsWith("scatterAdd") ? "scatterAdd" : "indexAdd";
      const idx = randomIndex(rng, accumulate === "indexAdd" ? srcShape[dim] : numel(srcShape), range, true);
      const want = new Float32Array(numel(outShape));
      if (accumulate === "indexAdd") js.indexAdd(want, outShape, dim, idx, src);
      else js.scatterAdd(want, outShape, dim, idx, src);
      for (const t of [1, 2, 3, 4, 8]) {
        addon!.setNumThreads(t);
        const got = new Float32Array(numel(outShape));
        if (accumulate === "indexAdd") kernels!.indexAdd(got, outShape, dim, idx, src);
        else kernels!.scatterAdd(got, outShape, dim, idx, src);
        expectSame(got, want, `${name} with ${t} threads`);
      }
    }
  });

  it("the wrapper routes bool data, 17-dim views and overlapping outputs to the TypeScript kernels", () => {
    const rng = new Rng(5);
    // bool (Uint8Array)
    const xb: View = { data: new Uint8Array([1, 0, 1, 1, 0, 0]), dtype: "bool", offset: 0, shape: [3, 2], strides: [2, 1] };
    const idx = new Int32Array([2, 0]);
    const ob1 = new Uint8Array(4), ob2 = new Uint8Array(4);
    js.indexSelect(xb, 0, idx, ob1);
    kernels!.indexSelect(xb, 0, idx, ob2);
    expectSame(ob2, ob1, "bool indexSelect");
    // 17 dims
    const shape = Array.from({ length: 17 }, (_, i) => (i === 3 ? 3 : 1));
    const x17 = makeView(shape, "contiguous", rng, (n) => new Float32Array(n));
    fill(x17.data, rng);
    const o1 = new Float32Array(2), o2 = new Float32Array(2);
    js.indexSelect(x17, 3, idx, o1);
    kernels!.indexSelect(x17, 3, idx, o2);
    expectSame(o2, o1, "17-dim indexSelect");
    // out overlapping src (in-place scatterAdd of a tensor into itself)
    const buf1 = new Float64Array([1, 2, 3, 4]), buf2 = buf1.slice();
    const v1: View = { data: buf1, dtype: "float64", offset: 0, shape: [4], strides: [1] };
    const v2: View = { data: buf2, dtype: "float64", offset: 0, shape: [4], strides: [1] };
    const ix = new Int32Array([1, 2, 3, 0]);
    js.scatterAdd(buf1, [4], 0, ix, v1);
    kernels!.scatterAdd(buf2, [4], 0, ix, v2);
    expectSame(buf2, buf1, "aliased scatterAdd");
  });

  it("with the crossover, small work stays in TypeScript and large work goes to the addon", () => {
    const withCrossover = makeNativeIndexKernels(counted!, js, true);
    const rng = new Rng(8);
    const x = makeView([1000, 128], "contiguous", rng, (n) => new Float32Array(n));
    fill(x.data, rng);
    const before = calls.indexSelect;
    withCrossover.indexSelect(x, 0, new Int32Array([3]), new Float32Array(128)); // 128 elements: below
    expect(calls.indexSelect).toBe(before);
    const idx = randomIndex(rng, 64, 1000, false);
    const o1 = new Float32Array(64 * 128), o2 = new Float32Array(64 * 128);
    withCrossover.indexSelect(x, 0, idx, o1); // an Embedding lookup of 64 rows: above
    expect(calls.indexSelect).toBe(before + 1);
    js.indexSelect(x, 0, idx, o2);
    expectSame(o1, o2, "indexSelect with crossover");
  });

  it("the dtype code comes from view.dtype when present, else from the typed array", () => {
    const data = new Float32Array([1, 2, 3]);
    const bare = (d: TypedArray) => ({ data: d, offset: 0, shape: [d.length], strides: [1] }) as unknown as View;
    expect(viewDTypeCode(bare(data))).toBe(0);
    expect(viewDTypeCode(bare(new Float64Array(1)))).toBe(1);
    expect(viewDTypeCode(bare(new Int32Array(1)))).toBe(2);
    expect(viewDTypeCode(bare(new Uint8Array(1)))).toBe(3);
    const v: View = { data, dtype: "float32", offset: 0, shape: [3], strides: [1] };
    expect(viewDTypeCode(v)).toBe(0);
    expect(viewDTypeCode({ ...v, dtype: "bfloat16" } as unknown as View)).toBe(4);
    // a view without a dtype field still runs natively, from its array's class
    const out = new Float32Array(1);
    const before = calls.indexSelect;
    kernels!.indexSelect(bare(data), 0, new Int32Array([2]), out);
    expect(out[0]).toBe(3);
    expect(calls.indexSelect).toBe(before + 1);
    // a view whose dtype contradicts its array is refused by the addon (the code travels in the metadata)
    expect(() => kernels!.indexSelect({ ...v, dtype: "int32" }, 0, new Int32Array([1]), new Int32Array(1))).toThrow(
      /x: dtype code 2 does not match its Float32Array/,
    );
  });
});

describe.skipIf(addon === null)("native index kernels: misuse of the raw addon functions", () => {
  const a = addon!;
  const F32 = 0, F64 = 1, I32 = 2, BOOL = 3;
  // x: 4×3 float32 contiguous; a view in meta is [dtype code, offset, strides...]
  const x = () => new Float32Array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  const xMeta = (code = F32) => new Float64Array([2, 4, 3, code, 0, 3, 1]);
  // gather x 4×3 → out 4×2 along dim 1; scatterAdd src 4×2 → out 4×3 along dim 1
  const gMeta = (code = F32) => new Float64Array([2, 4, 3, code, 0, 3, 1, 4, 2]);
  const sMeta = (code = F32) => new Float64Array([2, 4, 2, code, 0, 2, 1, 4, 3]);

  it("out-of-range index values throw a RangeError naming the index, and nothing is written", () => {
    const out = new Float32Array(6).fill(-1);
    expect(() => a.indexSelect(x(), xMeta(), 0, new Int32Array([1, 70]), out)).toThrow(
      /index 70 is out of bounds for dimension 0 with size 4/,
    );
    expect(() => a.indexSelect(x(), xMeta(), 0, new Int32Array([-1, 0]), out)).toThrow(RangeError);
    expect(() => a.indexSelect(x(), xMeta(), 1, new Int32Array([3]), new Float32Array(4))).toThrow(
      /index 3 is out of bounds for dimension 1 with size 3/,
    );
    expect(Array.from(out)).toEqual([-1, -1, -1, -1, -1, -1]);
    const acc = new Float32Array(12);
    // indexAdd: out 4×3, src 2×3
    expect(() => a.indexAdd(acc, xMeta(), 0, new Int32Array([0, 4]), new Float32Array(6))).toThrow(
      /index 4 is out of bounds for dimension 0 with size 4/,
    );
    const gi = new Int32Array([0, 1, 2, 0, 1, 2, 5, 0]);
    expect(() => a.gather(x(), gMeta(), 1, gi, new Float32Array(8))).toThrow(/index 5 is out of bounds for dimension 1 with size 3/);
    expect(() => a.scatterAdd(acc, sMeta(), 1, gi, new Float32Array(8))).toThrow(/index 5 is out of bounds/);
    expect(() => a.scatterAdd(acc, sMeta(), 1, new Int32Array(8).fill(-3), new Float32Array(8))).toThrow(/index -3/);
    expect(Array.from(acc)).toEqual(new Array(12).fill(0));
  });

  it("dtype codes are checked against the typed arrays", () => {
    const out = new Float32Array(3);
    const idx = new Int32Array([1]);
    expect(() => a.indexSelect(x(), xMeta(F64), 0, idx, out)).toThrow(/x: dtype code 1 does not match its Float32Array/);
    expect(() => a.indexSelect(x(), xMeta(I32), 0, idx, out)).toThrow(TypeError);
    expect(() => a.indexSelect(x(), xMeta(), 0, idx, new Float64Array(3))).toThrow(/out is a Float64Array but x is float32/);
    expect(() => a.indexSelect(new Int32Array(12), xMeta(I32), 0, idx, out)).toThrow(/out is a Float32Array/);
    expect(() => a.indexSelect(new Uint8Array(12), xMeta(BOOL), 0, idx, new Uint8Array(3))).toThrow(/dtype bool \(code 3\) is not supported/);
    expect(() => a.indexSelect(x(), xMeta(4), 0, idx, out)).toThrow(TypeError);
    expect(() => a.indexSelect(x(), xMeta(9), 0, idx, out)).toThrow(RangeError);
    expect(() => a.indexSelect(x(), xMeta(0.5), 0, idx, out)).toThrow(RangeError);
    expect(() => a.indexSelect(x(), xMeta(), 0, new Float32Array([1]) as unknown as Int32Array, out)).toThrow(/index must be a Int32Array/);
    expect(() => a.gather(x(), new Float64Array([2, 4, 3, F32, 0, 3, 1, 1, 1]), 0, new Uint32Array([0]) as unknown as Int32Array, out)).toThrow(TypeError);
    expect(() => a.scatterAdd(new Float64Array(12), new Float64Array([2, 1, 1, F32, 0, 1, 1, 4, 3]), 0, idx, new Float32Array(1))).toThrow(/out is a Float64Array but src is float32/);
    expect(() => a.indexAdd(new Int32Array(12), new Float64Array([2, 4, 3, F64, 0, 3, 1]), 0, idx, new Float64Array(3))).toThrow(/out is a Int32Array/);
    // every dtype the kernels take works
    for (const [code, make] of [[F32, Float32Array], [F64, Float64Array], [I32, Int32Array]] as const) {
      const o = new make(3);
      a.indexSelect(new make([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]), xMeta(code), 0, new Int32Array([2]), o);
      expect(Array.from(o)).toEqual([6, 7, 8]);
    }
  });

  it("wrong lengths, offsets, strides, dims and shapes throw instead of reading or writing out of bounds", () => {
    const idx = new Int32Array([1, 2]);
    // out too short
    expect(() => a.indexSelect(x(), xMeta(), 0, idx, new Float32Array(5))).toThrow(/out: elements \[0, 6\)/);
    // x's view past its buffer: offset, stride
    expect(() => a.indexSelect(x(), new Float64Array([2, 4, 3, F32, 1, 3, 1]), 0, idx, new Float32Array(6))).toThrow(RangeError);
    expect(() => a.indexSelect(x(), new Float64Array([2, 4, 3, F32, 0, 4, 1]), 0, idx, new Float32Array(6))).toThrow(RangeError);
    expect(() => a.indexSelect(x(), new Float64Array([2, 4, 3, F32, 0, -3, 1]), 0, idx, new Float32Array(6))).toThrow(RangeError);
    expect(() => a.indexSelect(new Float32Array(11), xMeta(), 0, idx, new Float32Array(6))).toThrow(RangeError);
    // bad dim, 0-d, 17 dims, truncated meta, meta of the wrong kind
    expect(() => a.indexSelect(x(), xMeta(), 2, idx, new Float32Array(6))).toThrow(/dim must be an integer in \[0, 1\]/);
    expect(() => a.indexSelect(x(), xMeta(), -1, idx, new Float32Array(6))).toThrow(RangeError);
    expect(() => a.indexSelect(x(), new Float64Array([0, F32, 0]), 0, idx, new Float32Array(6))).toThrow(/at least one dim/);
    expect(() => a.indexSelect(x(), new Float64Array([17, ...new Array(40).fill(1)]), 0, idx, new Float32Array(6))).toThrow(/ndim/);
    expect(() => a.indexSelect(x(), new Float64Array([2, 4, 3, F32, 0, 3]), 0, idx, new Float32Array(6))).toThrow(/metadata too short/);
    expect(() => a.indexSelect(x(), [2, 4, 3, F32, 0, 3, 1] as unknown as Float64Array, 0, idx, new Float32Array(6))).toThrow(TypeError);
    // missing arguments
    expect(() => (a.indexSelect as unknown as (...args: unknown[]) => void)(x(), xMeta(), 0, idx)).toThrow(/expected 5 arguments/);
    // indexAdd: src view too small for outShape with index.length at dim; out too short
    expect(() => a.indexAdd(new Float32Array(12), xMeta(), 0, new Int32Array([0, 1, 2]), new Float32Array(6))).toThrow(/src: the view/);
    expect(() => a.indexAdd(new Float32Array(11), xMeta(), 0, idx, new Float32Array(6))).toThrow(/out: elements/);
    // gather: index shorter than out, out shape larger than x off dim, out too short
    expect(() => a.gather(x(), gMeta(), 1, new Int32Array(7), new Float32Array(8))).toThrow(/index: elements/);
    expect(() => a.gather(x(), gMeta(), 1, new Int32Array(8), new Float32Array(7))).toThrow(/out: elements/);
    expect(() => a.gather(x(), new Float64Array([2, 4, 3, F32, 0, 3, 1, 5, 2]), 1, new Int32Array(10), new Float32Array(10))).toThrow(/out size 5 exceeds x size 4 at dim 0/);
    expect(() => a.gather(x(), new Float64Array([2, 4, 3, F32, 0, 3, 1, 4]), 1, new Int32Array(8), new Float32Array(8))).toThrow(/metadata too short/);
    // scatterAdd: src larger than out off dim, out too short, index too short
    expect(() => a.scatterAdd(new Float32Array(12), new Float64Array([2, 5, 2, F32, 0, 2, 1, 4, 3]), 1, new Int32Array(10), new Float32Array(10))).toThrow(/src size 5 exceeds out size 4 at dim 0/);
    expect(() => a.scatterAdd(new Float32Array(11), sMeta(), 1, new Int32Array(8), new Float32Array(8))).toThrow(/out: elements/);
    expect(() => a.scatterAdd(new Float32Array(12), sMeta(), 1, new Int32Array(7), new Float32Array(8))).toThrow(/index: elements/);
    // huge shapes (product past 2^53) are refused, not wrapped
    expect(() => a.gather(x(), new Float64Array([2, 4, 3, F32, 0, 3, 1, 2 ** 40, 2 ** 20]), 1, new Int32Array(8), new Float32Array(8))).toThrow(RangeError);
    // a detached buffer
    const d = new Float32Array(6);
    structuredClone(d.buffer, { transfer: [d.buffer] });
    expect(() => a.indexSelect(x(), xMeta(), 0, idx, d)).toThrow(/detached/);
    // the addon still works afterwards
    const out = new Float32Array(6);
    a.indexSelect(x(), xMeta(), 0, idx, out);
    expect(Array.from(out)).toEqual([3, 4, 5, 6, 7, 8]);
  });
});
