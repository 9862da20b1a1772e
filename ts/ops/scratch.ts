/**
 * Reused scratch arrays for the convolution's columns: a training loop asks for the same sizes every step,
 * and allocating (and collecting) megabytes of columns per call costs more than the copies into them. An
 * array is taken, used, and given back once nothing refers to it any more; the pool keeps at most
 * MAX_POOLED_BYTES in total (what does not fit is left to the garbage collector).
 */
import { allocateUninit } from "../backend/storage";
import type { DType, FloatArray } from "../backend/types";

const MAX_POOLED_BYTES = 16 << 20;
const pool = new Map<string, FloatArray[]>();
let pooledBytes = 0;

const keyOf = (dtype: DType, n: number): string => `${dtype}:${n}`;

/** An array of n elements with unspecified contents. */
export function takeScratch(dtype: "float32" | "float64", n: number): FloatArray {
  const free = pool.get(keyOf(dtype, n));
  const a = free?.pop();
  if (a !== undefined) {
    pooledBytes -= a.byteLength;
    return a;
  }
  return allocateUninit(dtype, n) as FloatArray;
}

/** Gives an array from takeScratch back; the caller must hold no other reference to it. */
export function giveScratch(a: FloatArray): void {
  if (pooledBytes + a.byteLength > MAX_POOLED_BYTES) return;
  const key = keyOf(a instanceof Float32Array ? "float32" : "float64", a.length);
  const free = pool.get(key);
  if (free === undefined) pool.set(key, [a]);
  else free.push(a);
  pooledBytes += a.byteLength;
}
