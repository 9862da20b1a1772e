/**
 * bfloat16 and float16 words <-> numbers, as PyTorch's c10::BFloat16 and c10::Half convert: a number is
 * first rounded to float32 (so float64 values round twice, as PyTorch's static_cast does), then to 16 bits
 * with round-to-nearest-even; NaN becomes bfloat16 0x7FC0 / float16 0x7E00 (with its sign), overflow ±Inf,
 * and float16 keeps its subnormals.
 */
import type { DType, HalfDType, TypedArray } from "./types";

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

export function isHalf(d: DType): d is HalfDType {
  return d === "bfloat16" || d === "float16";
}

/** The bfloat16 word nearest to v (ties to even). */
export function bf16FromNumber(v: number): number {
  if (v !== v) return 0x7fc0;
  f32[0] = v;
  const w = u32[0];
  return ((w + (((w >>> 16) & 1) + 0x7fff)) >>> 16) & 0xffff;
}

export function numberFromBf16(h: number): number {
  u32[0] = h << 16;
  return f32[0];
}

const SCALE_TO_INF = 2 ** 112;
const SCALE_TO_ZERO = 2 ** -110;

/** The float16 word nearest to v (ties to even): c10::detail::fp16_ieee_from_fp32_value. */
export function f16FromNumber(v: number): number {
  f32[0] = v;
  const w = u32[0];
  const shl1 = (w << 1) >>> 0;
  const sign = (w & 0x80000000) >>> 16;
  if (shl1 > 0xff000000) return sign | 0x7e00;
  let base = Math.fround(Math.fround(Math.abs(f32[0]) * SCALE_TO_INF) * SCALE_TO_ZERO);
  let bias = shl1 & 0xff000000;
  if (bias >>> 0 < 0x71000000) bias = 0x71000000;
  u32[0] = ((bias >>> 1) + 0x07800000) >>> 0;
  base = Math.fround(f32[0] + base);
  f32[0] = base;
  const bits = u32[0];
  return sign | (((bits >>> 13) & 0x7c00) + (bits & 0x0fff));
}

/** c10::detail::fp16_ieee_to_fp32_value: exact. */
export function numberFromF16(h: number): number {
  const exp = (h >>> 10) & 0x1f;
  const man = h & 0x3ff;
  const s = h & 0x8000 ? -1 : 1;
  if (exp === 0) return s * man * 2 ** -24;
  if (exp === 31) return man === 0 ? s * Infinity : NaN;
  return s * (1 + man / 1024) * 2 ** (exp - 15);
}

export function halfFromNumber(d: HalfDType, v: number): number {
  return d === "bfloat16" ? bf16FromNumber(v) : f16FromNumber(v);
}

export function numberFromHalf(d: HalfDType, h: number): number {
  return d === "bfloat16" ? numberFromBf16(h) : numberFromF16(h);
}

/** The element to store in a storage of dtype d for the value v (a 16-bit word for the 16-bit floats). */
export function storedValue(d: DType, v: number): number {
  return d === "bfloat16" ? bf16FromNumber(v) : d === "float16" ? f16FromNumber(v) : v;
}

/** The value of a stored element (16-bit words decoded). */
export function valueOf(d: DType, e: number): number {
  return d === "bfloat16" ? numberFromBf16(e) : d === "float16" ? numberFromF16(e) : e;
}

/** dst[i] = value of src[srcOff + i], for n words of dtype d. */
export function halfToFloat32(d: HalfDType, src: Uint16Array, srcOff: number, dst: Float32Array, n: number): void {
  if (d === "bfloat16") {
    const w = new Uint32Array(dst.buffer, dst.byteOffset, dst.length);
    for (let i = 0; i < n; i++) w[i] = src[srcOff + i] << 16;
  } else {
    for (let i = 0; i < n; i++) dst[i] = numberFromF16(src[srcOff + i]);
  }
}

/** dst[dstOff + i] = the word nearest to src[i], for n values. */
export function float32ToHalf(d: HalfDType, src: ArrayLike<number>, dst: Uint16Array, dstOff: number, n: number): void {
  if (d === "bfloat16") for (let i = 0; i < n; i++) dst[dstOff + i] = bf16FromNumber(src[i]);
  else for (let i = 0; i < n; i++) dst[dstOff + i] = f16FromNumber(src[i]);
}

/** The values of a storage as numbers (16-bit words decoded; other dtypes as they are). */
export function storageValues(d: DType, data: TypedArray): ArrayLike<number> {
  if (!isHalf(d)) return data;
  const out = new Float32Array(data.length);
  halfToFloat32(d, data as Uint16Array, 0, out, data.length);
  return out;
}
