/**
 * The kernel interface: the only thing the TypeScript and native backends share.
 * Kernels know nothing of tensors, graphs or modules; they see typed arrays described by
 * strided views and write into outputs the caller allocated. The caller (ts/ops) has already
 * validated shapes, promoted dtypes and broadcast inputs (broadcast dims have stride 0).
 */

export type DType = "float32" | "float64" | "int32" | "bool" | "bfloat16" | "float16";
export type FloatDType = "float32" | "float64";
/** The 16-bit floats, stored as 16-bit words (Uint16Array) and computed in float32. */
export type HalfDType = "bfloat16" | "float16";

/** Storage of each dtype: bool is one byte per element (0 or 1); bfloat16 and float16 are 16-bit words. */
export type TypedArray = Float32Array | Float64Array | Int32Array | Uint8Array | Uint16Array;
export type FloatArray = Float32Array | Float64Array;

/** Element (i0, …, ik) lives at data[offset + Σ i_d · strides[d]]. Strides count elements. */
export interface View {
  readonly data: TypedArray;
  /** The element type, carried explicitly: kernels never infer it from the typed-array class. */
  readonly dtype: DType;
  readonly offset: number;
  readonly shape: readonly number[];
  readonly strides: readonly number[];
}

/** The elementwise ops, defined in the op table (ts/backend/op-table.ts). */
import type { BinaryOp, UnaryOp } from "./op-table";
export type { BinaryOp, UnaryOp };

export type { ReduceOp } from "./op-table";
import type { ReduceOp } from "./op-table";
export type ArgReduceOp = "argmax" | "argmin";

/**
 * Row-major, batched GEMM: for each b < batch,
 * C_b[m×n] = alpha · op(A_b)[m×k] · op(B_b)[k×n] + beta · C_b,
 * where op(X) = Xᵀ when the trans flag is set. `lda` is the distance between consecutive rows of A
 * as stored (so for transA the stored A is k×m). A_b starts at aOffset + b·strideA, likewise B and C.
 * With beta = 0 the previous contents of C are ignored (NaN included).
 */
export interface GemmArgs {
  transA: boolean;
  transB: boolean;
  m: number;
  n: number;
  k: number;
  alpha: number;
  beta: number;
  a: FloatArray;
  aOffset: number;
  lda: number;
  b: FloatArray;
  bOffset: number;
  ldb: number;
  c: FloatArray;
  cOffset: number;
  ldc: number;
  batch: number;
  strideA: number;
  strideB: number;
  strideC: number;
}

export interface SgdArgs {
  lr: number;
  momentum: number;
  dampening: number;
  weightDecay: number;
  nesterov: boolean;
  maximize: boolean;
  /** true on the first step that uses the momentum buffer: PyTorch then copies the gradient into it. */
  firstStep: boolean;
}

export interface AdamArgs {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  /** AdamW: decay the parameter directly (p *= 1 − lr·wd) instead of adding wd·p to the gradient. */
  decoupled: boolean;
  amsgrad: boolean;
  maximize: boolean;
  /** 1-based step count after this step, for the bias corrections. */
  step: number;
}

/**
 * The kernels, by name. A backend registers the ones it has (ts/backend/registry.ts); a kernel family
 * outside this file adds its signature by declaration merging:
 * `declare module "../types" { interface Kernels { conv2d(...): void } }`.
 */
export interface Kernels {
  /** out[i] = op(x[i]); out may be strided (in-place ops write through views). Shapes of x and out are equal. */
  unary(op: UnaryOp, x: View, out: View, p0?: number, p1?: number): void;

  /** out[i] = op(a[i], b[i]); a, b and out have out's shape (broadcast dims carry stride 0). */
  binary(op: BinaryOp, a: View, b: View, out: View, p0?: number): void;

  /** out[i] = cond[i] ? a[i] : b[i]; cond is bool; all have out's shape. */
  where(cond: View, a: View, b: View, out: View): void;

  /**
   * Reduces the last `nReduced` dims of x (callers permute reduced dims to the end through strides).
   * out is contiguous with one element per combination of the leading dims. Sum of nothing is 0,
   * prod of nothing 1; max/min of nothing is the caller's error to prevent. NaN propagates through max/min.
   */
  reduce(op: ReduceOp, x: View, nReduced: number, out: TypedArray): void;

  /**
   * Arg-reduces the last dim of x: indices (first occurrence; NaN counts as the extreme) into
   * `indices`, and the values into `values` when given. Both contiguous over the leading dims.
   */
  argReduce(op: ArgReduceOp, x: View, indices: Int32Array, values: TypedArray | null): void;

  /**
   * softmax (or logSoftmax when `log`) along the middle dim of a contiguous [outer, dim, inner]
   * block starting at x.offset; out is contiguous of the same size.
   */
  softmax(x: FloatArray, xOffset: number, outer: number, dim: number, inner: number, log: boolean, out: FloatArray): void;

  gemm(args: GemmArgs): void;

  /**
   * out[..., j, ...] = x[..., index[j], ...] along `dim` (x and out contiguous; index values already
   * checked to lie in [0, x.shape[dim])).
   */
  indexSelect(x: View, dim: number, index: Int32Array, out: TypedArray): void;

  /** out[..., index[j], ...] += src[..., j, ...] along `dim`; out contiguous, src a view. */
  indexAdd(out: TypedArray, outShape: readonly number[], dim: number, index: Int32Array, src: View): void;

  /** out[i][j] = x[i][index[i][j]] along `dim` (torch.gather); index is contiguous with out's shape. */
  gather(x: View, dim: number, index: Int32Array, out: TypedArray, outShape: readonly number[]): void;

  /** out[i][index[i][j]] += src[i][j] along `dim` (torch.scatter_add_); out contiguous of outShape. */
  scatterAdd(out: TypedArray, outShape: readonly number[], dim: number, index: Int32Array, src: View): void;

  /** Fills a view with one value. */
  fill(out: View, value: number): void;

  /** One SGD step on a contiguous parameter, in place. momentumBuf is null when momentum = 0. */
  sgdStep(param: FloatArray, grad: FloatArray, momentumBuf: FloatArray | null, args: SgdArgs): void;

  /** One Adam/AdamW step in place; maxExpAvgSq is given when amsgrad. */
  adamStep(
    param: FloatArray,
    grad: FloatArray,
    expAvg: FloatArray,
    expAvgSq: FloatArray,
    maxExpAvgSq: FloatArray | null,
    args: AdamArgs,
  ): void;
}

export type KernelName = keyof Kernels;

/** A backend as ops see it: every kernel (the ones it lacks taken from the TypeScript backend) plus threads. */
export interface Backend extends Kernels {
  readonly name: "native" | "js";
  setNumThreads(n: number): void;
  getNumThreads(): number;
}
