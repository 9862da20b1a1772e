/**
 * torch.linspace's values bit for bit, as PyTorch 1.13's CPU kernel (linspace_kernel through
 * cpu_serial_kernel_vec) produces them. With step = (end − start)/(steps − 1) in the element type (double for
 * integers) and the halfway point h = ⌊steps/2⌋, the value at i is
 *   start + step·i         for i < h,
 *   end − step·(steps−i−1)  for i ≥ h,
 * each computed with one rounding (the compiler fuses the multiply-add). The kernel fills the output two
 * vectors of W lanes at a time (W = 8 for float32 and int32, 4 for float64, AVX2's widths): each vector
 * takes that formula once for its first index as `base` (lane 0), and its lane k is base + k·step, rounded
 * twice (the product, then the sum); the last steps mod 2W elements take the formula per element. (Above
 * 32768 steps PyTorch splits the work among threads, each chunk starting its own vectors; this follows one
 * chunk, as PyTorch does single-threaded.)
 */
import type { DType, TypedArray } from "./backend/types";

const fr = Math.fround;

export function fillLinspace(out: TypedArray, start: number, end: number, steps: number, dtype: DType): void {
  if (steps === 1) out[0] = dtype === "int32" ? Math.trunc(start) : start;
  else if (steps < 2) return;
  else if (dtype === "float32") fillFloat32(out, start, end, steps);
  else if (dtype === "float64") fillDouble(out, start, end, steps, 4, (v) => v);
  else if (dtype === "int32") fillDouble(out, Math.trunc(start), Math.trunc(end), steps, 8, Math.trunc);
  else {
    const step = (end - start) / (steps - 1);
    const half = Math.floor(steps / 2);
    for (let i = 0; i < steps; i++) out[i] = i < half ? start + step * i : end - step * (steps - i - 1);
  }
}

/** float32: start, end and step in float; integer multipliers converted to float as C++ does. */
function fillFloat32(out: TypedArray, start: number, end: number, steps: number): void {
  const s = fr(start), e = fr(end);
  const step = fr(fr(e - s) / fr(steps - 1));
  const half = Math.floor(steps / 2);
  // step times an integer below 2^24 is exact in double, so the fused result is one rounding of p + c.
  const at = (i: number): number => (i < half ? fusedToFloat32(step * fr(i), s) : fusedToFloat32(-(step * fr(steps - i - 1)), e));
  const W = 8;
  let idx = 0;
  for (; idx + 2 * W <= steps; idx += 2 * W) {
    for (let v = idx; v < idx + 2 * W; v += W) {
      const base = at(v);
      out[v] = base;
      for (let k = 1; k < W; k++) out[v + k] = fr(base + fr(k * step));
    }
  }
  for (; idx < steps; idx++) out[idx] = at(idx);
}

/** float64 (and int32, whose kernel computes in double and truncates the base and each lane). */
function fillDouble(out: TypedArray, start: number, end: number, steps: number, W: number, cast: (v: number) => number): void {
  const step = (end - start) / (steps - 1);
  const half = Math.floor(steps / 2);
  const at = (i: number): number => (i < half ? fmaDouble(step, i, start) : fmaDouble(-step, steps - i - 1, end));
  let idx = 0;
  for (; idx + 2 * W <= steps; idx += 2 * W) {
    for (let v = idx; v < idx + 2 * W; v += W) {
      const base = cast(at(v));
      out[v] = base;
      for (let k = 1; k < W; k++) out[v + k] = cast(base + k * step);
    }
  }
  for (; idx < steps; idx++) out[idx] = cast(at(idx));
}

const bits = new DataView(new ArrayBuffer(8));

/**
 * Round-to-odd of the double sum r = RN(x + y) whose exact error is err: when inexact and r's last bit is
 * even, step one ulp toward the exact sum. Rounding that result again (to float32, or in a further sum)
 * cannot round twice (Boldo and Melquiond).
 */
function toOdd(r: number, err: number): number {
  if (err === 0 || !Number.isFinite(r)) return r;
  bits.setFloat64(0, r);
  if ((bits.getUint32(4) & 1) !== 0) return r;
  const up = err > 0 === r > 0;
  bits.setBigUint64(0, bits.getBigUint64(0) + (up ? 1n : -1n));
  return bits.getFloat64(0);
}

/** float32(p + c) rounded once, as a fused multiply-add gives it (p = a float times an integer, exact in double). */
function fusedToFloat32(p: number, c: number): number {
  const r = p + c;
  const b = r - p;
  return fr(toOdd(r, (p - (r - b)) + (c - b)));
}

const SPLIT = 134217729; // 2^27 + 1, Veltkamp's splitter for doubles

/**
 * a·b + c rounded once in double (C's fma): the product exactly as hi + lo (Dekker), hi + c exactly as
 * th + tl (Knuth's two-sum), then RN(th + RO(tl + lo)) — the emulation Boldo and Melquiond prove correct.
 */
function fmaDouble(a: number, b: number, c: number): number {
  const hi = a * b;
  if (!Number.isFinite(hi) || !Number.isFinite(c) || hi === 0) return hi + c;
  const ca = SPLIT * a, ah = ca - (ca - a), al = a - ah;
  const cb = SPLIT * b, bh = cb - (cb - b), bl = b - bh;
  const lo = ((ah * bh - hi) + ah * bl + al * bh) + al * bl;
  const th = hi + c;
  const bb = th - hi;
  const tl = (hi - (th - bb)) + (c - bb);
  const v = tl + lo;
  const vb = v - tl;
  return th + toOdd(v, (tl - (v - vb)) + (lo - vb));
}
