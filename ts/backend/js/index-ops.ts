import type { TypedArray, View } from "../types.js";
import { binary } from "./binary.js";
import { checkOperand, contiguousStrides, isContiguous, numel, span, Walk } from "./iterate.js";
import { unary } from "./unary.js";

const walk = new Walk();

function checkDim(op: string, dim: number, rank: number): void {
  if (!Number.isInteger(dim) || dim < 0 || dim >= rank) {
    throw new RangeError(`${op}: dim ${dim} out of range for a tensor of rank ${rank}`);
  }
}

function checkIndex(op: string, index: Int32Array, size: number): void {
  for (let i = 0; i < index.length; i++) {
    const v = index[i];
    if (v < 0 || v >= size) throw new RangeError(`${op}: index ${v} is out of bounds for dimension of size ${size}`);
  }
}

/** A 0-d tensor behaves as shape [1] for the dim-wise ops, as in PyTorch. */
function atLeast1d(v: View): View {
  return v.shape.length > 0 ? v : { data: v.data, dtype: v.dtype, offset: v.offset, shape: [1], strides: [0] };
}

function without<T>(xs: readonly T[], dim: number): T[] {
  return xs.filter((_, d) => d !== dim);
}

export function indexSelect(xIn: View, dim: number, index: Int32Array, out: TypedArray): void {
  const x = atLeast1d(xIn);
  const shape = x.shape;
  checkDim("indexSelect", dim, shape.length);
  checkIndex("indexSelect", index, shape[dim]);
  const outer = span(shape, 0, dim);
  const size = shape[dim];
  const inner = span(shape, dim + 1, shape.length);
  const nIdx = index.length;
  if (outer * inner * nIdx === 0) return;
  checkOperand("indexSelect", "input", x, x.shape);
  checkOut("indexSelect", out, outer * nIdx * inner);
  if (isContiguous(x)) {
    const data = x.data;
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < nIdx; j++) {
        const src = x.offset + (o * size + index[j]) * inner;
        const dst = (o * nIdx + j) * inner;
        for (let i = 0; i < inner; i++) out[dst + i] = data[src + i];
      }
    }
    return;
  }
  const outShape = shape.slice();
  outShape[dim] = nIdx;
  const outStrides = without(contiguousStrides(outShape), dim);
  const subShape = without(shape, dim);
  const subStrides = without(x.strides, dim);
  for (let j = 0; j < nIdx; j++) {
    const src: View = { data: x.data, dtype: x.dtype, offset: x.offset + index[j] * x.strides[dim], shape: subShape, strides: subStrides };
    const dst: View = { data: out, dtype: x.dtype, offset: j * inner, shape: subShape, strides: outStrides };
    unary("copy", src, dst);
  }
}

export function indexAdd(out: TypedArray, outShapeIn: readonly number[], dim: number, index: Int32Array, srcIn: View): void {
  const outShape = outShapeIn.length > 0 ? outShapeIn : [1];
  const src = atLeast1d(srcIn);
  checkDim("indexAdd", dim, outShape.length);
  checkIndex("indexAdd", index, outShape[dim]);
  if (src.shape.length !== outShape.length || src.shape[dim] !== index.length) {
    throw new RangeError(`indexAdd: source shape [${src.shape}] does not match [${outShape}] with ${index.length} indices along dim ${dim}`);
  }
  const outer = span(outShape, 0, dim);
  const size = outShape[dim];
  const inner = span(outShape, dim + 1, outShape.length);
  const nIdx = index.length;
  if (outer * inner * nIdx === 0) return;
  checkOperand("indexAdd", "source", src, src.shape);
  checkOut("indexAdd", out, outer * size * inner);
  if (isContiguous(src) && !(out instanceof Uint8Array)) {
    const data = src.data;
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < nIdx; j++) {
        const s = src.offset + (o * nIdx + j) * inner;
        const d = (o * size + index[j]) * inner;
        for (let i = 0; i < inner; i++) out[d + i] += data[s + i];
      }
    }
    return;
  }
  const outStrides = contiguousStrides(outShape);
  const subShape = without(outShape, dim);
  const subOutStrides = without(outStrides, dim);
  const subSrcStrides = without(src.strides, dim);
  for (let j = 0; j < nIdx; j++) {
    const dst: View = { data: out, dtype: src.dtype, offset: index[j] * outStrides[dim], shape: subShape, strides: subOutStrides };
    const s: View = { data: src.data, dtype: src.dtype, offset: src.offset + j * src.strides[dim], shape: subShape, strides: subSrcStrides };
    binary("add", dst, s, dst);
  }
}

function checkOut(op: string, out: TypedArray, n: number): void {
  if (out.length < n) throw new RangeError(`${op}: out holds ${out.length} elements, ${n} needed`);
}

function checkShapes(op: string, shape: readonly number[], other: readonly number[], dim: number): void {
  if (shape.length !== other.length) {
    throw new RangeError(`${op}: index has rank ${shape.length} but the tensor has rank ${other.length}`);
  }
  for (let d = 0; d < shape.length; d++) {
    if (d !== dim && shape[d] > other[d]) {
      throw new RangeError(`${op}: index shape [${shape}] exceeds [${other}] at dim ${d}`);
    }
  }
}

export function gather(xIn: View, dim: number, index: Int32Array, out: TypedArray, outShapeIn: readonly number[]): void {
  const x = atLeast1d(xIn);
  const outShape = outShapeIn.length > 0 ? outShapeIn : [1];
  checkDim("gather", dim, x.shape.length);
  checkShapes("gather", outShape, x.shape, dim);
  const n = numel(outShape);
  if (n === 0) return;
  if (index.length < n) throw new RangeError(`gather: index holds ${index.length} elements, out needs ${n}`);
  checkOperand("gather", "input", x, x.shape);
  checkOut("gather", out, n);
  const size = x.shape[dim];
  checkIndex("gather", index.subarray(0, n), size);
  const flat: View = { data: index, dtype: "int32", offset: 0, shape: outShape, strides: contiguousStrides(outShape) };
  const xStrides = x.strides.slice();
  xStrides[dim] = 0;
  const xv: View = { data: x.data, dtype: x.dtype, offset: x.offset, shape: outShape, strides: xStrides };
  const step = x.strides[dim];
  const data = x.data;
  const w = walk.init(outShape, flat, xv, null, null);
  for (let r = 0; r < w.rows; r++) {
    for (let i = 0, k = w.o0, xi = w.o1; i < w.inner; i++, k += w.is0, xi += w.is1) out[k] = data[xi + index[k] * step];
    w.advance();
  }
}

/** The index is contiguous with src's shape; out[..., index[k], ...] += src[k] along dim. */
export function scatterAdd(out: TypedArray, outShapeIn: readonly number[], dim: number, index: Int32Array, srcIn: View): void {
  const src = atLeast1d(srcIn);
  const outShape = outShapeIn.length > 0 ? outShapeIn : [1];
  checkDim("scatterAdd", dim, outShape.length);
  checkShapes("scatterAdd", src.shape, outShape, dim);
  const n = numel(src.shape);
  if (n === 0) return;
  if (index.length < n) throw new RangeError(`scatterAdd: index holds ${index.length} elements, src needs ${n}`);
  checkOperand("scatterAdd", "source", src, src.shape);
  checkOut("scatterAdd", out, numel(outShape));
  checkIndex("scatterAdd", index.subarray(0, n), outShape[dim]);
  const flat: View = { data: index, dtype: "int32", offset: 0, shape: src.shape, strides: contiguousStrides(src.shape) };
  const outStrides = contiguousStrides(outShape);
  const step = outStrides[dim];
  outStrides[dim] = 0;
  const ov: View = { data: out, dtype: src.dtype, offset: 0, shape: src.shape, strides: outStrides };
  const data = src.data;
  const w = walk.init(src.shape, flat, ov, src, null);
  for (let r = 0; r < w.rows; r++) {
    for (let i = 0, k = w.o0, oi = w.o1, si = w.o2; i < w.inner; i++, k += w.is0, oi += w.is1, si += w.is2) {
      out[oi + index[k] * step] += data[si];
    }
    w.advance();
  }
}
