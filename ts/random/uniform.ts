/**
 * uniform_ / rand as PyTorch's CPU kernel does it (uniform_real_distribution in
 * ATen/core/TransformationHelper.h): float32 takes the low 24 bits of one random(), float64 the low
 * 53 bits of random64(), scaled to [0, 1); then x·(to − from) + from in the element type.
 */
import type { Generator } from "./generator";
import { fmaf, fround } from "./float32";
import { fma64 } from "./doubleDouble";

const TWO_M24 = 1 / 16777216;

/** A float32 uniform in [0, 1): 24 random bits over 2^24. */
export function uniformFloat01(gen: Generator): number {
  return (gen.random() & 0xffffff) * TWO_M24;
}

/** Fills `out` (in order) with uniforms in [from, to), drawn from `gen`. */
export function uniform(gen: Generator, out: Float32Array | Float64Array, from = 0, to = 1): void {
  if (!(from <= to)) throw new RangeError(`uniform: expects from <= to, got from=${from}, to=${to}`);
  const n = out.length;
  if (out instanceof Float32Array) {
    const f = fround(from);
    const range = fround(fround(to) - f);
    // The AVX2 build of this kernel fuses x·range + from into one multiply-add.
    for (let i = 0; i < n; i++) out[i] = fmaf(uniformFloat01(gen), range, f);
  } else {
    const range = to - from;
    for (let i = 0; i < n; i++) out[i] = fma64(gen.randomDouble53(), range, from);
  }
}

export { fma64 };
