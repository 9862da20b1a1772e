/**
 * Element counts below which the TypeScript kernel is faster than the N-API call. Measured with
 * bench/kernels-native.ts on the 2-core AVX-512 machine (an addon call costs ~0.3–0.8 µs; JS relu/add run
 * ~3–6 ns per element, tanh ~20 ns): add ≈ 128–256, relu ≈ 256, tanh ≈ 64, sum ≈ 128–512. Near the
 * crossover both sides cost the same, so the exact values matter little.
 */
export const CROSSOVER = {
  unaryCheap: 256,
  unaryCostly: 48,
  binary: 192,
  where: 256,
  fill: 512,
  reduce: 256,
  argReduce: 256,
  softmax: 64,
  gemmFlops: 4096,
  optim: 256,
};

export type Crossover = typeof CROSSOVER;

/** What a native kernel family is built from: the addon, the TypeScript kernels to fall back to, and the crossovers (null: always native). */
export interface FamilyContext<A> {
  readonly addon: A;
  readonly js: import("../types").Kernels;
  readonly crossover: Crossover | null;
}
