import type { View } from "../types.js";

export function numel(shape: readonly number[]): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i];
  return n;
}

/** Row-major contiguous (size-1 dims may carry any stride). */
export function isContiguous(v: View): boolean {
  const shape = v.shape;
  const strides = v.strides;
  let expected = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    const s = shape[d];
    if (s !== 1 && strides[d] !== expected) return false;
    expected *= s;
  }
  return true;
}

/** Strides of a row-major contiguous array of this shape. */
export function contiguousStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = s;
    s *= shape[d];
  }
  return strides;
}

/**
 * Walks up to four same-shaped strided operands row by row: the innermost (coalesced) dim is left to
 * the caller's tight loop, the outer dims advance with an odometer. Dims of size 1 are dropped and
 * adjacent dims that are contiguous with each other in every operand are merged, so e.g. a
 * contiguous tensor plus a broadcast row becomes a few long rows.
 */
export class Walk {
  /** Length of each row and each operand's stride along it. */
  readonly inner: number;
  readonly is0: number;
  readonly is1: number;
  readonly is2: number;
  readonly is3: number;
  /** Number of rows. */
  readonly rows: number;
  /** Current row's start offset in each operand. */
  o0: number;
  o1: number;
  o2: number;
  o3: number;
  private readonly outerShape: number[];
  private readonly s0: number[];
  private readonly s1: number[];
  private readonly s2: number[];
  private readonly s3: number[];
  private readonly idx: number[];

  constructor(shape: readonly number[], v0: View, v1: View, v2: View | null, v3: View | null) {
    const dims: number[] = [];
    const st: number[][] = [[], [], [], []];
    const views = [v0, v1, v2 ?? v0, v3 ?? v0];
    for (let d = 0; d < shape.length; d++) {
      if (shape[d] === 1) continue;
      const last = dims.length - 1;
      if (last >= 0) {
        let mergeable = true;
        for (let k = 0; k < 4; k++) {
          if (st[k][last] !== views[k].strides[d] * shape[d]) mergeable = false;
        }
        if (mergeable) {
          dims[last] *= shape[d];
          for (let k = 0; k < 4; k++) st[k][last] = views[k].strides[d];
          continue;
        }
      }
      dims.push(shape[d]);
      for (let k = 0; k < 4; k++) st[k].push(views[k].strides[d]);
    }
    const nd = dims.length;
    this.inner = nd === 0 ? 1 : dims[nd - 1];
    this.is0 = nd === 0 ? 0 : st[0][nd - 1];
    this.is1 = nd === 0 ? 0 : st[1][nd - 1];
    this.is2 = nd === 0 ? 0 : st[2][nd - 1];
    this.is3 = nd === 0 ? 0 : st[3][nd - 1];
    this.outerShape = dims.slice(0, Math.max(0, nd - 1));
    this.s0 = st[0].slice(0, this.outerShape.length);
    this.s1 = st[1].slice(0, this.outerShape.length);
    this.s2 = st[2].slice(0, this.outerShape.length);
    this.s3 = st[3].slice(0, this.outerShape.length);
    this.idx = new Array<number>(this.outerShape.length).fill(0);
    this.rows = numel(this.outerShape);
    this.o0 = v0.offset;
    this.o1 = v1.offset;
    this.o2 = v2 === null ? 0 : v2.offset;
    this.o3 = v3 === null ? 0 : v3.offset;
  }

  /** Starts over at the first row with the given base offsets (to walk the same shape again elsewhere). */
  reset(o0: number, o1: number): void {
    this.idx.fill(0);
    this.o0 = o0;
    this.o1 = o1;
    this.o2 = 0;
    this.o3 = 0;
  }

  /** Moves every operand's offset to the next row. */
  advance(): void {
    const idx = this.idx;
    const shape = this.outerShape;
    for (let d = shape.length - 1; d >= 0; d--) {
      idx[d]++;
      this.o0 += this.s0[d];
      this.o1 += this.s1[d];
      this.o2 += this.s2[d];
      this.o3 += this.s3[d];
      if (idx[d] < shape[d]) return;
      const back = shape[d];
      this.o0 -= this.s0[d] * back;
      this.o1 -= this.s1[d] * back;
      this.o2 -= this.s2[d] * back;
      this.o3 -= this.s3[d] * back;
      idx[d] = 0;
    }
  }
}
