import { describe, expect, it } from "vitest";
import { jsBackend } from "../../../ts/backend/js/index.js";
import type { DType, UnaryOp, View } from "../../../ts/backend/types.js";
import { isClose, type Tolerance } from "../../support/close.js";
import { Rng } from "../../support/rng.js";
import { at, contiguousView, expectUntouchedOutside, indices, LAYOUTS, OUT_LAYOUTS, randomView, SMALL_SHAPES, storeAs, viewOf } from "../../support/views.js";

const P0 = 0.3;
const P1 = 1.7;

/**
 * The table's formulas restated independently for the original ops; ops added later are checked against
 * PyTorch's goldens (test/core) and by the native-vs-TypeScript parity suite, which reads the op table.
 */
const reference: Partial<Record<UnaryOp, (v: number) => number>> = {
  copy: (v) => v,
  neg: (v) => -v,
  abs: (v) => (v < 0 ? -v : v),
  sign: (v) => (v > 0 ? 1 : v < 0 ? -1 : 0),
  exp: Math.exp,
  log: Math.log,
  sqrt: Math.sqrt,
  rsqrt: (v) => 1 / Math.sqrt(v),
  square: (v) => v * v,
  reciprocal: (v) => 1 / v,
  sin: Math.sin,
  cos: Math.cos,
  tanh: Math.tanh,
  sigmoid: (v) => 1 / (1 + Math.exp(-v)),
  relu: (v) => Math.max(v, 0),
  leakyRelu: (v) => (v > 0 ? v : P0 * v),
  elu: (v) => (v > 0 ? v : P0 * (Math.exp(v) - 1)),
  clamp: (v) => Math.min(Math.max(v, P0), P1),
  powScalar: (v) => Math.pow(v, P0),
  addScalar: (v) => v + P0,
  mulScalar: (v) => v * P0,
  rsubScalar: (v) => P0 - v,
  rdivScalar: (v) => P0 / v,
  logicalNot: (v) => (v ? 0 : 1),
};

const ALL_OPS = Object.keys(reference) as UnaryOp[];
const ref = (op: UnaryOp): ((v: number) => number) => reference[op]!;
const INT_OPS: UnaryOp[] = ["copy", "neg", "abs", "sign", "square", "relu", "addScalar", "rsubScalar", "logicalNot"];

function outDtype(op: UnaryOp, dtype: DType): DType {
  return op === "logicalNot" ? "bool" : dtype;
}

/** Runs op on every layout pair and checks each element and that storage outside `out` is untouched. */
function checkUnary(op: UnaryOp, dtype: DType, seed: number): void {
  const rng = new Rng(seed);
  const tol: Tolerance = dtype === "float32" ? { rtol: 1e-6, atol: 1e-6 } : { rtol: 1e-13, atol: 1e-13 };
  for (const shape of SMALL_SHAPES) {
    for (const xLayout of LAYOUTS) {
      for (const outLayout of OUT_LAYOUTS) {
        const x = randomView(shape, dtype, xLayout, rng);
        const out = randomView(shape, outDtype(op, dtype), outLayout, rng);
        const before = out.data.slice();
        jsBackend.unary(op, x, out, P0, P1);
        for (const idx of indices(shape)) {
          const expected = storeAs(outDtype(op, dtype), ref(op)(at(x, idx)));
          const actual = at(out, idx);
          if (!isClose(actual, expected, tol)) {
            throw new Error(`${op} ${dtype} [${shape}] ${xLayout}->${outLayout} at [${idx}]: ${actual} != ${expected}`);
          }
        }
        expectUntouchedOutside(out, before, op);
      }
    }
  }
}

describe("jsBackend.unary", () => {
  for (const dtype of ["float32", "float64"] as const) {
    for (const op of ALL_OPS) {
      it(`${op} on ${dtype} matches a naive loop over every layout`, () => checkUnary(op, dtype, 17));
    }
  }
  for (const op of INT_OPS) {
    it(`${op} on int32 matches a naive loop over every layout`, () => checkUnary(op, "int32", 5));
  }
  it("copy and logicalNot work on bool", () => {
    checkUnary("copy", "bool", 3);
    checkUnary("logicalNot", "bool", 4);
  });

  it("relu keeps NaN and -0 as PyTorch does", () => {
    const x = new Float64Array([NaN, -0, 0, -2, 3, -Infinity, Infinity]);
    const out = new Float64Array(7);
    jsBackend.unary("relu", viewOf(x), viewOf(out));
    expect(Array.from(out)).toEqual([NaN, -0, 0, 0, 3, 0, Infinity]);
    expect(Object.is(out[1], -0)).toBe(true);
  });

  it("sign of zero and NaN is 0 (PyTorch 1.13)", () => {
    const x = new Float32Array([NaN, -0, 0, -2.5, 3]);
    const out = new Float32Array(5);
    jsBackend.unary("sign", viewOf(x), viewOf(out));
    expect(Array.from(out)).toEqual([0, 0, 0, -1, 1]);
  });

  it("sigmoid stays finite and exact at large |x|", () => {
    const x = new Float64Array([-1000, -745, 0, 745, 1000, NaN]);
    const out = new Float64Array(6);
    jsBackend.unary("sigmoid", viewOf(x), viewOf(out));
    expect(out[0]).toBe(0);
    expect(out[2]).toBe(0.5);
    expect(out[3]).toBe(1);
    expect(out[4]).toBe(1);
    expect(out[5]).toBeNaN();
    expect(out[1]).toBeGreaterThanOrEqual(0);
  });

  it("clamp treats a NaN bound as no bound and keeps NaN inputs", () => {
    const x = new Float64Array([-5, 0.5, 5, NaN]);
    const out = new Float64Array(4);
    jsBackend.unary("clamp", viewOf(x), viewOf(out), NaN, 1);
    expect(Array.from(out)).toEqual([-5, 0.5, 1, NaN]);
    jsBackend.unary("clamp", viewOf(x), viewOf(out), 0, NaN);
    expect(Array.from(out)).toEqual([0, 0.5, 5, NaN]);
    jsBackend.unary("clamp", viewOf(x), viewOf(out), 3, 2);
    expect(Array.from(out)).toEqual([2, 2, 2, NaN]);
  });

  it("copy casts floats to int32 by truncation, NaN and overflow to INT_MIN", () => {
    const x = new Float64Array([1.9, -1.9, 0.5, NaN, 1e10, -1e10, 2147483647]);
    const out = new Int32Array(7);
    jsBackend.unary("copy", viewOf(x), viewOf(out));
    expect(Array.from(out)).toEqual([1, -1, 0, -2147483648, -2147483648, -2147483648, 2147483647]);
  });

  it("copy casts to bool as x != 0 (NaN is true) and from bool as 0/1", () => {
    const x = new Float32Array([0, -0, 0.25, -3, NaN, 256]);
    const b = new Uint8Array(6);
    jsBackend.unary("copy", viewOf(x), viewOf(b));
    expect(Array.from(b)).toEqual([0, 0, 1, 1, 1, 1]);
    const back = new Float64Array(6);
    jsBackend.unary("copy", viewOf(b), viewOf(back));
    expect(Array.from(back)).toEqual([0, 0, 1, 1, 1, 1]);
    const ints = new Int32Array([0, 7, -1]);
    const b2 = new Uint8Array(3);
    jsBackend.unary("copy", viewOf(ints), viewOf(b2));
    expect(Array.from(b2)).toEqual([0, 1, 1]);
  });

  it("any op writing bool stores x != 0, even from bool input", () => {
    const b = new Uint8Array([0, 1]);
    const out = new Uint8Array(2);
    jsBackend.unary("neg", viewOf(b), viewOf(out));
    expect(Array.from(out)).toEqual([0, 1]);
    jsBackend.unary("addScalar", viewOf(b), viewOf(out), 2);
    expect(Array.from(out)).toEqual([1, 1]);
  });

  it("rounds float32 results to float32", () => {
    const x = new Float32Array([0.1, 1 / 3]);
    const out = new Float32Array(2);
    jsBackend.unary("mulScalar", viewOf(x), viewOf(out), 3);
    expect(out[0]).toBe(Math.fround(Math.fround(0.1) * 3));
    expect(out[1]).toBe(Math.fround(Math.fround(1 / 3) * 3));
  });

  it("writes through an in-place strided view", () => {
    const base = contiguousView([3, 4], "float64");
    for (let i = 0; i < 12; i++) base.data[i] = i;
    const column: View = { data: base.data, dtype: base.dtype, offset: 1, shape: [3], strides: [4] };
    jsBackend.unary("neg", column, column);
    expect(Array.from(base.data)).toEqual([0, -1, 2, 3, 4, -5, 6, 7, 8, -9, 10, 11]);
  });
});
