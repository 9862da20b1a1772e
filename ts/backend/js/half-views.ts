/**
 * bfloat16/float16 views to and from float32, for kernels that compute 16-bit data in float32 and round
 * the result, as PyTorch's CPU kernels do.
 */
import { halfFromNumber, isHalf, numberFromHalf } from "../half.js";
import type { HalfDType, View } from "../types.js";
import { contiguousStrides, numel, Walk } from "./iterate.js";

const walk = new Walk();

/** A contiguous float32 view of this shape with fresh storage. */
export function float32View(shape: readonly number[]): View & { data: Float32Array } {
  return { data: new Float32Array(numel(shape)), dtype: "float32", offset: 0, shape, strides: contiguousStrides(shape) };
}

/** A contiguous float32 copy of a 16-bit view; any other view as it is. */
export function widen(v: View): View {
  if (!isHalf(v.dtype)) return v;
  const d = v.dtype;
  const out = float32View(v.shape);
  if (out.data.length === 0) return out;
  const src = v.data;
  const dst = out.data;
  const w = walk.init(v.shape, out, v, null, null);
  for (let r = 0; r < w.rows; r++) {
    for (let i = 0, oi = w.o0, xi = w.o1; i < w.inner; i++, oi += w.is0, xi += w.is1) dst[oi] = numberFromHalf(d, src[xi]);
    w.advance();
  }
  return out;
}

/** Rounds the values of `from` (any numeric view of out's shape) into the 16-bit view `out`. */
export function narrowInto(from: View, out: View): void {
  const d = out.dtype as HalfDType;
  if (numel(out.shape) === 0) return;
  const src = from.data;
  const dst = out.data;
  const w = walk.init(out.shape, out, from, null, null);
  for (let r = 0; r < w.rows; r++) {
    for (let i = 0, oi = w.o0, xi = w.o1; i < w.inner; i++, oi += w.is0, xi += w.is1) dst[oi] = halfFromNumber(d, src[xi]);
    w.advance();
  }
}

/** The float32 stand-in a kernel writes when `out` is 16-bit (out itself otherwise). */
export function wideOut(out: View): View {
  return isHalf(out.dtype) ? float32View(out.shape) : out;
}
