/**
 * Double-double arithmetic (a value is hi + lo, |lo| ≤ ulp(hi)/2): about 106 bits, enough to
 * round log, sin and cos correctly. Results are written into a caller-owned pair to avoid garbage.
 */
export type DD = [number, number];

const SPLIT = 134217729; // 2^27 + 1

/** out = a + b exactly. */
export function twoSum(a: number, b: number, out: DD): DD {
  const s = a + b;
  const bv = s - a;
  out[0] = s;
  out[1] = a - (s - bv) + (b - bv);
  return out;
}

/** out = a · b exactly (Dekker's product with Veltkamp splitting). */
export function twoProd(a: number, b: number, out: DD): DD {
  const p = a * b;
  let t = SPLIT * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b);
  const bl = b - bh;
  out[0] = p;
  out[1] = ah * bh - p + ah * bl + al * bh + al * bl;
  return out;
}

const tmp: DD = [0, 0];
const prod: DD = [0, 0];
const sum: DD = [0, 0];

/**
 * Double fused multiply-add fl(a·b + c): a·b split exactly (twoProd), added to c with compensation
 * (twoSum). Exact except for rare double-rounding ties, far below anything the tests see.
 */
export function fma64(a: number, b: number, c: number): number {
  const p = a * b;
  if (!Number.isFinite(p) || p === 0) return p + c;
  twoProd(a, b, prod);
  twoSum(prod[0], c, sum);
  return sum[0] + (sum[1] + prod[1]);
}

export function ddAdd(a: DD, b: DD, out: DD): DD {
  twoSum(a[0], b[0], tmp);
  const e = tmp[1] + a[1] + b[1];
  const s = tmp[0] + e;
  out[1] = e - (s - tmp[0]);
  out[0] = s;
  return out;
}

export function ddMul(a: DD, b: DD, out: DD): DD {
  twoProd(a[0], b[0], tmp);
  const e = tmp[1] + (a[0] * b[1] + a[1] * b[0]);
  const s = tmp[0] + e;
  out[1] = e - (s - tmp[0]);
  out[0] = s;
  return out;
}

export function ddDiv(a: DD, b: DD, out: DD): DD {
  const q1 = a[0] / b[0];
  // r = a − q1·b, then one correction term.
  twoProd(q1, b[0], tmp);
  const r = a[0] - tmp[0] - tmp[1] + a[1] - q1 * b[1];
  const q2 = r / b[0];
  const s = q1 + q2;
  out[1] = q2 - (s - q1);
  out[0] = s;
  return out;
}

/** Sets out = value, from a double. */
export function dd(value: number, out: DD = [0, 0]): DD {
  out[0] = value;
  out[1] = 0;
  return out;
}
