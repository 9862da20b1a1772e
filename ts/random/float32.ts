/** Float32 arithmetic helpers for reproducing single-precision kernels bit for bit. */

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

export const fround = Math.fround;

export function floatBits(x: number): number {
  f32[0] = x;
  return u32[0];
}

export function bitsToFloat(bits: number): number {
  u32[0] = bits >>> 0;
  return f32[0];
}

/** The float adjacent to float `r`, on the side of `s`. */
function neighbourToward(r: number, s: number): number {
  if (r === 0) return s > 0 ? bitsToFloat(1) : bitsToFloat(0x80000001);
  const bits = floatBits(r);
  // Moving away from zero increments the magnitude bits, whatever the sign.
  return bitsToFloat(s > r === r > 0 ? bits + 1 : bits - 1);
}

/**
 * Single-precision fused multiply-add fl32(a·b + c) for float inputs. a·b is exact in double; the
 * sum is rounded once to double, and the one case where rounding that again to float is wrong
 * (the double sum lands exactly on a float tie while the discarded error is not zero) is fixed.
 */
export function fmaf(a: number, b: number, c: number): number {
  const p = a * b;
  const s = p + c;
  const r = fround(s);
  if (r === s) return r;
  const bv = s - p;
  const err = p - (s - bv) + (c - bv);
  if (err === 0) return r;
  const other = neighbourToward(r, s);
  if (s !== (r + other) / 2) return r;
  // A tie in double but not in exact arithmetic: round toward the side the error is on.
  return err > 0 === other > r ? other : r;
}
