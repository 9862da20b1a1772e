import type { DType, TypedArray } from "./backend/types";
import { B } from "./backend/index";
import { Tensor } from "./tensor";
import { DTYPES, dtypeOfArray, isFloat } from "./dtype";
import { numel } from "./shape";
import { Generator, defaultGenerator, normal, randint as randintFill, randperm as randpermDraw, uniform } from "./random/index";
import { storageFor } from "./ops/core";
import { checkFitsInt32, checkInt32Values } from "./ops/convert";
import { fillLinspace } from "./linspace-values";
import {
  argError,
  intArg,
  nonNegativeSizes,
  numberArg,
  optionsArg,
  pyType,
  shapeAndOptions,
  sizesArg,
  tensorArg,
} from "./ops/args";

export interface TensorOptions {
  dtype?: DType;
  requiresGrad?: boolean;
  device?: string;
}

export interface RandomOptions extends TensorOptions {
  generator?: Generator;
}

export type NestedArray = number | boolean | readonly NestedArray[];

/**
 * Checks the options every creation function shares, before anything is allocated or drawn: dtype,
 * requiresGrad, device, and (for the random ones) generator.
 */
const OPTION_KEYS = new Set(["dtype", "requiresGrad", "device", "generator", "shape"]);

function checkOptions(opts: unknown, fn: string, pos: number): RandomOptions | undefined {
  const o = optionsArg<RandomOptions>(opts, fn, "options", pos);
  if (o === undefined) return o;
  for (const k of Object.keys(o)) {
    // A misspelt option (`requires_grad`, `dType`) would otherwise be ignored silently.
    if (!OPTION_KEYS.has(k)) throw new TypeError(`${fn}() got an unexpected keyword argument '${k}' in its options`);
  }
  if (o.dtype !== undefined && !DTYPES.includes(o.dtype)) {
    throw new TypeError(`${fn}(): unknown dtype ${typeof o.dtype === "string" ? JSON.stringify(o.dtype) : pyType(o.dtype)}; expected one of ${DTYPES.map((x) => `"${x}"`).join(", ")}`);
  }
  if (o.requiresGrad !== undefined && typeof o.requiresGrad !== "boolean") throw argError(fn, "requiresGrad", pos, "bool", o.requiresGrad);
  if (o.device !== undefined && o.device !== "cpu") {
    throw new TypeError(`${fn}(): device ${typeof o.device === "string" ? JSON.stringify(o.device) : pyType(o.device)} is not available; available devices: "cpu"`);
  }
  if (o.generator !== undefined && !(o.generator instanceof Generator)) throw argError(fn, "generator", pos, "Generator", o.generator);
  return o;
}

/** Applies requiresGrad (the options were checked on entry). */
function finish(t: Tensor, opts: TensorOptions | undefined): Tensor {
  if (opts?.requiresGrad) t.requiresGrad = true;
  return t;
}

/** The float dtype tensors get by default (torch.set_default_dtype / get_default_dtype). */
let defaultFloat: "float32" | "float64" = "float32";

export function setDefaultDtype(dtype: "float32" | "float64"): void {
  if (dtype !== "float32" && dtype !== "float64") {
    throw new TypeError(`only floating-point types are supported as the default type, got ${JSON.stringify(dtype)}`);
  }
  defaultFloat = dtype;
}

export function getDefaultDtype(): "float32" | "float64" {
  return defaultFloat;
}

function dtypeOf(opts: TensorOptions | undefined, fallback: DType = defaultFloat): DType {
  return opts?.dtype ?? fallback;
}

/** Storage for a new tensor of `shape`: an error naming the shape when it cannot exist. */
function storage(shape: readonly number[], dtype: DType): TypedArray {
  return storageFor(shape, dtype, true);
}

function isTypedArray(x: unknown): x is TypedArray | Int8Array | Int16Array | Uint16Array | Uint32Array | Uint8ClampedArray {
  return ArrayBuffer.isView(x) && !(x instanceof DataView);
}

/** Shape of a nested array, checked for raggedness as it is flattened. */
function inferShape(data: NestedArray): number[] {
  const shape: number[] = [];
  let cur: NestedArray = data;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    if (cur.length === 0) break;
    cur = cur[0];
  }
  return shape;
}

function flatten(data: NestedArray, shape: readonly number[], out: number[], path: number[]): boolean {
  let sawBool = false;
  let sawNumber = false;
  const walk = (x: NestedArray, dim: number): void => {
    if (dim === shape.length) {
      if (typeof x === "number") sawNumber = true;
      else if (typeof x === "boolean") sawBool = true;
      else if (Array.isArray(x)) throw new RangeError(`expected a number at dim ${dim}, but got a sequence of length ${x.length}`);
      else {
        throw new TypeError(
          `tensor(): argument 'data' (position 1) must hold numbers or booleans, but found element of type ${pyType(x)} at index [${path.join(", ")}]`,
        );
      }
      out.push(Number(x));
      return;
    }
    if (!Array.isArray(x)) {
      throw new RangeError(`expected sequence of length ${shape[dim]} at dim ${dim} (got a scalar)`);
    }
    if (x.length !== shape[dim]) throw new RangeError(`expected sequence of length ${shape[dim]} at dim ${dim} (got ${x.length})`);
    for (let i = 0; i < x.length; i++) {
      path.push(i);
      walk(x[i], dim + 1);
      path.pop();
    }
  };
  walk(data, 0);
  if (sawBool && sawNumber) throw new TypeError("tensor(): cannot mix booleans and numbers in one tensor");
  return sawBool;
}

export interface TensorDataOptions extends TensorOptions {
  /** The shape of flat typed-array data (defaults to 1-D). */
  shape?: readonly number[];
}

/** Builds a tensor from a number, nested arrays or a typed array (copied). */
export function tensor(data: NestedArray | TypedArray | ArrayLike<number> | Tensor, opts?: TensorDataOptions): Tensor {
  opts = checkOptions(opts, "tensor", 2) as TensorDataOptions | undefined;
  if (data instanceof Tensor) {
    const dtype = dtypeOf(opts, data.dtype);
    if (dtype === "int32") checkFitsInt32(data, "tensor()");
    return finish(copyOf(data, dtype), opts);
  }
  if (isTypedArray(data)) {
    const src = data as ArrayLike<number>;
    const known = data instanceof Float32Array || data instanceof Float64Array || data instanceof Int32Array;
    const dtype = dtypeOf(opts, known ? dtypeOfArray(data as TypedArray) : defaultFloat);
    const shape = opts?.shape !== undefined ? nonNegativeSizes(sizesArg([opts.shape], "tensor", "shape", 2)) : [src.length];
    if (numel(shape) !== src.length) {
      throw new RangeError(`shape [${shape.join(", ")}] is invalid for input of size ${src.length}`);
    }
    if (dtype === "int32" && !(data instanceof Int32Array)) checkInt32Values(src, "tensor()");
    const out = storage(shape, dtype);
    if (dtype === "bool") for (let i = 0; i < src.length; i++) out[i] = src[i] ? 1 : 0;
    else out.set(src);
    return finish(new Tensor(out, shape, dtype), opts);
  }
  if (typeof data === "number" || typeof data === "boolean") {
    const dtype = dtypeOf(opts, typeof data === "boolean" ? "bool" : defaultFloat);
    if (dtype === "int32") checkInt32Values([Number(data)], "tensor()");
    const out = storage([], dtype);
    out[0] = Number(data);
    return finish(new Tensor(out, [], dtype), opts);
  }
  if (!Array.isArray(data)) throw argError("tensor", "data", 1, "a number, a (nested) array, a typed array or a Tensor", data);
  const shape = inferShape(data as NestedArray);
  const values: number[] = [];
  const allBool = flatten(data as NestedArray, shape, values, []);
  const dtype = dtypeOf(opts, allBool ? "bool" : defaultFloat);
  if (dtype === "int32") checkInt32Values(values, "tensor()");
  const out = storage(shape, dtype);
  if (dtype === "bool") for (let i = 0; i < values.length; i++) out[i] = values[i] ? 1 : 0;
  else out.set(values);
  if (opts?.shape !== undefined) throw new TypeError("tensor(): opts.shape is only for flat typed-array data");
  return finish(new Tensor(out, shape, dtype), opts);
}

function copyOf(t: Tensor, dtype: DType): Tensor {
  const out = new Tensor(storage(t.shape, dtype), t.shape.slice(), dtype);
  B.unary("copy", t._kv(), out._kv());
  return out;
}

type ShapeArgs = (number | readonly number[] | TensorOptions)[];

function filled(fn: string, args: ShapeArgs, value: number): Tensor {
  const { shape, opts } = shapeAndOptions<TensorOptions>(args, fn);
  checkOptions(opts, fn, args.length);
  const dtype = dtypeOf(opts);
  const t = new Tensor(storage(shape, dtype), shape, dtype);
  if (value !== 0) t._data.fill(value);
  return finish(t, opts);
}

export function zeros(...args: ShapeArgs): Tensor {
  return filled("zeros", args, 0);
}

export function ones(...args: ShapeArgs): Tensor {
  return filled("ones", args, 1);
}

/** Uninitialised in PyTorch; here zero-filled, since typed arrays always are. */
export function empty(...args: ShapeArgs): Tensor {
  return filled("empty", args, 0);
}

export function full(shape: readonly number[] | number, value: number | boolean, opts?: TensorOptions): Tensor {
  return fullOf("full", shape, value, opts);
}

function fullOf(fn: string, shape: readonly number[] | number, value: number | boolean, opts?: TensorOptions): Tensor {
  const s = nonNegativeSizes(sizesArg([shape], fn, "size", 1));
  numberArg(value, fn, "fill_value", 2);
  checkOptions(opts, fn, 3);
  const dtype = dtypeOf(opts, typeof value === "boolean" ? "bool" : defaultFloat);
  if (dtype === "int32") checkInt32Values([Number(value)], `${fn}()`);
  const t = new Tensor(storage(s, dtype), s, dtype);
  t._data.fill(Number(value));
  return finish(t, opts);
}

function floatDTypeOf(opts: TensorOptions | undefined, fn: string): "float32" | "float64" {
  const d = dtypeOf(opts);
  if (!isFloat(d)) throw new TypeError(`"${fn}" not implemented for '${d === "int32" ? "Int" : "Bool"}'`);
  return d;
}

export function rand(...args: (number | readonly number[] | RandomOptions)[]): Tensor {
  const { shape, opts } = shapeAndOptions<RandomOptions>(args, "rand");
  checkOptions(opts, "rand", args.length);
  const dtype = floatDTypeOf(opts, "check_uniform_bounds");
  const t = new Tensor(storage(shape, dtype), shape, dtype);
  uniform(opts?.generator ?? defaultGenerator, t._data as Float32Array | Float64Array, 0, 1);
  return finish(t, opts);
}

export function randn(...args: (number | readonly number[] | RandomOptions)[]): Tensor {
  const { shape, opts } = shapeAndOptions<RandomOptions>(args, "randn");
  checkOptions(opts, "randn", args.length);
  const dtype = floatDTypeOf(opts, "normal_kernel_cpu");
  const t = new Tensor(storage(shape, dtype), shape, dtype);
  normal(opts?.generator ?? defaultGenerator, t._data as Float32Array | Float64Array, 0, 1);
  return finish(t, opts);
}

/** randint(low, high, shape) or randint(high, shape): integers in [low, high), int32 by default. */
export function randint(low: number, high: number | readonly number[], shape?: readonly number[] | RandomOptions, opts?: RandomOptions): Tensor {
  if (Array.isArray(high)) {
    opts = shape as RandomOptions | undefined;
    shape = high;
    high = low;
    low = 0;
    intArg(high, "randint", "high", 1);
    sizesArg([shape], "randint", "size", 2);
    opts = checkOptions(opts, "randint", 3);
  } else {
    intArg(low, "randint", "low", 1);
    intArg(high, "randint", "high", 2);
    opts = checkOptions(opts, "randint", 4);
  }
  if (!Array.isArray(shape)) throw argError("randint", "size", Array.isArray(high) ? 2 : 3, "tuple of ints", shape);
  const s = nonNegativeSizes(sizesArg([shape], "randint", "size", 3));
  const dtype = dtypeOf(opts, "int32");
  const ints = storage(s, "int32") as Int32Array;
  randintFill(opts?.generator ?? defaultGenerator, ints, low, high as number);
  const t = dtype === "int32" ? new Tensor(ints, s, "int32") : copyOf(new Tensor(ints, s, "int32"), dtype);
  return finish(t, opts);
}

export function randperm(n: number, opts?: RandomOptions): Tensor {
  nonNegativeSizes([intArg(n, "randperm", "n", 1)]);
  checkOptions(opts, "randperm", 2);
  const perm = randpermDraw(opts?.generator ?? defaultGenerator, n);
  const dtype = dtypeOf(opts, "int32");
  const t = new Tensor(perm, [n], "int32");
  return finish(dtype === "int32" ? t : copyOf(t, dtype), opts);
}

/** Evenly spaced values, computed in the output dtype from both ends as PyTorch's kernel does. */
export function linspace(start: number, end: number, steps: number, opts?: TensorOptions): Tensor {
  numberArg(start, "linspace", "start", 1);
  numberArg(end, "linspace", "end", 2);
  intArg(steps, "linspace", "steps", 3);
  if (steps < 0) throw new RangeError("linspace(): number of steps must be non-negative");
  checkOptions(opts, "linspace", 4);
  const dtype = dtypeOf(opts);
  if (dtype === "int32") checkInt32Values([start, end], "linspace()");
  const out = storage([steps], dtype);
  fillLinspace(out, start, end, steps, dtype);
  return finish(new Tensor(out, [steps], dtype), opts);
}

/** arange(end), arange(start, end), arange(start, end, step); integer arguments give int32. */
export function arange(start: number, end?: number | TensorOptions, step?: number | TensorOptions, opts?: TensorOptions): Tensor {
  if (typeof end === "object") {
    opts = end;
    end = undefined;
  }
  if (typeof step === "object") {
    opts = step;
    step = undefined;
  }
  numberArg(start, "arange", end === undefined ? "end" : "start", 1);
  if (end !== undefined) numberArg(end, "arange", "end", 2);
  if (step !== undefined) numberArg(step, "arange", "step", 3);
  opts = checkOptions(opts, "arange", 4);
  let lo = start;
  let hi = end as number | undefined;
  if (hi === undefined) {
    hi = lo;
    lo = 0;
  }
  const st = (step as number | undefined) ?? 1;
  for (const v of [lo, hi, st]) if (!Number.isFinite(v)) throw new RangeError(`arange(): unsupported range: ${lo} -> ${hi} with step ${st}`);
  if (st === 0) throw new RangeError("step must be nonzero");
  if ((st > 0 && hi < lo) || (st < 0 && hi > lo)) throw new RangeError("upper bound and larger bound inconsistent with step sign");
  const allInt = Number.isInteger(lo) && Number.isInteger(hi) && Number.isInteger(st);
  const dtype = dtypeOf(opts, allInt ? "int32" : defaultFloat);
  const n = Math.ceil((hi - lo) / st);
  if (dtype === "int32" && n > 0) checkInt32Values([lo, lo + (n - 1) * st], "arange()");
  const out = storage([n], dtype);
  for (let i = 0; i < n; i++) out[i] = lo + i * st;
  return finish(new Tensor(out, [n], dtype), opts);
}

export function eye(n: number, m?: number | TensorOptions, opts?: TensorOptions): Tensor {
  if (typeof m === "object") {
    opts = m;
    m = undefined;
  }
  const rows = nonNegativeSizes([intArg(n, "eye", "n", 1)])[0];
  const cols = m === undefined ? rows : nonNegativeSizes([intArg(m, "eye", "m", 2)])[0];
  opts = checkOptions(opts, "eye", 3);
  const dtype = dtypeOf(opts);
  const out = storage([rows, cols], dtype);
  for (let i = 0; i < Math.min(rows, cols); i++) out[i * cols + i] = 1;
  return finish(new Tensor(out, [rows, cols], dtype), opts);
}

/** The options of a *Like function, checked under its own name, with the input's dtype as the default. */
function likeOpts(fn: string, t: Tensor, opts: unknown, pos: number): RandomOptions {
  tensorArg(t, fn, "input", 1);
  const o = checkOptions(opts, fn, pos);
  return { ...o, dtype: o?.dtype ?? t.dtype };
}

export function zerosLike(t: Tensor, opts?: TensorOptions): Tensor {
  const o = likeOpts("zerosLike", t, opts, 2);
  return zeros(t.shape, o);
}
export function onesLike(t: Tensor, opts?: TensorOptions): Tensor {
  const o = likeOpts("onesLike", t, opts, 2);
  return ones(t.shape, o);
}
export function emptyLike(t: Tensor, opts?: TensorOptions): Tensor {
  const o = likeOpts("emptyLike", t, opts, 2);
  return empty(t.shape, o);
}
export function fullLike(t: Tensor, value: number, opts?: TensorOptions): Tensor {
  const o = likeOpts("fullLike", t, opts, 3);
  return fullOf("fullLike", t.shape, value, o);
}
export function randnLike(t: Tensor, opts?: RandomOptions): Tensor {
  const o = likeOpts("randnLike", t, opts, 2);
  return randn(t.shape, o);
}
export function randLike(t: Tensor, opts?: RandomOptions): Tensor {
  const o = likeOpts("randLike", t, opts, 2);
  return rand(t.shape, o);
}
