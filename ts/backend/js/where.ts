import type { TypedArray, View } from "../types.js";
import { checkOperand, numel, Walk } from "./iterate.js";

const walk = new Walk();

function whereRow(
  c: TypedArray,
  co: number,
  cs: number,
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
  for (let i = 0, ci = co, ai = ao, bi = bo, oi = oo; i < n; i++, ci += cs, ai += as, bi += bs, oi += os) {
    o[oi] = c[ci] !== 0 ? x[ai] : y[bi];
  }
}

export function where(cond: View, a: View, b: View, out: View): void {
  const outFlat = checkOperand("where", "out", out, out.shape);
  const condFlat = checkOperand("where", "cond", cond, out.shape);
  const aFlat = checkOperand("where", "a", a, out.shape);
  const bFlat = checkOperand("where", "b", b, out.shape);
  const n = numel(out.shape);
  if (n === 0) return;
  if (condFlat && aFlat && bFlat && outFlat) {
    whereRow(cond.data, cond.offset, 1, a.data, a.offset, 1, b.data, b.offset, 1, out.data, out.offset, 1, n);
    return;
  }
  const w = walk.init(out.shape, out, cond, a, b);
  for (let r = 0; r < w.rows; r++) {
    whereRow(cond.data, w.o1, w.is1, a.data, w.o2, w.is2, b.data, w.o3, w.is3, out.data, w.o0, w.is0, w.inner);
    w.advance();
  }
}
