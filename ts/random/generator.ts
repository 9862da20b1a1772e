/**
 * PyTorch's CPU generator (CPUGeneratorImpl, PyTorch 1.13–2.x): an mt19937 engine, the seed it was
 * created from, and the cached second Box–Muller samples that the scalar normal path keeps.
 */
import { MT19937, MT_N } from "./mt19937";
import { pyType } from "../ops/pytype";

/**
 * PyTorch's default_rng_seed_val, the seed of a new torch.Generator(). (PyTorch's own global CPU
 * generator is seeded from std::random_device at start-up instead; ours starts from this value so
 * that runs are reproducible even without manualSeed.)
 */
export const DEFAULT_SEED = 67280421310721n;

const U64 = 1n << 64n;

/** A snapshot of a generator; `getState` returns a copy, so it can be kept and restored later. */
export interface GeneratorState {
  readonly seed: bigint;
  readonly mt: Uint32Array;
  readonly left: number;
  readonly next: number;
  readonly nextFloatNormalSample: number | null;
  readonly nextDoubleNormalSample: number | null;
}

/**
 * Converts a seed as torch.Generator.manual_seed does: non-negative values up to 2^64 − 1 are taken
 * as they are, negative values down to −2^63 as their 64-bit two's complement; others throw.
 */
export function normalizeSeed(seed: number | bigint): bigint {
  if (typeof seed === "number") {
    if (!Number.isInteger(seed)) throw new TypeError(`manualSeed(): argument 'seed' (position 1) must be int, not float (got ${seed})`);
    seed = BigInt(seed);
  } else if (typeof seed !== "bigint") {
    // Checked here: bigint arithmetic on anything else throws "Cannot mix BigInt and other types".
    throw new TypeError(`manualSeed(): argument 'seed' (position 1) must be int, not ${pyType(seed)}`);
  }
  if (seed >= U64 || seed < -(1n << 63n)) {
    throw new RangeError(`manualSeed(): seed must be within [-2^63, 2^64), got ${seed}`);
  }
  return seed < 0n ? seed + U64 : seed;
}

export class Generator {
  private engine: MT19937;
  private seedValue: bigint;
  /** Cached sin-half of the last scalar Box–Muller pair (float and double distributions). */
  nextFloatNormalSample: number | null = null;
  nextDoubleNormalSample: number | null = null;

  constructor(seed: number | bigint = DEFAULT_SEED) {
    this.seedValue = normalizeSeed(seed);
    this.engine = new MT19937(Number(this.seedValue & 0xffffffffn));
  }

  /** Reseeds: mt19937 takes the low 32 bits; the cached normal samples are dropped. */
  manualSeed(seed: number | bigint): this {
    this.seedValue = normalizeSeed(seed);
    this.engine.seed(Number(this.seedValue & 0xffffffffn));
    this.nextFloatNormalSample = null;
    this.nextDoubleNormalSample = null;
    return this;
  }

  /** The seed as PyTorch reports it: an unsigned 64-bit integer. */
  initialSeed(): bigint {
    return this.seedValue;
  }

  /** One 32-bit draw, as an unsigned number. */
  random(): number {
    return this.engine.nextUint32();
  }

  /** Two draws as one 64-bit value: the first draw is the high word. */
  random64(): bigint {
    const hi = this.engine.nextUint32();
    const lo = this.engine.nextUint32();
    return (BigInt(hi) << 32n) | BigInt(lo);
  }

  /**
   * The low 53 bits of random64() scaled to [0, 1): PyTorch's double uniform_real before the
   * from/to transform. Done in doubles, with no bigint, because it is on every float64 fill path.
   */
  randomDouble53(): number {
    const hi = this.engine.nextUint32();
    const lo = this.engine.nextUint32();
    return ((hi & 0x1fffff) * 4294967296 + lo) / 9007199254740992;
  }

  getState(): GeneratorState {
    return {
      seed: this.seedValue,
      mt: this.engine.state.slice(),
      left: this.engine.left,
      next: this.engine.next,
      nextFloatNormalSample: this.nextFloatNormalSample,
      nextDoubleNormalSample: this.nextDoubleNormalSample,
    };
  }

  setState(state: GeneratorState): this {
    if (state.mt.length !== MT_N) throw new RangeError(`setState: expected ${MT_N} state words, got ${state.mt.length}`);
    if (!(state.left >= 1 && state.left <= MT_N && state.next >= 0 && state.next <= MT_N)) {
      throw new RangeError("setState: invalid mt19937 position");
    }
    this.seedValue = state.seed;
    this.engine.state.set(state.mt);
    this.engine.left = state.left;
    this.engine.next = state.next;
    this.nextFloatNormalSample = state.nextFloatNormalSample;
    this.nextDoubleNormalSample = state.nextDoubleNormalSample;
    return this;
  }
}

/** The global generator (torch.default_generator), starting from DEFAULT_SEED. */
export const defaultGenerator = new Generator(DEFAULT_SEED);

/** Reseeds the global generator (torch.manual_seed). */
export function manualSeed(seed: number | bigint): Generator {
  return defaultGenerator.manualSeed(seed);
}

/** The global generator's seed (torch.initial_seed). */
export function initialSeed(): bigint {
  return defaultGenerator.initialSeed();
}
