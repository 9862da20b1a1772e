import { describe, expect, it } from "vitest";
import { jsBackend } from "../../../ts/backend/js/index.js";
import type { BinaryOp, DType } from "../../../ts/backend/types.js";
import { BITWISE, isClose, type Tolerance } from "../../support/close.js";
import { Rng } from "../../support/rng.js";
import { at, expectUntouchedOutside, indices, LAYOUTS, OUT_LAYOUTS, randomView, SMALL_SHAPES, storeAs, viewOf } from "../../support/views.js";

const P0 = 0.2;

/**
 * The table's formulas restated independently for the original ops; ops added later are checked against
 * PyTorch's goldens (test/core) and by the native-vs-TypeScript parity suite, which reads the op table.
 */
const reference: Partial<Record<BinaryOp, (a: number, b: number) => number>> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: Math.pow,
  maximum: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.max(a, b)),
  minimum: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.min(a, b)),
  eq: (a, b) => Number(a === b),
  ne: (a, b) => Number(a !== b),
  gt: (a, b) => Number(a > b),
  lt: (a, b) => Number(a < b),
  ge: (a, b) => Number(a >= b),
  le: (a, b) => Number(a <= b),
  tanhBackward: (g, y) => g * (1 - y * y),
  sigmoidBackward: (g, y) => g * y * (1 - y),
  reluBackward: (g, x) => (x > 0 ? g : 0),
  leakyReluBackward: (g, x) => (x > 0 ? g : g * P0),
  eluBackward: (g, y) => (y > 0 ? g : g * (y + P0)),
};

const ALL_OPS = Object.keys(reference) as BinaryOp[];
const ref = (op: BinaryOp): ((a: number, b: number) => number) => reference[op]!;
const COMPARISONS: BinaryOp[] = ["eq", "ne", "gt", "lt", "ge", "le"];
const INT_OPS: BinaryOp[] = ["add", "sub", "mul", "maximum", "minimum", ...COMPARISONS];

function outDtype(op: BinaryOp, dtype: DType): DType {
  return COMPARISONS.includes(op) ? "bool" : dtype;
}

function checkBinary(op: BinaryOp, dtype: DType, seed: number): void {
  const rng = new Rng(seed);
  const tol: Tolerance = dtype === "float32" ? { rtol: 1e-6, atol: 1e-6 } : { rtol: 1e-13, atol: 1e-13 };
  for (const shape of SMALL_SHAPES) {
    for (let t = 0; t < LAYOUTS.length; t++) {
      for (const outLayout of OUT_LAYOUTS) {
        const a = randomView(shape, dtype, LAYOUTS[t], rng);
        const b = randomView(shape, dtype, LAYOUTS[(t + 2) % LAYOUTS.length], rng);
        const out = randomView(shape, outDtype(op, dtype), outLayout, rng);
        const before = out.data.slice();
        jsBackend.binary(op, a, b, out, P0);
        for (const idx of indices(shape)) {
          const expected = storeAs(outDtype(op, dtype), ref(op)(at(a, idx), at(b, idx)));
          const actual = at(out, idx);
          if (!isClose(actual, expected, tol)) {
            throw new Error(`${op} ${dtype} [${shape}] at [${idx}]: ${actual} != ${expected}`);
          }
        }
        expectUntouchedOutside(out, before, op);
      }
    }
  }
}

describe("jsBackend.binary", () => {
  for (const dtype of ["float32", "float64"] as const) {
    for (const op of ALL_OPS) {
      it(`${op} on ${dtype} matches a naive loop over strided, broadcast and offset views`, () => checkBinary(op, dtype, 11));
    }
  }
  for (const op of INT_OPS) {
    it(`${op} on int32 matches a naive loop`, () => checkBinary(op, "int32", 12));
  }

  it("maximum and minimum propagate NaN from either side", () => {
    const a = new Float64Array([NaN, 1, NaN, 2]);
    const b = new Float64Array([1, NaN, NaN, 3]);
    const out = new Float64Array(4);
    jsBackend.binary("maximum", viewOf(a), viewOf(b), viewOf(out));
    expect(Array.from(out)).toEqual([NaN, NaN, NaN, 3]);
    jsBackend.binary("minimum", viewOf(a), viewOf(b), viewOf(out));
    expect(Array.from(out)).toEqual([NaN, NaN, NaN, 2]);
  });

  it("comparisons with NaN are false except ne", () => {
    const a = new Float32Array([NaN, NaN]);
    const b = new Float32Array([NaN, 1]);
    const out = new Uint8Array(2);
    for (const op of ["eq", "gt", "lt", "ge", "le"] as const) {
      jsBackend.binary(op, viewOf(a), viewOf(b), viewOf(out));
      expect(Array.from(out)).toEqual([0, 0]);
    }
    jsBackend.binary("ne", viewOf(a), viewOf(b), viewOf(out));
    expect(Array.from(out)).toEqual([1, 1]);
  });

  it("int32 multiplication wraps like C instead of losing bits", () => {
    const a = new Int32Array([123456789, -2147483648]);
    const b = new Int32Array([987654321, -1]);
    const out = new Int32Array(2);
    jsBackend.binary("mul", viewOf(a), viewOf(b), viewOf(out));
    expect(Array.from(out)).toEqual([Math.imul(123456789, 987654321), -2147483648]);
  });

  it("int32 division never crashes (divide by zero stores 0, others truncate)", () => {
    const a = new Int32Array([7, -7, 1]);
    const b = new Int32Array([2, 2, 0]);
    const out = new Int32Array(3);
    jsBackend.binary("div", viewOf(a), viewOf(b), viewOf(out));
    expect(Array.from(out)).toEqual([3, -3, 0]);
  });

  it("bool add and mul stay 0/1 (logical or / and)", () => {
    const a = new Uint8Array([0, 0, 1, 1]);
    const b = new Uint8Array([0, 1, 0, 1]);
    const out = new Uint8Array(4);
    jsBackend.binary("add", viewOf(a), viewOf(b), viewOf(out));
    expect(Array.from(out)).toEqual([0, 1, 1, 1]);
    jsBackend.binary("mul", viewOf(a), viewOf(b), viewOf(out));
    expect(Array.from(out)).toEqual([0, 0, 0, 1]);
  });

  it("relu/elu backward pass the gradient through a NaN saved value as ATen does", () => {
    const g = new Float64Array([2, 2]);
    const s = new Float64Array([NaN, -1]);
    const out = new Float64Array(2);
    jsBackend.binary("reluBackward", viewOf(g), viewOf(s), viewOf(out));
    expect(Array.from(out)).toEqual([2, 0]);
    jsBackend.binary("eluBackward", viewOf(g), viewOf(s), viewOf(out), 1.5);
    expect(Array.from(out)).toEqual([2, 2 * (-1 + 1.5)]);
  });

  it("adds a broadcast row to a matrix in place", () => {
    const m = new Float32Array([1, 2, 3, 4, 5, 6]);
    const row = new Float32Array([10, 20, 30]);
    const mv = viewOf(m, [2, 3], [3, 1]);
    jsBackend.binary("add", mv, viewOf(row, [2, 3], [0, 1]), mv);
    expect(Array.from(m)).toEqual([11, 22, 33, 14, 25, 36]);
  });
});

describe("jsBackend.where", () => {
  for (const dtype of ["float32", "float64", "int32", "bool"] as const) {
    it(`selects per element on ${dtype} over every layout`, () => {
      const rng = new Rng(21);
      for (const shape of SMALL_SHAPES) {
        for (let t = 0; t < LAYOUTS.length; t++) {
          const cond = randomView(shape, "bool", LAYOUTS[t], rng);
          const a = randomView(shape, dtype, LAYOUTS[(t + 1) % LAYOUTS.length], rng);
          const b = randomView(shape, dtype, LAYOUTS[(t + 3) % LAYOUTS.length], rng);
          const out = randomView(shape, dtype, LAYOUTS[t === 4 ? 0 : t], rng);
          jsBackend.where(cond, a, b, out);
          for (const idx of indices(shape)) {
            expect(at(out, idx)).toBe(at(cond, idx) ? at(a, idx) : at(b, idx));
          }
        }
      }
    });
  }
});

describe("jsBackend.fill", () => {
  for (const dtype of ["float32", "float64", "int32", "bool"] as const) {
    it(`fills exactly the view's elements on ${dtype}`, () => {
      const rng = new Rng(31);
      for (const shape of SMALL_SHAPES) {
        for (const layout of OUT_LAYOUTS) {
          const out = randomView(shape, dtype, layout, rng);
          const before = out.data.slice();
          jsBackend.fill(out, 2.75);
          for (const idx of indices(shape)) expect(at(out, idx)).toBe(storeAs(dtype, dtype === "bool" ? 1 : 2.75));
          expectUntouchedOutside(out, before, "fill", BITWISE);
        }
      }
    });
  }
  it("fills bool with 0 for zero and 1 for anything else", () => {
    const b = new Uint8Array(3);
    jsBackend.fill(viewOf(b), 256);
    expect(Array.from(b)).toEqual([1, 1, 1]);
    jsBackend.fill(viewOf(b), 0);
    expect(Array.from(b)).toEqual([0, 0, 0]);
  });
});
