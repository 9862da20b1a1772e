/** Shared pieces of the parity suite: a seeded generator, random strided views, and a tolerant comparison. */
import { dtypeOfArray } from "../../../ts/dtype";
import { jsBackend } from "../../../ts/backend/js/index";
import { loadRawNativeBackend } from "../../../ts/backend/native";
import type { Backend, FloatArray, FloatDType, TypedArray, View } from "../../../ts/backend/types";

const loaded = loadRawNativeBackend();
/** The native kernels with no small-size dispatch (null when the addon did not build). */
export const native: Backend | null = "backend" in loaded ? loaded.backend : null;
export const js = jsBackend;
export const noAddon = native === null;

/** Deterministic xorshift generator so failures reproduce. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 1;
  }
  next(): number {
    let x = this.s;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.s = x >>> 0;
    return this.s / 4294967296;
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  normal(): number {
    const u = this.next() || 1e-12;
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)];
  }
}

export const FLOAT_DTYPES: readonly FloatDType[] = ["float32", "float64"];

export function alloc(dtype: FloatDType, n: number): FloatArray {
  return dtype === "float32" ? new Float32Array(n) : new Float64Array(n);
}

export function fillRandom(a: TypedArray, rng: Rng, scale = 2, special = 0): void {
  const specials = [NaN, Infinity, -Infinity, 0, -0, 1e-40, 1e30];
  for (let i = 0; i < a.length; i++) {
    a[i] = special > 0 && rng.next() < special ? rng.pick(specials) : rng.normal() * scale;
  }
}

export type Layout = "contiguous" | "offset" | "transposed" | "strided" | "expanded";
export const LAYOUTS: readonly Layout[] = ["contiguous", "offset", "transposed", "strided", "expanded"];

/**
 * A view of `shape` over a fresh buffer, laid out as asked: an offset, permuted storage order, gaps
 * between elements (step 2), or broadcast dims (stride 0; inputs only).
 */
export function makeView(
  shape: readonly number[],
  layout: Layout,
  rng: Rng,
  make: (n: number) => TypedArray,
): View {
  const nd = shape.length;
  const steps = shape.map(() => (layout === "strided" ? rng.int(1, 2) : 1));
  const order = shape.map((_, i) => i);
  if (layout === "transposed" || layout === "strided") {
    for (let i = nd - 1; i > 0; i--) {
      const j = rng.int(0, i);
      [order[i], order[j]] = [order[j], order[i]];
    }
  }
  const expanded = shape.map((s) => layout === "expanded" && s > 1 && rng.next() < 0.5);
  const strides = new Array<number>(nd).fill(0);
  let size = 1;
  for (let k = nd - 1; k >= 0; k--) {
    const d = order[k];
    if (expanded[d]) continue;
    strides[d] = size * steps[d];
    size *= Math.max(1, shape[d] * steps[d]);
  }
  const offset = layout === "contiguous" ? 0 : rng.int(0, 7);
  const data = make(offset + size + (layout === "contiguous" ? 0 : rng.int(0, 3)));
  return { data, dtype: dtypeOfArray(data), offset, shape, strides };
}

export function copyView(v: View): View {
  return { ...v, data: v.data.slice() as TypedArray };
}

export function randomShape(rng: Rng, maxDims = 4, maxSize = 9): number[] {
  const nd = rng.int(0, maxDims);
  const shape: number[] = [];
  for (let i = 0; i < nd; i++) shape.push(rng.pick([0, 1, 1, 2, 3, 5, 7, rng.int(1, maxSize)]));
  return shape;
}

/** Shapes that cover the edge sizes: scalar, empty, one, primes, and large (≥ 100k elements). */
export const EDGE_SHAPES: readonly (readonly number[])[] = [
  [],
  [0],
  [1],
  [2, 0, 3],
  [13],
  [31, 17],
  [257],
  [100003],
  [3, 70001],
  [401, 263],
];

export interface Tolerance {
  rtol: number;
  atol: number;
}

export const TOL: Record<FloatDType, Tolerance> = {
  float32: { rtol: 4.8e-7, atol: 1e-37 }, // 4 ulp
  float64: { rtol: 1e-14, atol: 1e-300 },
};

/** Asserts equality up to tolerance; NaN must match NaN and infinities must match exactly. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: Tolerance, what: string): void {
  if (actual.length !== expected.length) throw new Error(`${what}: lengths ${actual.length} vs ${expected.length}`);
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i], e = expected[i];
    if (Number.isNaN(e) || Number.isNaN(a)) {
      if (Number.isNaN(e) && Number.isNaN(a)) continue;
    } else if (a === e) {
      continue;
    } else if (Number.isFinite(a) && Number.isFinite(e) && Math.abs(a - e) <= tol.atol + tol.rtol * Math.abs(e)) {
      continue;
    }
    throw new Error(`${what}: element ${i} is ${a} (native) but ${e} (js)`);
  }
}
