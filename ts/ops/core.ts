import type { DType } from "../backend/types";
import { B } from "../backend/index";
import { Tensor } from "../tensor";
import { Node, type BackwardFn, type NodeAttrs } from "../autograd/node";
import { gradMode } from "../autograd/grad-mode";
import { allocate, allocateUninit, promoteTypes, resultType, scalarDType } from "../dtype";
import { formatShape, numel } from "../shape";
import type { TypedArray } from "../backend/types";
import { pyType } from "./args";

export type Operand = Tensor | number;

/**
 * From this many elements an allocation may fail (V8's typed-array and ArrayBuffer limits, or memory):
 * such sizes go through a guarded path, so the common small allocation pays one comparison.
 */
const LARGE_ELEMENTS = 2 ** 26;

/** Storage for a tensor of `shape`, with an error naming the shape when it is too large to allocate. */
export function storageFor(shape: readonly number[], dtype: DType, zeroed: boolean): TypedArray {
  const n = numel(shape);
  if (n < LARGE_ELEMENTS) return zeroed ? allocate(dtype, n) : allocateUninit(dtype, n);
  return allocateLarge(shape, n, dtype, zeroed);
}

function allocateLarge(shape: readonly number[], n: number, dtype: DType, zeroed: boolean): TypedArray {
  // Past 2^32 elements no typed array can exist; do not ask V8 (its message does not name the shape).
  if (n <= 2 ** 32) {
    try {
      return zeroed ? allocate(dtype, n) : allocateUninit(dtype, n);
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      throw tooLarge(shape, dtype, e.message);
    }
  }
  throw tooLarge(shape, dtype, "more elements than a typed array can hold (2^32)");
}

function tooLarge(shape: readonly number[], dtype: DType, why: string): RangeError {
  // The exact element count: a float product of large sizes would print rounded.
  const exact = shape.reduce((acc, d) => acc * BigInt(d), 1n);
  return new RangeError(`cannot allocate a tensor of shape ${formatShape(shape)} (${exact} elements of ${dtype}): ${why}`);
}

/** A fresh contiguous tensor with unspecified contents, for kernel outputs that are written in full. */
export function emptyTensor(shape: readonly number[], dtype: DType): Tensor {
  return new Tensor(storageFor(shape, dtype, false), shape, dtype);
}

/** A fresh contiguous tensor of zeros, for outputs that kernels accumulate into or fill in part. */
export function zerosTensor(shape: readonly number[], dtype: DType): Tensor {
  return new Tensor(storageFor(shape, dtype, true), shape, dtype);
}

/**
 * Records `out` as produced by an op: its gradFn knows the inputs' edges, the saved tensors and the op's
 * attributes (its non-tensor arguments, as data).
 */
export function record(
  name: string,
  inputs: readonly Tensor[],
  out: Tensor,
  saved: Tensor[],
  backward: BackwardFn,
  attrs?: NodeAttrs,
): Tensor {
  out._gradFn = new Node(name, inputs, saved, backward, attrs);
  out._requiresGrad = true;
  return out;
}

export function needsGrad(a: Tensor): boolean {
  return gradMode.enabled && a._requiresGrad;
}

export function needsGrad2(a: Tensor, b: Tensor): boolean {
  return gradMode.enabled && (a._requiresGrad || b._requiresGrad);
}

export function checkTensor(x: unknown, op: string, arg = "input", pos = 1): Tensor {
  if (x instanceof Tensor) return x;
  throw new TypeError(`${op}(): argument '${arg}' (position ${pos}) must be Tensor, not ${pyType(x)}`);
}

/** The dtype an elementwise op computes in for these operands (PyTorch's result_type). */
export function operandsDType(a: Operand, b: Operand): DType {
  let dims: DType | null = null;
  let zero: DType | null = null;
  let scalar: DType | null = null;
  for (const x of [a, b]) {
    if (typeof x === "number" || typeof x === "boolean") {
      const d = scalarDType(x);
      scalar = scalar === null ? d : promoteTypes(scalar, d);
    } else if (x.shape.length === 0) {
      zero = zero === null ? x.dtype : promoteTypes(zero, x.dtype);
    } else {
      dims = dims === null ? x.dtype : promoteTypes(dims, x.dtype);
    }
  }
  return resultType(dims, zero, scalar);
}

/** A 0-d tensor holding a number, for operands given as plain numbers. */
export function scalarTensor(v: number, dtype: DType): Tensor {
  const t = emptyTensor([], dtype);
  t._data[0] = dtype === "bool" ? (v ? 1 : 0) : v;
  return t;
}

export function toTensor(x: Operand, dtype: DType): Tensor {
  if (typeof x === "number" || typeof x === "boolean") return scalarTensor(Number(x), dtype);
  return x;
}

/** A copy of x in `dtype` (contiguous); x itself when it already has that dtype. */
export function castTo(x: Tensor, dtype: DType): Tensor {
  if (x.dtype === dtype) return x;
  const out = emptyTensor(x.shape, dtype);
  B.unary("copy", x._kv(), out._kv(), undefined, undefined);
  return out;
}

/**
 * The contiguous span of storage that holds t's elements, for an in-place kernel to write directly; null
 * when t is not contiguous or when one of `inputs` reads the same storage (then the caller computes out of
 * place and copies back).
 */
export function storageOf(t: Tensor, inputs: readonly (Tensor | number)[]): TypedArray | null {
  if (!t.isContiguous()) return null;
  for (const x of inputs) if (x instanceof Tensor && x._data.buffer === t._data.buffer) return null;
  return t._data.subarray(t.offset, t.offset + numel(t.shape));
}
