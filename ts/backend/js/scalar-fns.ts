/** Scalar helpers that the op table's `js` formulas call (ts/backend/op-table.ts). */

/** Numerically stable logistic function: never evaluates exp of a large positive number. */
export function sigmoid(v: number): number {
  if (v >= 0) return 1 / (1 + Math.exp(-v));
  const e = Math.exp(v);
  return e / (1 + e);
}

/** min(max(v, lo), hi) with NaN bounds meaning unbounded; a NaN input stays NaN. */
export function clamp(v: number, lo: number, hi: number): number {
  const a = v < lo ? lo : v;
  return a > hi ? hi : a;
}
