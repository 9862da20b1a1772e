/**
 * The TypeScript kernels over bfloat16/float16 data: 16-bit inputs are widened to float32, the float32
 * kernel computes, and 16-bit outputs receive the result rounded to nearest even — PyTorch's CPU kernels
 * compute these dtypes in float32 the same way. Calls without 16-bit data go straight to the kernel.
 */
import { float32ToHalf, isHalf } from "../half.js";
import type { HalfDType, Kernels, TypedArray, View } from "../types.js";
import { narrowInto, wideOut, widen } from "./half-views.js";
import { fill as fillWords } from "./fill.js";

type HalfAware = Pick<Kernels, "unary" | "binary" | "where" | "fill" | "reduce" | "argReduce" | "indexAdd" | "scatterAdd">;

/** How 16-bit views become float32 and back: in TypeScript, or (native backend) on the addon's vector code. */
export interface HalfConverter {
  /** A contiguous float32 copy of a 16-bit view; any other view as it is. */
  widen(v: View): View;
  /** Rounds `from` (a float32 view of out's shape) into the 16-bit view out. */
  narrowInto(from: View, out: View): void;
  /** A float32 <-> 16-bit copy done directly, or false to take the general path. */
  copy?(x: View, out: View): boolean;
}

export const jsHalfConverter: HalfConverter = { widen, narrowInto };

const flat = (data: TypedArray, dtype: View["dtype"]): View => ({ data, dtype, offset: 0, shape: [data.length], strides: [1] });

/**
 * The kernels of `k` made to take bfloat16/float16 views: 16-bit inputs widened to float32, the kernel run,
 * 16-bit outputs rounded from its float32 result. Kernels `k` lacks stay absent.
 */
export function halfAware<K extends Partial<HalfAware>>(k: K, conv: HalfConverter = jsHalfConverter): K {
  const full = halfAwareAll(k as HalfAware, conv);
  const out: Partial<HalfAware> = {};
  for (const name of Object.keys(k) as (keyof HalfAware)[]) (out as Record<string, unknown>)[name] = full[name];
  return out as K;
}

function halfAwareAll(k: HalfAware, conv: HalfConverter): HalfAware {
  const { widen, narrowInto } = conv;
  /**
   * A 16-bit result computed in float32 first, then rounded into the 16-bit array; with `accumulate` the
   * float32 array starts from out's values (for kernels that add into their output).
   */
  const roundedInto = (d: HalfDType, out: TypedArray, compute: (wide: Float32Array) => void, accumulate = false): void => {
    const wide = accumulate ? (widen(flat(out, d)).data as Float32Array) : new Float32Array(out.length);
    compute(wide);
    narrowInto(flat(wide, "float32"), flat(out, d));
  };
  return {
    unary(op, x, out, p0, p1) {
      if (!isHalf(x.dtype) && !isHalf(out.dtype)) return k.unary(op, x, out, p0, p1);
      // A copy between equal 16-bit dtypes moves words; anything else computes in float32.
      if (op === "copy" && x.dtype === out.dtype) return k.unary(op, x, out, p0, p1);
      if (op === "copy" && conv.copy !== undefined && conv.copy(x, out)) return;
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
      // The word, stored as it is (a fill needs no float32 stand-in).
      const one = new Float32Array([value]);
      const word = new Uint16Array(1);
      float32ToHalf(out.dtype, one, word, 0, 1);
      fillWords(out, word[0]);
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
