/**
 * The seeded random generator of the test suites, so that every failure reproduces from its seed.
 *
 * The generator is xorshift32 (Marsaglia; 32-bit state, period 2^32 − 1): small, fast, and good enough
 * for picking shapes, layouts and values. It is the generator the native-vs-js parity suite was written
 * with, kept so that suite's random cases stay the same: its tolerances were set against them. (Small
 * seeds start with a draw or two close to 0; every suite draws far more than that.)
 */
export class Rng {
  private s: number;

  /** Any number seeds it (taken modulo 2^32; 0, which xorshift cannot leave, becomes 1). */
  constructor(seed: number) {
    this.s = seed >>> 0 || 1;
  }

  /** Uniform in [0, 1), with 32 random bits (never exactly 0). */
  next(): number {
    let x = this.s;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.s = x >>> 0;
    return this.s / 4294967296;
  }

  /** Uniform in [lo, hi). */
  uniform(lo = 0, hi = 1): number {
    return lo + (hi - lo) * this.next();
  }

  /** A uniform integer in [lo, hi], both ends included. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** Standard normal (Box–Muller, one draw of the pair). */
  normal(): number {
    const u = this.next() || 1e-12;
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  /** One element of a non-empty array, uniformly. */
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)]!;
  }

  /** Shuffles `xs` in place (Fisher–Yates) and returns it. */
  shuffle<T>(xs: T[]): T[] {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      [xs[i], xs[j]] = [xs[j]!, xs[i]!];
    }
    return xs;
  }
}
