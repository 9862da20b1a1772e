/**
 * Scalar ports of the Cephes-style AVX routines PyTorch's float32 randn uses on AVX2 builds
 * (log256_ps and sincos256_ps in ATen/native/cpu/avx_mathfun.h), one lane at a time, every
 * step rounded to float. The AVX2 kernels are compiled with -mfma and GCC contracts each
 * `add(mul(a, b), c)` whose product has no other use into one fused multiply-add; `mad` below
 * marks those sites.
 */
import { bitsToFloat, floatBits, fmaf, fround } from "./float32";

const fr = fround;
/** A multiply feeding an add that the compiler fused. */
const mad = fmaf;

const SQRTHF = fr(0.707106781186547524);
const LOG_P = [
  7.0376836292e-2, -1.151461031e-1, 1.167699874e-1, -1.2420140846e-1, 1.4249322787e-1, -1.6668057665e-1,
  2.0000714765e-1, -2.4999993993e-1, 3.3333331174e-1,
].map(fr);
const LOG_Q1 = fr(-2.1219444e-4);
const LOG_Q2 = fr(0.693359375);
const MIN_NORM_POS = bitsToFloat(0x00800000);

/** log256_ps for one float lane (argument in (0, 1] on the randn path). */
export function log256(x: number): number {
  if (!(x > 0)) return NaN; // the routine ORs an all-ones mask in: NaN for x ≤ 0
  x = Math.max(x, MIN_NORM_POS);
  const bits = floatBits(x);
  // Mantissa with the exponent of 0.5: x ∈ [0.5, 1).
  x = bitsToFloat((bits & ~0x7f800000) | 0x3f000000);
  let e = fr((bits >>> 23) - 127 + 1);
  const below = x < SQRTHF;
  const tmp = below ? x : 0;
  x = fr(x - 1);
  e = fr(e - (below ? 1 : 0));
  x = fr(x + tmp);
  const z = fr(x * x);
  let y = LOG_P[0];
  for (let k = 1; k < LOG_P.length; k++) y = mad(y, x, LOG_P[k]);
  y = fr(y * x);
  y = mad(y, z, fr(e * LOG_Q1));
  y = fr(y - fr(z * 0.5));
  return mad(e, LOG_Q2, fr(x + y));
}

const MINUS_DP1 = fr(-0.78515625);
const MINUS_DP2 = fr(-2.4187564849853515625e-4);
const MINUS_DP3 = fr(-3.77489497744594108e-8);
const SINCOF = [-1.9515295891e-4, 8.3321608736e-3, -1.6666654611e-1].map(fr);
const COSCOF = [2.443315711809948e-5, -1.388731625493765e-3, 4.166664568298827e-2].map(fr);
const FOPI = fr(1.27323954473516);

/** sincos256_ps for one float lane; writes [sin, cos] into `out`. */
export function sincos256(theta: number, out: [number, number]): void {
  let signSin = theta < 0 || Object.is(theta, -0);
  let x = Math.abs(theta);
  // Octant index j, rounded up to even (Cephes' j = (j + 1) & ~1).
  let j = Math.trunc(fr(x * FOPI));
  j = (j + 1) & ~1;
  const y = j;
  const swapSin = (j & 4) !== 0;
  const polyMask = (j & 2) === 0;
  // x − y·π/4 in three pieces ("extended precision modular arithmetic").
  x = mad(y, MINUS_DP1, x);
  x = mad(y, MINUS_DP2, x);
  x = mad(y, MINUS_DP3, x);
  const signCos = (~(j - 2) & 4) !== 0;
  signSin = signSin !== swapSin;
  const z = fr(x * x);
  let yc = mad(COSCOF[0], z, COSCOF[1]);
  yc = mad(yc, z, COSCOF[2]);
  yc = fr(yc * z);
  yc = mad(yc, z, -fr(z * 0.5));
  yc = fr(yc + 1);
  let ys = mad(SINCOF[0], z, SINCOF[1]);
  ys = mad(ys, z, SINCOF[2]);
  ys = fr(ys * z);
  ys = mad(ys, x, x);
  // Blend the two polynomials (the selected one plus +0, as the vector code adds).
  const s = polyMask ? ys + 0 : yc + 0;
  const c = polyMask ? yc + 0 : ys + 0;
  out[0] = signSin ? -s : s;
  out[1] = signCos ? -c : c;
}
