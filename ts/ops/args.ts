/**
 * Argument checks for the public entry points, one small checker per argument kind. Each is a typeof /
 * instanceof test on the success path (no allocation); the failure path builds PyTorch's message,
 * `add(): argument 'other' (position 1) must be Tensor, not dict`, naming JS types as Python would.
 * Positions count as PyTorch does: a method's `self` is not counted, a free function's `input` is 1.
 */
import { Tensor } from "../tensor";
import type { Operand } from "./core";
import { pyType } from "./pytype";

export { pyType };

export function argError(fn: string, arg: string, pos: number, expected: string, got: unknown): TypeError {
  return new TypeError(`${fn}(): argument '${arg}' (position ${pos}) must be ${expected}, not ${pyType(got)}`);
}

function elementError(fn: string, arg: string, pos: number, expected: string, got: unknown, at: number): TypeError {
  return new TypeError(
    `${fn}(): argument '${arg}' (position ${pos}) must be ${expected}, but found element of type ${pyType(got)} at pos ${at}`,
  );
}

export function tensorArg(x: unknown, fn: string, arg: string, pos: number): Tensor {
  if (x instanceof Tensor) return x;
  return notTensor(x, fn, arg, pos);
}

function notTensor(x: unknown, fn: string, arg: string, pos: number): never {
  throw argError(fn, arg, pos, "Tensor", x);
}

export function optTensorArg(x: unknown, fn: string, arg: string, pos: number): Tensor | null | undefined {
  if (x === undefined || x === null || x instanceof Tensor) return x;
  throw argError(fn, arg, pos, "Tensor", x);
}

/** A Tensor or a number (booleans are numbers, as in Python); PyTorch words the failure "must be Tensor". */
export function operandArg(x: unknown, fn: string, arg: string, pos: number): Operand {
  if (x instanceof Tensor || typeof x === "number") return x as Operand;
  return notOperand(x, fn, arg, pos);
}

function notOperand(x: unknown, fn: string, arg: string, pos: number): Operand {
  if (typeof x === "boolean") return x as unknown as Operand;
  throw argError(fn, arg, pos, "Tensor", x);
}

/**
 * The operands of a binary free function (`add(input, other)`): tensors or numbers, at least one a tensor
 * (the ops layer also calls them number-first, `sub(1, x)`). The success test is kept tiny so that it
 * inlines into the per-op path; the diagnosis is out of line.
 */
export function binaryArgs(a: unknown, b: unknown, fn: string, other = "other"): void {
  if (a instanceof Tensor ? b instanceof Tensor || typeof b === "number" : typeof a === "number" && b instanceof Tensor) return;
  binaryArgsError(a, b, fn, other);
}

function binaryArgsError(a: unknown, b: unknown, fn: string, other: string): void {
  if (a instanceof Tensor) {
    if (typeof b === "boolean") return;
    throw argError(fn, other, 2, "Tensor", b);
  }
  if (typeof a !== "number" && typeof a !== "boolean") throw argError(fn, "input", 1, "Tensor", a);
  if (b instanceof Tensor) return;
  if (typeof b === "number" || typeof b === "boolean") throw argError(fn, "input", 1, "Tensor", a);
  throw argError(fn, other, 2, "Tensor", b);
}

/** An integer (not a bool, not NaN, not 1.5): dims, indices, sizes, counts. */
export function intArg(x: unknown, fn: string, arg: string, pos: number): number {
  if (typeof x === "number" && Number.isInteger(x)) return x;
  throw argError(fn, arg, pos, "int", x);
}

/** An integer, or undefined/null for PyTorch's `None`. */
export function optIntArg(x: unknown, fn: string, arg: string, pos: number): number | null | undefined {
  if (x === undefined || x === null || (typeof x === "number" && Number.isInteger(x))) return x;
  throw argError(fn, arg, pos, "int", x);
}

/** An integer that may be left out (undefined, JS's optional argument; null is not a default here). */
export function maybeIntArg(x: unknown, fn: string, arg: string, pos: number): number | undefined {
  if (x === undefined || (typeof x === "number" && Number.isInteger(x))) return x;
  throw argError(fn, arg, pos, "int", x);
}

/** A number that may be left out (undefined). */
export function maybeNumberArg(x: unknown, fn: string, arg: string, pos: number): number | undefined {
  if (x === undefined || typeof x === "number") return x;
  if (typeof x === "boolean") return x ? 1 : 0;
  throw argError(fn, arg, pos, "Number", x);
}

/** Any number (NaN and ±Infinity included) or a bool: PyTorch's `Number`. */
export function numberArg(x: unknown, fn: string, arg: string, pos: number): number {
  if (typeof x === "number") return x;
  if (typeof x === "boolean") return x ? 1 : 0;
  throw argError(fn, arg, pos, "Number", x);
}

export function optNumberArg(x: unknown, fn: string, arg: string, pos: number): number | null | undefined {
  if (x === undefined || x === null || typeof x === "number") return x;
  if (typeof x === "boolean") return x ? 1 : 0;
  throw argError(fn, arg, pos, "Number", x);
}

/** A flag that may be left out (undefined); anything else must be a boolean, as PyTorch's `bool`. */
export function optBoolArg(x: unknown, fn: string, arg: string, pos: number): boolean | undefined {
  if (x === undefined || typeof x === "boolean") return x;
  throw argError(fn, arg, pos, "bool", x);
}

/** A reduction's dims: None (undefined/null), one int, or an array of ints. */
export function dimsArg(x: unknown, fn: string, arg: string, pos: number): number | readonly number[] | null | undefined {
  if (x === undefined || x === null || (typeof x === "number" && Number.isInteger(x))) return x;
  if (Array.isArray(x)) {
    for (let i = 0; i < x.length; i++) {
      const d: unknown = x[i];
      if (typeof d !== "number" || !Number.isInteger(d)) throw elementError(fn, arg, pos, "tuple of ints", d, i);
    }
    return x as number[];
  }
  throw argError(fn, arg, pos, "tuple of ints", x);
}

/** One int or an array of ints, required (flip's dims, roll's shifts, split's sizes). */
export function intsArg(x: unknown, fn: string, arg: string, pos: number): number | readonly number[] {
  if (x === undefined || x === null) throw argError(fn, arg, pos, "tuple of ints", x);
  return dimsArg(x, fn, arg, pos) as number | readonly number[];
}

/**
 * Sizes given as varargs (`f(2, 3)`) or as one array (`f([2, 3])`): every entry an integer. Signs are
 * the caller's to check (view's -1, expand's -1). Returns a fresh array.
 */
export function sizesArg(args: readonly unknown[], fn: string, arg: string, pos: number): number[] {
  let list: readonly unknown[] = args;
  if (args.length === 1 && typeof args[0] !== "number") {
    if (!Array.isArray(args[0])) throw argError(fn, arg, pos, "tuple of ints", args[0]);
    list = args[0] as unknown[];
  }
  const out = new Array<number>(list.length);
  for (let i = 0; i < list.length; i++) {
    const d = list[i];
    if (typeof d !== "number" || !Number.isInteger(d)) throw elementError(fn, arg, pos, "tuple of ints", d, i);
    out[i] = d;
  }
  return out;
}

/** A sequence of tensors (cat, stack). */
export function tensorsArg(x: unknown, fn: string, arg: string, pos: number): readonly Tensor[] {
  if (!Array.isArray(x)) throw argError(fn, arg, pos, "tuple of Tensors", x);
  for (let i = 0; i < x.length; i++) {
    if (!(x[i] instanceof Tensor)) throw elementError(fn, arg, pos, "tuple of Tensors", x[i], i);
  }
  return x as Tensor[];
}

/** An options object: undefined or a plain object (not an array, string, ...). */
export function optionsArg<T extends object>(x: unknown, fn: string, arg: string, pos: number): T | undefined {
  if (x === undefined) return undefined;
  if (typeof x === "object" && x !== null && !Array.isArray(x) && !(x instanceof Tensor)) return x as T;
  throw argError(fn, arg, pos, "an options object", x);
}

/** Sizes of a tensor to create: integers ≥ 0 (PyTorch's wording for a negative one). */
export function nonNegativeSizes(shape: number[]): number[] {
  for (let i = 0; i < shape.length; i++) {
    if (shape[i] < 0) throw new RangeError(`Trying to create tensor with negative dimension ${shape[i]}: [${shape.join(", ")}]`);
  }
  return shape;
}

/**
 * A creation function's arguments, `f(2, 3)`, `f([2, 3])`, each maybe followed by an options object:
 * the checked shape and the options.
 */
export function shapeAndOptions<O extends object>(args: readonly unknown[], fn: string): { shape: number[]; opts: O | undefined } {
  let list = args;
  let opts: O | undefined;
  // An options argument skipped with undefined (`zeros(2, undefined)`) is no size.
  while (list.length > 0 && list[list.length - 1] === undefined) list = list.slice(0, -1);
  const last = list[list.length - 1];
  if (typeof last === "object" && last !== null && !Array.isArray(last) && !(last instanceof Tensor)) {
    opts = last as O;
    list = list.slice(0, -1);
  }
  // The size is required, as in PyTorch (`zeros([])` is the 0-d tensor).
  if (list.length === 0) throw argError(fn, "size", 1, "tuple of ints", args.length > 0 ? args[0] : undefined);
  return { shape: nonNegativeSizes(sizesArg(list, fn, "size", 1)), opts };
}
