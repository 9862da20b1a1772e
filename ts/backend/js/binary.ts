import { isComparison, type BinaryOp } from "../op-table.js";
import type { DType, TypedArray, View } from "../types.js";
import { binaryRow, binaryScalar } from "./elementwise.gen.js";
import { Cast, castValue } from "./cast.js";
import { checkOperand, numel, Walk } from "./iterate.js";

const walk = new Walk();

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

/** How results must be converted before they are stored; comparisons already produce 0/1. */
function rowKind(op: BinaryOp, a: DType, out: DType): Cast {
  if (isComparison(op)) return Cast.None;
  if (out === "bool") return Cast.Bool;
  if (out === "int32") return a === "int32" || a === "bool" ? Cast.None : Cast.Int;
  return Cast.None;
}

export function binary(op: BinaryOp, a: View, b: View, out: View, p0 = NaN): void {
  const outFlat = checkOperand(op, "out", out, out.shape);
  const aFlat = checkOperand(op, "a", a, out.shape);
  const bFlat = checkOperand(op, "b", b, out.shape);
  const n = numel(out.shape);
  if (n === 0) return;
  const cast = rowKind(op, a.dtype, out.dtype);
  const intMul = op === "mul" && out.dtype === "int32" && cast === Cast.None;
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
