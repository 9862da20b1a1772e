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

/** x^p with PyTorch's special exponents: 2 → x·x, 0.5 → √x, −1 → 1/x (each one rounding, as in float). */
export function powScalar(x: number, p: number): number {
  return p === 2 ? x * x : p === 0.5 ? Math.sqrt(x) : p === -1 ? 1 / x : Math.pow(x, p);
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
