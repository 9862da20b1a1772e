/**
 * Warnings from the ops layer, each distinct message printed once per process, as Python's default
 * warning filter does: a training loop that repeats a questionable call is told once, not every step.
 */
const seen = new Set<string>();

export function warnOnce(message: string, category = "UserWarning"): void {
  const key = `${category}\0${message}`;
  if (seen.has(key)) return;
  seen.add(key);
  process.emitWarning(message, category);
}
