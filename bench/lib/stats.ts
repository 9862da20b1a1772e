// Small statistics and timing helpers shared by the JS children and the runner.
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export const nowS = (): number => performance.now() / 1000;

/**
 * Runs `once` (which returns its own measured figure) up to `reps` times, stopping early when the
 * budget is spent, so slow peers still finish; at least one repetition always runs.
 */
export function repeat(reps: number, budgetS: number, once: () => number): number[] {
  const out: number[] = [];
  const t0 = nowS();
  for (let r = 0; r < reps; r++) {
    out.push(once());
    if (nowS() - t0 > budgetS) break;
  }
  return out;
}

/** Seconds per call of `fn`, calling it until `minTimeS` has passed (at least once). */
export function timePerCall(fn: () => void, minTimeS: number, maxCalls = Infinity): number {
  let calls = 0;
  const t0 = nowS();
  let t = t0;
  do {
    fn();
    calls++;
    t = nowS();
  } while (t - t0 < minTimeS && calls < maxCalls);
  return (t - t0) / calls;
}

/** Predicted seconds for size n from the time at size prev, scaling as n^power. */
export const predictS = (tPrev: number, prev: number, n: number, power: number): number => tPrev * (n / prev) ** power;
