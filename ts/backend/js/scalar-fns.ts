/** Scalar helpers that the op table's `js` formulas call (ts/backend/op-table.ts). */

/** Numerically stable logistic function: never evaluates exp of a large positive number. */
export function sigmoid(v: number): number {
  if (v >= 0) return 1 / (1 + Math.exp(-v));
  const e = Math.exp(v);
  return e / (1 + e);
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
