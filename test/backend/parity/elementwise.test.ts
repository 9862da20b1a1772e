import { dtypeOfArray } from "../../../ts/dtype";
import { describe, expect, it } from "vitest";
import type { BinaryOp, FloatDType, TypedArray, UnaryOp, View } from "../../../ts/backend/types";
import { BINARY_OPS, UNARY_OPS, isComparison, testCases } from "../../../ts/backend/op-table";
import { PARITY_TOL, js, native, noAddon } from "../../support/backends";
import { EXACT, expectClose } from "../../support/close";
import { Rng } from "../../support/rng";
import {
  EDGE_SHAPES, FLOAT_DTYPES, LAYOUTS, OUT_LAYOUTS, alloc, at, copyView, fillRandom, indices, layoutView, randomShape, type Layout,
} from "../../support/views";

// Every op of the table with its test parameters: a new op is parity-tested without touching this file.
const UNARY = testCases(UNARY_OPS) as [UnaryOp, number?, number?][];
const BINARY = testCases(BINARY_OPS) as [BinaryOp, number?][];

/**
 * For a binary op declaring parityAtol (a formula whose value crosses zero), each output element may differ
 * by parityAtol·max(1, |a|) beside PARITY_TOL's relative tolerance: a is the factor the result scales with.
 */
function expectCloseScaled(got: View, want: View, a: View, atol: number, dtype: FloatDType, what: string): void {
  const rtol = PARITY_TOL[dtype].rtol ?? 0;
  for (const idx of indices(want.shape)) {
    const g = at(got, idx), w = at(want, idx);
    if (Object.is(g, w) || (g !== g && w !== w)) continue;
    const tol = rtol * Math.abs(w) + atol * Math.max(1, Math.abs(at(a, idx)));
    if (!(Math.abs(g - w) <= tol)) throw new Error(`${what}: at [${idx}] got ${g}, expected ${w} (a = ${at(a, idx)})`);
  }
}

/** Random cases plus the edge shapes, each with input and output layouts. */
function* cases(seed: number, count: number): Generator<{ shape: readonly number[]; inL: Layout; outL: Layout; rng: Rng }> {
  const rng = new Rng(seed);
  for (const shape of EDGE_SHAPES) yield { shape, inL: rng.pick(LAYOUTS), outL: rng.pick(OUT_LAYOUTS), rng };
  for (let i = 0; i < count; i++) yield { shape: randomShape(rng), inL: rng.pick(LAYOUTS), outL: rng.pick(OUT_LAYOUTS), rng };
}

function floatView(dtype: FloatDType, shape: readonly number[], layout: Layout, rng: Rng, special: number): View {
  const v = layoutView(shape, layout, rng, (n) => alloc(dtype, n));
  fillRandom(v.data, rng, 2, special);
  return v;
}

describe.skipIf(noAddon)("parity: elementwise kernels (native vs js)", () => {
  for (const dtype of FLOAT_DTYPES) {
    for (const [op, p0, p1] of UNARY) {
      it(`unary ${op}(${p0 ?? ""}${p1 !== undefined ? `, ${p1}` : ""}) ${dtype}`, () => {
        let n = 0;
        for (const { shape, inL, outL, rng } of cases(op.length * 7919 + (p0 ?? 3) * 13, 40)) {
          const x = floatView(dtype, shape, inL, rng, 0.05);
          const out = floatView(dtype, shape, outL, rng, 0);
          const o1 = copyView(out), o2 = copyView(out);
          js.unary(op, x, o1, p0, p1);
          native!.unary(op, x, o2, p0, p1);
          expectClose(o2.data, o1.data, PARITY_TOL[dtype], `${op} ${dtype} shape [${shape}] ${inL}->${outL}`);
          n++;
        }
        expect(n).toBeGreaterThan(40);
      });
    }

    it(`unary copy casts ${dtype} to the other float dtype`, () => {
      const other: FloatDType = dtype === "float32" ? "float64" : "float32";
      for (const { shape, inL, outL, rng } of cases(5, 30)) {
        const x = floatView(dtype, shape, inL, rng, 0.05);
        const out = floatView(other, shape, outL, rng, 0);
        const o1 = copyView(out), o2 = copyView(out);
        js.unary("copy", x, o1);
        native!.unary("copy", x, o2);
        expectClose(o2.data, o1.data, EXACT, `cast ${dtype}->${other} [${shape}]`);
      }
    });

    for (const [op, p0 = 0.2] of BINARY) {
      it(`binary ${op}(${p0}) ${dtype} (broadcast, strided, in-place)`, () => {
        for (const { shape, inL, outL, rng } of cases(op.length * 31 + 1, 40)) {
          const a = floatView(dtype, shape, inL, rng, 0.05);
          const b = floatView(dtype, shape, rng.pick(LAYOUTS), rng, 0.05);
          const out: View = isComparison(op)
            ? layoutView(shape, outL, rng, (n) => new Uint8Array(n).fill(7))
            : floatView(dtype, shape, outL, rng, 0);
          const o1 = copyView(out), o2 = copyView(out);
          js.binary(op, a, b, o1, p0);
          native!.binary(op, a, b, o2, p0);
          const atol = (BINARY_OPS[op] as { parityAtol?: number }).parityAtol;
          if (atol === undefined) expectClose(o2.data, o1.data, PARITY_TOL[dtype], `${op} ${dtype} [${shape}] ${inL}->${outL}`);
          else expectCloseScaled(o2, o1, a, atol, dtype, `${op} ${dtype} [${shape}] ${inL}->${outL}`);
        }
        // in place: out is a itself
        const rng = new Rng(99);
        const a = floatView(dtype, [37, 41], "transposed", rng, 0.02);
        const b = floatView(dtype, [37, 41], "expanded", rng, 0.02);
        if (!isComparison(op)) {
          const a1 = copyView(a), a2 = copyView(a);
          js.binary(op, a1, b, a1, p0);
          native!.binary(op, a2, b, a2, p0);
          const atol = (BINARY_OPS[op] as { parityAtol?: number }).parityAtol;
          if (atol === undefined) expectClose(a2.data, a1.data, PARITY_TOL[dtype], `${op} in place`);
          else expectCloseScaled(a2, a1, a, atol, dtype, `${op} in place`);
        }
      });
    }

    it(`where ${dtype}`, () => {
      for (const { shape, inL, outL, rng } of cases(17, 40)) {
        const cond = layoutView(shape, rng.pick(LAYOUTS), rng, (n) => new Uint8Array(n));
        for (let i = 0; i < cond.data.length; i++) cond.data[i] = rng.next() < 0.5 ? 1 : 0;
        const a = floatView(dtype, shape, inL, rng, 0.05);
        const b = floatView(dtype, shape, rng.pick(LAYOUTS), rng, 0.05);
        const out = floatView(dtype, shape, outL, rng, 0);
        const o1 = copyView(out), o2 = copyView(out);
        js.where(cond, a, b, o1);
        native!.where(cond, a, b, o2);
        expectClose(o2.data, o1.data, EXACT, `where [${shape}]`);
      }
    });

    it(`fill ${dtype}`, () => {
      for (const { shape, outL, rng } of cases(23, 40)) {
        const out = floatView(dtype, shape, outL, rng, 0);
        const value = rng.pick([0, 1.5, -0.1, NaN, Infinity, 1e-3]);
        const o1 = copyView(out), o2 = copyView(out);
        js.fill(o1, value);
        native!.fill(o2, value);
        expectClose(o2.data, o1.data, EXACT, `fill [${shape}] ${value}`);
      }
    });
  }

  it("float32 tanh/exp/sigmoid stay within 2.5 ulp of the correctly rounded result over a dense sweep", () => {
    const n = 1 << 18;
    const x = new Float32Array(n);
    for (let i = 0; i < n; i++) x[i] = -25 + (50 * i) / n;
    x[0] = -90; x[1] = 88; x[2] = -103; x[3] = 1e-30; x[4] = -0; x[5] = 87;
    for (const op of ["tanh", "exp", "sigmoid"] as const) {
      const o = new Float32Array(n);
      const v = (d: TypedArray): View => ({ data: d, dtype: dtypeOfArray(d), offset: 0, shape: [n], strides: [1] });
      native!.unary(op, v(x), v(o));
      let worst = 0;
      for (let i = 0; i < n; i++) {
        const xv = x[i];
        const ref = op === "tanh" ? Math.tanh(xv) : op === "exp" ? Math.exp(xv) : 1 / (1 + Math.exp(-xv));
        const r32 = Math.fround(ref);
        if (r32 === o[i]) continue;
        const ulp = Math.abs(Math.fround(r32 * (1 + 2 ** -23)) - r32) || 2 ** -149;
        worst = Math.max(worst, Math.abs(o[i] - ref) / ulp);
      }
      expect(worst, op).toBeLessThanOrEqual(2.5);
    }
  });
});
