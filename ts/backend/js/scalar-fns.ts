/** Scalar helpers that the op table's `js` formulas call (ts/backend/op-table.ts). */

/** Numerically stable logistic function: never evaluates exp of a large positive number. */
export function sigmoid(v: number): number {
  if (v >= 0) return 1 / (1 + Math.exp(-v));
  const e = Math.exp(v);
  return e / (1 + e);
}

/**
 * The error function to a few ulp: for |x| ≤ 6 the all-positive series erf x = (2/√π)·e^{−x²}·Σ 2ⁿx^{2n+1}/(2n+1)!!
 * (no cancellation); beyond, erf x = ±1 to double precision (erfc 6 ≈ 2e-17).
 */
export function erf(x: number): number {
  if (x !== x) return x;
  const ax = Math.abs(x);
  if (ax > 6) return x > 0 ? 1 : -1;
  const x2 = ax * ax;
  let term = ax;
  let total = ax;
  for (let n = 1; n < 200; n++) {
    term *= (2 * x2) / (2 * n + 1);
    total += term;
    if (term < total * 1e-17) break;
  }
  const r = 1.1283791670955126 * Math.exp(-x2) * total;
  return x < 0 ? -r : r;
}

/**
 * x^p in float64 with the exponents PyTorch's pow kernel special-cases computed as it does (ATen's
 * pow_tensor_scalar_kernel and pow_Tensor_Scalar_out): 0 → 1, 1 → x, 2 → x·x, 3 → x·x·x, −2 → 1/(x·x),
 * 0.5 → √x, −0.5 → 1/√x, −1 → 1/x; any other exponent is pow.
 */
export function powScalar(x: number, p: number): number {
  switch (p) {
    case 2: return x * x;
    case 3: return x * x * x;
    case 0.5: return Math.sqrt(x);
    case -1: return 1 / x;
    case -2: return 1 / (x * x);
    case -0.5: return 1 / Math.sqrt(x);
    case 1: return x;
    case 0: return 1;
    default: return Math.pow(x, p);
  }
}

/**
 * powScalar for a float32 result: each step of a special case rounded to float32, as PyTorch computes it
 * in float (x·x and one division of two floats are already exact-then-rounded in double; x·x·x and the
 * divisions by x·x or √x need the intermediate rounded).
 */
export function powScalarF32(x: number, p: number): number {
  switch (p) {
    case 3: return Math.fround(x * x) * x;
    case -2: return 1 / Math.fround(x * x);
    case -0.5: return 1 / Math.fround(Math.sqrt(x));
    default: return powScalar(x, p);
  }
}

/** Round half to even (torch.round, C's nearbyint): Math.round rounds halves up. */
export function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Python's modulus: the result takes the divisor's sign (torch.remainder). */
export function pyMod(a: number, b: number): number {
  const m = a % b;
  return m !== 0 && b < 0 !== m < 0 ? m + b : m;
}

/** min(max(v, lo), hi) with NaN bounds meaning unbounded; a NaN input stays NaN. */
export function clamp(v: number, lo: number, hi: number): number {
  const a = v < lo ? lo : v;
  return a > hi ? hi : a;
}

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/**
 * erfc z for z ≥ 0 to ~1e-15 relative: 1 − erf z below 1 (at most 6× cancellation), beyond, the even continued
 * fraction erfc z = e^{−z²}/√π · 2z/(2z²+1 − 1·2/(2z²+5 − 3·4/(2z²+9 − …))), 100 terms (converged from z = 1).
 */
function erfcPos(z: number): number {
  if (z < 1) return 1 - erf(z);
  const x2 = 2 * z * z;
  let t = x2 + 401;
  for (let n = 100; n > 0; n--) t = x2 + 4 * n - 3 - ((2 * n - 1) * (2 * n)) / t;
  return (Math.exp(-z * z) / Math.sqrt(Math.PI)) * ((2 * z) / t);
}

/** Φ(x), the standard normal CDF, without the cancellation of 1 + erf(x/√2) for x < 0. */
function normalCdf(x: number): number {
  return x < 0 ? 0.5 * erfcPos(-x * Math.SQRT1_2) : 0.5 * (1 + erf(x * Math.SQRT1_2));
}

/** GELU: x·Φ(x) (tanh = 0) or PyTorch's tanh approximation (tanh = 1). */
export function gelu(x: number, tanh: number): number {
  if (tanh === 0) return x * normalCdf(x);
  return 0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x)));
}

/** dGELU/dx as PyTorch's gelu_backward computes it. */
export function geluGrad(x: number, tanh: number): number {
  if (tanh === 0) return normalCdf(x) + x * Math.exp(-0.5 * x * x) * INV_SQRT_2PI;
  const x2 = x * x;
  const t = Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x2 * x));
  return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * SQRT_2_OVER_PI * (1 + 3 * 0.044715 * x2);
}
