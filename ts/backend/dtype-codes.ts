/**
 * The dtype of a view as the kernels see it, across N-API too: an explicit code, never inferred from the
 * typed-array class (bfloat16 and float16 are stored as 16-bit words in a Uint16Array, like no other dtype).
 * The numbers match native/common/dtype.h.
 */
export const DTYPE_CODE = {
  float32: 0,
  float64: 1,
  int32: 2,
  bool: 3,
  bfloat16: 4,
  float16: 5,
} as const;

export type StorageDType = keyof typeof DTYPE_CODE;

/** Bytes per element of each storage dtype. */
export const DTYPE_ITEM_SIZE: Readonly<Record<StorageDType, number>> = {
  float32: 4,
  float64: 8,
  int32: 4,
  bool: 1,
  bfloat16: 2,
  float16: 2,
};
