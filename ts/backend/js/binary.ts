import type { BinaryOp, TypedArray, View } from "../types.js";
import { Cast, castValue } from "./cast.js";
import { checkOperand, numel, Walk } from "./iterate.js";

const walk = new Walk();

/*
 * PyTorch conventions kept here: maximum/minimum propagate NaN; the activation backwards test
 * "saved <= 0" as ATen does (threshold_backward, elu_backward), so a NaN saved value passes g through.
 */

/** One strided row of a binary op, one loop per op so each loop stays monomorphic and tight. */
function binaryRow(
  op: BinaryOp,
  x: TypedArray,
  ao: number,
  as: number,
  y: TypedArray,
  bo: number,
  bs: number,
  o: TypedArray,
  oo: number,
  os: number,
  n: number,
  p0: number,
): void {
  switch (op) {
    case "add":
      for (let i = 0, ai = ao, bi = bo, oi = oo; i < n; i++, ai += as, bi += bs, oi += os) {
        const a = x[ai];
        const b = y[bi];
        o[oi] = a + b;
      }
      return;
    case "sub":
      for (let i = 0, ai = ao, bi = bo, oi = oo; i < n; i++, ai += as, bi += bs, oi += os) {
        const a = x[ai];
        const b = y[bi];
        o[oi] = a - b;
      }
      return;
    case "mul":
      for (let i = 0, ai = ao, bi = bo, oi = oo; i < n; i++, ai += as, bi += bs, oi += os) {
        const a = x[ai];
        const b = y[bi];
        o[oi] = a * b;
      }
      return;
    case "div":
      for (let i = 0, ai = ao, bi = bo, oi = oo; i < n; i++, ai += as, bi += bs, oi += os) {
        const a = x[ai];
        const b = y[bi];
        o[oi] = a / b;
      }
      return;
    case "pow":
      for (let i = 0, ai = ao, bi = bo, oi = oo; i < n; i++, ai += as, bi += bs, oi += os) {
        const a = x[ai];
        const b = y[bi];
        o[oi] = Math.pow(a, b);
      }
      return;
    case "maximum":
      for (let i = 0, ai = ao, bi = bo, oi = oo; i < n; i++, ai += as, bi += bs, oi += os) {
        const a = x[ai];
        const b = y[bi];
        o[oi] = a > b || a !== a ? a : b;
      }
      return;
    case "minimum":
      for (let i = 0, ai = ao, bi = bo, oi = oo; i < n; i++, ai += as, bi += bs, oi += os) {
        const a = x[ai];
        const b = y[bi];
        o[oi] = a < b || a !== a ? a : b;
      }
      return;
    case "eq":
      for (let i = 0, ai = ao, bi = bo, oi = oo; i < n; i++, ai += as, bi += bs, oi += os) {
        const a = x[ai];
        const b = y[bi];
        o[oi] = a === b ? 1 : 0;
      }
      return;
    case "ne":
      for (let i = 0, ai = ao, bi = bo, oi = oo; i < n; i++, ai += as, bi += bs, oi += os) {
        const a = x[ai];
        const b = y[bi];
        o[oi] = a !== b ? 1 : 0;
      }
      return;
    case "gt":
      for (let i = 0, ai = ao, bi = bo, oi = oo; i < n; i++, ai += as, bi += bs, oi += os) {
        const a = x[ai];
        const b = y[bi];
        o[oi] = a > b ? 1 : 0;
      }
      return;
    case "lt":
      for (let i = 0, ai = ao, bi = bo, oi = oo; i < n; i++, ai += as, bi += bs, oi += os) {
        const a = x[ai];
        const b = y[bi];
        o[oi] = a < b ? 1 : 0;
      }
      return;
    case "ge":
      for (let i = 0, ai = ao, bi = bo, oi = oo; i < n; i++, ai += as, bi += bs, oi += os) {
        const a = x[ai];
        const b = y[bi];
        o[oi] = a >= b ? 1 : 0;
      }
      return;
    case "le":
      for (let i = 0, ai = ao, bi = bo, oi = oo; i < n; i++, ai += as, bi += bs, oi += os) {
        const a = x[ai];
        const b = y[bi];
        o[oi] = a <= b ? 1 : 0;
      }
      return;
    case "tanhBackward":
      for (let i = 0, ai = ao, bi = bo, oi = oo; i < n; i++, ai += as, bi += bs, oi += os) {
        const a = x[ai];
        const b = y[bi];
        o[oi] = a * (1 - b * b);
      }
      return;
    case "sigmoidBackward":
      for (let i = 0, ai = ao, bi = bo, oi = oo; i < n; i++, ai += as, bi += bs, oi += os) {
        const a = x[ai];
        const b = y[bi];
        o[oi] = a * (1 - b) * b;
      }
      return;
    case "reluBackward":
      for (let i = 0, ai = ao, bi = bo, oi = oo; i < n; i++, ai += as, bi += bs, oi += os) {
        const a = x[ai];
        const b = y[bi];
        o[oi] = b <= 0 ? 0 : a;
      }
      return;
    case "leakyReluBackward":
      for (let i = 0, ai = ao, bi = bo, oi = oo; i < n; i++, ai += as, bi += bs, oi += os) {
        const a = x[ai];
        const b = y[bi];
        o[oi] = b > 0 ? a : a * p0;
      }
      return;
    case "eluBackward":
      for (let i = 0, ai = ao, bi = bo, oi = oo; i < n; i++, ai += as, bi += bs, oi += os) {
        const a = x[ai];
        const b = y[bi];
        o[oi] = b <= 0 ? a * (b + p0) : a;
      }
      return;
    default:
      throw new Error(`binary: unknown op "${String(op)}"`);
  }
}

function binaryScalar(op: BinaryOp, a: number, b: number, p0: number): number {
  switch (op) {
    case "add":
      return a + b;
    case "sub":
      return a - b;
    case "mul":
      return a * b;
    case "div":
      return a / b;
    case "pow":
      return Math.pow(a, b);
    case "maximum":
      return a > b || a !== a ? a : b;
    case "minimum":
      return a < b || a !== a ? a : b;
    case "eq":
      return a === b ? 1 : 0;
    case "ne":
      return a !== b ? 1 : 0;
    case "gt":
      return a > b ? 1 : 0;
    case "lt":
      return a < b ? 1 : 0;
    case "ge":
      return a >= b ? 1 : 0;
    case "le":
      return a <= b ? 1 : 0;
    case "tanhBackward":
      return a * (1 - b * b);
    case "sigmoidBackward":
      return a * (1 - b) * b;
    case "reluBackward":
      return b <= 0 ? 0 : a;
    case "leakyReluBackward":
      return b > 0 ? a : a * p0;
    case "eluBackward":
      return b <= 0 ? a * (b + p0) : a;
    default:
      throw new Error(`binary: unknown op "${String(op)}"`);
  }
}

/** int32 products wrap like C's; a double product of two int32s can exceed 2^53 and lose bits. */
function intMulRow(
  x: TypedArray,
  ao: number,
  as: number,
  y: TypedArray,
  bo: number,
  bs: number,
  o: TypedArray,
  oo: number,
  os: number,
  n: number,
): void {
  for (let i = 0, ai = ao, bi = bo, oi = oo; i < n; i++, ai += as, bi += bs, oi += os) o[oi] = Math.imul(x[ai], y[bi]);
}

function binaryCastRow(
  op: BinaryOp,
  cast: Cast,
  x: TypedArray,
  ao: number,
  as: number,
  y: TypedArray,
  bo: number,
  bs: number,
  o: TypedArray,
  oo: number,
  os: number,
  n: number,
  p0: number,
): void {
  for (let i = 0, ai = ao, bi = bo, oi = oo; i < n; i++, ai += as, bi += bs, oi += os) {
    o[oi] = castValue(cast, binaryScalar(op, x[ai], y[bi], p0));
  }
}

function isComparison(op: BinaryOp): boolean {
  return op === "eq" || op === "ne" || op === "gt" || op === "lt" || op === "ge" || op === "le";
}

/** How results must be converted before they are stored; comparisons already produce 0/1. */
function rowKind(op: BinaryOp, a: TypedArray, out: TypedArray): Cast {
  if (isComparison(op)) return Cast.None;
  if (out instanceof Uint8Array) return Cast.Bool;
  if (out instanceof Int32Array) return a instanceof Int32Array || a instanceof Uint8Array ? Cast.None : Cast.Int;
  return Cast.None;
}

export function binary(op: BinaryOp, a: View, b: View, out: View, p0 = NaN): void {
  const outFlat = checkOperand(op, "out", out, out.shape);
  const aFlat = checkOperand(op, "a", a, out.shape);
  const bFlat = checkOperand(op, "b", b, out.shape);
  const n = numel(out.shape);
  if (n === 0) return;
  const cast = rowKind(op, a.data, out.data);
  const intMul = op === "mul" && out.data instanceof Int32Array && cast === Cast.None;
  if (aFlat && bFlat && outFlat) {
    if (intMul) intMulRow(a.data, a.offset, 1, b.data, b.offset, 1, out.data, out.offset, 1, n);
    else if (cast === Cast.None) binaryRow(op, a.data, a.offset, 1, b.data, b.offset, 1, out.data, out.offset, 1, n, p0);
    else binaryCastRow(op, cast, a.data, a.offset, 1, b.data, b.offset, 1, out.data, out.offset, 1, n, p0);
    return;
  }
  const w = walk.init(out.shape, out, a, b, null);
  for (let r = 0; r < w.rows; r++) {
    if (intMul) intMulRow(a.data, w.o1, w.is1, b.data, w.o2, w.is2, out.data, w.o0, w.is0, w.inner);
    else if (cast === Cast.None) binaryRow(op, a.data, w.o1, w.is1, b.data, w.o2, w.is2, out.data, w.o0, w.is0, w.inner, p0);
    else binaryCastRow(op, cast, a.data, w.o1, w.is1, b.data, w.o2, w.is2, out.data, w.o0, w.is0, w.inner, p0);
    w.advance();
  }
}
