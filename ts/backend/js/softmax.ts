import type { FloatArray } from "../types.js";

let scratch = new Float64Array(64);

function scratchOf(size: number): Float64Array {
  if (scratch.length < size) scratch = new Float64Array(Math.max(size, scratch.length * 2));
  return scratch;
}

/**
 * Stable softmax over the middle dim of [outer, dim, inner]: subtract the (NaN-propagating) max first.
 * An all −Inf slice gives NaN (−Inf − −Inf), as in PyTorch. Columns of one outer block are processed
 * together so memory is read row by row even when inner > 1.
 */
export function softmax(
  x: FloatArray,
  xOffset: number,
  outer: number,
  dim: number,
  inner: number,
  log: boolean,
  out: FloatArray,
): void {
  const size = outer * dim * inner;
  if (size === 0) return;
  if (xOffset < 0 || xOffset + size > x.length || out.length < size) {
    throw new RangeError(`softmax: [${outer}, ${dim}, ${inner}] at offset ${xOffset} does not fit input ${x.length} / output ${out.length}`);
  }
  const s = scratchOf(2 * inner);
  const block = dim * inner;
  for (let o = 0; o < outer; o++) {
    const xb = xOffset + o * block;
    const ob = o * block;
    for (let j = 0; j < inner; j++) {
      s[j] = -Infinity;
      s[inner + j] = 0;
    }
    for (let d = 0, xi = xb; d < dim; d++) {
      for (let j = 0; j < inner; j++, xi++) {
        const v = x[xi];
        const m = s[j];
        if (v > m || v !== v) s[j] = m !== m ? m : v;
      }
    }
    for (let d = 0, xi = xb, oi = ob; d < dim; d++) {
      for (let j = 0; j < inner; j++, xi++, oi++) {
        const e = Math.exp(x[xi] - s[j]);
        s[inner + j] += e;
        if (!log) out[oi] = e;
      }
    }
    if (log) {
      for (let j = 0; j < inner; j++) s[inner + j] = s[j] + Math.log(s[inner + j]);
      for (let d = 0, xi = xb, oi = ob; d < dim; d++) {
        for (let j = 0; j < inner; j++, xi++, oi++) out[oi] = x[xi] - s[inner + j];
      }
    } else {
      for (let j = 0; j < inner; j++) s[inner + j] = 1 / s[inner + j];
      for (let d = 0, oi = ob; d < dim; d++) {
        for (let j = 0; j < inner; j++, oi++) out[oi] = out[oi] * s[inner + j];
      }
    }
  }
}
