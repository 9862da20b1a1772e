/**
 * Correctly rounded double log, sin and cos (evaluated in double-double, then rounded once).
 * PyTorch's float64 Box–Muller calls glibc's, which agree with the correctly rounded result in all
 * but about 0.1% of arguments; V8's Math.log/sin/cos (fdlibm) differ in several percent.
 */
import { type DD, dd, ddAdd, ddDiv, ddMul, twoProd, twoSum } from "./doubleDouble";

const LN2: DD = [0.6931471805599453, 2.3190468138462996e-17];

/** 1/(2i+1) as double-doubles, for atanh's series. */
const ATANH_COEF: DD[] = Array.from({ length: 14 }, (_, i) => ddDiv(dd(1), dd(2 * i + 1), [0, 0]));

/** 1/n! as double-doubles, n = 0 … 31. */
const INV_FACT: DD[] = [];
{
  let f: DD = [1, 0];
  for (let n = 0; n < 32; n++) {
    if (n > 0) f = ddMul(f, dd(n), [0, 0]);
    INV_FACT.push(ddDiv(dd(1), f, [0, 0]));
  }
}

const a: DD = [0, 0];
const b: DD = [0, 0];
const c: DD = [0, 0];
const s2: DD = [0, 0];

/** Correctly rounded natural log of a positive finite double. */
export function log(x: number): number {
  if (!(x > 0) || x === Infinity) return Math.log(x);
  if (x === 1) return 0;
  // x = 2^k · m with m ∈ [√½, √2); log x = k·ln2 + 2·atanh((m − 1)/(m + 1)).
  let k = Math.floor(Math.log2(x));
  let m = x / 2 ** k;
  if (m < 1) { m *= 2; k -= 1; } // log2 rounding near powers of two
  if (m >= 2) { m /= 2; k += 1; }
  if (m > Math.SQRT2) { m /= 2; k += 1; }
  twoSum(m, 1, b);
  ddDiv(dd(m - 1, a), b, c); // s = (m − 1)/(m + 1); m − 1 is exact
  ddMul(c, c, s2);
  const y: DD = [ATANH_COEF[ATANH_COEF.length - 1][0], ATANH_COEF[ATANH_COEF.length - 1][1]];
  for (let i = ATANH_COEF.length - 2; i >= 0; i--) ddAdd(ddMul(y, s2, y), ATANH_COEF[i], y);
  ddMul(y, c, y);
  ddAdd(y, y, y);
  if (k !== 0) ddAdd(ddMul(LN2, dd(k, a), b), y, y);
  return y[0] + y[1];
}

// π/2 in pieces: P1 and P2 have 33 significant bits, so k·P1 and k·P2 are exact for small k.
const PIO2_1 = 1.5707963267341256;
const PIO2_2 = 6.077100506303966e-11;
const PIO2_3 = 2.0222662487959506e-21;
const PIO2_3T = 8.4784276603689e-32;

const r: DD = [0, 0];
const t: DD = [0, 0];
const sr: DD = [0, 0];
const cr: DD = [0, 0];

/** Reduces |x| < 2^20 to r = x − k·π/2 (in `r`), returns k mod 4. */
function reduce(x: number): number {
  const k = Math.round(x / (Math.PI / 2));
  twoSum(x - k * PIO2_1, -k * PIO2_2, r); // x − k·P1 is exact (Sterbenz) for these k
  ddAdd(r, twoProd(-k, PIO2_3, t), r);
  ddAdd(r, dd(-k * PIO2_3T, t), r);
  return ((k % 4) + 4) % 4;
}

/** sin and cos of the reduced argument, as double-doubles (Taylor series, |r| ≤ π/4). */
function sincosReduced(): void {
  ddMul(r, r, s2);
  // sin r = r · Σ (−1)^i r^{2i} / (2i+1)!,  cos r = Σ (−1)^i r^{2i} / (2i)!
  dd(0, sr);
  dd(0, cr);
  for (let i = 14; i >= 0; i--) {
    const sign = i % 2 === 0 ? 1 : -1;
    ddMul(sr, s2, sr);
    ddAdd(sr, dd(sign * INV_FACT[2 * i + 1][0], a), sr);
    sr[1] += sign * INV_FACT[2 * i + 1][1];
    ddMul(cr, s2, cr);
    ddAdd(cr, dd(sign * INV_FACT[2 * i][0], a), cr);
    cr[1] += sign * INV_FACT[2 * i][1];
  }
  ddMul(sr, r, sr);
}

function big(x: number): boolean {
  return !Number.isFinite(x) || Math.abs(x) >= 1048576;
}

/** Correctly rounded sine (arguments below 2^20; larger ones fall back to Math.sin). */
export function sin(x: number): number {
  if (big(x)) return Math.sin(x);
  if (x === 0) return x;
  const q = reduce(x);
  sincosReduced();
  const v = q === 0 ? sr : q === 1 ? cr : q === 2 ? sr : cr;
  const s = v[0] + v[1];
  return q >= 2 ? -s : s;
}

/** Correctly rounded cosine (arguments below 2^20; larger ones fall back to Math.cos). */
export function cos(x: number): number {
  if (big(x)) return Math.cos(x);
  const q = reduce(x);
  sincosReduced();
  const v = q === 0 ? cr : q === 1 ? sr : q === 2 ? cr : sr;
  const s = v[0] + v[1];
  return q === 1 || q === 2 ? -s : s;
}

/** sin and cos of one argument, both correctly rounded, sharing the reduction: out = [sin, cos]. */
export function sincos(x: number, out: [number, number]): void {
  if (big(x) || x === 0) {
    out[0] = sin(x);
    out[1] = cos(x);
    return;
  }
  const q = reduce(x);
  sincosReduced();
  const sv = sr[0] + sr[1];
  const cv = cr[0] + cr[1];
  out[0] = q === 0 ? sv : q === 1 ? cv : q === 2 ? -sv : -cv;
  out[1] = q === 0 ? cv : q === 1 ? -sv : q === 2 ? -cv : sv;
}
