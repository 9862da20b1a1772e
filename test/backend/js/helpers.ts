import { dtypeOfArray } from "../../../ts/dtype";
import type { DType, TypedArray, View } from "../../../ts/backend/types.js";

/** Small seeded generator (mulberry32) so failures reproduce. */
export function makeRng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function alloc(dtype: DType, n: number): TypedArray {
  switch (dtype) {
    case "float32":
      return new Float32Array(n);
    case "float64":
      return new Float64Array(n);
    case "int32":
      return new Int32Array(n);
    case "bool":
      return new Uint8Array(n);
  }
}

export function randomValue(dtype: DType, rng: () => number): number {
  switch (dtype) {
    case "bool":
      return rng() < 0.5 ? 0 : 1;
    case "int32":
      return Math.floor(rng() * 21) - 10;
    default:
      return rng() * 6 - 3;
  }
}

export type Layout = "contiguous" | "offset" | "transposed" | "padded" | "expanded";
export const LAYOUTS: readonly Layout[] = ["contiguous", "offset", "transposed", "padded", "expanded"];

/**
 * A view of the given shape laid out in storage as asked: with a leading offset, with its dims
 * stored in reverse order, with gaps between rows, or with some dims broadcast (stride 0).
 * Storage is filled with random values (values outside the view too).
 */
export function randomView(shape: readonly number[], dtype: DType, layout: Layout, rng: () => number): View {
  const rank = shape.length;
  const order = [...Array(rank).keys()];
  if (layout === "transposed") order.reverse();
  const strides = new Array<number>(rank).fill(0);
  let size = 1;
  for (let q = rank - 1; q >= 0; q--) {
    const d = order[q];
    if (layout === "expanded" && q % 2 === 0 && shape[d] > 1) {
      strides[d] = 0;
      continue;
    }
    strides[d] = size;
    size *= shape[d] + (layout === "padded" ? 1 + (q % 2) : 0);
  }
  const offset = layout === "contiguous" ? 0 : 3;
  const data = alloc(dtype, offset + size + 2);
  for (let i = 0; i < data.length; i++) data[i] = randomValue(dtype, rng);
  return { data, dtype: dtypeOfArray(data), offset, shape: [...shape], strides };
}

export function contiguousView(shape: readonly number[], dtype: DType): View {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = s;
    s *= shape[d];
  }
  return { data: alloc(dtype, s), dtype, offset: 0, shape: [...shape], strides };
}

export function at(v: View, idx: readonly number[]): number {
  let o = v.offset;
  for (let d = 0; d < idx.length; d++) o += idx[d] * v.strides[d];
  return v.data[o];
}

export function offsetOf(v: View, idx: readonly number[]): number {
  let o = v.offset;
  for (let d = 0; d < idx.length; d++) o += idx[d] * v.strides[d];
  return o;
}

/** Every multi-index of the shape in row-major order. */
export function* indices(shape: readonly number[]): Generator<number[]> {
  for (const d of shape) if (d === 0) return;
  const idx = new Array<number>(shape.length).fill(0);
  for (;;) {
    yield idx.slice();
    let d = shape.length - 1;
    for (; d >= 0; d--) {
      if (++idx[d] < shape[d]) break;
      idx[d] = 0;
    }
    if (d < 0) return;
  }
}

/** Rounds a double the way storing it into an array of this dtype does (the reference's "store"). */
export function storeAs(dtype: DType, v: number): number {
  const a = alloc(dtype, 1);
  a[0] = v;
  return a[0];
}

export const SHAPES: readonly (readonly number[])[] = [[], [0], [1], [7], [3, 0, 2], [1, 5], [4, 1], [3, 5], [2, 3, 4], [2, 1, 3, 5], [13, 11], [70]];

export function sameNumber(actual: number, expected: number): boolean {
  return Object.is(actual, expected) || (actual === expected && actual === 0) || (Number.isNaN(actual) && Number.isNaN(expected));
}

/** Relative/absolute closeness for float results of reordered arithmetic. */
export function close(actual: number, expected: number, tol: number): boolean {
  if (Number.isNaN(expected)) return Number.isNaN(actual);
  if (!Number.isFinite(expected)) return actual === expected;
  return Math.abs(actual - expected) <= tol * (1 + Math.abs(expected));
}
