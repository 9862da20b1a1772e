/**
 * Storage and strided views for kernel tests: typed arrays of each dtype, random values, the one random
 * strided-view builder, element access through a view, and the shapes that cover the edge sizes.
 */
import type { DType, FloatArray, FloatDType, TypedArray, View } from "../../ts/backend/types";
import { dtypeOfArray } from "../../ts/dtype";
import { EXACT, isClose, show, type Tolerance } from "./close";
import type { Rng } from "./rng";

export const FLOAT_DTYPES: readonly FloatDType[] = ["float32", "float64"];

/** Zeroed storage for `n` elements of `dtype` (bool is one byte per element). */
export function alloc(dtype: FloatDType, n: number): FloatArray;
export function alloc(dtype: DType, n: number): TypedArray;
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
    case "bfloat16":
    case "float16":
      return new Uint16Array(n);
  }
}

/** A plain value of the dtype: floats uniform in [-3, 3), int32 in [-10, 10], bool 0 or 1. */
export function randomValue(dtype: DType, rng: Rng): number {
  switch (dtype) {
    case "bool":
      return rng.next() < 0.5 ? 0 : 1;
    case "int32":
      return Math.floor(rng.next() * 21) - 10;
    default:
      return rng.next() * 6 - 3;
  }
}

const SPECIALS = [NaN, Infinity, -Infinity, 0, -0, 1e-40, 1e30];

/**
 * Fills `a` with normal values times `scale`; a share `special` of them (0 to 1) are instead NaN, ±Infinity,
 * ±0, a float32 subnormal or a huge value.
 */
export function fillRandom(a: TypedArray, rng: Rng, scale = 2, special = 0): void {
  for (let i = 0; i < a.length; i++) {
    a[i] = special > 0 && rng.next() < special ? rng.pick(SPECIALS) : rng.normal() * scale;
  }
}

/** Rounds a double the way storing it into an array of this dtype does. */
export function storeAs(dtype: DType, v: number): number {
  const a = alloc(dtype, 1);
  a[0] = v;
  return a[0];
}

export function numel(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Row-major strides of a shape. */
export function contiguousStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = s;
    s *= shape[d];
  }
  return strides;
}

/** A view over existing storage: by default all of it as one dim, row-major for a given shape, offset 0. */
export function viewOf(
  data: TypedArray,
  shape: readonly number[] = [data.length],
  strides: readonly number[] = contiguousStrides(shape),
  offset = 0,
): View {
  return { data, dtype: dtypeOfArray(data), offset, shape: [...shape], strides: [...strides] };
}

/** A zeroed row-major view with storage of exactly its size. */
export function contiguousView(shape: readonly number[], dtype: DType): View {
  return viewOf(alloc(dtype, numel(shape)), shape);
}

/** The same view over a copy of its storage. */
export function copyView(v: View): View {
  return { ...v, data: v.data.slice() };
}

/**
 * How a view sits in its storage:
 * - contiguous: row-major from offset 0 (storage may run 0 to 2 elements past the view);
 * - offset: row-major from an offset of 1 to 7, as a narrowing of the first dim leaves it;
 * - transposed: dims stored in a random order other than their own (when rank ≥ 2), from an offset;
 * - strided: dims in a random order, each with a step of 1 or 2 and a gap of 0 to 2 elements after each of
 *   its rows, as slicing and narrowing inner dims leave it; its elements never fill a block of storage;
 * - expanded: broadcast, with stride 0 on a random non-empty subset of the dims longer than 1 (inputs only).
 * Every layout but contiguous leaves at least one element of storage after the view.
 */
export type Layout = "contiguous" | "offset" | "transposed" | "strided" | "expanded";
export const LAYOUTS: readonly Layout[] = ["contiguous", "offset", "transposed", "strided", "expanded"];
/** The layouts a kernel may write through (an expanded view aliases its elements). */
export const OUT_LAYOUTS: readonly Layout[] = LAYOUTS.filter((l) => l !== "expanded");

/**
 * The random strided-view builder: a view of `shape` laid out as `layout` asks (the choices drawn from
 * `rng`), over storage from `make` (called once with the number of elements the layout needs).
 */
export function layoutView(shape: readonly number[], layout: Layout, rng: Rng, make: (n: number) => TypedArray): View {
  const nd = shape.length;
  const dims = [...Array(nd).keys()];
  // Storage order, outermost first.
  const order = dims.slice();
  if (layout === "transposed" || layout === "strided") rng.shuffle(order);
  if (layout === "transposed" && nd >= 2 && order.every((d, i) => d === i)) {
    [order[nd - 2], order[nd - 1]] = [order[nd - 1], order[nd - 2]];
  }
  const step = shape.map(() => (layout === "strided" ? rng.int(1, 2) : 1));
  const gap = shape.map(() => (layout === "strided" ? rng.int(0, 2) : 0));
  const expanded = shape.map((s) => layout === "expanded" && s > 1 && rng.next() < 0.5);
  const long = dims.filter((d) => shape[d] > 1);
  if (layout === "expanded" && long.length > 0 && !expanded.some(Boolean)) expanded[rng.pick(long)] = true;
  let { strides, size } = place(shape, order, step, gap, expanded);
  // A strided view never fills a block of storage (its elements would be contiguous up to their order).
  const span = 1 + shape.reduce((s, n, d) => s + (n - 1) * strides[d], 0);
  if (layout === "strided" && numel(shape) >= 2 && span === numel(shape)) {
    step[rng.pick(long)] = 2;
    ({ strides, size } = place(shape, order, step, gap, expanded));
  }
  const offset = layout === "contiguous" ? 0 : rng.int(1, 7);
  const slack = layout === "contiguous" ? rng.int(0, 2) : rng.int(1, 3);
  const data = make(offset + size + slack);
  return { data, dtype: dtypeOfArray(data), offset, shape: [...shape], strides };
}

/** Strides for dims stored in `order` (outermost first) with the given steps and gaps, and the storage they span. */
function place(
  shape: readonly number[],
  order: readonly number[],
  step: readonly number[],
  gap: readonly number[],
  expanded: readonly boolean[],
): { strides: number[]; size: number } {
  const strides = new Array<number>(shape.length).fill(0);
  let size = 1;
  for (let k = order.length - 1; k >= 0; k--) {
    const d = order[k];
    if (expanded[d]) continue;
    strides[d] = size * step[d];
    size = size * Math.max(1, shape[d] * step[d]) + gap[d];
  }
  return { strides, size };
}

/** `layoutView` over storage of `dtype` filled (inside and outside the view) with `randomValue`s. */
export function randomView(shape: readonly number[], dtype: DType, layout: Layout, rng: Rng): View {
  const v = layoutView(shape, layout, rng, (n) => alloc(dtype, n));
  for (let i = 0; i < v.data.length; i++) v.data[i] = randomValue(dtype, rng);
  return v;
}

/** Storage index of the element at multi-index `idx`. */
export function offsetOf(v: View, idx: readonly number[]): number {
  let o = v.offset;
  for (let d = 0; d < idx.length; d++) o += idx[d] * v.strides[d];
  return o;
}

/** The element at multi-index `idx`. */
export function at(v: View, idx: readonly number[]): number {
  return v.data[offsetOf(v, idx)];
}

/** Every multi-index of the shape in row-major order (none when a dim is 0; one, [], for shape []). */
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

/**
 * Throws unless every storage element outside the view `out` still holds (per `tol`) its value in `before`,
 * a copy of the storage taken before a kernel wrote through `out`.
 */
export function expectUntouchedOutside(out: View, before: ArrayLike<number>, what: string, tol: Tolerance = EXACT): void {
  const inside = new Set<number>();
  for (const idx of indices(out.shape)) inside.add(offsetOf(out, idx));
  for (let i = 0; i < before.length; i++) {
    if (!inside.has(i) && !isClose(out.data[i], before[i], tol)) {
      throw new Error(`${what} wrote outside its view at ${i}: ${show(out.data[i])}, was ${show(before[i])}`);
    }
  }
}

/** Small shapes for element-by-element checks: scalar, empty, one, odd, unit dims, up to rank 4. */
export const SMALL_SHAPES: readonly (readonly number[])[] = [
  [], [0], [1], [7], [3, 0, 2], [1, 5], [4, 1], [3, 5], [2, 3, 4], [2, 1, 3, 5], [13, 11], [70],
];

/** Shapes that cover the edge sizes: scalar, empty, one, primes, and large (≥ 100k elements). */
export const EDGE_SHAPES: readonly (readonly number[])[] = [
  [], [0], [1], [2, 0, 3], [13], [31, 17], [257], [100003], [3, 70001], [401, 263],
];

/** A random shape of rank 0 to `maxDims`, dims drawn mostly from the edge sizes 0, 1, 2, 3, 5, 7. */
export function randomShape(rng: Rng, maxDims = 4, maxSize = 9): number[] {
  const nd = rng.int(0, maxDims);
  const shape: number[] = [];
  for (let i = 0; i < nd; i++) shape.push(rng.pick([0, 1, 1, 2, 3, 5, 7, rng.int(1, maxSize)]));
  return shape;
}
