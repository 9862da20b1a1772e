import type { BinaryOp, DType, UnaryOp } from "../backend/types";
import type { Tensor } from "../tensor";
import { isFloat } from "../dtype";
import { isHalf, storedValue, valueOf } from "../backend/half";
import { type Operand, needsGrad, operandsDType, record, toTensor } from "./core";
import { binaryRaw, unaryRaw } from "./elementwise-kernels";
import { binaryArgs, tensorArg } from "./args";

/** A number as the compute dtype sees it (PyTorch converts scalar operands to the op's dtype first). */
export function roundScalar(v: number, dtype: DType): number {
  if (dtype === "float32") return Math.fround(v);
  if (dtype === "int32") return v | 0;
  if (dtype === "bool") return v ? 1 : 0;
  if (isHalf(dtype)) return valueOf(dtype, storedValue(dtype, v));
  return v;
}

/** tensor ⊕ number through a scalar unary kernel, skipping the broadcast machinery. */
export function withScalar(op: UnaryOp, x: Tensor, s: number, dtype: DType): Tensor {
  return unaryRaw(op, x.dtype === dtype ? x : unaryRaw("copy", x, dtype), dtype, roundScalar(s, dtype));
}

/** a ⊕ b with broadcasting, both operands in `dtype` (no graph). */
export function binaryIn(op: BinaryOp, a: Operand, b: Operand, dtype: DType): Tensor {
  return binaryRaw(op, toTensor(a, dtype), toTensor(b, dtype), dtype, dtype);
}

export function floatOf(d: DType): DType {
  return isFloat(d) ? d : "float32";
}

export interface AlphaOptions {
  /** The multiplier of `other`: add(a, b, { alpha }) is a + alpha·b, as torch.add's alpha. */
  alpha?: number;
}

/** other·alpha for add/sub's `alpha` option (1 or absent: other itself); any other option key is an error. */
export function scaledByAlpha(other: Operand, opts: AlphaOptions | undefined, fn: string): Operand {
  if (opts === undefined) return other;
  if (opts === null || typeof opts !== "object") throw new TypeError(`${fn}(): options must be an object, not ${opts === null ? "NoneType" : typeof opts}`);
  for (const k of Object.keys(opts)) {
    if (k !== "alpha") throw new TypeError(`${fn}() got an unexpected keyword argument '${k}' (accepted options: alpha)`);
  }
  const alpha = opts.alpha;
  if (alpha === undefined || alpha === 1) return other;
  if (typeof other !== "number" && !(typeof other === "object" && other !== null && "_data" in other)) return other; // the op reports it
  if (typeof alpha !== "number") throw new TypeError(`${fn}(): argument 'alpha' must be Number, not ${typeof alpha}`);
  return typeof other === "number" ? other * alpha : mulOp(other, alpha);
}

export function add(a: Operand, b: Operand, opts?: AlphaOptions): Tensor {
  binaryArgs(a, b, "add");
  return addOp(a, scaledByAlpha(b, opts, "add"));
}

/** add whose operands were checked already (the Tensor method checks `other` at its own position). */
export function addOp(a: Operand, b: Operand): Tensor {
  const dtype = operandsDType(a, b);
  if (typeof a === "number") return addOp(b, a);
  let out: Tensor;
  if (typeof b === "number") {
    out = withScalar("addScalar", a, b, dtype);
    if (needsGrad(a)) record("AddBackward0", [a], out, [], (g) => [g]);
    return out;
  }
  out = binaryIn("add", a, b, dtype);
  if (needsGrad(a) || needsGrad(b)) record("AddBackward0", [a, b], out, [], (g) => [g, g]);
  return out;
}

export function sub(a: Operand, b: Operand, opts?: AlphaOptions): Tensor {
  binaryArgs(a, b, "sub");
  return subOp(a, scaledByAlpha(b, opts, "sub"));
}

/** sub whose operands were checked already (the Tensor method checks `other` at its own position). */
export function subOp(a: Operand, b: Operand): Tensor {
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
  out = binaryIn("sub", a, b, dtype);
  if (needsGrad(a) || needsGrad(b)) record("SubBackward0", [a, b], out, [], (g) => [g, neg(g)]);
  return out;
}

export function mul(a: Operand, b: Operand): Tensor {
  binaryArgs(a, b, "mul");
  return mulOp(a, b);
}

/** mul whose operands were checked already (the Tensor method checks `other` at its own position). */
export function mulOp(a: Operand, b: Operand): Tensor {
  const dtype = operandsDType(a, b);
  if (typeof a === "number") return mulOp(b, a);
  let out: Tensor;
  if (typeof b === "number") {
    out = withScalar("mulScalar", a, b, dtype);
    if (needsGrad(a)) record("MulBackward0", [a], out, [], (g) => [mul(g, b)]);
    return out;
  }
  out = binaryIn("mul", a, b, dtype);
  if (needsGrad(a) || needsGrad(b)) {
    const ra = a._requiresGrad;
    const rb = b._requiresGrad;
    record("MulBackward0", [a, b], out, [a, b], (g, [x, y]) => [ra ? mul(g, y) : null, rb ? mul(g, x) : null]);
  }
  return out;
}

/** True division: integer operands give float32, as in PyTorch. */
export function div(a: Operand, b: Operand): Tensor {
  binaryArgs(a, b, "div");
  return divOp(a, b);
}

/** div whose operands were checked already (the Tensor method checks `other` at its own position). */
export function divOp(a: Operand, b: Operand): Tensor {
  const dtype = floatOf(operandsDType(a, b));
  let out: Tensor;
  if (typeof a === "number") {
    const x = b as Tensor;
    out = withScalar("rdivScalar", x, a, dtype);
    if (needsGrad(x)) record("DivBackward0", [x], out, [x], (g, [y]) => [neg(div(mul(g, a), mul(y, y)))]);
    return out;
  }
  out = binaryIn("div", a, b, dtype);
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
  tensorArg(x, "neg", "input", 1);
  if (x.dtype === "bool") {
    throw new TypeError("Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.");
  }
  const out = unaryRaw("neg", x);
  if (needsGrad(x)) record("NegBackward0", [x], out, [], (g) => [neg(g)]);
  return out;
}
