/**
 * The TypeScript kernels over bfloat16/float16 data: 16-bit inputs are widened to float32, the float32
 * kernel computes, and 16-bit outputs receive the result rounded to nearest even — PyTorch's CPU kernels
 * compute these dtypes in float32 the same way. Calls without 16-bit data go straight to the kernel.
 */
import { float32ToHalf, isHalf } from "../half.js";
import type { HalfDType, Kernels, TypedArray } from "../types.js";
import { narrowInto, wideOut, widen } from "./half-views.js";

type HalfAware = Pick<Kernels, "unary" | "binary" | "where" | "fill" | "reduce" | "argReduce" | "indexAdd" | "scatterAdd">;

/**
 * A 16-bit result computed in float32 first, then rounded into the 16-bit array; with `accumulate` the
 * float32 array starts from out's values (for kernels that add into their output).
 */
function roundedInto(d: HalfDType, out: TypedArray, compute: (wide: Float32Array) => void, accumulate = false): void {
  const wide = accumulate
    ? (widen({ data: out, dtype: d, offset: 0, shape: [out.length], strides: [1] }).data as Float32Array)
    : new Float32Array(out.length);
  compute(wide);
  float32ToHalf(d, wide, out as Uint16Array, 0, out.length);
}

export function halfAware(k: HalfAware): HalfAware {
  return {
    unary(op, x, out, p0, p1) {
      if (!isHalf(x.dtype) && !isHalf(out.dtype)) return k.unary(op, x, out, p0, p1);
      // A copy between equal 16-bit dtypes moves words; anything else computes in float32.
      if (op === "copy" && x.dtype === out.dtype) return k.unary(op, x, out, p0, p1);
      const w = wideOut(out);
      k.unary(op, widen(x), w, p0, p1);
      if (w !== out) narrowInto(w, out);
    },

    binary(op, a, b, out, p0) {
      if (!isHalf(a.dtype) && !isHalf(b.dtype) && !isHalf(out.dtype)) return k.binary(op, a, b, out, p0);
      const w = wideOut(out);
      const wa = widen(a);
      k.binary(op, wa, a === b ? wa : widen(b), w, p0);
      if (w !== out) narrowInto(w, out);
    },

    where(cond, a, b, out) {
      if (!isHalf(out.dtype) && !isHalf(a.dtype) && !isHalf(b.dtype)) return k.where(cond, a, b, out);
      if (a.dtype === out.dtype && b.dtype === out.dtype) return k.where(cond, a, b, out); // selects words
      const w = wideOut(out);
      k.where(cond, widen(a), widen(b), w);
      if (w !== out) narrowInto(w, out);
    },

    fill(out, value) {
      if (!isHalf(out.dtype)) return k.fill(out, value);
      const one = new Float32Array([value]);
      const word = new Uint16Array(1);
      float32ToHalf(out.dtype, one, word, 0, 1);
      k.fill(out, word[0]); // the word, stored as it is
    },

    reduce(op, x, nReduced, out) {
      if (!isHalf(x.dtype)) return k.reduce(op, x, nReduced, out);
      const d = x.dtype;
      const wx = widen(x);
      if (!(out instanceof Uint16Array)) return k.reduce(op, wx, nReduced, out);
      roundedInto(d, out, (wide) => k.reduce(op, wx, nReduced, wide));
    },

    argReduce(op, x, indices, values) {
      if (!isHalf(x.dtype)) return k.argReduce(op, x, indices, values);
      const d = x.dtype;
      const wx = widen(x);
      if (!(values instanceof Uint16Array)) return k.argReduce(op, wx, indices, values);
      roundedInto(d, values, (wide) => k.argReduce(op, wx, indices, wide));
    },

    indexAdd(out, outShape, dim, index, src) {
      if (!isHalf(src.dtype)) return k.indexAdd(out, outShape, dim, index, src);
      const d = src.dtype;
      const ws = widen(src);
      roundedInto(d, out, (wide) => k.indexAdd(wide, outShape, dim, index, ws), true);
    },

    scatterAdd(out, outShape, dim, index, src) {
      if (!isHalf(src.dtype)) return k.scatterAdd(out, outShape, dim, index, src);
      const d = src.dtype;
      const ws = widen(src);
      roundedInto(d, out, (wide) => k.scatterAdd(wide, outShape, dim, index, ws), true);
    },
  };
}
