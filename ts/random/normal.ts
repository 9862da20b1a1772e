/**
 * normal_ / randn as PyTorch's CPU normal_kernel (ATen/native/cpu/DistributionTemplates.h) does it.
 * Three paths:
 * - float32, contiguous, ≥ 16 elements: fill with float uniforms, then Box–Muller on 16-element
 *   chunks (element j pairs with j + 8); if size % 16 ≠ 0 the last 16 are redrawn and redone.
 *   AVX2 builds (the default on x86-64) use the vectorised Cephes log/sincos; others libm logf/cosf.
 * - float64, contiguous, ≥ 16 elements: the same scheme with double uniforms and libm log/cos/sin.
 * - anything else: one scalar normal_distribution<double> draw per element, which caches the sin
 *   half of each Box–Muller pair on the generator and uses it for the next draw.
 */
import type { Generator } from "./generator";
import { log256, sincos256 } from "./avxMathfun";
import { fmaf, fround } from "./float32";
import { log, sincos } from "./libm";
import { fma64, uniformFloat01 } from "./uniform";

/** Which float32 kernel PyTorch's build dispatches to: AVX2 (x86-64 default) or the plain C++ one. */
export type CpuCapability = "avx2" | "default";

export interface NormalOptions {
  /** False for a non-contiguous target: PyTorch then always takes the scalar path. Default true. */
  contiguous?: boolean;
  /** Default "avx2", the path of PyTorch's x86-64 builds on AVX2 machines. */
  capability?: CpuCapability;
}

const TWO_PI_F = fround(2 * Math.PI);
const TWO_PI = 2 * Math.PI;
const scratch: [number, number] = [0, 0];

/**
 * One scalar normal_distribution<double> sample: the cached one if there is one, else a fresh
 * Box–Muller pair (u1 for the angle, u2 for the radius) whose sin half is cached.
 */
export function normalDouble(gen: Generator, mean = 0, std = 1): number {
  const cached = gen.nextDoubleNormalSample;
  if (cached !== null) {
    gen.nextDoubleNormalSample = null;
    return fma64(cached, std, mean);
  }
  const u1 = gen.randomDouble53();
  const u2 = gen.randomDouble53();
  const r = Math.sqrt(-2 * log(1 - u2));
  sincos(TWO_PI * u1, scratch);
  gen.nextDoubleNormalSample = r * scratch[0];
  return fma64(r * scratch[1], std, mean);
}

function fill16Avx2(d: Float32Array, at: number, mean: number, std: number, sc: [number, number]): void {
  for (let j = at; j < at + 8; j++) {
    const u1 = fround(1 - d[j]);
    const radius = fround(Math.sqrt(fround(-2 * log256(u1))));
    sincos256(fround(TWO_PI_F * d[j + 8]), sc);
    d[j] = fmaf(fround(radius * sc[1]), std, mean);
    d[j + 8] = fmaf(fround(radius * sc[0]), std, mean);
  }
}

function fill16Float(d: Float32Array, at: number, mean: number, std: number): void {
  for (let j = at; j < at + 8; j++) {
    const u1 = fround(1 - d[j]);
    const radius = fround(Math.sqrt(fround(-2 * fround(Math.log(u1)))));
    const theta = fround(TWO_PI * d[j + 8]);
    // Builds without AVX2 are not compiled with -mfma: nothing is fused here.
    d[j] = fround(fround(fround(radius * fround(Math.cos(theta))) * std) + mean);
    d[j + 8] = fround(fround(fround(radius * fround(Math.sin(theta))) * std) + mean);
  }
}

function fill16Double(d: Float64Array, at: number, mean: number, std: number): void {
  for (let j = at; j < at + 8; j++) {
    const radius = Math.sqrt(-2 * log(1 - d[j]));
    sincos(TWO_PI * d[j + 8], scratch);
    d[j] = fma64(radius * scratch[1], std, mean);
    d[j + 8] = fma64(radius * scratch[0], std, mean);
  }
}

function fillUniform01(gen: Generator, d: Float32Array | Float64Array, from: number, to: number): void {
  if (d instanceof Float32Array) for (let i = from; i < to; i++) d[i] = uniformFloat01(gen);
  else for (let i = from; i < to; i++) d[i] = gen.randomDouble53();
}

/** Fills `out` (in the order PyTorch's kernel visits it) with normal samples drawn from `gen`. */
export function normal(
  gen: Generator,
  out: Float32Array | Float64Array,
  mean = 0,
  std = 1,
  options: NormalOptions = {},
): void {
  if (!(std >= 0)) throw new RangeError(`normal: expects std >= 0, got ${std}`);
  const n = out.length;
  const contiguous = options.contiguous ?? true;
  if (n < 16 || !contiguous) {
    for (let i = 0; i < n; i++) out[i] = normalDouble(gen, mean, std);
    return;
  }
  const chunk =
    out instanceof Float64Array
      ? (at: number) => fill16Double(out, at, mean, std)
      : options.capability === "default"
        ? (at: number) => fill16Float(out, at, fround(mean), fround(std))
        : ((sc: [number, number]) => (at: number) => fill16Avx2(out, at, fround(mean), fround(std), sc))([0, 0]);
  fillUniform01(gen, out, 0, n);
  for (let i = 0; i + 16 <= n; i += 16) chunk(i);
  if (n % 16 !== 0) {
    // PyTorch redraws the last 16 uniforms and transforms them again.
    fillUniform01(gen, out, n - 16, n);
    chunk(n - 16);
  }
}
