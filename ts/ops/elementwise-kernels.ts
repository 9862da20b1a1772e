import type { BinaryOp, DType, UnaryOp, View } from "../backend/types";
import { B } from "../backend/index";
import type { Tensor } from "../tensor";
import { broadcastShapes, broadcastStrides, sameShape } from "../shape";
import { castTo, emptyTensor } from "./core";

/** Runs a unary kernel into a fresh contiguous tensor (no graph). */
export function unaryRaw(op: UnaryOp, x: Tensor, outDType: DType = x.dtype, p0?: number, p1?: number): Tensor {
  const out = emptyTensor(x.shape, outDType);
  B.unary(op, x._kv(), out._kv(), p0, p1);
  return out;
}

function expandedView(t: Tensor, shape: readonly number[]): View {
  if (sameShape(t.shape, shape)) return t._kv();
  return { data: t._data, dtype: t.dtype, offset: t.offset, shape, strides: broadcastStrides(t.shape, t.strides, shape) };
}

/**
 * Runs a binary kernel with broadcasting into a fresh tensor (no graph): both operands are cast to
 * `computeDType`, the output has `outDType` (bool for comparisons).
 */
export function binaryRaw(op: BinaryOp, a: Tensor, b: Tensor, computeDType: DType, outDType: DType, p0?: number): Tensor {
  const shape = broadcastShapes(a.shape, b.shape);
  if (a.dtype !== computeDType) a = castTo(a, computeDType);
  if (b.dtype !== computeDType) b = castTo(b, computeDType);
  const out = emptyTensor(shape, outDType);
  B.binary(op, expandedView(a, shape), expandedView(b, shape), out._kv(), p0);
  return out;
}

/** where(cond, a, b) into a fresh tensor, all broadcast to one shape (no graph). */
export function whereRaw(cond: Tensor, a: Tensor, b: Tensor, dtype: DType): Tensor {
  const shape = broadcastShapes(broadcastShapes(cond.shape, a.shape), b.shape);
  if (a.dtype !== dtype) a = castTo(a, dtype);
  if (b.dtype !== dtype) b = castTo(b, dtype);
  if (cond.dtype !== "bool") cond = castTo(cond, "bool");
  const out = emptyTensor(shape, dtype);
  B.where(expandedView(cond, shape), expandedView(a, shape), expandedView(b, shape), out._kv());
  return out;
}

export { expandedView };
