import { checkDevice } from "./device";
import type { DType, TypedArray } from "./backend/types";
import { B } from "./backend/index";
import { Tensor } from "./tensor";
import { allocate, checkDType, dtypeOfArray, isFloat } from "./dtype";
import { checkShape, checkSize, numel, parseShapeArgs } from "./shape";
import { defaultGenerator, normal, randint as randintFill, randperm as randpermDraw, uniform } from "./random/index";
import type { Generator } from "./random/index";

export interface TensorOptions {
  dtype?: DType;
  requiresGrad?: boolean;
  device?: string;
}

export interface RandomOptions extends TensorOptions {
  generator?: Generator;
}

export type NestedArray = number | boolean | readonly NestedArray[];

/** Applies the options every creation function shares. */
function finish(t: Tensor, opts: TensorOptions | undefined): Tensor {
  if (opts !== undefined) {
    checkDevice(opts.device);
    if (opts.requiresGrad) t.requiresGrad = true;
  }
  return t;
}

function dtypeOf(opts: TensorOptions | undefined, fallback: DType = "float32"): DType {
  return opts?.dtype === undefined ? fallback : checkDType(opts.dtype);
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
      else throw new TypeError(`tensor(): could not convert element of type ${x === null ? "null" : typeof x} at index [${path.join(", ")}]`);
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
  if (data instanceof Tensor) return finish(copyOf(data, dtypeOf(opts, data.dtype)), opts);
  if (isTypedArray(data)) {
    const src = data as ArrayLike<number>;
    const known = data instanceof Float32Array || data instanceof Float64Array || data instanceof Int32Array;
    const dtype = dtypeOf(opts, known ? dtypeOfArray(data as TypedArray) : "float32");
    const shape = opts?.shape !== undefined ? checkShape(opts.shape) : [src.length];
    if (numel(shape) !== src.length) {
      throw new RangeError(`shape [${shape.join(", ")}] is invalid for input of size ${src.length}`);
    }
    const out = allocate(dtype, src.length);
    if (dtype === "bool") for (let i = 0; i < src.length; i++) out[i] = src[i] ? 1 : 0;
    else out.set(src);
    return finish(new Tensor(out, shape, dtype), opts);
  }
  if (typeof data === "number" || typeof data === "boolean") {
    const dtype = dtypeOf(opts, typeof data === "boolean" ? "bool" : "float32");
    const out = allocate(dtype, 1);
    out[0] = Number(data);
    return finish(new Tensor(out, [], dtype), opts);
  }
  if (!Array.isArray(data)) throw new TypeError(`tensor(): data must be a number, an array or a typed array, not ${typeof data}`);
  const shape = inferShape(data as NestedArray);
  const values: number[] = [];
  const allBool = flatten(data as NestedArray, shape, values, []);
  const dtype = dtypeOf(opts, allBool ? "bool" : "float32");
  const out = allocate(dtype, values.length);
  if (dtype === "bool") for (let i = 0; i < values.length; i++) out[i] = values[i] ? 1 : 0;
  else out.set(values);
  if (opts?.shape !== undefined) throw new TypeError("tensor(): opts.shape is only for flat typed-array data");
  return finish(new Tensor(out, shape, dtype), opts);
}

function copyOf(t: Tensor, dtype: DType): Tensor {
  const out = new Tensor(allocate(dtype, numel(t.shape)), t.shape.slice(), dtype);
  B.unary("copy", t._kv(), out._kv());
  return out;
}

type ShapeArgs = (number | readonly number[] | TensorOptions)[];

function filled(args: ShapeArgs, value: number): Tensor {
  const { shape, opts } = parseShapeArgs<TensorOptions>(args);
  const dtype = dtypeOf(opts);
  const t = new Tensor(allocate(dtype, numel(shape)), shape, dtype);
  if (value !== 0) t._data.fill(value);
  return finish(t, opts);
}

export function zeros(...args: ShapeArgs): Tensor {
  return filled(args, 0);
}

export function ones(...args: ShapeArgs): Tensor {
  return filled(args, 1);
}

/** Uninitialised in PyTorch; here zero-filled, since typed arrays always are. */
export function empty(...args: ShapeArgs): Tensor {
  return filled(args, 0);
}

export function full(shape: readonly number[] | number, value: number | boolean, opts?: TensorOptions): Tensor {
  const s = typeof shape === "number" ? [checkSize(shape)] : checkShape(shape);
  const dtype = dtypeOf(opts, typeof value === "boolean" ? "bool" : "float32");
  const t = new Tensor(allocate(dtype, numel(s)), s, dtype);
  t._data.fill(Number(value));
  return finish(t, opts);
}

function floatDTypeOf(opts: TensorOptions | undefined, fn: string): "float32" | "float64" {
  const d = dtypeOf(opts);
  if (!isFloat(d)) throw new TypeError(`"${fn}" not implemented for '${d === "int32" ? "Int" : "Bool"}'`);
  return d;
}

export function rand(...args: (number | readonly number[] | RandomOptions)[]): Tensor {
  const { shape, opts } = parseShapeArgs<RandomOptions>(args);
  const dtype = floatDTypeOf(opts, "check_uniform_bounds");
  const t = new Tensor(allocate(dtype, numel(shape)), shape, dtype);
  uniform(opts?.generator ?? defaultGenerator, t._data as Float32Array | Float64Array, 0, 1);
  return finish(t, opts);
}

export function randn(...args: (number | readonly number[] | RandomOptions)[]): Tensor {
  const { shape, opts } = parseShapeArgs<RandomOptions>(args);
  const dtype = floatDTypeOf(opts, "normal_kernel_cpu");
  const t = new Tensor(allocate(dtype, numel(shape)), shape, dtype);
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
  }
  const s = checkShape(shape as readonly number[]);
  const dtype = dtypeOf(opts, "int32");
  const ints = allocate("int32", numel(s)) as Int32Array;
  randintFill(opts?.generator ?? defaultGenerator, ints, low, high as number);
  const t = dtype === "int32" ? new Tensor(ints, s, "int32") : copyOf(new Tensor(ints, s, "int32"), dtype);
  return finish(t, opts);
}

export function randperm(n: number, opts?: RandomOptions): Tensor {
  checkSize(n, "n");
  const perm = randpermDraw(opts?.generator ?? defaultGenerator, n);
  const dtype = dtypeOf(opts, "int32");
  const t = new Tensor(perm, [n], "int32");
  return finish(dtype === "int32" ? t : copyOf(t, dtype), opts);
}

/** Evenly spaced values, computed in the output dtype from both ends as PyTorch's kernel does. */
export function linspace(start: number, end: number, steps: number, opts?: TensorOptions): Tensor {
  checkSize(steps, "number of steps");
  const dtype = dtypeOf(opts);
  const out = allocate(dtype, steps);
  const round = dtype === "float32" ? Math.fround : (v: number) => v;
  if (steps === 1) out[0] = start;
  else if (steps > 1) {
    const s = round(start);
    const e = round(end);
    const step = round(round(e - s) / (steps - 1));
    const half = Math.floor(steps / 2);
    for (let i = 0; i < steps; i++) {
      out[i] = i < half ? round(s + round(step * i)) : round(e - round(step * (steps - i - 1)));
    }
  }
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
  let lo = start;
  let hi = end as number | undefined;
  if (hi === undefined) {
    hi = lo;
    lo = 0;
  }
  const st = (step as number | undefined) ?? 1;
  for (const v of [lo, hi, st]) if (typeof v !== "number" || Number.isNaN(v)) throw new TypeError(`arange(): arguments must be numbers, got ${v}`);
  if (st === 0) throw new RangeError("step must be nonzero");
  if ((st > 0 && hi < lo) || (st < 0 && hi > lo)) throw new RangeError("upper bound and larger bound inconsistent with step sign");
  const allInt = Number.isInteger(lo) && Number.isInteger(hi) && Number.isInteger(st);
  const dtype = dtypeOf(opts, allInt ? "int32" : "float32");
  const n = Math.ceil((hi - lo) / st);
  const out = allocate(dtype, n);
  for (let i = 0; i < n; i++) out[i] = lo + i * st;
  return finish(new Tensor(out, [n], dtype), opts);
}

export function eye(n: number, m?: number | TensorOptions, opts?: TensorOptions): Tensor {
  if (typeof m === "object") {
    opts = m;
    m = undefined;
  }
  const rows = checkSize(n, "n");
  const cols = m === undefined ? rows : checkSize(m, "m");
  const dtype = dtypeOf(opts);
  const out = allocate(dtype, rows * cols);
  for (let i = 0; i < Math.min(rows, cols); i++) out[i * cols + i] = 1;
  return finish(new Tensor(out, [rows, cols], dtype), opts);
}

function likeOpts(t: Tensor, opts?: TensorOptions): TensorOptions {
  return { ...opts, dtype: opts?.dtype ?? t.dtype };
}

export const zerosLike = (t: Tensor, opts?: TensorOptions): Tensor => zeros(t.shape, likeOpts(t, opts));
export const onesLike = (t: Tensor, opts?: TensorOptions): Tensor => ones(t.shape, likeOpts(t, opts));
export const emptyLike = (t: Tensor, opts?: TensorOptions): Tensor => empty(t.shape, likeOpts(t, opts));
export const fullLike = (t: Tensor, value: number, opts?: TensorOptions): Tensor => full(t.shape, value, likeOpts(t, opts));
export const randnLike = (t: Tensor, opts?: RandomOptions): Tensor => randn(t.shape, { ...opts, dtype: opts?.dtype ?? t.dtype });
export const randLike = (t: Tensor, opts?: RandomOptions): Tensor => rand(t.shape, { ...opts, dtype: opts?.dtype ?? t.dtype });
