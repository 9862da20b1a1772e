import type { BinaryOp, DType, UnaryOp } from "../backend/types";
import type { Tensor } from "../tensor";
import { isFloat } from "../dtype";
import { type Operand, needsGrad, operandsDType, record, toTensor } from "./core";
import { binaryRaw, unaryRaw } from "./elementwise-kernels";
import { log } from "./math";
import { where } from "./selection";

/** A number as the compute dtype sees it (PyTorch converts scalar operands to the op's dtype first). */
export function roundScalar(v: number, dtype: DType): number {
  if (dtype === "float32") return Math.fround(v);
  if (dtype === "int32") return v | 0;
  if (dtype === "bool") return v ? 1 : 0;
  return v;
}

/** tensor ⊕ number through a scalar unary kernel, skipping the broadcast machinery. */
function withScalar(op: UnaryOp, x: Tensor, s: number, dtype: DType): Tensor {
  return unaryRaw(op, x.dtype === dtype ? x : unaryRaw("copy", x, dtype), dtype, roundScalar(s, dtype));
}

function binary(op: BinaryOp, a: Operand, b: Operand, dtype: DType): Tensor {
  return binaryRaw(op, toTensor(a, dtype), toTensor(b, dtype), dtype, dtype);
}

function floatOf(d: DType): DType {
  return isFloat(d) ? d : "float32";
}

export function add(a: Operand, b: Operand): Tensor {
  const dtype = operandsDType(a, b);
  if (typeof a === "number") return add(b, a);
  let out: Tensor;
  if (typeof b === "number") {
    out = withScalar("addScalar", a, b, dtype);
    if (needsGrad(a)) record("AddBackward0", [a], out, [], (g) => [g]);
    return out;
  }
  out = binary("add", a, b, dtype);
  if (needsGrad(a) || needsGrad(b)) record("AddBackward0", [a, b], out, [], (g) => [g, g]);
  return out;
}

export function sub(a: Operand, b: Operand): Tensor {
  const dtype = operandsDType(a, b);
  if (dtype === "bool") {
    throw new TypeError(
      "Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or `logical_xor()` operator instead.",
    );
  }
  let out: Tensor;
  if (typeof a === "number") {
    const x = b as Tensor;
    out = withScalar("rsubScalar", x, a, dtype);
    if (needsGrad(x)) record("RsubBackward1", [x], out, [], (g) => [neg(g)]);
    return out;
  }
  if (typeof b === "number") {
    out = withScalar("addScalar", a, -b, dtype);
    if (needsGrad(a)) record("SubBackward0", [a], out, [], (g) => [g]);
    return out;
  }
  out = binary("sub", a, b, dtype);
  if (needsGrad(a) || needsGrad(b)) record("SubBackward0", [a, b], out, [], (g) => [g, neg(g)]);
  return out;
}

export function mul(a: Operand, b: Operand): Tensor {
  const dtype = operandsDType(a, b);
  if (typeof a === "number") return mul(b, a);
  let out: Tensor;
  if (typeof b === "number") {
    out = withScalar("mulScalar", a, b, dtype);
    if (needsGrad(a)) record("MulBackward0", [a], out, [], (g) => [mul(g, b)]);
    return out;
  }
  out = binary("mul", a, b, dtype);
  if (needsGrad(a) || needsGrad(b)) {
    const ra = a._requiresGrad;
    const rb = b._requiresGrad;
    record("MulBackward0", [a, b], out, [a, b], (g, [x, y]) => [ra ? mul(g, y) : null, rb ? mul(g, x) : null]);
  }
  return out;
}

/** True division: integer operands give float32, as in PyTorch. */
export function div(a: Operand, b: Operand): Tensor {
  const dtype = floatOf(operandsDType(a, b));
  let out: Tensor;
  if (typeof a === "number") {
    const x = b as Tensor;
    out = withScalar("rdivScalar", x, a, dtype);
    if (needsGrad(x)) record("DivBackward0", [x], out, [x], (g, [y]) => [neg(div(mul(g, a), mul(y, y)))]);
    return out;
  }
  out = binary("div", a, b, dtype);
  if (needsGrad(a) || (typeof b !== "number" && needsGrad(b))) {
    if (typeof b === "number") {
      record("DivBackward0", [a], out, [], (g) => [div(g, b)]);
    } else {
      const ra = a._requiresGrad;
      const rb = b._requiresGrad;
      record("DivBackward0", [a, b], out, [a, b], (g, [x, y]) => [
        ra ? div(g, y) : null,
        rb ? neg(div(mul(g, x), mul(y, y))) : null,
      ]);
    }
  }
  return out;
}

export function neg(x: Tensor): Tensor {
  if (x.dtype === "bool") {
    throw new TypeError("Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.");
  }
  const out = unaryRaw("neg", x);
  if (needsGrad(x)) record("NegBackward0", [x], out, [], (g) => [neg(g)]);
  return out;
}

export function pow(a: Operand, b: Operand): Tensor {
  const dtype = operandsDType(a, b);
  let out: Tensor;
  if (typeof b === "number") {
    const x = a as Tensor;
    out = withScalar("powScalar", x, b, dtype);
    if (needsGrad(x)) {
      record("PowBackward0", [x], out, [x], (g, [base]) => [b === 0 ? mul(g, 0) : mul(g, mul(pow(base, b - 1), b))]);
    }
    return out;
  }
  if (typeof a === "number") {
    out = binary("pow", a, b, floatOf(dtype));
    if (needsGrad(b)) record("PowBackward1", [b], out, [out], (g, [y]) => [mul(g, mul(y, Math.log(a)))]);
    return out;
  }
  out = binary("pow", a, b, dtype);
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
