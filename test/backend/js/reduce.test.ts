import { dtypeOfArray } from "../../../ts/dtype";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { jsBackend } from "../../../ts/backend/js/index.js";
import type { DType, ReduceOp, View } from "../../../ts/backend/types.js";
import { expectClose, isClose } from "../../support/close.js";
import { Rng } from "../../support/rng.js";
import { alloc, at, indices, LAYOUTS, randomView, storeAs, viewOf } from "../../support/views.js";

const REDUCE_SHAPES: readonly (readonly number[])[] = [[], [1], [6], [0], [3, 0], [0, 3], [4, 5], [2, 3, 4], [3, 1, 5, 2], [40, 33]];

const combine: Record<ReduceOp, (acc: number, v: number) => number> = {
  sum: (acc, v) => acc + v,
  prod: (acc, v) => acc * v,
  max: (acc, v) => (Number.isNaN(acc) || Number.isNaN(v) ? NaN : Math.max(acc, v)),
  min: (acc, v) => (Number.isNaN(acc) || Number.isNaN(v) ? NaN : Math.min(acc, v)),
};
const start: Record<ReduceOp, number> = { sum: 0, prod: 1, max: -Infinity, min: Infinity };

describe("jsBackend.reduce", () => {
  for (const op of ["sum", "prod", "max", "min"] as const) {
    for (const dtype of ["float32", "float64", "int32"] as const) {
      it(`${op} on ${dtype} over the last 0..rank dims of every layout`, () => {
        const rng = new Rng(41);
        for (const shape of REDUCE_SHAPES) {
          for (let nRed = 0; nRed <= shape.length; nRed++) {
            const lead = shape.slice(0, shape.length - nRed);
            const red = shape.slice(shape.length - nRed);
            const redCount = red.reduce((a, b) => a * b, 1);
            if (redCount === 0 && (op === "max" || op === "min")) continue;
            for (const layout of LAYOUTS) {
              const x = randomView(shape, dtype, layout, rng);
              const nOut = lead.reduce((a, b) => a * b, 1);
              const out = alloc(dtype, nOut);
              jsBackend.reduce(op, x, nRed, out);
              let k = 0;
              for (const li of indices(lead)) {
                let acc = start[op];
                for (const ri of indices(red)) acc = combine[op](acc, at(x, [...li, ...ri]));
                const expected = storeAs(dtype, acc);
                if (!isClose(out[k], expected, dtype === "float32" ? { rtol: 1e-5, atol: 1e-5 } : { rtol: 1e-12, atol: 1e-12 })) {
                  throw new Error(`${op} ${dtype} [${shape}] nRed=${nRed} ${layout}: out[${k}] = ${out[k]}, expected ${expected}`);
                }
                k++;
              }
            }
          }
        }
      });
    }
  }

  it("sum of nothing is 0 and prod of nothing is 1", () => {
    const x = viewOf(new Float32Array(0), [2, 0]);
    const out = new Float32Array([7, 7]);
    jsBackend.reduce("sum", x, 1, out);
    expect(Array.from(out)).toEqual([0, 0]);
    jsBackend.reduce("prod", x, 1, out);
    expect(Array.from(out)).toEqual([1, 1]);
  });

  it("max and min propagate NaN wherever it sits", () => {
    const x = viewOf(new Float64Array([NaN, 1, 2, 3, NaN, 4, 5, 6, NaN, 7, 8, 9]), [4, 3]);
    const out = new Float64Array(4);
    jsBackend.reduce("max", x, 1, out);
    expect(Array.from(out)).toEqual([NaN, NaN, NaN, 9]);
    jsBackend.reduce("min", x, 1, out);
    expect(Array.from(out)).toEqual([NaN, NaN, NaN, 7]);
    const whole = new Float64Array(1);
    jsBackend.reduce("max", x, 2, whole);
    expect(whole[0]).toBeNaN();
  });

  it("max and min propagate NaN when reducing over the strided dim of a transposed view", () => {
    // Stored as [3][4]; viewed as its transpose [4][3] and reduced over the last dim (stride 4).
    const data = new Float64Array([1, NaN, 3, 4, 5, 6, NaN, 8, 9, 10, 11, 12]);
    const t: View = { data, dtype: dtypeOfArray(data), offset: 0, shape: [4, 3], strides: [1, 4] };
    const out = new Float64Array(4);
    jsBackend.reduce("max", t, 1, out);
    expect(Array.from(out)).toEqual([9, NaN, NaN, 12]);
    jsBackend.reduce("min", t, 1, out);
    expect(Array.from(out)).toEqual([1, NaN, NaN, 4]);
  });

  it("rejects max over an empty reduction and a bad nReduced", () => {
    expect(() => jsBackend.reduce("max", viewOf(new Float32Array(0), [2, 0]), 1, new Float32Array(2))).toThrow(/empty/);
    expect(() => jsBackend.reduce("sum", viewOf(new Float32Array(4), [4]), 2, new Float32Array(1))).toThrow(/nReduced/);
  });
});

interface SumFixture {
  cases: { n: number; dtype: "float32" | "float64"; sum: number }[];
  columns: { shape: [number, number]; dtype: "float32" | "float64"; sums: number[] }[];
}
const sumFixture = JSON.parse(readFileSync(new URL("./fixtures/sum-reference.json", import.meta.url), "utf8")) as SumFixture;

describe("float sums follow PyTorch's order bit for bit (fixtures/sum-reference.json)", () => {
  for (const c of sumFixture.cases) {
    it(`${c.dtype}, ${c.n} elements, contiguous and as rows of a strided view`, () => {
      const make = c.dtype === "float32" ? (n: number) => new Float32Array(n) : (n: number) => new Float64Array(n);
      const row = make(c.n);
      for (let i = 0; i < c.n; i++) row[i] = (((i * 7919) % 1001) - 500) / 37;
      const out = make(1);
      jsBackend.reduce("sum", viewOf(row), 1, out);
      expect(out[0]).toBe(c.sum);
      // The same row twice, rows 2n + 1 apart in storage: the lead dim is strided, each row contiguous.
      const padded = make(3 * c.n + 1);
      padded.set(row, 0);
      padded.set(row, 2 * c.n + 1);
      const two = make(2);
      jsBackend.reduce("sum", { data: padded, dtype: dtypeOfArray(padded), offset: 0, shape: [2, c.n], strides: [2 * c.n + 1, 1] }, 1, two);
      expect(Array.from(two)).toEqual([c.sum, c.sum]);
    });
  }
});

describe("float column sums follow PyTorch's order bit for bit (fixtures/sum-reference.json)", () => {
  for (const c of sumFixture.columns) {
    it(`${c.dtype} [${c.shape}] summed over dim 0`, () => {
      const [rows, cols] = c.shape;
      const data = c.dtype === "float32" ? new Float32Array(rows * cols) : new Float64Array(rows * cols);
      for (let i = 0; i < data.length; i++) data[i] = (((i * 7919) % 1001) - 500) / 37;
      const out = c.dtype === "float32" ? new Float32Array(cols) : new Float64Array(cols);
      // Reduced dims go last: the transpose [cols, rows] with strides [1, cols].
      jsBackend.reduce("sum", { data, dtype: dtypeOfArray(data), offset: 0, shape: [cols, rows], strides: [1, cols] }, 1, out);
      expect(Array.from(out)).toEqual(c.sums);
    });
  }
});

describe("jsBackend.argReduce", () => {
  for (const op of ["argmax", "argmin"] as const) {
    for (const dtype of ["float32", "float64", "int32", "bool"] as const satisfies readonly DType[]) {
      it(`${op} on ${dtype} returns the first extreme over every layout`, () => {
        const rng = new Rng(51);
        for (const shape of [[], [1], [7], [4, 5], [2, 3, 6], [30, 9]] as number[][]) {
          for (const layout of LAYOUTS) {
            const x = randomView(shape, dtype, layout, rng);
            const lead = shape.slice(0, Math.max(0, shape.length - 1));
            const n = shape.length === 0 ? 1 : shape[shape.length - 1];
            const nOut = lead.reduce((a, b) => a * b, 1);
            const idxOut = new Int32Array(nOut);
            const valOut = alloc(dtype, nOut);
            jsBackend.argReduce(op, x, idxOut, valOut);
            let k = 0;
            for (const li of indices(lead)) {
              const row = Array.from({ length: n }, (_, j) => at(x, shape.length === 0 ? [] : [...li, j]));
              const extreme = op === "argmax" ? Math.max(...row) : Math.min(...row);
              expect(idxOut[k]).toBe(row.indexOf(extreme));
              expect(valOut[k]).toBe(extreme);
              k++;
            }
          }
        }
      });
    }
  }

  it("treats the first NaN as the extreme and works without a values output", () => {
    const x = viewOf(new Float32Array([1, NaN, 5, NaN, 9, 3, 2, 1, NaN]), [3, 3]);
    const idx = new Int32Array(3);
    jsBackend.argReduce("argmax", x, idx, null);
    expect(Array.from(idx)).toEqual([1, 0, 2]);
    const vals = new Float32Array(3);
    jsBackend.argReduce("argmin", x, idx, vals);
    expect(Array.from(idx)).toEqual([1, 0, 2]);
    expect(Array.from(vals)).toEqual([NaN, NaN, NaN]);
  });

  it("rejects an empty reduced dim", () => {
    expect(() => jsBackend.argReduce("argmax", viewOf(new Float32Array(0), [2, 0]), new Int32Array(2), null)).toThrow(/empty/);
  });
});

function referenceSoftmax(x: Float64Array, outer: number, dim: number, inner: number, log: boolean): Float64Array {
  const out = new Float64Array(outer * dim * inner);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const at = (d: number) => o * dim * inner + d * inner + j;
      let m = -Infinity;
      for (let d = 0; d < dim; d++) m = Math.max(m, x[at(d)]);
      let s = 0;
      for (let d = 0; d < dim; d++) s += Math.exp(x[at(d)] - m);
      for (let d = 0; d < dim; d++) out[at(d)] = log ? x[at(d)] - m - Math.log(s) : Math.exp(x[at(d)] - m) / s;
    }
  }
  return out;
}

describe("jsBackend.softmax", () => {
  for (const log of [false, true]) {
    for (const f32 of [false, true]) {
      it(`${log ? "logSoftmax" : "softmax"} (${f32 ? "float32" : "float64"}) matches the definition for inner = 1 and > 1`, () => {
        const rng = new Rng(61);
        for (const [outer, dim, inner] of [[1, 1, 1], [3, 5, 1], [2, 4, 3], [1, 10, 7], [5, 33, 2], [2, 0, 3], [0, 3, 2]]) {
          const n = outer * dim * inner;
          const x = f32 ? new Float32Array(n + 3) : new Float64Array(n + 3);
          for (let i = 0; i < x.length; i++) x[i] = (rng.next() - 0.5) * 40;
          const out = f32 ? new Float32Array(n) : new Float64Array(n);
          jsBackend.softmax(x, 3, outer, dim, inner, log, out);
          const expected = referenceSoftmax(Float64Array.from(x.subarray(3)), outer, dim, inner, log);
          const tol = f32 ? 1e-6 : 1e-13;
          expectClose(out, expected, { rtol: tol, atol: tol }, `[${outer}, ${dim}, ${inner}]`);
        }
      });
    }
  }

  it("is stable for large inputs and handles -Inf like PyTorch", () => {
    const x = new Float64Array([1000, 1001, 1002, -Infinity, 0, 1, -Infinity, -Infinity, -Infinity]);
    const out = new Float64Array(9);
    jsBackend.softmax(x, 0, 3, 3, 1, false, out);
    expect(out.slice(0, 3).every(Number.isFinite)).toBe(true);
    expect(isClose(out[0] + out[1] + out[2], 1, { rtol: 1e-15, atol: 1e-15 })).toBe(true);
    expect(out[3]).toBe(0);
    expect(Array.from(out.slice(6))).toEqual([NaN, NaN, NaN]);
    jsBackend.softmax(x, 0, 3, 3, 1, true, out);
    expect(out[3]).toBe(-Infinity);
    expect(isClose(out[5], 1 - Math.log(1 + Math.E), { rtol: 1e-15, atol: 1e-15 })).toBe(true);
    expect(Array.from(out.slice(6))).toEqual([NaN, NaN, NaN]);
  });

  it("propagates NaN through its slice only", () => {
    const x = new Float32Array([0, NaN, 1, 2]);
    const out = new Float32Array(4);
    jsBackend.softmax(x, 0, 2, 2, 1, false, out);
    expect(Array.from(out.slice(0, 2))).toEqual([NaN, NaN]);
    expect(out[2] + out[3]).toBeCloseTo(1, 6);
  });
});
