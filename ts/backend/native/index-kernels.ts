/**
 * The index kernels (indexSelect, indexAdd, gather, scatterAdd) on the native addon, for float32, float64
 * and int32 data, with the TypeScript kernels as the fallback for everything else: other dtypes (bool,
 * 16-bit floats), more than 16 dims, a bad dim or mismatched ranks/shapes (so the user sees the TypeScript
 * kernel's error), an output overlapping an input, and (with useCrossover) work below INDEX_CROSSOVER.
 * Out-of-range index values, and the misuse only the addon can see, throw from the addon (RangeError /
 * TypeError) before anything is written.
 * Results are bit-identical to the TypeScript kernels: copies are exact and the accumulating kernels add
 * into each output element in the same (ascending j) order, whatever the thread count.
 * Metadata travels in one reused Float64Array, so a call allocates nothing.
 */
import { DTYPE_CODE } from "../dtype-codes";
import type { Kernels, TypedArray, View } from "../types";
import type { NativeAddon } from "./addon";
import type { FamilyContext } from "./crossover";
import { MAX_DIMS, numel } from "./pack";

export type IndexKernels = Pick<Kernels, "indexSelect" | "indexAdd" | "gather" | "scatterAdd">;

/**
 * Elements moved (out's size for indexSelect/gather, src's for indexAdd/scatterAdd) below which the
 * TypeScript kernel is faster than the N-API call. Measured on the shared 2-core AVX-512 machine: the
 * TypeScript kernel vs makeNativeIndexKernels(addon, js, false), float32, one thread, at 16…1024 elements,
 * each for one long row (e.g. indexSelect of 1 row of 1000×w) and for many one-element rows (w rows of
 * 1000×1), timing the minimum over 31 batches of ≥ 2 ms. An addon call costs ~0.4 µs; the TypeScript
 * kernels run ~1.5 ns per element on long contiguous rows and ~4–5 ns on one-element rows. Crossovers
 * (long rows / one-element rows): indexSelect ≈ 256 / 100, indexAdd ≈ 200 / 100, gather ≈ 128 / 128,
 * scatterAdd ≈ 100 / 100. Near the crossover both sides cost the same, so the exact values matter little.
 */
export const INDEX_CROSSOVER = {
  indexSelect: 256,
  indexAdd: 192,
  gather: 128,
  scatterAdd: 96,
};

/** The addon's dtype code of a typed array's element type (-1 for none it handles here). */
function arrayCode(a: TypedArray): number {
  if (a instanceof Float32Array) return DTYPE_CODE.float32;
  if (a instanceof Float64Array) return DTYPE_CODE.float64;
  if (a instanceof Int32Array) return DTYPE_CODE.int32;
  if (a instanceof Uint8Array) return DTYPE_CODE.bool;
  return -1;
}

/** A view's dtype code: its `dtype` field when it carries one, else from its typed array's class. */
export function viewDTypeCode(v: View): number {
  const dtype = (v as { readonly dtype?: string }).dtype; // may be absent in views built by older callers
  if (dtype !== undefined) return (DTYPE_CODE as Record<string, number>)[dtype] ?? -1;
  return arrayCode(v.data);
}

/** Codes the native index kernels take. */
function supported(code: number): boolean {
  return code === DTYPE_CODE.float32 || code === DTYPE_CODE.float64 || code === DTYPE_CODE.int32;
}

function overlaps(a: ArrayBufferView, b: ArrayBufferView): boolean {
  return (
    a.buffer === b.buffer && a.byteOffset < b.byteOffset + b.byteLength && b.byteOffset < a.byteOffset + a.byteLength
  );
}

/** The size of `shape` with dims[dim] replaced by n. */
function numelWith(shape: readonly number[], dim: number, n: number): number {
  let k = n;
  for (let i = 0; i < shape.length; i++) if (i !== dim) k *= shape[i];
  return k;
}

function validDim(dim: number, rank: number): boolean {
  return Number.isInteger(dim) && dim >= 0 && dim < rank;
}

/**
 * The four index kernels over `addon`; anything the addon does not take goes to `fallback` (the TypeScript
 * kernels). With useCrossover false every supported call goes to the addon (the parity tests use that).
 */
export function makeNativeIndexKernels(addon: NativeAddon, fallback: IndexKernels, useCrossover: boolean): IndexKernels {
  if (
    typeof addon.indexSelect !== "function" || typeof addon.indexAdd !== "function" ||
    typeof addon.gather !== "function" || typeof addon.scatterAdd !== "function"
  ) {
    return fallback; // an addon built before these kernels existed
  }
  const meta = new Float64Array(1 + 3 * MAX_DIMS + 2);
  const c = useCrossover ? INDEX_CROSSOVER : null;

  /**
   * meta = [ndim, shape..., code, offset, strides...] for a view `v` of `shape` (v's own shape, or one of its
   * rank); returns the next free slot. A 0-d shape travels as [1] (v then has rank 0 or 1).
   */
  function pack(shape: readonly number[], v: View, code: number): number {
    const nd = shape.length;
    if (nd === 0) {
      meta[0] = 1;
      meta[1] = 1;
      meta[2] = code;
      meta[3] = v.offset;
      meta[4] = v.strides.length === 0 ? 0 : v.strides[0];
      return 5;
    }
    meta[0] = nd;
    let p = 1;
    for (let i = 0; i < nd; i++) meta[p++] = shape[i];
    meta[p++] = code;
    meta[p++] = v.offset;
    for (let i = 0; i < nd; i++) meta[p++] = v.strides[i];
    return p;
  }
  function packShape(at: number, shape: readonly number[]): void {
    if (shape.length === 0) meta[at] = 1;
    for (let i = 0; i < shape.length; i++) meta[at++] = shape[i];
  }

  return {
    indexSelect(x: View, dim: number, index: Int32Array, out: TypedArray): void {
      const code = viewDTypeCode(x);
      const shape = x.shape;
      const rank = Math.max(shape.length, 1);
      if (
        !supported(code) || arrayCode(out) !== code || rank > MAX_DIMS || !validDim(dim, rank) ||
        (c !== null && numelWith(shape, dim, index.length) < c.indexSelect) ||
        overlaps(out, x.data) || overlaps(out, index)
      ) {
        fallback.indexSelect(x, dim, index, out);
        return;
      }
      pack(shape, x, code);
      addon.indexSelect(x.data, meta, dim, index, out);
    },

    indexAdd(out: TypedArray, outShape: readonly number[], dim: number, index: Int32Array, src: View): void {
      const code = viewDTypeCode(src);
      const rank = Math.max(outShape.length, 1);
      const ss = src.shape;
      let ok = supported(code) && arrayCode(out) === code && rank <= MAX_DIMS && validDim(dim, rank) &&
        Math.max(ss.length, 1) === rank && (ss.length === 0 ? 1 : ss[dim]) === index.length;
      for (let d = 0; ok && d < outShape.length; d++) ok = d === dim || ss[d] === outShape[d];
      if (
        !ok || (c !== null && numel(ss) < c.indexAdd) || overlaps(out, src.data) || overlaps(out, index)
      ) {
        fallback.indexAdd(out, outShape, dim, index, src);
        return;
      }
      pack(outShape, src, code); // src has outShape's rank and sizes but index.length at dim
      addon.indexAdd(out, meta, dim, index, src.data);
    },

    gather(x: View, dim: number, index: Int32Array, out: TypedArray, outShape: readonly number[]): void {
      const code = viewDTypeCode(x);
      const rank = Math.max(x.shape.length, 1);
      if (
        !supported(code) || arrayCode(out) !== code || rank > MAX_DIMS || !validDim(dim, rank) ||
        Math.max(outShape.length, 1) !== rank || (c !== null && numel(outShape) < c.gather) ||
        overlaps(out, x.data) || overlaps(out, index)
      ) {
        fallback.gather(x, dim, index, out, outShape);
        return;
      }
      packShape(pack(x.shape, x, code), outShape);
      addon.gather(x.data, meta, dim, index, out);
    },

    scatterAdd(out: TypedArray, outShape: readonly number[], dim: number, index: Int32Array, src: View): void {
      const code = viewDTypeCode(src);
      const rank = Math.max(src.shape.length, 1);
      if (
        !supported(code) || arrayCode(out) !== code || rank > MAX_DIMS || !validDim(dim, rank) ||
        Math.max(outShape.length, 1) !== rank || (c !== null && numel(src.shape) < c.scatterAdd) ||
        overlaps(out, src.data) || overlaps(out, index)
      ) {
        fallback.scatterAdd(out, outShape, dim, index, src);
        return;
      }
      packShape(pack(src.shape, src, code), outShape);
      addon.scatterAdd(out, meta, dim, index, src.data);
    },
  };
}

/** The index family in the shape of the other native families (ts/backend/native.ts FAMILIES). */
export function nativeIndex(ctx: FamilyContext<NativeAddon>): IndexKernels {
  return makeNativeIndexKernels(ctx.addon, ctx.js, ctx.crossover !== null);
}
