import { describe, expect, it } from "vitest";
import { jsBackend } from "../../../ts/backend/js/index.js";
import type { DType } from "../../../ts/backend/types.js";
import { Rng } from "../../support/rng.js";
import { alloc, at, indices, LAYOUTS, randomView, viewOf } from "../../support/views.js";

const CASES: { shape: number[]; dim: number }[] = [
  { shape: [5], dim: 0 },
  { shape: [4, 3], dim: 0 },
  { shape: [4, 3], dim: 1 },
  { shape: [2, 5, 3], dim: 1 },
  { shape: [3, 2, 4], dim: 2 },
  { shape: [3, 0, 2], dim: 0 },
];

function randomIndex(n: number, size: number, rng: Rng): Int32Array {
  return Int32Array.from({ length: n }, () => Math.floor(rng.next() * size));
}

function flat(shape: readonly number[], idx: readonly number[]): number {
  let k = 0;
  for (let d = 0; d < shape.length; d++) k = k * shape[d] + idx[d];
  return k;
}

describe("jsBackend.indexSelect", () => {
  for (const dtype of ["float32", "float64", "int32", "bool"] as const satisfies readonly DType[]) {
    it(`picks slices along dim on ${dtype} for every layout, with repeats`, () => {
      const rng = new Rng(71);
      for (const { shape, dim } of CASES) {
        for (const layout of LAYOUTS) {
          const x = randomView(shape, dtype, layout, rng);
          const index = randomIndex(shape[dim] === 0 ? 0 : 7, shape[dim], rng);
          const outShape = shape.slice();
          outShape[dim] = index.length;
          const out = alloc(dtype, outShape.reduce((a, b) => a * b, 1));
          jsBackend.indexSelect(x, dim, index, out);
          for (const idx of indices(outShape)) {
            const src = idx.slice();
            src[dim] = index[idx[dim]];
            expect(out[flat(outShape, idx)]).toBe(at(x, src));
          }
        }
      }
    });
  }
  it("rejects out-of-range indices and dims", () => {
    const x = viewOf(new Float32Array(6), [2, 3]);
    expect(() => jsBackend.indexSelect(x, 1, Int32Array.of(3), new Float32Array(2))).toThrow(/out of bounds/);
    expect(() => jsBackend.indexSelect(x, 1, Int32Array.of(-1), new Float32Array(2))).toThrow(/out of bounds/);
    expect(() => jsBackend.indexSelect(x, 2, Int32Array.of(0), new Float32Array(2))).toThrow(/dim 2/);
    expect(() => jsBackend.indexSelect(x, 1, Int32Array.of(0, 1), new Float32Array(3))).toThrow(/out holds 3 elements, 4 needed/);
  });
});

describe("jsBackend.indexAdd", () => {
  for (const dtype of ["float32", "float64", "int32"] as const) {
    it(`accumulates slices (duplicates add up) on ${dtype} from every source layout`, () => {
      const rng = new Rng(81);
      for (const { shape, dim } of CASES) {
        for (const layout of LAYOUTS) {
          const index = randomIndex(shape[dim] === 0 ? 0 : 6, shape[dim], rng);
          const srcShape = shape.slice();
          srcShape[dim] = index.length;
          const src = randomView(srcShape, dtype, layout, rng);
          const n = shape.reduce((a, b) => a * b, 1);
          const out = alloc(dtype, n);
          for (let i = 0; i < n; i++) out[i] = Math.floor(rng.next() * 10);
          const expected = Array.from(out);
          for (const idx of indices(srcShape)) {
            const dst = idx.slice();
            dst[dim] = index[idx[dim]];
            expected[flat(shape, dst)] += at(src, idx);
          }
          jsBackend.indexAdd(out, shape, dim, index, src);
          for (let i = 0; i < n; i++) expect(Math.abs(out[i] - expected[i])).toBeLessThanOrEqual(dtype === "float32" ? 1e-5 : 0);
        }
      }
    });
  }
});

describe("jsBackend.gather and scatterAdd", () => {
  const cases: { xShape: number[]; idxShape: number[]; dim: number }[] = [
    { xShape: [6], idxShape: [4], dim: 0 },
    { xShape: [3, 5], idxShape: [3, 2], dim: 1 },
    { xShape: [3, 5], idxShape: [2, 5], dim: 0 },
    { xShape: [4, 3, 5], idxShape: [2, 3, 4], dim: 1 },
    { xShape: [4, 3], idxShape: [0, 3], dim: 0 },
  ];
  for (const dtype of ["float32", "float64", "int32"] as const) {
    it(`gather reads x[..., index, ...] on ${dtype} for every layout`, () => {
      const rng = new Rng(91);
      for (const { xShape, idxShape, dim } of cases) {
        for (const layout of LAYOUTS) {
          const x = randomView(xShape, dtype, layout, rng);
          const n = idxShape.reduce((a, b) => a * b, 1);
          const index = randomIndex(n, xShape[dim], rng);
          const out = alloc(dtype, n);
          jsBackend.gather(x, dim, index, out, idxShape);
          for (const idx of indices(idxShape)) {
            const k = flat(idxShape, idx);
            const src = idx.slice();
            src[dim] = index[k];
            expect(out[k]).toBe(at(x, src));
          }
        }
      }
    });
    it(`scatterAdd adds src into out[..., index, ...] on ${dtype} for every source layout`, () => {
      const rng = new Rng(92);
      for (const { xShape, idxShape, dim } of cases) {
        for (const layout of LAYOUTS) {
          const src = randomView(idxShape, dtype, layout, rng);
          const n = idxShape.reduce((a, b) => a * b, 1);
          const index = randomIndex(n, xShape[dim], rng);
          const outN = xShape.reduce((a, b) => a * b, 1);
          const out = alloc(dtype, outN);
          const expected = new Float64Array(outN);
          for (const idx of indices(idxShape)) {
            const k = flat(idxShape, idx);
            const dst = idx.slice();
            dst[dim] = index[k];
            expected[flat(xShape, dst)] += at(src, idx);
          }
          jsBackend.scatterAdd(out, xShape, dim, index, src);
          for (let i = 0; i < outN; i++) expect(Math.abs(out[i] - expected[i])).toBeLessThanOrEqual(dtype === "float32" ? 1e-5 : 0);
        }
      }
    });
  }
  it("reject out-of-range indices and oversized index shapes", () => {
    const x = viewOf(new Float64Array(6), [2, 3]);
    expect(() => jsBackend.gather(x, 1, Int32Array.of(0, 3), new Float64Array(2), [2, 1])).toThrow(/out of bounds/);
    expect(() => jsBackend.gather(x, 1, new Int32Array(12), new Float64Array(12), [3, 4])).toThrow(/exceeds/);
    expect(() => jsBackend.gather(x, 1, new Int32Array(2), new Float64Array(1), [2, 1])).toThrow(/out holds 1/);
    expect(() => jsBackend.scatterAdd(new Float64Array(5), [2, 3], 0, Int32Array.of(1), viewOf(new Float64Array(1), [1, 1]))).toThrow(/out holds 5/);
    expect(() => jsBackend.scatterAdd(new Float64Array(6), [2, 3], 0, Int32Array.of(2), viewOf(new Float64Array(1), [1, 1]))).toThrow(/out of bounds/);
  });
});

describe("jsBackend threads", () => {
  it("is single-threaded and validates setNumThreads", () => {
    expect(jsBackend.name).toBe("js");
    jsBackend.setNumThreads(4);
    expect(jsBackend.getNumThreads()).toBe(1);
    expect(() => jsBackend.setNumThreads(0)).toThrow(/positive integer/);
    expect(() => jsBackend.setNumThreads(1.5)).toThrow(/positive integer/);
  });
});
