import type { UnaryOp } from "../types.js";

/** Numerically stable logistic function: never evaluates exp of a large positive number. */
export function sigmoid(v: number): number {
  if (v >= 0) return 1 / (1 + Math.exp(-v));
  const e = Math.exp(v);
  return e / (1 + e);
}

/** PyTorch 1.13 sign: 0 for ±0 and NaN. */
export function sign(v: number): number {
  return v > 0 ? 1 : v < 0 ? -1 : 0;
}

/** One element of a unary op; used where speed matters less than generality (casting outputs). */
export function unaryScalar(op: UnaryOp, v: number, p0: number, p1: number): number {
  switch (op) {
    case "copy":
      return v;
    case "neg":
      return -v;
    case "abs":
      return Math.abs(v);
    case "sign":
      return sign(v);
    case "exp":
      return Math.exp(v);
    case "log":
      return Math.log(v);
    case "sqrt":
      return Math.sqrt(v);
    case "rsqrt":
      return 1 / Math.sqrt(v);
    case "square":
      return v * v;
    case "reciprocal":
      return 1 / v;
    case "sin":
      return Math.sin(v);
    case "cos":
      return Math.cos(v);
    case "tanh":
      return Math.tanh(v);
    case "sigmoid":
      return sigmoid(v);
    case "relu":
      return v < 0 ? 0 : v;
    case "leakyRelu":
      return v > 0 ? v : v * p0;
    case "elu":
      return v > 0 ? v : p0 * Math.expm1(v);
    case "clamp":
      return clamp(v, p0, p1);
    case "powScalar":
      return Math.pow(v, p0);
    case "addScalar":
      return v + p0;
    case "mulScalar":
      return v * p0;
    case "rsubScalar":
      return p0 - v;
    case "rdivScalar":
      return p0 / v;
    case "logicalNot":
      return v === 0 ? 1 : 0;
    default:
      throw new Error(`unary: unknown op "${String(op)}"`);
  }
}

/** min(max(v, lo), hi) with NaN bounds meaning unbounded; a NaN input stays NaN. */
export function clamp(v: number, lo: number, hi: number): number {
  const a = v < lo ? lo : v;
  return a > hi ? hi : a;
}
