/**
 * Whether a strided view may have two elements at one memory location (an expanded tensor, stride 0).
 * Sorting the dims by stride, each stride must exceed the span of all smaller dims; views made by this
 * library's ops (expand, transpose, narrow, select, permute) overlap exactly when that fails.
 */
export function hasInternalOverlap(shape: readonly number[], strides: readonly number[]): boolean {
  const dims: number[] = [];
  for (let i = 0; i < shape.length; i++) {
    if (shape[i] === 0) return false;
    if (shape[i] > 1) dims.push(i);
  }
  if (dims.length === 0) return false;
  dims.sort((a, b) => Math.abs(strides[a]) - Math.abs(strides[b]));
  let span = 0;
  for (const d of dims) {
    const s = Math.abs(strides[d]);
    if (s <= span) return true;
    span += (shape[d] - 1) * s;
  }
  return false;
}

export const INTERNAL_OVERLAP_MESSAGE =
  "unsupported operation: more than one element of the written-to tensor refers to a single memory location. Please clone() the tensor before performing the operation.";

/** Throws PyTorch's error when a kernel is about to write into a view whose elements share memory. */
export function checkNoInternalOverlap(t: { readonly shape: readonly number[]; readonly strides: readonly number[] }): void {
  if (hasInternalOverlap(t.shape, t.strides)) throw new Error(INTERNAL_OVERLAP_MESSAGE);
}
