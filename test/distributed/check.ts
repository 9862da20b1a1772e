/** Assertions for the scripts run under mpirun: a failure throws, which aborts the whole MPI job. */
export function check(cond: boolean, what: string): void {
  if (!cond) throw new Error(`check failed: ${what}`);
}

export function checkClose(got: ArrayLike<number>, want: ArrayLike<number>, what: string, tol = 0): void {
  check(got.length === want.length, `${what}: length ${got.length} vs ${want.length}`);
  for (let i = 0; i < got.length; i++) {
    const err = Math.abs(got[i] - want[i]);
    if (!(err <= tol * Math.max(1, Math.abs(want[i])))) {
      throw new Error(`check failed: ${what}: element ${i} is ${got[i]}, expected ${want[i]}`);
    }
  }
}

export function checkThrows(fn: () => unknown, message: string, what: string): void {
  try {
    fn();
  } catch (e) {
    const m = e instanceof Error ? e.message : String(e);
    check(m.includes(message), `${what}: threw "${m}", expected "${message}"`);
    return;
  }
  throw new Error(`check failed: ${what}: did not throw`);
}
