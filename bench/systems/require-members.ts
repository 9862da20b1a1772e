// Run-time check that tensorgrad exports what a workload needs, so a missing piece reads
// "not available (...)" in the table instead of a TypeError.
/** Throws "not available (...)" naming the first missing member, e.g. "nn.Linear". */
export function requireMembers(tg: unknown, paths: readonly string[]): void {
  for (const p of paths) {
    let cur: unknown = tg;
    for (const key of p.split(".")) {
      cur = cur !== null && (typeof cur === "object" || typeof cur === "function") ? (cur as Record<string, unknown>)[key] : undefined;
    }
    if (cur === undefined) throw new Error(`not available (tensorgrad has no ${p} yet)`);
  }
}
