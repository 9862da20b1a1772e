/** Integer draws as PyTorch's CPU kernels make them (random_, randint, randperm). */
import type { Generator } from "./generator";

const INT64_MASK = (1n << 63n) - 1n;

/** int64 random_() with no bounds: random64() mod 2^63. */
export function randomInt64(gen: Generator): bigint {
  return gen.random64() & INT64_MASK;
}

/** int32 random_() with no bounds: random() mod 2^31. */
export function randomInt32(gen: Generator): number {
  return gen.random() & 0x7fffffff;
}

/**
 * randint(low, high) into int32 storage: (random() mod (high − low)) + low for each element, in
 * order. (PyTorch switches to random64() only for ranges ≥ 2^32, which int32 cannot hold.)
 */
export function randint(gen: Generator, out: Int32Array, low: number, high: number): void {
  if (!Number.isInteger(low) || !Number.isInteger(high)) {
    throw new TypeError(`randint: low and high must be integers, got ${low} and ${high}`);
  }
  const range = high - low;
  if (!(range > 0)) throw new RangeError(`randint: expects low < high, got low=${low}, high=${high}`);
  if (low < -2147483648 || high - 1 > 2147483647) {
    throw new RangeError(`randint: [${low}, ${high}) does not fit int32`);
  }
  for (let i = 0; i < out.length; i++) out[i] = (gen.random() % range) + low;
}

/** Below this n PyTorch's randperm draws random() (all of 1.13; 2.x uses random64() beyond). */
const SMALL_RANDPERM = Math.floor(4294967295 / 20);

/**
 * randperm(n): the identity permutation, then for i = 0 … n − 2 swap element i with element
 * i + (random() mod (n − i)).
 */
export function randperm(gen: Generator, n: number): Int32Array {
  if (!Number.isInteger(n) || n < 0 || n > 2147483647) throw new RangeError(`randperm: bad n ${n}`);
  const r = new Int32Array(n);
  for (let i = 0; i < n; i++) r[i] = i;
  const small = n < SMALL_RANDPERM;
  for (let i = 0; i < n - 1; i++) {
    const z = small ? gen.random() % (n - i) : Number(gen.random64() % BigInt(n - i));
    const t = r[i];
    r[i] = r[i + z];
    r[i + z] = t;
  }
  return r;
}
