/** Argument checks shared by the data classes, with PyTorch's wording. */

export function positiveInt(name: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v <= 0) {
    throw new RangeError(`${name} should be a positive integer value, but got ${name}=${String(v)}`);
  }
  return v;
}

export function bool(name: string, v: unknown, Err: new (m: string) => Error): boolean {
  if (typeof v !== "boolean") throw new Err(`${name} should be a boolean value, but got ${name}=${String(v)}`);
  return v;
}

/** A class name for messages; generator objects have an empty constructor name but a "Generator" tag. */
export function typeName(v: object): string {
  return v.constructor?.name || Object.prototype.toString.call(v).slice(8, -1);
}

/**
 * Options objects are checked for unknown keys: a misspelt or snake_case key would otherwise be
 * ignored silently.
 */
export function checkOptions(owner: string, opts: object, accepted: readonly string[]): void {
  for (const key of Object.keys(opts)) {
    if (accepted.includes(key)) continue;
    const camel = key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
    const hint = camel !== key && accepted.includes(camel) ? ` (did you mean ${camel}?)` : "";
    throw new Error(`${owner} got an unknown option "${key}"${hint}; accepted options: ${accepted.join(", ")}`);
  }
}
