import type { BinaryOp, DType, UnaryOp } from "../backend/types";
import type { Tensor } from "../tensor";
import { isFloat } from "../dtype";
import { type Operand, needsGrad, operandsDType, record, toTensor } from "./core";
import { binaryRaw, unaryRaw } from "./elementwise-kernels";
import { add, binaryIn, floatOf, mul, div, neg, sub, withScalar } from "./arithmetic";
import { where } from "./selection";
import { binaryArgs, numberArg, operandArg, optNumberArg, tensorArg } from "./args";

function floatDType(x: Tensor): DType {
  return isFloat(x.dtype) ? x.dtype : "float32";
}

/** A unary op that maps integers to float (exp, log, ...). */
function floatUnary(op: UnaryOp, x: Tensor): Tensor {
  const dt = floatDType(x);
  return unaryRaw(op, x.dtype === dt ? x : unaryRaw("copy", x, dt), dt);
}

export function exp(x: Tensor): Tensor {
  tensorArg(x, "exp", "input", 1);
  const out = floatUnary("exp", x);
  if (needsGrad(x)) record("ExpBackward0", [x], out, [out], (g, [y]) => [mul(g, y)]);
  return out;
}

export function log(x: Tensor): Tensor {
  tensorArg(x, "log", "input", 1);
  const out = floatUnary("log", x);
  if (needsGrad(x)) record("LogBackward0", [x], out, [x], (g, [a]) => [div(g, a)]);
  return out;
}

export function sqrt(x: Tensor): Tensor {
  tensorArg(x, "sqrt", "input", 1);
  const out = floatUnary("sqrt", x);
  if (needsGrad(x)) record("SqrtBackward0", [x], out, [out], (g, [y]) => [div(g, mul(y, 2))]);
  return out;
}

export function rsqrt(x: Tensor): Tensor {
  tensorArg(x, "rsqrt", "input", 1);
  const out = floatUnary("rsqrt", x);
  if (needsGrad(x)) record("RsqrtBackward0", [x], out, [out], (g, [y]) => [mul(g, mul(pow3(y), -0.5))]);
  return out;
}

function pow3(y: Tensor): Tensor {
  return mul(mul(y, y), y);
}

export function reciprocal(x: Tensor): Tensor {
  tensorArg(x, "reciprocal", "input", 1);
  const out = floatUnary("reciprocal", x);
  if (needsGrad(x)) record("ReciprocalBackward0", [x], out, [out], (g, [y]) => [neg(mul(g, mul(y, y)))]);
  return out;
}

export function sin(x: Tensor): Tensor {
  tensorArg(x, "sin", "input", 1);
  const out = floatUnary("sin", x);
  if (needsGrad(x)) record("SinBackward0", [x], out, [x], (g, [a]) => [mul(g, cos(a))]);
  return out;
}

export function cos(x: Tensor): Tensor {
  tensorArg(x, "cos", "input", 1);
  const out = floatUnary("cos", x);
  if (needsGrad(x)) record("CosBackward0", [x], out, [x], (g, [a]) => [neg(mul(g, sin(a)))]);
  return out;
}

export function square(x: Tensor): Tensor {
  tensorArg(x, "square", "input", 1);
  const out = unaryRaw("square", x, x.dtype === "bool" ? "int32" : x.dtype);
  if (needsGrad(x)) record("PowBackward0", [x], out, [x], (g, [a]) => [mul(g, mul(a, 2))]);
  return out;
}

export function abs(x: Tensor): Tensor {
  tensorArg(x, "abs", "input", 1);
  const out = unaryRaw("abs", x);
  if (needsGrad(x)) record("AbsBackward0", [x], out, [x], (g, [a]) => [mul(g, sign(a))]);
  return out;
}

export function sign(x: Tensor): Tensor {
  tensorArg(x, "sign", "input", 1);
  const out = unaryRaw("sign", x);
  if (needsGrad(x)) record("SignBackward0", [x], out, [], (g) => [mul(g, 0)]);
  return out;
}

export function tanh(x: Tensor): Tensor {
  tensorArg(x, "tanh", "input", 1);
  const out = floatUnary("tanh", x);
  if (needsGrad(x)) record("TanhBackward0", [x], out, [out], (g, [y]) => [tanhBackward(g, y)]);
  return out;
}

export function sigmoid(x: Tensor): Tensor {
  tensorArg(x, "sigmoid", "input", 1);
  const out = floatUnary("sigmoid", x);
  if (needsGrad(x)) record("SigmoidBackward0", [x], out, [out], (g, [y]) => [sigmoidBackward(g, y)]);
  return out;
}

export function relu(x: Tensor): Tensor {
  tensorArg(x, "relu", "input", 1);
  const out = unaryRaw("relu", x);
  if (needsGrad(x)) record("ReluBackward0", [x], out, [out], (g, [y]) => [reluBackward(g, y)]);
  return out;
}

export function leakyRelu(x: Tensor, negativeSlope = 0.01): Tensor {
  tensorArg(x, "leakyRelu", "input", 1);
  numberArg(negativeSlope, "leakyRelu", "negative_slope", 2);
  const out = unaryRaw("leakyRelu", x, x.dtype, negativeSlope);
  if (needsGrad(x)) {
    record("LeakyReluBackward0", [x], out, [x], (g, [a]) => [activationBackward("leakyReluBackward", g, a, negativeSlope)], {
      negative_slope: negativeSlope,
    });
  }
  return out;
}

export function elu(x: Tensor, alpha = 1.0): Tensor {
  tensorArg(x, "elu", "input", 1);
  numberArg(alpha, "elu", "alpha", 2);
  const out = unaryRaw("elu", x, x.dtype, alpha);
  if (needsGrad(x)) record("EluBackward0", [x], out, [out], (g, [y]) => [activationBackward("eluBackward", g, y, alpha)], { alpha });
  return out;
}

/** clamp(min?, max?): either bound may be omitted (undefined or null), not both. */
export function clamp(x: Tensor, min?: number | null, max?: number | null): Tensor {
  tensorArg(x, "clamp", "input", 1);
  const lo = optNumberArg(min, "clamp", "min", 2) ?? NaN;
  const hi = optNumberArg(max, "clamp", "max", 3) ?? NaN;
  if (Number.isNaN(lo) && Number.isNaN(hi)) throw new TypeError("torch.clamp: At least one of 'min' or 'max' must not be None");
  const dt = !isFloat(x.dtype) && (!Number.isInteger(lo) && !Number.isNaN(lo) || !Number.isInteger(hi) && !Number.isNaN(hi)) ? "float32" : x.dtype;
  const src = dt === x.dtype ? x : unaryRaw("copy", x, dt);
  const out = unaryRaw("clamp", src, dt, lo, hi);
  if (needsGrad(x)) {
    record("ClampBackward1", [x], out, [x], (g, [a]) => {
      let mask: Tensor | null = null;
      if (!Number.isNaN(lo)) mask = binaryRaw("ge", a, toTensor(lo, a.dtype), a.dtype, "bool");
      if (!Number.isNaN(hi)) {
        const upper = binaryRaw("le", a, toTensor(hi, a.dtype), a.dtype, "bool");
        mask = mask === null ? upper : binaryRaw("mul", mask, upper, "bool", "bool");
      }
      return [where(mask!, g, 0)];
    }, { min: min ?? null, max: max ?? null });
  }
  return out;
}

function minMax(op: "maximum" | "minimum", name: string, a: Tensor, b: Tensor): Tensor {
  const dtype = operandsDType(a, b);
  const out = binaryRaw(op, a, b, dtype, dtype);
  if (needsGrad(a) || needsGrad(b)) {
    record(name, [a, b], out, [a, b], (g, [x, y]) => {
      // Ties split the gradient in halves, as PyTorch does.
      const half = div(g, 2);
      const tie = binaryRaw("eq", x, y, dtype, "bool");
      const aWins = binaryRaw(op === "maximum" ? "gt" : "lt", x, y, dtype, "bool");
      const bWins = binaryRaw(op === "maximum" ? "lt" : "gt", x, y, dtype, "bool");
      return [where(tie, half, where(aWins, g, 0)), where(tie, half, where(bWins, g, 0))];
    });
  }
  return out;
}

export function maximum(a: Tensor, b: Tensor): Tensor {
  tensorArg(a, "maximum", "input", 1);
  tensorArg(b, "maximum", "other", 2);
  return minMax("maximum", "MaximumBackward0", a, b);
}

export function minimum(a: Tensor, b: Tensor): Tensor {
  tensorArg(a, "minimum", "input", 1);
  tensorArg(b, "minimum", "other", 2);
  return minMax("minimum", "MinimumBackward0", a, b);
}

/** tanh's backward as a differentiable op: g·(1 − y²). */
export function tanhBackward(g: Tensor, y: Tensor): Tensor {
  const out = binaryRaw("tanhBackward", g, y, g.dtype, g.dtype);
  if (needsGrad(g) || needsGrad(y)) {
    record("TanhBackwardBackward0", [g, y], out, [g, y], (gg, [g0, y0]) => [
      tanhBackward(gg, y0),
      mul(mul(gg, g0), mul(y0, -2)),
    ]);
  }
  return out;
}

/** sigmoid's backward as a differentiable op: g·y·(1 − y). */
export function sigmoidBackward(g: Tensor, y: Tensor): Tensor {
  const out = binaryRaw("sigmoidBackward", g, y, g.dtype, g.dtype);
  if (needsGrad(g) || needsGrad(y)) {
    record("SigmoidBackwardBackward0", [g, y], out, [g, y], (gg, [g0, y0]) => [
      sigmoidBackward(gg, y0),
      mul(mul(gg, g0), sub(1, mul(y0, 2))),
    ]);
  }
  return out;
}

/** relu's backward: g where the saved output is positive, else 0. */
export function reluBackward(g: Tensor, y: Tensor): Tensor {
  return activationBackward("reluBackward", g, y, undefined);
}

/** Backward of a piecewise-linear activation; its own gradient flows to g only (the mask is constant). */
function activationBackward(op: BinaryOp, g: Tensor, saved: Tensor, p0: number | undefined): Tensor {
  const out = binaryRaw(op, g, saved, g.dtype, g.dtype, p0);
  if (needsGrad(g) || (op === "eluBackward" && needsGrad(saved))) {
    record(`${op[0].toUpperCase()}${op.slice(1)}Backward0`, [g, saved], out, [saved], (gg, [s]) => {
      const dg = activationBackward(op, gg, s, p0);
      if (op !== "eluBackward") return [dg, null];
      const negative = binaryRaw("le", s, toTensor(0, s.dtype), s.dtype, "bool");
      return [dg, where(negative, mul(gg, g), 0)];
    });
  }
  return out;
}

/**
 * The exponents PyTorch's pow_tensor_scalar_kernel hands to another kernel (ATen: 0.5 sqrt, −0.5 rsqrt,
 * −1 reciprocal) or to a dedicated loop (2: x·x); the same values here, at those kernels' speed.
 */
const POW_KERNELS: ReadonlyMap<number, UnaryOp> = new Map<number, UnaryOp>([[2, "square"], [0.5, "sqrt"], [-0.5, "rsqrt"], [-1, "reciprocal"]]);

export function pow(a: Operand, b: Operand): Tensor {
  binaryArgs(a, b, "pow", "exponent");
  const dtype = operandsDType(a, b);
  let out: Tensor;
  if (typeof b === "number") {
    const x = a as Tensor;
    // NumPy's rule, which PyTorch follows: an integer result cannot hold 2^-1.
    if (b < 0 && Number.isInteger(b) && !isFloat(x.dtype)) throw new RangeError("Integers to negative integer powers are not allowed.");
    out = withScalar((isFloat(dtype) && POW_KERNELS.get(b)) || "powScalar", x, b, dtype);
    if (needsGrad(x)) {
      record("PowBackward0", [x], out, [x], (g, [base]) => [b === 0 ? mul(g, 0) : mul(g, mul(pow(base, b - 1), b))], {
        exponent: b,
      });
    }
    return out;
  }
  if (typeof a === "number") {
    out = binaryIn("pow", a, b, floatOf(dtype));
    if (needsGrad(b)) record("PowBackward1", [b], out, [out], (g, [y]) => [mul(g, mul(y, Math.log(a)))]);
    return out;
  }
  out = binaryIn("pow", a, b, dtype);
  if (needsGrad(a) || needsGrad(b)) {
    record("PowBackward1", [a, b], out, [a, b, out], (g, [x, e, y]) => [
      mul(g, mul(e, pow(x, sub(e, 1)))),
      // d/de x^e = x^e·log x, taken as 0 where x = 0 and e ≥ 0 (PyTorch's convention).
      mul(g, maskedLogTerm(x, e, y)),
    ]);
  }
  return out;
}

function maskedLogTerm(x: Tensor, e: Tensor, y: Tensor): Tensor {
  const term = mul(y, log(x));
  const zeroBase = binaryRaw("eq", x, toTensor(0, x.dtype), x.dtype, "bool");
  const nonNegExp = binaryRaw("ge", e, toTensor(0, e.dtype), e.dtype, "bool");
  const mask = binaryRaw("mul", zeroBase, nonNegExp, "bool", "bool");
  return where(mask, 0, term);
}

/** torch.atan2(input, other): the angle of (other, input), elementwise with broadcasting; integers give float32. */
export function atan2(a: Tensor, b: Tensor): Tensor {
  tensorArg(a, "atan2", "input", 1);
  tensorArg(b, "atan2", "other", 2);
  const out = binaryIn("atan2", a, b, floatOf(operandsDType(a, b)));
  if (needsGrad(a) || needsGrad(b)) {
    // PyTorch's atan2_backward: recip = 1 / (a² + b²); ∂a = g·b·recip, ∂b = g·(−a)·recip.
    record("Atan2Backward0", [a, b], out, [a, b], (g, [x, y]) => {
      const recip = reciprocal(add(mul(x, x), mul(y, y)));
      return [mul(mul(g, y), recip), mul(mul(g, neg(x)), recip)];
    });
  }
  return out;
}

export function log1p(x: Tensor): Tensor {
  tensorArg(x, "log1p", "input", 1);
  const out = floatUnary("log1p", x);
  if (needsGrad(x)) record("Log1PBackward0", [x], out, [x], (g, [a]) => [div(g, add(a, 1))]);
  return out;
}

export function expm1(x: Tensor): Tensor {
  tensorArg(x, "expm1", "input", 1);
  const out = floatUnary("expm1", x);
  if (needsGrad(x)) record("Expm1Backward0", [x], out, [out], (g, [y]) => [mul(g, add(y, 1))]);
  return out;
}

/** floor, ceil, round (half to even), trunc: piecewise constant, so their gradient is zero, as PyTorch's. */
function rounding(op: "floor" | "ceil" | "round" | "trunc", name: string, x: Tensor): Tensor {
  tensorArg(x, op, "input", 1);
  if (x.dtype === "bool") throw new TypeError(`"${op}_vml_cpu" not implemented for 'Bool'`);
  const out = unaryRaw(op, x);
  if (needsGrad(x)) record(name, [x], out, [], (g) => [mul(g, 0)]);
  return out;
}

export function floor(x: Tensor): Tensor {
  return rounding("floor", "FloorBackward0", x);
}

export function ceil(x: Tensor): Tensor {
  return rounding("ceil", "CeilBackward0", x);
}

export function round(x: Tensor): Tensor {
  return rounding("round", "RoundBackward0", x);
}

export function trunc(x: Tensor): Tensor {
  return rounding("trunc", "TruncBackward0", x);
}

export function isnan(x: Tensor): Tensor {
  tensorArg(x, "isnan", "input", 1);
  return isFloat(x.dtype) ? unaryRaw("isnan", x, "bool") : binaryRaw("ne", x, x, x.dtype, "bool");
}

export function isinf(x: Tensor): Tensor {
  tensorArg(x, "isinf", "input", 1);
  return isFloat(x.dtype) ? unaryRaw("isinf", x, "bool") : binaryRaw("ne", x, x, x.dtype, "bool");
}

/** torch.remainder: Python's modulus, the sign of the divisor; a number divisor is allowed. */
export function remainder(a: Tensor, b: Operand): Tensor {
  tensorArg(a, "remainder", "input", 1);
  operandArg(b, "remainder", "other", 2);
  const dtype = operandsDType(a, b);
  if (dtype === "bool") throw new TypeError(`"remainder_cpu" not implemented for 'Bool'`);
  const out = binaryIn("remainder", a, b, dtype);
  if (needsGrad(a) || (typeof b !== "number" && needsGrad(b))) {
    if (typeof b === "number") {
      record("RemainderBackward0", [a], out, [], (g) => [g], { other: b });
    } else {
      record("RemainderBackward1", [a, b], out, [a, b], (g, [x, y]) => [g, mul(neg(g), floor(div(x, y)))]);
    }
  }
  return out;
}

export function erf(x: Tensor): Tensor {
  tensorArg(x, "erf", "input", 1);
  const out = floatUnary("erf", x);
  if (needsGrad(x)) record("ErfBackward0", [x], out, [x], (g, [a]) => [mul(g, mul(exp(neg(mul(a, a))), 1.1283791670955126))]);
  return out;
}
