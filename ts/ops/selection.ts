import type { BinaryOp } from "../backend/types";
import type { Tensor } from "../tensor";
import { type Operand, needsGrad, operandsDType, record, toTensor } from "./core";
import { binaryRaw, unaryRaw, whereRaw } from "./elementwise-kernels";
import { binaryArgs, operandArg, tensorArg } from "./args";

function compare(op: BinaryOp, a: Operand, b: Operand): Tensor {
  binaryArgs(a, b, op);
  const dtype = operandsDType(a, b);
  return binaryRaw(op, toTensor(a, dtype), toTensor(b, dtype), dtype, "bool");
}

export const eq = (a: Operand, b: Operand): Tensor => compare("eq", a, b);
export const ne = (a: Operand, b: Operand): Tensor => compare("ne", a, b);
export const gt = (a: Operand, b: Operand): Tensor => compare("gt", a, b);
export const lt = (a: Operand, b: Operand): Tensor => compare("lt", a, b);
export const ge = (a: Operand, b: Operand): Tensor => compare("ge", a, b);
export const le = (a: Operand, b: Operand): Tensor => compare("le", a, b);

export function logicalNot(x: Tensor): Tensor {
  tensorArg(x, "logicalNot", "input", 1);
  return unaryRaw("logicalNot", x, "bool");
}

/** where(cond, a, b): a where cond is true, else b, all broadcast together. */
export function where(cond: Tensor, a: Operand, b: Operand): Tensor {
  tensorArg(cond, "where", "condition", 1);
  operandArg(a, "where", "input", 2);
  operandArg(b, "where", "other", 3);
  const dtype = operandsDType(a, b);
  const ta = toTensor(a, dtype);
  const tb = toTensor(b, dtype);
  const out = whereRaw(cond, ta, tb, dtype);
  const ga = needsGrad(ta);
  const gb = needsGrad(tb);
  if (ga || gb) {
    record("WhereBackward0", [ta, tb], out, [cond], (g, [c]) => [ga ? where(c, g, 0) : null, gb ? where(c, 0, g) : null]);
  }
  return out;
}
