/**
 * The 32-bit Mersenne Twister as PyTorch's at::mt19937 implements it (ATen/core/MT19937RNGEngine.h):
 * the standard MT19937 recurrence and tempering, seeded with the standard init recurrence from
 * the low 32 bits of the seed.
 */

export const MT_N = 624;
const MT_M = 397;
const MATRIX_A = 0x9908b0df;
const UMASK = 0x80000000;
const LMASK = 0x7fffffff;

export class MT19937 {
  readonly state = new Uint32Array(MT_N);
  /** Draws left before the state is regenerated, plus one (PyTorch's `left_`). */
  left = 1;
  /** Index of the next state word to temper (PyTorch's `next_`). */
  next = 0;

  constructor(seedLow32 = 5489) {
    this.seed(seedLow32);
  }

  /** state[0] = seed; state[j] = 1812433253·(state[j−1] ⊕ (state[j−1] ≫ 30)) + j (mod 2^32). */
  seed(seedLow32: number): void {
    const s = this.state;
    s[0] = seedLow32 >>> 0;
    for (let j = 1; j < MT_N; j++) {
      const prev = s[j - 1] ^ (s[j - 1] >>> 30);
      // Math.imul keeps the multiplication exact mod 2^32.
      s[j] = (Math.imul(1812433253, prev) + j) >>> 0;
    }
    this.left = 1;
    this.next = 0;
  }

  /** One tempered 32-bit draw, as an unsigned number. */
  nextUint32(): number {
    if (--this.left === 0) this.regenerate();
    let y = this.state[this.next++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  private regenerate(): void {
    const s = this.state;
    this.left = MT_N;
    this.next = 0;
    const twist = (u: number, v: number): number =>
      (((u & UMASK) | (v & LMASK)) >>> 1) ^ (v & 1 ? MATRIX_A : 0);
    let k = 0;
    for (; k < MT_N - MT_M; k++) s[k] = s[k + MT_M] ^ twist(s[k], s[k + 1]);
    for (; k < MT_N - 1; k++) s[k] = s[k + MT_M - MT_N] ^ twist(s[k], s[k + 1]);
    s[MT_N - 1] = s[MT_M - 1] ^ twist(s[MT_N - 1], s[0]);
  }
}
