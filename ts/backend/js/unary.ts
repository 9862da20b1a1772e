import type { UnaryOp } from "../op-table.js";
import type { DType, TypedArray, View } from "../types.js";
import { Cast, castFor, castValue } from "./cast.js";
import { checkOperand, numel, Walk } from "./iterate.js";
import { unaryRow, unaryScalar } from "./elementwise.gen.js";

const walk = new Walk();

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
function castOf(op: UnaryOp, x: DType, out: DType): Cast {
  if (op === "logicalNot") return Cast.None;
  if (out === "bool") return op === "copy" && x === "bool" ? Cast.None : Cast.Bool;
  return castFor(x, out);
}

export function unary(op: UnaryOp, x: View, out: View, p0 = NaN, p1 = NaN): void {
  const outFlat = checkOperand(op, "out", out, out.shape);
  const xFlat = checkOperand(op, "input", x, out.shape);
  const n = numel(out.shape);
  if (n === 0) return;
  const cast = castOf(op, x.dtype, out.dtype);
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
