/**
 * Checks shared by the optimizers and the learning-rate schedulers: PyTorch would refuse an unexpected keyword
 * argument, and a misspelt option (`weightdecay`) would otherwise be ignored without a word.
 */
const hasOwn = (o: object, k: PropertyKey): boolean => Object.prototype.hasOwnProperty.call(o, k);

/** Throws when opts has a key that is not one of `accepted`, naming it and the accepted ones. */
export function checkOptionKeys(owner: string, opts: unknown, accepted: readonly string[]): void {
  if (opts === undefined) return;
  if (opts === null || typeof opts !== "object" || Array.isArray(opts)) {
    throw new TypeError(`${owner}() expects its options as an object, got ${opts === null ? "null" : Array.isArray(opts) ? "an array" : typeof opts}`);
  }
  for (const k of Object.keys(opts)) {
    if (!accepted.includes(k)) {
      throw new Error(`${owner}() got an unexpected keyword argument '${k}' (accepted options: ${accepted.join(", ")})`);
    }
  }
}

/** The value of an own option key, or the default when it is absent or undefined. */
export function opt<T>(opts: object | undefined, key: string, dflt: T): T {
  if (opts === undefined || !hasOwn(opts, key)) return dflt;
  const v = (opts as Record<string, unknown>)[key];
  return v === undefined ? dflt : (v as T);
}
