/**
 * The public Tensor methods: one table, from which both the prototype and the Tensor interface's method
 * signatures (TensorMethods, merged into the class in ts/tensor.ts) come, so a method cannot be declared
 * without being implemented. test/core/api-surface.test.ts checks the free functions against it.
 */
import { inspect } from "node:util";
import { Tensor } from "./tensor";
import * as ops from "./ops/index";
import type { Operand } from "./ops/core";
import type { Dims, ValuesIndices } from "./ops/reduce";
import type { NestedList } from "./ops/convert";
import type { DType, TypedArray } from "./backend/types";
import { formatTensor } from "./format";
import { backward, type BackwardOptions } from "./autograd/api";
import { defaultGenerator, normal, uniform } from "./random/index";
import { noGrad } from "./autograd/grad-mode";
import {
  type PostAccumulateGradHook,
  type RemovableHandle,
  type TensorHook,
  registerPostAccumulateGradHook,
  registerTensorHook,
} from "./autograd/hooks";
import { allocate } from "./dtype";
import * as A from "./ops/args";

type Sizes = (number | readonly number[])[];

function max(this: Tensor): Tensor;
function max(this: Tensor, dim: number, keepdim?: boolean): ValuesIndices;
function max(this: Tensor, dim?: number, keepdim?: boolean): Tensor | ValuesIndices {
  A.optIntArg(dim, "max", "dim", 1);
  A.optBoolArg(keepdim, "max", "keepdim", 2);
  return dim === undefined ? ops.max(this) : ops.max(this, dim, keepdim);
}

function min(this: Tensor): Tensor;
function min(this: Tensor, dim: number, keepdim?: boolean): ValuesIndices;
function min(this: Tensor, dim?: number, keepdim?: boolean): Tensor | ValuesIndices {
  A.optIntArg(dim, "min", "dim", 1);
  A.optBoolArg(keepdim, "min", "keepdim", 2);
  return dim === undefined ? ops.min(this) : ops.min(this, dim, keepdim);
}

/**
 * Draws into a contiguous buffer, then writes it through self's (maybe strided) view. PyTorch's kernels
 * visit a non-contiguous tensor in memory order, so the draws are assigned by ascending storage offset.
 */
function drawInto(self: Tensor, draw: (buf: Float32Array | Float64Array) => void): Tensor {
  // Checked before drawing, so a refused fill leaves the generator where it was.
  ops.checkInplaceTarget(self);
  if (self.dtype !== "float32" && self.dtype !== "float64") {
    throw new TypeError(`random fill is not implemented for dtype ${self.dtype}`);
  }
  const n = self.numel();
  const buf = allocate(self.dtype, n) as Float32Array | Float64Array;
  draw(buf);
  if (self.isContiguous()) return ops.writeValues(self, buf);
  const offsets = logicalOffsets(self);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => offsets[a] - offsets[b]);
  const logical = allocate(self.dtype, n) as Float32Array | Float64Array;
  for (let k = 0; k < n; k++) logical[order[k]] = buf[k];
  return ops.writeValues(self, logical);
}

function logicalOffsets(t: Tensor): number[] {
  const out: number[] = [];
  const walk = (dim: number, base: number): void => {
    if (dim === t.ndim) {
      out.push(base);
      return;
    }
    for (let i = 0; i < t.shape[dim]; i++) walk(dim + 1, base + i * t.strides[dim]);
  };
  walk(0, t.offset);
  return out;
}

/** scatter's arguments at a method's positions (the op checks them again at the free function's). */
function scatterArgs(fn: string, dim: unknown, index: unknown, src: unknown, reduce: unknown): void {
  A.intArg(dim, fn, "dim", 1);
  A.tensorArg(index, fn, "index", 2);
  A.operandArg(src, fn, "src", 3);
  ops.scatterReduceArg(reduce, fn, 4);
}

function indexPutArgs(fn: string, indices: unknown, values: unknown, accumulate: unknown): void {
  if (!Array.isArray(indices)) throw A.argError(fn, "indices", 1, "tuple of Tensors", indices);
  A.tensorArg(values, fn, "values", 2);
  A.optBoolArg(accumulate, fn, "accumulate", 3);
}

export const tensorMethods = {
  add(this: Tensor, o: Operand, opts?: ops.AlphaOptions): Tensor {
    const other = A.operandArg(o, "add", "other", 1);
    return ops.addOp(this, opts === undefined ? other : ops.scaledByAlpha(other, opts, "add"));
  },
  sub(this: Tensor, o: Operand, opts?: ops.AlphaOptions): Tensor {
    const other = A.operandArg(o, "sub", "other", 1);
    return ops.subOp(this, opts === undefined ? other : ops.scaledByAlpha(other, opts, "sub"));
  },
  mul(this: Tensor, o: Operand): Tensor {
    return ops.mulOp(this, A.operandArg(o, "mul", "other", 1));
  },
  div(this: Tensor, o: Operand): Tensor {
    return ops.divOp(this, A.operandArg(o, "div", "other", 1));
  },
  pow(this: Tensor, e: Operand): Tensor {
    return ops.pow(this, A.operandArg(e, "pow", "exponent", 1));
  },
  neg(this: Tensor): Tensor {
    return ops.neg(this);
  },
  abs(this: Tensor): Tensor {
    return ops.abs(this);
  },
  sign(this: Tensor): Tensor {
    return ops.sign(this);
  },
  exp(this: Tensor): Tensor {
    return ops.exp(this);
  },
  log(this: Tensor): Tensor {
    return ops.log(this);
  },
  sqrt(this: Tensor): Tensor {
    return ops.sqrt(this);
  },
  rsqrt(this: Tensor): Tensor {
    return ops.rsqrt(this);
  },
  reciprocal(this: Tensor): Tensor {
    return ops.reciprocal(this);
  },
  square(this: Tensor): Tensor {
    return ops.square(this);
  },
  sin(this: Tensor): Tensor {
    return ops.sin(this);
  },
  cos(this: Tensor): Tensor {
    return ops.cos(this);
  },
  tanh(this: Tensor): Tensor {
    return ops.tanh(this);
  },
  sigmoid(this: Tensor): Tensor {
    return ops.sigmoid(this);
  },
  relu(this: Tensor): Tensor {
    return ops.relu(this);
  },
  leakyRelu(this: Tensor, s?: number): Tensor {
    return ops.leakyRelu(this, A.maybeNumberArg(s, "leakyRelu", "negative_slope", 1));
  },
  elu(this: Tensor, a?: number): Tensor {
    return ops.elu(this, A.maybeNumberArg(a, "elu", "alpha", 1));
  },
  clamp(this: Tensor, lo?: number | null, hi?: number | null): Tensor {
    return ops.clamp(this, A.optNumberArg(lo, "clamp", "min", 1), A.optNumberArg(hi, "clamp", "max", 2));
  },
  clip(this: Tensor, lo?: number | null, hi?: number | null): Tensor {
    return ops.clamp(this, A.optNumberArg(lo, "clip", "min", 1), A.optNumberArg(hi, "clip", "max", 2));
  },
  maximum(this: Tensor, o: Tensor): Tensor {
    return ops.maximum(this, A.tensorArg(o, "maximum", "other", 1));
  },
  minimum(this: Tensor, o: Tensor): Tensor {
    return ops.minimum(this, A.tensorArg(o, "minimum", "other", 1));
  },
  atan2(this: Tensor, other: Tensor): Tensor {
    return ops.atan2(this, A.tensorArg(other, "atan2", "other", 1));
  },
  erf(this: Tensor): Tensor {
    return ops.erf(this);
  },
  log1p(this: Tensor): Tensor {
    return ops.log1p(this);
  },
  expm1(this: Tensor): Tensor {
    return ops.expm1(this);
  },
  floor(this: Tensor): Tensor {
    return ops.floor(this);
  },
  ceil(this: Tensor): Tensor {
    return ops.ceil(this);
  },
  round(this: Tensor): Tensor {
    return ops.round(this);
  },
  trunc(this: Tensor): Tensor {
    return ops.trunc(this);
  },
  isnan(this: Tensor): Tensor {
    return ops.isnan(this);
  },
  isinf(this: Tensor): Tensor {
    return ops.isinf(this);
  },
  remainder(this: Tensor, other: Operand): Tensor {
    return ops.remainder(this, A.operandArg(other, "remainder", "other", 1));
  },
  flip(this: Tensor, dims: number | readonly number[]): Tensor {
    return ops.flip(this, A.intsArg(dims, "flip", "dims", 1));
  },
  roll(this: Tensor, shifts: number | readonly number[], dims?: number | readonly number[]): Tensor {
    return ops.roll(this, A.intsArg(shifts, "roll", "shifts", 1), A.dimsArg(dims, "roll", "dims", 2) ?? undefined);
  },
  repeat(this: Tensor, ...sizes: Sizes): Tensor {
    return ops.repeat(this, A.sizesArg(sizes, "repeat", "repeats", 1));
  },
  tile(this: Tensor, ...sizes: Sizes): Tensor {
    return ops.tile(this, A.sizesArg(sizes, "tile", "dims", 1));
  },
  split(this: Tensor, splitSize: number | readonly number[], dim?: number): Tensor[] {
    return ops.split(this, A.intsArg(splitSize, "split", "split_size_or_sections", 1), A.maybeIntArg(dim, "split", "dim", 2));
  },
  chunk(this: Tensor, chunks: number, dim?: number): Tensor[] {
    return ops.chunk(this, A.intArg(chunks, "chunk", "chunks", 1), A.maybeIntArg(dim, "chunk", "dim", 2));
  },
  tril(this: Tensor, diagonal?: number): Tensor {
    return ops.tril(this, A.maybeIntArg(diagonal, "tril", "diagonal", 1));
  },
  triu(this: Tensor, diagonal?: number): Tensor {
    return ops.triu(this, A.maybeIntArg(diagonal, "triu", "diagonal", 1));
  },
  maskedFill(this: Tensor, mask: Tensor, value: number | Tensor): Tensor {
    return ops.maskedFill(this, A.tensorArg(mask, "maskedFill", "mask", 1), A.operandArg(value, "maskedFill", "value", 2));
  },
  bmm(this: Tensor, batch2: Tensor): Tensor {
    return ops.bmm(this, batch2);
  },
  baddbmm(this: Tensor, batch1: Tensor, batch2: Tensor, opts?: { beta?: number; alpha?: number }): Tensor {
    return ops.baddbmm(this, batch1, batch2, opts);
  },
  diagonal(this: Tensor, offset?: number, dim1?: number, dim2?: number): Tensor {
    return ops.diagonal(this, offset, dim1, dim2);
  },
  diagEmbed(this: Tensor, offset?: number, dim1?: number, dim2?: number): Tensor {
    return ops.diagEmbed(this, offset, dim1, dim2);
  },
  diag(this: Tensor, diagonal?: number): Tensor {
    return ops.diag(this, diagonal);
  },
  /** x[start:end:step] along dim, Python's rules, as a view. */
  slice(this: Tensor, dim: number, start?: number | null, end?: number | null, step?: number): Tensor {
    return ops.slice(this, dim, start, end, step);
  },
  outer(this: Tensor, vec2: Tensor): Tensor {
    return ops.outer(this, A.tensorArg(vec2, "outer", "vec2", 1));
  },
  sort(this: Tensor, dim?: number, descending?: boolean): ValuesIndices {
    return ops.sort(this, A.maybeIntArg(dim, "sort", "dim", 1), A.optBoolArg(descending, "sort", "descending", 2));
  },
  argsort(this: Tensor, dim?: number, descending?: boolean): Tensor {
    return ops.argsort(this, A.maybeIntArg(dim, "argsort", "dim", 1), A.optBoolArg(descending, "argsort", "descending", 2));
  },
  topk(this: Tensor, k: number, dim?: number, largest?: boolean, sorted?: boolean): ValuesIndices {
    return ops.topk(this, A.intArg(k, "topk", "k", 1), A.maybeIntArg(dim, "topk", "dim", 2), A.optBoolArg(largest, "topk", "largest", 3), A.optBoolArg(sorted, "topk", "sorted", 4));
  },
  multinomial(this: Tensor, numSamples: number, replacement?: boolean, opts?: ops.MultinomialOptions): Tensor {
    A.intArg(numSamples, "multinomial", "num_samples", 1);
    A.optBoolArg(replacement, "multinomial", "replacement", 2);
    A.optionsArg(opts, "multinomial", "options", 3);
    return ops.multinomial(this, numSamples, replacement, opts);
  },
  cumsum(this: Tensor, dim: number): Tensor {
    return ops.cumsum(this, A.intArg(dim, "cumsum", "dim", 1));
  },
  cumprod(this: Tensor, dim: number): Tensor {
    return ops.cumprod(this, A.intArg(dim, "cumprod", "dim", 1));
  },
  any(this: Tensor, dim?: number, keepdim?: boolean): Tensor {
    return ops.any(this, A.maybeIntArg(dim, "any", "dim", 1), A.optBoolArg(keepdim, "any", "keepdim", 2));
  },
  all(this: Tensor, dim?: number, keepdim?: boolean): Tensor {
    return ops.all(this, A.maybeIntArg(dim, "all", "dim", 1), A.optBoolArg(keepdim, "all", "keepdim", 2));
  },
  norm(this: Tensor, p?: number, dim?: Dims, keepdim?: boolean): Tensor {
    return ops.norm(this, A.maybeNumberArg(p, "norm", "p", 1), A.dimsArg(dim, "norm", "dim", 2), A.optBoolArg(keepdim, "norm", "keepdim", 3));
  },
  eq(this: Tensor, o: Operand): Tensor {
    return ops.eq(this, A.operandArg(o, "eq", "other", 1));
  },
  ne(this: Tensor, o: Operand): Tensor {
    return ops.ne(this, A.operandArg(o, "ne", "other", 1));
  },
  gt(this: Tensor, o: Operand): Tensor {
    return ops.gt(this, A.operandArg(o, "gt", "other", 1));
  },
  lt(this: Tensor, o: Operand): Tensor {
    return ops.lt(this, A.operandArg(o, "lt", "other", 1));
  },
  ge(this: Tensor, o: Operand): Tensor {
    return ops.ge(this, A.operandArg(o, "ge", "other", 1));
  },
  le(this: Tensor, o: Operand): Tensor {
    return ops.le(this, A.operandArg(o, "le", "other", 1));
  },
  logicalNot(this: Tensor): Tensor {
    return ops.logicalNot(this);
  },
  where(this: Tensor, c: Tensor, o: Operand): Tensor {
    return ops.where(A.tensorArg(c, "where", "condition", 1), this, A.operandArg(o, "where", "other", 2));
  },
  sum(this: Tensor, d?: Dims, k?: boolean): Tensor {
    return ops.sum(this, A.dimsArg(d, "sum", "dim", 1), A.optBoolArg(k, "sum", "keepdim", 2));
  },
  mean(this: Tensor, d?: Dims, k?: boolean): Tensor {
    return ops.mean(this, A.dimsArg(d, "mean", "dim", 1), A.optBoolArg(k, "mean", "keepdim", 2));
  },
  max,
  min,
  argmax(this: Tensor, d?: number | null, k?: boolean): Tensor {
    return ops.argmax(this, A.optIntArg(d, "argmax", "dim", 1), A.optBoolArg(k, "argmax", "keepdim", 2));
  },
  argmin(this: Tensor, d?: number | null, k?: boolean): Tensor {
    return ops.argmin(this, A.optIntArg(d, "argmin", "dim", 1), A.optBoolArg(k, "argmin", "keepdim", 2));
  },
  std(this: Tensor, d?: Dims, k?: boolean): Tensor {
    return ops.std(this, A.dimsArg(d, "std", "dim", 1), A.optBoolArg(k, "std", "keepdim", 2));
  },
  var(this: Tensor, d?: Dims, k?: boolean): Tensor {
    return ops.variance(this, A.dimsArg(d, "var", "dim", 1), A.optBoolArg(k, "var", "keepdim", 2));
  },
  logsumexp(this: Tensor, d: Dims, k?: boolean): Tensor {
    return ops.logsumexp(this, A.dimsArg(d, "logsumexp", "dim", 1), A.optBoolArg(k, "logsumexp", "keepdim", 2));
  },
  softmax(this: Tensor, d: number): Tensor {
    return ops.softmax(this, A.intArg(d, "softmax", "dim", 1));
  },
  logSoftmax(this: Tensor, d: number): Tensor {
    return ops.logSoftmax(this, A.intArg(d, "logSoftmax", "dim", 1));
  },
  matmul(this: Tensor, o: Tensor): Tensor {
    return ops.matmul(this, A.tensorArg(o, "matmul", "other", 1));
  },
  mm(this: Tensor, o: Tensor): Tensor {
    return ops.mm(this, A.tensorArg(o, "mm", "mat2", 1));
  },
  mv(this: Tensor, v: Tensor): Tensor {
    return ops.mv(this, A.tensorArg(v, "mv", "vec", 1));
  },
  dot(this: Tensor, o: Tensor): Tensor {
    return ops.dot(this, A.tensorArg(o, "dot", "tensor", 1));
  },
  t(this: Tensor): Tensor {
    return ops.t(this);
  },
  transpose(this: Tensor, a: number, b: number): Tensor {
    return ops.transpose(this, A.intArg(a, "transpose", "dim0", 1), A.intArg(b, "transpose", "dim1", 2));
  },
  reshape(this: Tensor, ...s: Sizes): Tensor {
    return ops.reshape(this, A.sizesArg(s, "reshape", "shape", 1));
  },
  view(this: Tensor, ...s: Sizes): Tensor {
    return ops.view(this, A.sizesArg(s, "view", "size", 1));
  },
  viewAs(this: Tensor, o: Tensor): Tensor {
    return ops.view(this, A.tensorArg(o, "viewAs", "other", 1).shape);
  },
  unsqueeze(this: Tensor, d: number): Tensor {
    return ops.unsqueeze(this, A.intArg(d, "unsqueeze", "dim", 1));
  },
  squeeze(this: Tensor, d?: number | readonly number[]): Tensor {
    return ops.squeeze(this, A.dimsArg(d, "squeeze", "dim", 1));
  },
  flatten(this: Tensor, s?: number, e?: number): Tensor {
    return ops.flatten(this, A.maybeIntArg(s, "flatten", "start_dim", 1), A.maybeIntArg(e, "flatten", "end_dim", 2));
  },
  expand(this: Tensor, ...s: Sizes): Tensor {
    return ops.expand(this, A.sizesArg(s, "expand", "size", 1));
  },
  expandAs(this: Tensor, o: Tensor): Tensor {
    return ops.expand(this, A.tensorArg(o, "expandAs", "other", 1).shape);
  },
  permute(this: Tensor, ...d: Sizes): Tensor {
    return ops.permute(this, A.sizesArg(d, "permute", "dims", 1));
  },
  contiguous(this: Tensor): Tensor {
    return ops.contiguous(this);
  },
  at(this: Tensor, ...i: number[]): Tensor {
    for (let k = 0; k < i.length; k++) A.intArg(i[k], "at", "indices", k + 1);
    return ops.at(this, ...i);
  },
  select(this: Tensor, d: number, i: number): Tensor {
    return ops.select(this, A.intArg(d, "select", "dim", 1), A.intArg(i, "select", "index", 2));
  },
  narrow(this: Tensor, d: number, s: number, l: number): Tensor {
    return ops.narrow(this, A.intArg(d, "narrow", "dim", 1), A.intArg(s, "narrow", "start", 2), A.intArg(l, "narrow", "length", 3));
  },
  indexSelect(this: Tensor, d: number, i: Tensor): Tensor {
    return ops.indexSelect(this, A.intArg(d, "indexSelect", "dim", 1), A.tensorArg(i, "indexSelect", "index", 2));
  },
  gather(this: Tensor, d: number, i: Tensor): Tensor {
    return ops.gather(this, A.intArg(d, "gather", "dim", 1), A.tensorArg(i, "gather", "index", 2));
  },
  scatter(this: Tensor, dim: number, index: Tensor, src: Tensor | number, reduce?: ops.ScatterReduce): Tensor {
    scatterArgs("scatter", dim, index, src, reduce);
    return ops.scatter(this, dim, index, src, reduce);
  },
  scatter_(this: Tensor, dim: number, index: Tensor, src: Tensor | number, reduce?: ops.ScatterReduce): Tensor {
    scatterArgs("scatter_", dim, index, src, reduce);
    return ops.scatter_(this, dim, index, src, reduce);
  },
  scatterAdd(this: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
    A.intArg(dim, "scatterAdd", "dim", 1);
    A.tensorArg(index, "scatterAdd", "index", 2);
    A.tensorArg(src, "scatterAdd", "src", 3);
    return ops.scatterAdd(this, dim, index, src);
  },
  indexAdd(this: Tensor, dim: number, index: Tensor, source: Tensor, opts?: ops.IndexAddOptions): Tensor {
    A.intArg(dim, "indexAdd", "dim", 1);
    A.tensorArg(index, "indexAdd", "index", 2);
    A.tensorArg(source, "indexAdd", "source", 3);
    A.optionsArg(opts, "indexAdd", "options", 4);
    return ops.indexAdd(this, dim, index, source, opts);
  },
  /** x[indices] as in Python: int32 tensors, bool masks, null (a whole dim), numbers, { start, stop, step }, "...". */
  index(this: Tensor, indices: readonly ops.IndexItem[]): Tensor {
    return ops.index(this, indices);
  },
  indexPut(this: Tensor, indices: readonly (Tensor | null)[], values: Tensor, accumulate?: boolean): Tensor {
    indexPutArgs("indexPut", indices, values, accumulate);
    return ops.indexPut(this, indices, values, accumulate);
  },
  indexPut_(this: Tensor, indices: readonly (Tensor | null)[], values: Tensor, accumulate?: boolean): Tensor {
    indexPutArgs("indexPut_", indices, values, accumulate);
    return ops.indexPut_(this, indices, values, accumulate);
  },
  maskedSelect(this: Tensor, mask: Tensor): Tensor {
    return ops.maskedSelect(this, A.tensorArg(mask, "maskedSelect", "mask", 1));
  },
  item(this: Tensor): number {
    return ops.item(this);
  },
  tolist(this: Tensor): NestedList {
    return ops.tolist(this);
  },
  toArray(this: Tensor): TypedArray {
    return ops.toArray(this);
  },
  clone(this: Tensor): Tensor {
    return ops.clone(this);
  },
  to(this: Tensor, target: DType | "cpu" | { dtype?: DType; device?: string }): Tensor {
    return ops.to(this, target);
  },
  float(this: Tensor): Tensor {
    return ops.toDType(this, "float32");
  },
  double(this: Tensor): Tensor {
    return ops.toDType(this, "float64");
  },
  int(this: Tensor): Tensor {
    return ops.toDType(this, "int32");
  },
  bool(this: Tensor): Tensor {
    return ops.toDType(this, "bool");
  },
  detach(this: Tensor): Tensor {
    return ops.detach(this);
  },
  detach_(this: Tensor): Tensor {
    return ops.detach_(this);
  },
  requiresGrad_(this: Tensor, f?: boolean): Tensor {
    return ops.requiresGrad_(this, f);
  },
  backward(this: Tensor, g?: Tensor | null, o?: BackwardOptions): void {
    backward(this, A.optTensorArg(g, "backward", "gradient", 1), A.optionsArg<BackwardOptions>(o, "backward", "options", 2));
  },
  /** Calls `hook(grad)` when this tensor's gradient is computed; a returned tensor replaces the gradient. */
  registerHook(this: Tensor, hook: TensorHook): RemovableHandle {
    return registerTensorHook(this, hook);
  },
  /** Calls `hook(this)` after a backward pass accumulated into this leaf's `.grad`. */
  registerPostAccumulateGradHook(this: Tensor, hook: PostAccumulateGradHook): RemovableHandle {
    return registerPostAccumulateGradHook(this, hook);
  },
  add_(this: Tensor, o: Operand, opts?: ops.AlphaOptions): Tensor {
    return ops.add_(this, opts === undefined ? o : ops.scaledByAlpha(o, opts, "add_"));
  },
  sub_(this: Tensor, o: Operand, opts?: ops.AlphaOptions): Tensor {
    return ops.sub_(this, opts === undefined ? o : ops.scaledByAlpha(o, opts, "sub_"));
  },
  mul_(this: Tensor, o: Operand): Tensor {
    return ops.mul_(this, o);
  },
  div_(this: Tensor, o: Operand): Tensor {
    return ops.div_(this, o);
  },
  zero_(this: Tensor): Tensor {
    return ops.zero_(this);
  },
  fill_(this: Tensor, v: number): Tensor {
    return ops.fill_(this, v);
  },
  copy_(this: Tensor, s: Tensor): Tensor {
    return ops.copy_(this, s);
  },
  clamp_(this: Tensor, lo?: number | null, hi?: number | null): Tensor {
    return ops.clamp_(this, lo, hi);
  },
  uniform_(this: Tensor, from = 0, to = 1): Tensor {
    A.numberArg(from, "uniform_", "from", 1);
    A.numberArg(to, "uniform_", "to", 2);
    if (!(from <= to)) throw new RangeError(`uniform_(): uniform_ expects to return a [from, to) range, but found from=${from} > to=${to}`);
    return drawInto(this, (buf) => uniform(defaultGenerator, buf, from, to));
  },
  normal_(this: Tensor, mean = 0, std = 1): Tensor {
    A.numberArg(mean, "normal_", "mean", 1);
    A.numberArg(std, "normal_", "std", 2);
    if (!(std >= 0)) throw new RangeError(`normal_(): normal expects std >= 0.0, but found std ${std}`);
    const contiguous = this.isContiguous();
    return drawInto(this, (buf) => normal(defaultGenerator, buf, mean, std, { contiguous }));
  },
};

type Table = typeof tensorMethods;
/** The methods as callers see them (without the `this` parameter; max/min keep both overloads). */
export type TensorMethods = { [K in Exclude<keyof Table, "max" | "min">]: OmitThisParameter<Table[K]> } & {
  max(): Tensor;
  max(dim: number, keepdim?: boolean): ValuesIndices;
  min(): Tensor;
  min(dim: number, keepdim?: boolean): ValuesIndices;
};

for (const [name, fn] of Object.entries(tensorMethods)) {
  Object.defineProperty(Tensor.prototype, name, { value: fn, writable: true, configurable: true, enumerable: false });
}
Object.defineProperty(Tensor.prototype, "toString", {
  value: function (this: Tensor): string {
    return noGrad(() => formatTensor(this));
  },
  writable: true,
  configurable: true,
  enumerable: false,
});
(Tensor.prototype as unknown as Record<symbol, unknown>)[inspect.custom] = function (this: Tensor) {
  return this.toString();
};
