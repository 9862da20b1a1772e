/**
 * bernoulli_(p) with a scalar p, as PyTorch's CPU kernel does it without MKL (Debian and
 * source builds): for each element one double uniform (random64()), 1 if it is < p. Dropout in
 * training mode is bernoulli_(1 − p) on a tensor of the input's shape, divided by 1 − p.
 * (MKL builds of PyTorch 1.13 draw a single random() as a seed for MKL's own stream instead.)
 */
import type { Generator } from "./generator";

export function bernoulli(gen: Generator, out: Float32Array | Float64Array | Uint8Array | Int32Array, p: number): void {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`bernoulli: expects 0 <= p <= 1, got ${p}`);
  for (let i = 0; i < out.length; i++) out[i] = gen.randomDouble53() < p ? 1 : 0;
}
