/**
 * float32 <-> bfloat16/float16 copies of contiguous views on the addon's vectorised conversions (the casts
 * autocast and .bfloat16() make); other copies are left to the caller.
 */
import { DTYPE_CODE } from "../dtype-codes";
import { isHalf } from "../half";
import { contiguousStrides, isContiguous, numel } from "../js/iterate";
import { jsHalfConverter, type HalfConverter } from "../js/half-kernels";
import type { View } from "../types";
import type { NativeAddon } from "./addon";

/** Converts x into out when one is float32 and the other 16-bit, both contiguous; false when it did nothing. */
export function halfCopy(addon: NativeAddon, x: View, out: View, minElements: number): boolean {
  const toHalf = x.dtype === "float32" && isHalf(out.dtype);
  const fromHalf = isHalf(x.dtype) && out.dtype === "float32";
  if (!toHalf && !fromHalf) return false;
  const n = numel(out.shape);
  if (n < minElements || x.shape.length !== out.shape.length || !isContiguous(x) || !isContiguous(out)) return false;
  for (let d = 0; d < x.shape.length; d++) if (x.shape[d] !== out.shape[d]) return false;
  if (toHalf) addon.toHalf(x.data as Float32Array, x.offset, out.data as Uint16Array, out.offset, n, DTYPE_CODE[out.dtype as "bfloat16"]);
  else addon.fromHalf(x.data as Uint16Array, x.offset, out.data as Float32Array, out.offset, n, DTYPE_CODE[x.dtype as "bfloat16"]);
  return true;
}

/** The HalfConverter of the native families: the addon's conversions for contiguous views, TypeScript's otherwise. */
export function nativeHalfConverter(addon: NativeAddon, minElements: number): HalfConverter {
  return {
    widen(v: View): View {
      if (!isHalf(v.dtype) || numel(v.shape) < minElements || !isContiguous(v)) return jsHalfConverter.widen(v);
      const out: View = { data: new Float32Array(numel(v.shape)), dtype: "float32", offset: 0, shape: v.shape, strides: contiguousStrides(v.shape) };
      halfCopy(addon, v, out, 0);
      return out;
    },
    narrowInto(from: View, out: View): void {
      if (!halfCopy(addon, from, out, minElements)) jsHalfConverter.narrowInto(from, out);
    },
    copy: (x: View, out: View): boolean => halfCopy(addon, x, out, minElements),
  };
}
