import { B } from "../backend/index";
import type { DType, TypedArray } from "../backend/types";
import { Tensor } from "../tensor";
import { checkDType, DTYPES, isFloat, scalarTypeName } from "../dtype";
import { isHalf, valueOf } from "../backend/half";
import { numel } from "../shape";
import { checkDevice } from "../device";
import { emptyTensor, needsGrad, record } from "./core";
import { clone } from "./views";
import { argError, optBoolArg, tensorArg } from "./args";
import { noteValueRead } from "../compile/hooks";

/** Whether a float value truncates to an int32 (NaN and ±Infinity do not). */
function fitsInt32(v: number): boolean {
  return v > -2147483649 && v < 2147483648;
}

function int32Overflow(fn: string, v: number): RangeError {
  // PyTorch's int64 would hold most such values; int32 would wrap them around silently.
  return new RangeError(`${fn}: value ${Number.isNaN(v) ? "nan" : v} cannot be converted to type int32 without overflow`);
}

/** Throws when a value of `values` cannot become an int32 (for data given as numbers). */
export function checkInt32Values(values: ArrayLike<number>, fn: string): void {
  for (let i = 0; i < values.length; i++) if (!fitsInt32(values[i])) throw int32Overflow(fn, values[i]);
}

/** Throws when a float tensor holds a value that cannot become an int32 (two reductions, no copy). */
export function checkFitsInt32(x: Tensor, fn: string): void {
  if (!isFloat(x.dtype) || numel(x.shape) === 0) return;
  const hi = emptyTensor([], x.dtype);
  const lo = emptyTensor([], x.dtype);
  B.reduce("max", x._kv(), x.ndim, hi._data);
  B.reduce("min", x._kv(), x.ndim, lo._data);
  const h = item(hi);
  const l = item(lo);
  if (!fitsInt32(h)) throw int32Overflow(fn, h);
  if (!fitsInt32(l)) throw int32Overflow(fn, l);
}

/** The value of a one-element tensor as a number (booleans as true/false for bool tensors). */
export function item(x: Tensor): number {
  noteValueRead("item()");
  const n = numel(x.shape);
  if (n !== 1) throw new RangeError(`a Tensor with ${n} elements cannot be converted to Scalar`);
  const v = x._data[x.offset];
  return x.dtype === "bool" ? (v !== 0 ? 1 : 0) : valueOf(x.dtype, v);
}

/** A contiguous typed-array copy of the values in logical order (bfloat16/float16 values as a Float32Array). */
export function toArray(x: Tensor): TypedArray {
  noteValueRead("toArray()");
  const out = emptyTensor(x.shape, isHalf(x.dtype) ? "float32" : x.dtype);
  B.unary("copy", x._kv(), out._kv());
  return out._data;
}

export type NestedList = number | boolean | NestedList[];

export function tolist(x: Tensor): NestedList {
  noteValueRead("tolist()");
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
  if (d === "int32") checkFitsInt32(x, "to()");
  const out = emptyTensor(x.shape, d);
  B.unary("copy", x._kv(), out._kv());
  if (needsGrad(x) && isFloat(d)) {
    const from = x.dtype;
    record("ToCopyBackward0", [x], out, [], (g) => [toDType(g, from)]);
  }
  return out;
}

const DTYPE_NAMES: readonly string[] = [...DTYPES, "float", "double", "half"];

/** to(dtype | device | { dtype, device }): "cpu" is the only device. */
export function to(x: Tensor, target: DType | "cpu" | { dtype?: DType; device?: string }): Tensor {
  tensorArg(x, "to", "input", 1);
  if (typeof target !== "string" && (typeof target !== "object" || target === null || Array.isArray(target))) {
    throw argError("to", "dtype", 1, "a dtype name, a device name or { dtype, device }", target);
  }
  if (typeof target === "object") {
    checkDevice(target.device);
    return target.dtype === undefined ? x : toDType(x, target.dtype);
  }
  if (target === "cpu") return x;
  if (DTYPE_NAMES.includes(target)) return toDType(x, target as DType);
  throw new TypeError(
    `to(): ${JSON.stringify(target)} is neither a dtype (${DTYPES.map((d) => `"${d}"`).join(", ")}) nor an available device ("cpu")`,
  );
}

export function detach(x: Tensor): Tensor {
  tensorArg(x, "detach", "input", 1);
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
  optBoolArg(flag, "requiresGrad_", "requires_grad", 1);
  if (!flag && x._gradFn !== null) {
    throw new Error(
      "you can only change requires_grad flags of leaf variables. If you want to use a computed variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach().",
    );
  }
  if (flag && !isFloat(x.dtype)) {
    throw new TypeError(`only Tensors of floating point dtype can require gradients (got ${scalarTypeName(x.dtype)})`);
  }
  x._requiresGrad = !!flag;
  return x;
}

export { clone };
