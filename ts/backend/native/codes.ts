/** Op codes of the addon; the order matches native/elementwise/ops.h. */
import type { BinaryOp, ReduceOp, UnaryOp } from "../types";

export const UNARY_CODE: Readonly<Record<UnaryOp, number>> = {
  copy: 0, neg: 1, abs: 2, sign: 3, exp: 4, log: 5, sqrt: 6, rsqrt: 7, square: 8, reciprocal: 9, sin: 10,
  cos: 11, tanh: 12, sigmoid: 13, relu: 14, leakyRelu: 15, elu: 16, clamp: 17, powScalar: 18, addScalar: 19,
  mulScalar: 20, rsubScalar: 21, rdivScalar: 22, logicalNot: 23,
};

export const BINARY_CODE: Readonly<Record<BinaryOp, number>> = {
  add: 0, sub: 1, mul: 2, div: 3, pow: 4, maximum: 5, minimum: 6, eq: 7, ne: 8, gt: 9, lt: 10, ge: 11, le: 12,
  tanhBackward: 13, sigmoidBackward: 14, reluBackward: 15, leakyReluBackward: 16, eluBackward: 17,
};

export const REDUCE_CODE: Readonly<Record<ReduceOp, number>> = { sum: 0, prod: 1, max: 2, min: 3 };

/** Unary ops whose per-element cost is high (libm or polynomial): the addon pays off at smaller sizes. */
export const COSTLY_UNARY: ReadonlySet<UnaryOp> = new Set<UnaryOp>([
  "exp", "log", "sqrt", "rsqrt", "sin", "cos", "tanh", "sigmoid", "elu", "powScalar",
]);
