/**
 * cos and integer powers rounded correctly, as CPython's math.cos and `**` give them through glibc.
 *
 * V8's Math.cos and Math.pow (fdlibm) are off by one ulp for a few percent of arguments (cos(12π/10),
 * 0.95 ** 10), and the chainable schedules feed each value into the next, so PyTorch's learning rates are only
 * reproduced exactly with correctly rounded results. Both are computed exactly enough in BigInt fixed point,
 * then rounded once; arguments outside the covered range fall back to Math.
 */

const Q = 300n; // fixed-point fraction bits
const PI_Q = 0x3243f6a8885a308d313198a2e03707344a4093822299f31d0082efa98ec4e6c89452821e638dn; // floor(π·2^300)
const HALF_PI_Q = PI_Q >> 1n;
const ONE_Q = 1n << Q;

const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);

/** x = m · 2^e exactly, m a non-negative integer below 2^53 (x finite, non-negative). */
function decompose(x: number): [bigint, number] {
  f64[0] = x;
  const bits = u64[0];
  const exp = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & ((1n << 52n) - 1n);
  if (exp === 0) return [frac, -1074];
  return [frac | (1n << 52n), exp - 1075];
}

/** 2^k for an integer k in the normal range, built from its bits (Math.pow is not trusted here). */
function pow2(k: number): number {
  u64[0] = BigInt(k + 1023) << 52n;
  return f64[0];
}

function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

/** n · 2^e rounded to nearest-even (n ≥ 0), or null when the result would not be a normal double. */
function roundBig(n: bigint, e: number): number | null {
  if (n === 0n) return 0;
  const len = bitLength(n);
  if (len + e - 1 > 1023 || len + e - 1 < -1022) return null;
  // Scaled in two exact steps: the mantissa to [1, 2), then the (normal) exponent.
  if (len <= 53) return Number(n) * pow2(1 - len) * pow2(e + len - 1);
  const shift = BigInt(len - 53);
  let q = n >> shift;
  const rem = n - (q << shift);
  const half = 1n << (shift - 1n);
  if (rem > half || (rem === half && (q & 1n) === 1n)) q += 1n;
  return Number(q) * pow2(-52) * pow2(e + len - 1); // q ≤ 2^53: exact; the products only move the exponent
}

/** Taylor series of cos (odd = false) or sin (odd = true) at r (fixed point, |r| ≤ π/4). */
function series(r: bigint, odd: boolean): bigint {
  const r2 = (r * r) >> Q;
  let term = odd ? r : ONE_Q;
  let sum = term;
  for (let k = odd ? 2n : 1n; term !== 0n; k += 1n) {
    const a = odd ? 2n * k - 2n : 2n * k - 1n;
    const b = odd ? 2n * k - 1n : 2n * k;
    term = -((term * r2) >> Q) / (a * b);
    sum += term;
  }
  return sum;
}

/** cos(x), correctly rounded (for |x| < 2^40; beyond, Math.cos). */
export function pyCos(x: number): number {
  if (!Number.isFinite(x)) return NaN;
  const ax = Math.abs(x);
  if (ax < 1e-9) return 1; // 1 − x²/2 rounds to 1
  if (ax >= 2 ** 40) return Math.cos(x);
  const [m, e] = decompose(ax);
  const X = e + Number(Q) >= 0 ? m << BigInt(e + Number(Q)) : m >> BigInt(-(e + Number(Q)));
  // Nearest multiple of π/2, and the remainder in [−π/4, π/4].
  let k = X / HALF_PI_Q;
  let r = X - k * HALF_PI_Q;
  if (2n * r > HALF_PI_Q) {
    k += 1n;
    r -= HALF_PI_Q;
  }
  const quadrant = Number(k & 3n);
  let v = quadrant === 0 ? series(r, false) : quadrant === 1 ? -series(r, true) : quadrant === 2 ? -series(r, false) : series(r, true);
  const neg = v < 0n;
  if (neg) v = -v;
  const out = roundBig(v, -Number(Q));
  if (out === null) return Math.cos(x);
  return neg ? -out : out;
}

/** x ** y as CPython computes it for a float x: exact powers rounded once for integer |y| ≤ 4096, else Math.pow. */
export function pyPow(x: number, y: number): number {
  if (!Number.isInteger(y) || Math.abs(y) > 4096 || !Number.isFinite(x) || x === 0) return Math.pow(x, y);
  if (y === 0) return 1;
  const neg = x < 0 && Math.abs(y) % 2 === 1;
  const [m, e] = decompose(Math.abs(x));
  const n = BigInt(Math.abs(y));
  const p = m ** n;
  let out: number | null;
  if (y > 0) out = roundBig(p, e * Math.abs(y));
  else {
    // 1 / (p · 2^(e·|y|)): a quotient with 64 more bits than needed, plus a sticky bit for the remainder.
    const s = bitLength(p) + 64;
    const num = 1n << BigInt(s);
    const qt = num / p;
    const sticky = num % p === 0n ? 0n : 1n;
    out = roundBig((qt << 1n) | sticky, -s - 1 - e * Math.abs(y));
  }
  if (out === null) return Math.pow(x, y);
  return neg ? -out : out;
}
