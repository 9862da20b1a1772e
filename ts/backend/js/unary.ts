import type { TypedArray, UnaryOp, View } from "../types.js";
import { Cast, castFor, castValue } from "./cast.js";
import { checkOperand, numel, Walk } from "./iterate.js";
import { clamp, sigmoid, unaryScalar } from "./unary-scalar.js";

const walk = new Walk();

/** One strided row of a unary op, one loop per op so each loop stays monomorphic and tight. */
function unaryRow(
  op: UnaryOp,
  x: TypedArray,
  xo: number,
  xs: number,
  o: TypedArray,
  oo: number,
  os: number,
  n: number,
  p0: number,
  p1: number,
): void {
  switch (op) {
    case "copy":
      for (let i = 0, xi = xo, oi = oo; i < n; i++, xi += xs, oi += os) {
        const v = x[xi];
        o[oi] = v;
      }
      return;
    case "neg":
      for (let i = 0, xi = xo, oi = oo; i < n; i++, xi += xs, oi += os) {
        const v = x[xi];
        o[oi] = -v;
      }
      return;
    case "abs":
      for (let i = 0, xi = xo, oi = oo; i < n; i++, xi += xs, oi += os) {
        const v = x[xi];
        o[oi] = Math.abs(v);
      }
      return;
    case "sign":
      for (let i = 0, xi = xo, oi = oo; i < n; i++, xi += xs, oi += os) {
        const v = x[xi];
        o[oi] = v > 0 ? 1 : v < 0 ? -1 : 0;
      }
      return;
    case "exp":
      for (let i = 0, xi = xo, oi = oo; i < n; i++, xi += xs, oi += os) {
        const v = x[xi];
        o[oi] = Math.exp(v);
      }
      return;
    case "log":
      for (let i = 0, xi = xo, oi = oo; i < n; i++, xi += xs, oi += os) {
        const v = x[xi];
        o[oi] = Math.log(v);
      }
      return;
    case "sqrt":
      for (let i = 0, xi = xo, oi = oo; i < n; i++, xi += xs, oi += os) {
        const v = x[xi];
        o[oi] = Math.sqrt(v);
      }
      return;
    case "rsqrt":
      for (let i = 0, xi = xo, oi = oo; i < n; i++, xi += xs, oi += os) {
        const v = x[xi];
        o[oi] = 1 / Math.sqrt(v);
      }
      return;
    case "square":
      for (let i = 0, xi = xo, oi = oo; i < n; i++, xi += xs, oi += os) {
        const v = x[xi];
        o[oi] = v * v;
      }
      return;
    case "reciprocal":
      for (let i = 0, xi = xo, oi = oo; i < n; i++, xi += xs, oi += os) {
        const v = x[xi];
        o[oi] = 1 / v;
      }
      return;
    case "sin":
      for (let i = 0, xi = xo, oi = oo; i < n; i++, xi += xs, oi += os) {
        const v = x[xi];
        o[oi] = Math.sin(v);
      }
      return;
    case "cos":
      for (let i = 0, xi = xo, oi = oo; i < n; i++, xi += xs, oi += os) {
        const v = x[xi];
        o[oi] = Math.cos(v);
      }
      return;
    case "tanh":
      for (let i = 0, xi = xo, oi = oo; i < n; i++, xi += xs, oi += os) {
        const v = x[xi];
        o[oi] = Math.tanh(v);
      }
      return;
    case "sigmoid":
      for (let i = 0, xi = xo, oi = oo; i < n; i++, xi += xs, oi += os) {
        const v = x[xi];
        o[oi] = sigmoid(v);
      }
      return;
    case "relu":
      for (let i = 0, xi = xo, oi = oo; i < n; i++, xi += xs, oi += os) {
        const v = x[xi];
        o[oi] = v < 0 ? 0 : v;
      }
      return;
    case "leakyRelu":
      for (let i = 0, xi = xo, oi = oo; i < n; i++, xi += xs, oi += os) {
        const v = x[xi];
        o[oi] = v > 0 ? v : v * p0;
      }
      return;
    case "elu":
      for (let i = 0, xi = xo, oi = oo; i < n; i++, xi += xs, oi += os) {
        const v = x[xi];
        o[oi] = v > 0 ? v : p0 * Math.expm1(v);
      }
      return;
    case "clamp":
      for (let i = 0, xi = xo, oi = oo; i < n; i++, xi += xs, oi += os) {
        const v = x[xi];
        o[oi] = clamp(v, p0, p1);
      }
      return;
    case "powScalar":
      for (let i = 0, xi = xo, oi = oo; i < n; i++, xi += xs, oi += os) {
        const v = x[xi];
        o[oi] = Math.pow(v, p0);
      }
      return;
    case "addScalar":
      for (let i = 0, xi = xo, oi = oo; i < n; i++, xi += xs, oi += os) {
        const v = x[xi];
        o[oi] = v + p0;
      }
      return;
    case "mulScalar":
      for (let i = 0, xi = xo, oi = oo; i < n; i++, xi += xs, oi += os) {
        const v = x[xi];
        o[oi] = v * p0;
      }
      return;
    case "rsubScalar":
      for (let i = 0, xi = xo, oi = oo; i < n; i++, xi += xs, oi += os) {
        const v = x[xi];
        o[oi] = p0 - v;
      }
      return;
    case "rdivScalar":
      for (let i = 0, xi = xo, oi = oo; i < n; i++, xi += xs, oi += os) {
        const v = x[xi];
        o[oi] = p0 / v;
      }
      return;
    case "logicalNot":
      for (let i = 0, xi = xo, oi = oo; i < n; i++, xi += xs, oi += os) {
        const v = x[xi];
        o[oi] = v === 0 ? 1 : 0;
      }
      return;
    default:
      throw new Error(`unary: unknown op "${String(op)}"`);
  }
}

/** A row whose result needs a conversion (to bool, or float to int32) before it is stored. */
function unaryCastRow(
  op: UnaryOp,
  cast: Cast,
  x: TypedArray,
  xo: number,
  xs: number,
  o: TypedArray,
  oo: number,
  os: number,
  n: number,
  p0: number,
  p1: number,
): void {
  for (let i = 0, xi = xo, oi = oo; i < n; i++, xi += xs, oi += os) {
    o[oi] = castValue(cast, unaryScalar(op, x[xi], p0, p1));
  }
}

/** logicalNot writes 0/1 itself; any other op into bool (bool copies aside) must test != 0. */
function castOf(op: UnaryOp, x: TypedArray, out: TypedArray): Cast {
  if (op === "logicalNot") return Cast.None;
  if (out instanceof Uint8Array) return op === "copy" && x instanceof Uint8Array ? Cast.None : Cast.Bool;
  return castFor(x, out);
}

export function unary(op: UnaryOp, x: View, out: View, p0 = NaN, p1 = NaN): void {
  const outFlat = checkOperand(op, "out", out, out.shape);
  const xFlat = checkOperand(op, "input", x, out.shape);
  const n = numel(out.shape);
  if (n === 0) return;
  const cast = castOf(op, x.data, out.data);
  if (xFlat && outFlat) {
    if (cast === Cast.None) unaryRow(op, x.data, x.offset, 1, out.data, out.offset, 1, n, p0, p1);
    else unaryCastRow(op, cast, x.data, x.offset, 1, out.data, out.offset, 1, n, p0, p1);
    return;
  }
  const w = walk.init(out.shape, out, x, null, null);
  for (let r = 0; r < w.rows; r++) {
    if (cast === Cast.None) unaryRow(op, x.data, w.o1, w.is1, out.data, w.o0, w.is0, w.inner, p0, p1);
    else unaryCastRow(op, cast, x.data, w.o1, w.is1, out.data, w.o0, w.is0, w.inner, p0, p1);
    w.advance();
  }
}
