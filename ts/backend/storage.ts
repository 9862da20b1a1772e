/**
 * The storage part of a backend: every tensor's storage is allocated here, through one function, so a
 * recorder (compile) or a memory accounting hook can see each allocation. Storage is a typed array owned
 * by JavaScript; the garbage collector frees it.
 */
import { DTYPE_ITEM_SIZE } from "./dtype-codes";
import type { DType, TypedArray } from "./types";

type ArrayCtor = { new (n: number): TypedArray; new (buf: ArrayBufferLike, off?: number, len?: number): TypedArray };

const CTORS: Record<DType, ArrayCtor> = {
  float32: Float32Array,
  float64: Float64Array,
  int32: Int32Array,
  bool: Uint8Array,
  bfloat16: Uint16Array,
  float16: Uint16Array,
};

/** Called with every storage allocated while set (null: none); for recorders and accounting. */
export type AllocationHook = (data: TypedArray, dtype: DType) => void;
let hook: AllocationHook | null = null;

/** Installs (or with null removes) the allocation hook; returns the previous one. */
export function setAllocationHook(h: AllocationHook | null): AllocationHook | null {
  const prev = hook;
  hook = h;
  return prev;
}

/** Bytes from which skipping the zero fill pays: large typed arrays are zeroed by calloc, which costs ~10× the allocation. */
const UNINIT_MIN_BYTES = 2048;

const hasUnsafeBuffer = typeof Buffer !== "undefined" && typeof Buffer.allocUnsafeSlow === "function";

/**
 * The one allocator. `zeroed` false: contents unspecified, for outputs a kernel overwrites completely —
 * backed by its own ArrayBuffer (never a shared pool slice), so views and transfers behave alike.
 */
export function allocateStorage(dtype: DType, n: number, zeroed: boolean): TypedArray {
  let data: TypedArray;
  const bytes = n * DTYPE_ITEM_SIZE[dtype];
  if (zeroed || !hasUnsafeBuffer || bytes < UNINIT_MIN_BYTES) {
    data = new CTORS[dtype](n);
  } else {
    const b = Buffer.allocUnsafeSlow(bytes);
    data = new CTORS[dtype](b.buffer, b.byteOffset, n);
  }
  if (hook !== null) hook(data, dtype);
  return data;
}

/** Zero-filled storage. */
export function allocate(dtype: DType, n: number): TypedArray {
  return allocateStorage(dtype, n, true);
}

/** Storage with unspecified contents, for outputs a kernel overwrites completely. */
export function allocateUninit(dtype: DType, n: number): TypedArray {
  return allocateStorage(dtype, n, false);
}

export function arrayCtor(dtype: DType): ArrayCtor {
  return CTORS[dtype];
}
