import { isHalf, roundedTo, widened } from "./half";
import type { DType, ReduceOp, View } from "../backend/types";
import { B } from "../backend/index";
import type { Tensor } from "../tensor";
import { isFloat, scalarTypeName } from "../dtype";
import { normalizeDim, numel, sameShape } from "../shape";
import { noGrad } from "../autograd/grad-mode";
import { castTo, emptyTensor, needsGrad, record, scalarTensor } from "./core";
import { binaryRaw } from "./elementwise-kernels";
import { add, div, mul, sub } from "./arithmetic";
import { exp, sqrt } from "./math";
import { eq, where } from "./selection";
import { expand, reshape } from "./views";
import { scatterAddInto } from "./index-ops";
import { dimsArg, optBoolArg, optIntArg, tensorArg } from "./args";

export type Dims = number | readonly number[] | undefined | null;

/** The sorted, de-duplicated dims a reduction runs over (all dims when none are given). */
export function reductionDims(x: Tensor, dim: Dims): number[] {
  if (dim === undefined || dim === null) return x.shape.map((_, i) => i);
  const list = typeof dim === "number" ? [dim] : dim;
  if (list.length === 0) return x.shape.map((_, i) => i);
  const out = list.map((d) => normalizeDim(d, x.ndim));
  for (let i = 0; i < out.length; i++) {
    for (let j = 0; j < i; j++) {
      if (out[i] === out[j]) throw new RangeError(`dim ${out[i]} appears multiple times in the list of dims`);
    }
  }
  return out.sort((a, b) => a - b);
}

/** Output shapes of a reduction: with the reduced dims kept as 1 and with them dropped. */
function reducedShapes(x: Tensor, dims: readonly number[]): { kept: number[]; dropped: number[] } {
  const kept = x.shape.slice();
  const dropped: number[] = [];
  for (let i = 0; i < x.ndim; i++) {
    if (dims.includes(i)) kept[i] = 1;
    else dropped.push(x.shape[i]);
  }
  return { kept, dropped };
}

/** x's view with the reduced dims moved last (strides only). */
function reducedLast(x: Tensor, dims: readonly number[]): View {
  if (x.ndim === 0) return x._kv();
  const order: number[] = [];
  for (let i = 0; i < x.ndim; i++) if (!dims.includes(i)) order.push(i);
  for (const d of dims) order.push(d);
  return {
    data: x._data,
    dtype: x.dtype,
    offset: x.offset,
    shape: order.map((d) => x.shape[d]),
    strides: order.map((d) => x.strides[d]),
  };
}

export function reduceRaw(op: ReduceOp, x: Tensor, dims: readonly number[], keepdim: boolean, dtype: DType): Tensor {
  const { kept, dropped } = reducedShapes(x, dims);
  const src = x.dtype === dtype ? x : castTo(x, dtype);
  const out = emptyTensor(keepdim ? kept : dropped, dtype);
  B.reduce(op, reducedLast(src, dims), x.ndim === 0 ? 0 : dims.length, out._data);
  return out;
}

/** g of a reduced shape, broadcast back over the reduced dims of `shape`. */
function expandBack(g: Tensor, shape: readonly number[], dims: readonly number[], keepdim: boolean): Tensor {
  let k = g;
  if (!keepdim && shape.length > 0) {
    const kept = shape.slice();
    for (const d of dims) kept[d] = 1;
    k = reshape(g, kept);
  }
  return expand(k, shape);
}

/** Checks a reduction's (input, dim, keepdim) as PyTorch's argument parser would. */
function reductionArgs(fn: string, x: unknown, dim: unknown, keepdim: unknown): void {
  tensorArg(x, fn, "input", 1);
  dimsArg(dim, fn, "dim", 2);
  optBoolArg(keepdim, fn, "keepdim", 3);
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/**
 * Sums of int32 (and bool) values, taken in float64 (exact: every int32 sum of fewer than 2^22 terms
 * is) and refused when they do not fit in int32. PyTorch sums integers into int64; tensorgrad has no
 * int64, and a wrapped-around int32 sum would be silently wrong.
 */
function intSum(x: Tensor, dims: readonly number[], keepdim: boolean): Tensor {
  const wide = reduceRaw("sum", x, dims, keepdim, "float64");
  const d = wide._data;
  for (let i = 0; i < d.length; i++) {
    if (d[i] > INT32_MAX || d[i] < INT32_MIN) {
      throw new RangeError(
        `sum(): the sum ${d[i]} overflows int32 (tensorgrad has no int64); convert the input with .double() first to sum in float64`,
      );
    }
  }
  return castTo(wide, "int32");
}

export function sum(x: Tensor, dim?: Dims, keepdim = false): Tensor {
  reductionArgs("sum", x, dim, keepdim);
  const dims = reductionDims(x, dim);
  const out = isFloat(x.dtype) ? reduceRaw("sum", x, dims, keepdim, x.dtype) : intSum(x, dims, keepdim);
  if (needsGrad(x)) {
    const shape = x.shape;
    record("SumBackward" + (dim === undefined || dim === null ? "0" : "1"), [x], out, [], (g) => [expandBack(g, shape, dims, keepdim)], {
      dim: dims,
      keepdim,
    });
  }
  return out;
}

function requireFloat(x: Tensor, op: string): void {
  if (!isFloat(x.dtype)) {
    throw new TypeError(
      `${op}(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: ${scalarTypeName(x.dtype)}`,
    );
  }
}

export function mean(x: Tensor, dim?: Dims, keepdim = false): Tensor {
  reductionArgs("mean", x, dim, keepdim);
  requireFloat(x, "mean");
  const dims = reductionDims(x, dim);
  const n = dims.reduce((acc, d) => acc * x.shape[d], 1);
  const s = reduceRaw("sum", x, dims, keepdim, x.dtype);
  // PyTorch divides the sum by the count (not multiplies by 1/n), which matters for rounding.
  const out = binaryRaw("div", s, scalarTensor(n, x.dtype), x.dtype, x.dtype);
  if (needsGrad(x)) {
    const shape = x.shape;
    record("MeanBackward" + (dim === undefined || dim === null ? "0" : "1"), [x], out, [], (g) => [
      div(expandBack(g, shape, dims, keepdim), n),
    ]);
  }
  return out;
}

/** Sums a broadcast gradient back to `shape` (the one place broadcast gradients are reduced). */
export function sumToShape(g: Tensor, shape: readonly number[]): Tensor {
  if (sameShape(g.shape, shape)) return g;
  const lead = g.ndim - shape.length;
  const dims: number[] = [];
  for (let i = 0; i < g.ndim; i++) {
    if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) dims.push(i);
  }
  const s = dims.length > 0 ? sum(g, dims, true) : g;
  return reshape(s, shape);
}

function checkNonEmpty(x: Tensor, op: string): void {
  if (numel(x.shape) === 0) {
    throw new RangeError(
      `${op}(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.`,
    );
  }
}

export interface ValuesIndices {
  values: Tensor;
  indices: Tensor;
}

/** max/min over everything (a 0-d tensor), or along one dim with the indices. */
function extreme(op: "max" | "min", x: Tensor, dim: number | undefined | null, keepdim: boolean): Tensor | ValuesIndices {
  tensorArg(x, op, "input", 1);
  optIntArg(dim, op, "dim", 2);
  optBoolArg(keepdim, op, "keepdim", 3);
  if (dim === undefined || dim === null) {
    checkNonEmpty(x, op);
    const out = reduceRaw(op, x, reductionDims(x, undefined), false, x.dtype);
    if (needsGrad(x)) {
      record(op === "max" ? "MaxBackward1" : "MinBackward1", [x], out, [x, out], (g, [a, y]) => {
        // Ties share the gradient evenly, as PyTorch's evenly_distribute_backward does.
        const mask = castTo(eq(a, y), a.dtype);
        return [mul(div(mask, sum(mask)), g)];
      });
    }
    return out;
  }
  const d = normalizeDim(dim, x.ndim);
  if (x.ndim > 0 && x.shape[d] === 0) {
    throw new RangeError(`${op}(): Expected reduction dim ${d} to have non-zero size.`);
  }
  checkIndexable(op, x.ndim > 0 ? x.shape[d] : 1);
  const { values, indices } = argReduceRaw(op === "max" ? "argmax" : "argmin", x, d, keepdim, true);
  if (needsGrad(x)) {
    const shape = x.shape;
    record(op === "max" ? "MaxBackward0" : "MinBackward0", [x], values!, [indices], (g, [idx]) => [
      indexBackward(g, idx, shape, d, keepdim),
    ]);
  }
  return { values: values!, indices };
}

/** Scatters g into zeros of `shape` at `idx` along dim (max/min(dim) backward). */
function indexBackward(g: Tensor, idx: Tensor, shape: readonly number[], d: number, keepdim: boolean): Tensor {
  const kept = shape.slice();
  if (shape.length > 0) kept[d] = 1;
  const gk = keepdim ? g : reshape(g, kept);
  const ik = keepdim ? idx : reshape(idx, kept);
  return scatterAddInto(shape, d, ik, gk);
}

export function argReduceRaw(
  op: "argmax" | "argmin",
  x: Tensor,
  d: number,
  keepdim: boolean,
  withValues: boolean,
): { values: Tensor | null; indices: Tensor } {
  const dims = x.ndim === 0 ? [] : [d];
  const { kept, dropped } = reducedShapes(x, dims);
  const shape = keepdim ? kept : dropped;
  const indices = emptyTensor(shape, "int32");
  const values = withValues ? emptyTensor(shape, x.dtype) : null;
  const v = x.ndim === 0 ? { data: x._data, dtype: x.dtype, offset: x.offset, shape: [1], strides: [1] } : reducedLast(x, dims);
  B.argReduce(op, v, indices._data as Int32Array, values === null ? null : values._data);
  return { values, indices };
}

export function max(x: Tensor): Tensor;
export function max(x: Tensor, dim: number, keepdim?: boolean): ValuesIndices;
export function max(x: Tensor, dim?: number | null, keepdim = false): Tensor | ValuesIndices {
  return extreme("max", x, dim, keepdim);
}

export function min(x: Tensor): Tensor;
export function min(x: Tensor, dim: number, keepdim?: boolean): ValuesIndices;
export function min(x: Tensor, dim?: number | null, keepdim = false): Tensor | ValuesIndices {
  return extreme("min", x, dim, keepdim);
}

/** Indices are int32 here (PyTorch: int64): refuse reductions whose indices would not fit. */
function checkIndexable(op: string, n: number): void {
  if (n > 2 ** 31) {
    throw new RangeError(
      `${op}(): cannot reduce over ${n} elements: indices are int32 in tensorgrad (PyTorch: int64), which holds indices below 2^31`,
    );
  }
}

function argExtreme(op: "argmax" | "argmin", x: Tensor, dim: number | undefined | null, keepdim: boolean): Tensor {
  tensorArg(x, op, "input", 1);
  optIntArg(dim, op, "dim", 2);
  optBoolArg(keepdim, op, "keepdim", 3);
  if (dim === undefined || dim === null) {
    checkNonEmpty(x, op);
    checkIndexable(op, numel(x.shape));
    const flat = reshape(x, [-1]);
    const { indices } = argReduceRaw(op, flat, 0, false, false);
    return keepdim ? reshape(indices, x.shape.map(() => 1)) : indices;
  }
  const d = normalizeDim(dim, x.ndim);
  if (x.ndim > 0 && x.shape[d] === 0) throw new RangeError(`${op}(): Expected reduction dim ${d} to have non-zero size.`);
  checkIndexable(op, x.ndim > 0 ? x.shape[d] : 1);
  return argReduceRaw(op, x, d, keepdim, false).indices;
}

export function argmax(x: Tensor, dim?: number | null, keepdim = false): Tensor {
  return argExtreme("argmax", x, dim, keepdim);
}

export function argmin(x: Tensor, dim?: number | null, keepdim = false): Tensor {
  return argExtreme("argmin", x, dim, keepdim);
}

/** Variance with Bessel's correction by default (PyTorch's unbiased default). */
export function variance(x: Tensor, dim?: Dims, keepdim = false, correction = 1): Tensor {
  return spread("var", x, dim, keepdim, correction);
}

export function std(x: Tensor, dim?: Dims, keepdim = false, correction = 1): Tensor {
  return spread("std", x, dim, keepdim, correction);
}

function spread(kind: "var" | "std", x: Tensor, dim: Dims, keepdim: boolean, correction: number): Tensor {
  reductionArgs(kind, x, dim, keepdim);
  requireFloat(x, kind);
  const dims = reductionDims(x, dim);
  const n = dims.reduce((acc, d) => acc * x.shape[d], 1);
  const denom = Math.max(0, n - correction);
  const { out, centered } = noGrad(() => {
    const m = mean(x, dims, true);
    const c = sub(x, m);
    const v = div(sum(mul(c, c), dims, keepdim), denom);
    return { out: kind === "var" ? v : sqrt(v), centered: c };
  });
  if (needsGrad(x)) {
    const shape = x.shape;
    if (kind === "var") {
      record("VarBackward0", [x], out, [centered], (g, [c]) => [mul(expandBack(g, shape, dims, keepdim), mul(c, 2 / denom))]);
    } else {
      record("StdBackward0", [x], out, [centered, out], (g, [c, s]) => [
        div(mul(expandBack(g, shape, dims, keepdim), c), mul(expandBack(s, shape, dims, keepdim), denom)),
      ]);
    }
  }
  return out;
}

export function logsumexp(x: Tensor, dim: Dims, keepdim = false): Tensor {
  if (isHalf(x?.dtype)) return roundedTo(logsumexp(widened(x), dim, keepdim), x.dtype);
  reductionArgs("logsumexp", x, dim, keepdim);
  const src = isFloat(x.dtype) ? x : castTo(x, "float32");
  const dims = reductionDims(src, dim);
  const out = noGrad(() => {
    if (dims.reduce((acc, d) => acc * src.shape[d], 1) === 0) {
      // The log of an empty sum: PyTorch's value is -inf (there is no max to shift by).
      const { kept, dropped } = reducedShapes(src, dims);
      const r = emptyTensor(keepdim ? kept : dropped, src.dtype);
      r._data.fill(-Infinity);
      return r;
    }
    const m = reduceRaw("max", src, dims, true, src.dtype);
    // An all -inf (or inf) slice would give inf - inf = NaN; shift by 0 there instead. Chosen by kernels (m − m is
    // 0 exactly where m is finite), not in JavaScript, so that a compiled step chooses again at each replay.
    const shift = where(eq(sub(m, m), 0), m, 0);
    const s = sum(exp(sub(src, shift)), dims, true);
    const r = add(logOf(s), shift);
    return keepdim ? r : reshape(r, reducedShapes(src, dims).dropped);
  });
  if (needsGrad(x)) {
    const shape = x.shape;
    record("LogsumexpBackward0", [x], out, [x, out], (g, [a, y]) => [
      mul(expandBack(g, shape, dims, keepdim), exp(sub(a, expandBack(y, shape, dims, keepdim)))),
    ]);
  }
  return out;
}

function logOf(t: Tensor): Tensor {
  const out = emptyTensor(t.shape, t.dtype);
  B.unary("log", t._kv(), out._kv());
  return out;
}

