import { DTYPE_CODE } from "../dtype-codes";
import type { View } from "../types";

/** Most dims the addon takes; views with more run on the TypeScript backend. */
export const MAX_DIMS = 16;

export function numel(shape: readonly number[]): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i];
  return n;
}

/**
 * Writes view metadata for the addon into one reused Float64Array, so a call allocates nothing:
 * [ndim, shape..., then per view: dtype code, offset, strides...] (native/addon/args.h).
 */
export class MetaPacker {
  readonly meta = new Float64Array(1 + MAX_DIMS + 4 * (2 + MAX_DIMS));

  /** The shape and the first view; returns where the next view goes. */
  first(shape: readonly number[], v: View): number {
    const meta = this.meta;
    const nd = shape.length;
    meta[0] = nd;
    let p = 1;
    for (let i = 0; i < nd; i++) meta[p++] = shape[i];
    return this.more(p, v, nd);
  }

  more(at: number, v: View, nd: number): number {
    const meta = this.meta;
    meta[at++] = DTYPE_CODE[v.dtype];
    meta[at++] = v.offset;
    for (let i = 0; i < nd; i++) meta[at++] = v.strides[i];
    return at;
  }

  /** The shape and up to four views of it. */
  views(shape: readonly number[], v0: View, v1?: View, v2?: View, v3?: View): Float64Array {
    const nd = shape.length;
    let p = this.first(shape, v0);
    if (v1) p = this.more(p, v1, nd);
    if (v2) p = this.more(p, v2, nd);
    if (v3) this.more(p, v3, nd);
    return this.meta;
  }
}
