/** The closeness check of the test suites: absolute and relative tolerance, NaN-aware, or bit for bit. */

export interface Tolerance {
  /** Allowed |actual − expected| relative to |expected| (default 0). */
  rtol?: number;
  /** Allowed |actual − expected| regardless of magnitude (default 0). */
  atol?: number;
  /** Same number to the bit: Object.is, so -0 differs from 0 (rtol and atol are then ignored). */
  bitwise?: boolean;
}

/** Exact equality that treats NaN as equal to NaN and -0 as equal to 0. */
export const EXACT: Tolerance = { rtol: 0, atol: 0 };
export const BITWISE: Tolerance = { bitwise: true };

/**
 * Whether `actual` is close to `expected`: both NaN, or equal (so infinities must match exactly), or both
 * finite with |actual − expected| ≤ atol + rtol·|expected|. With `bitwise`, Object.is(actual, expected).
 */
export function isClose(actual: number, expected: number, tol: Tolerance = EXACT): boolean {
  if (tol.bitwise) return Object.is(actual, expected);
  if (Number.isNaN(actual) || Number.isNaN(expected)) return Number.isNaN(actual) && Number.isNaN(expected);
  if (actual === expected) return true;
  if (!Number.isFinite(actual) || !Number.isFinite(expected)) return false;
  return Math.abs(actual - expected) <= (tol.atol ?? 0) + (tol.rtol ?? 0) * Math.abs(expected);
}

function describeTolerance(tol: Tolerance): string {
  return tol.bitwise ? "bitwise" : `rtol ${tol.rtol ?? 0}, atol ${tol.atol ?? 0}`;
}

/** A number as text, with -0 shown as -0 (String(-0) is "0"). */
export function show(v: number): string {
  return Object.is(v, -0) ? "-0" : String(v);
}

/**
 * Asserts that `actual` and `expected` have the same length and are close element by element (see
 * isClose). The error names `what`, how many elements differ, and the first few by index with both values.
 */
export function expectClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tol: Tolerance = EXACT,
  what = "values",
): void {
  if (actual.length !== expected.length) {
    throw new Error(`${what}: ${actual.length} elements, expected ${expected.length}`);
  }
  const shown: string[] = [];
  let bad = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i], e = expected[i];
    if (isClose(a, e, tol)) continue;
    if (++bad <= 5) shown.push(`[${i}] got ${show(a)}, expected ${show(e)} (off by ${Math.abs(a - e)})`);
  }
  if (bad > 0) {
    const more = bad > shown.length ? `; and ${bad - shown.length} more` : "";
    throw new Error(`${what}: ${bad} of ${expected.length} elements differ (${describeTolerance(tol)}): ${shown.join("; ")}${more}`);
  }
}
