/**
 * Options objects of nn constructors and forwards: a key the owner does not accept is an error naming it and
 * the accepted ones (a misspelled option must never be ignored). `accepted` lists every key of the options
 * type — `Record<keyof T, true>` makes the compiler insist on all of them.
 */
export function checkNnOptions<T extends object>(owner: string, opts: T | undefined, accepted: Record<keyof T, true>): T {
  if (opts === undefined) return {} as T;
  if (opts === null || typeof opts !== "object" || Array.isArray(opts)) {
    throw new TypeError(`${owner}: options must be an object, got ${opts === null ? "null" : Array.isArray(opts) ? "an array" : typeof opts}`);
  }
  const keys = Object.keys(accepted);
  for (const k of Object.keys(opts)) {
    if (keys.includes(k)) continue;
    const camel = k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
    const hint = camel !== k && keys.includes(camel) ? ` (did you mean ${camel}?)` : "";
    throw new TypeError(`${owner} got an unexpected keyword argument '${k}'${hint}; accepted options: ${keys.join(", ")}`);
  }
  return opts;
}
