import { B } from "../backend/index";
import type { DType, TypedArray } from "../backend/types";
import { Tensor } from "../tensor";
import { checkDType, scalarTypeName } from "../dtype";
import { numel } from "../shape";
import { checkDevice } from "../device";
import { emptyTensor, needsGrad, record } from "./core";
import { clone } from "./views";

/** The value of a one-element tensor as a number (booleans as true/false for bool tensors). */
export function item(x: Tensor): number {
  const n = numel(x.shape);
  if (n !== 1) throw new RangeError(`a Tensor with ${n} elements cannot be converted to Scalar`);
  const v = x._data[x.offset];
  return x.dtype === "bool" ? (v !== 0 ? 1 : 0) : v;
}

/** A contiguous typed-array copy of the values in logical order. */
export function toArray(x: Tensor): TypedArray {
  const out = emptyTensor(x.shape, x.dtype);
  B.unary("copy", x._kv(), out._kv());
  return out._data;
}

export type NestedList = number | boolean | NestedList[];

export function tolist(x: Tensor): NestedList {
  const flat = toArray(x);
  const asValue = (v: number): number | boolean => (x.dtype === "bool" ? v !== 0 : v);
  if (x.ndim === 0) return asValue(flat[0]);
  let at = 0;
  const build = (dim: number): NestedList[] => {
    const n = x.shape[dim];
    const out: NestedList[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = dim === x.ndim - 1 ? asValue(flat[at++]) : build(dim + 1);
    return out;
  };
  return build(0);
}

/** A copy in another dtype; differentiable between float dtypes (ToCopyBackward0). */
export function toDType(x: Tensor, dtype: DType): Tensor {
  const d = checkDType(dtype);
  if (d === x.dtype) return x;
  const out = emptyTensor(x.shape, d);
  B.unary("copy", x._kv(), out._kv());
  if (needsGrad(x) && (d === "float32" || d === "float64")) {
    const from = x.dtype;
    record("ToCopyBackward0", [x], out, [], (g) => [toDType(g, from)]);
  }
  return out;
}

/** to(dtype | device | { dtype, device }): "cpu" is the only device. */
export function to(x: Tensor, target: DType | "cpu" | { dtype?: DType; device?: string }): Tensor {
  if (typeof target === "object" && target !== null) {
    checkDevice(target.device);
    return target.dtype === undefined ? x : toDType(x, target.dtype);
  }
  if (target === "cpu") return x;
  if (target === "float32" || target === "float64" || target === "int32" || target === "bool" || target === "float" || target === "double") {
    return toDType(x, target as DType);
  }
  checkDevice(target);
  return x;
}

export function detach(x: Tensor): Tensor {
  return new Tensor(x._data, x.shape, x.dtype, x.strides, x.offset, x._version, x._base ?? x);
}

export function detach_(x: Tensor): Tensor {
  if (x._base !== null && x._gradFn !== null) {
    throw new Error("Can't detach views in-place. Use detach() instead.");
  }
  x._gradFn = null;
  x._requiresGrad = false;
  return x;
}

export function requiresGrad_(x: Tensor, flag = true): Tensor {
  if (!flag && x._gradFn !== null) {
    throw new Error(
      "you can only change requires_grad flags of leaf variables. If you want to use a computed variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach().",
    );
  }
  if (flag && x.dtype !== "float32" && x.dtype !== "float64") {
    throw new TypeError(`only Tensors of floating point dtype can require gradients (got ${scalarTypeName(x.dtype)})`);
  }
  x._requiresGrad = !!flag;
  return x;
}

export { clone };
