import type { DType, View } from "../types.js";

export function numel(shape: readonly number[]): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i];
  return n;
}

/** The product of shape[from..to). */
export function span(shape: readonly number[], from: number, to: number): number {
  let n = 1;
  for (let d = from; d < to; d++) n *= shape[d];
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
 * contiguous tensor plus a broadcast row becomes a few long rows. Each kernel family keeps one
 * Walk and re-inits it per call, so small strided calls allocate nothing.
 */
export class Walk {
  /** Length of each row and each operand's stride along it. */
  inner = 1;
  is0 = 0;
  is1 = 0;
  is2 = 0;
  is3 = 0;
  /** Number of rows. */
  rows = 1;
  /** Current row's start offset in each operand. */
  o0 = 0;
  o1 = 0;
  o2 = 0;
  o3 = 0;
  private nOuter = 0;
  private readonly dims: number[] = [];
  private readonly s0: number[] = [];
  private readonly s1: number[] = [];
  private readonly s2: number[] = [];
  private readonly s3: number[] = [];
  private readonly idx: number[] = [];

  /** Operands v2 and v3 are optional (null); their offsets then stay 0. */
  init(shape: readonly number[], v0: View, v1: View, v2: View | null, v3: View | null): this {
    const dims = this.dims;
    const s0 = this.s0;
    const s1 = this.s1;
    const s2 = this.s2;
    const s3 = this.s3;
    const t2 = v2 === null ? v0.strides : v2.strides;
    const t3 = v3 === null ? v0.strides : v3.strides;
    let nd = 0;
    for (let d = 0; d < shape.length; d++) {
      const size = shape[d];
      if (size === 1) continue;
      const a = v0.strides[d];
      const b = v1.strides[d];
      const c = t2[d];
      const e = t3[d];
      const last = nd - 1;
      if (last >= 0 && s0[last] === a * size && s1[last] === b * size && s2[last] === c * size && s3[last] === e * size) {
        dims[last] *= size;
        s0[last] = a;
        s1[last] = b;
        s2[last] = c;
        s3[last] = e;
        continue;
      }
      dims[nd] = size;
      s0[nd] = a;
      s1[nd] = b;
      s2[nd] = c;
      s3[nd] = e;
      nd++;
    }
    if (nd === 0) {
      this.inner = 1;
      this.is0 = this.is1 = this.is2 = this.is3 = 0;
      this.nOuter = 0;
    } else {
      this.inner = dims[nd - 1];
      this.is0 = s0[nd - 1];
      this.is1 = s1[nd - 1];
      this.is2 = s2[nd - 1];
      this.is3 = s3[nd - 1];
      this.nOuter = nd - 1;
    }
    let rows = 1;
    for (let d = 0; d < this.nOuter; d++) {
      rows *= dims[d];
      this.idx[d] = 0;
    }
    this.rows = rows;
    this.o0 = v0.offset;
    this.o1 = v1.offset;
    this.o2 = v2 === null ? 0 : v2.offset;
    this.o3 = v3 === null ? 0 : v3.offset;
    return this;
  }

  /** Starts over at the first row with the given base offsets (to walk the same shape again elsewhere). */
  reset(o0: number, o1: number): void {
    for (let d = 0; d < this.nOuter; d++) this.idx[d] = 0;
    this.o0 = o0;
    this.o1 = o1;
    this.o2 = 0;
    this.o3 = 0;
  }

  /** Moves every operand's offset to the next row. */
  advance(): void {
    const idx = this.idx;
    const dims = this.dims;
    for (let d = this.nOuter - 1; d >= 0; d--) {
      idx[d]++;
      this.o0 += this.s0[d];
      this.o1 += this.s1[d];
      this.o2 += this.s2[d];
      this.o3 += this.s3[d];
      if (idx[d] < dims[d]) return;
      const back = dims[d];
      this.o0 -= this.s0[d] * back;
      this.o1 -= this.s1[d] * back;
      this.o2 -= this.s2[d] * back;
      this.o3 -= this.s3[d] * back;
      idx[d] = 0;
    }
  }
}

/**
 * Throws unless `v` has exactly `shape` and every element it addresses lies inside its storage
 * (typed arrays would otherwise read undefined and drop writes silently). Returns whether `v` is
 * row-major contiguous, which the same pass over the dims finds out for free.
 */
/** The typed-array class each dtype is stored in. */
const STORAGE: Readonly<Record<DType, abstract new (...args: never[]) => unknown>> = {
  float32: Float32Array,
  float64: Float64Array,
  int32: Int32Array,
  bool: Uint8Array,
  bfloat16: Uint16Array,
  float16: Uint16Array,
};

export function checkOperand(op: string, name: string, v: View, shape: readonly number[]): boolean {
  const rank = shape.length;
  const storage = STORAGE[v.dtype];
  if (storage === undefined || !(v.data instanceof storage)) {
    throw new TypeError(`${op}: ${name} has dtype ${String(v.dtype)} but its storage is a ${v.data?.constructor?.name}`);
  }
  if (v.shape.length !== rank || v.strides.length !== rank) {
    throw new RangeError(`${op}: ${name} has shape [${v.shape}] but [${shape}] was expected`);
  }
  let lo = v.offset;
  let hi = v.offset;
  let n = 1;
  let contiguous = true;
  for (let d = rank - 1; d >= 0; d--) {
    const size = v.shape[d];
    const stride = v.strides[d];
    if (size !== shape[d]) throw new RangeError(`${op}: ${name} has shape [${v.shape}] but [${shape}] was expected`);
    if (size !== 1 && stride !== n) contiguous = false;
    n *= size;
    const reach = (size - 1) * stride;
    if (reach < 0) lo += reach;
    else hi += reach;
  }
  if (n !== 0 && !(lo >= 0 && hi < v.data.length)) {
    throw new RangeError(`${op}: ${name} addresses elements [${lo}, ${hi}] outside its storage of ${v.data.length}`);
  }
  return contiguous;
}
