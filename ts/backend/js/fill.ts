import type { View } from "../types.js";
import { Cast, castValue } from "./cast.js";
import { checkOperand, numel, Walk } from "./iterate.js";

const walk = new Walk();

export function fill(out: View, value: number): void {
  const flat = checkOperand("fill", "out", out, out.shape);
  const n = numel(out.shape);
  if (n === 0) return;
  const data = out.data;
  const cast = out.dtype === "bool" ? Cast.Bool : out.dtype === "int32" ? Cast.Int : Cast.None;
  const v = castValue(cast, value);
  if (flat) {
    data.fill(v, out.offset, out.offset + n);
    return;
  }
  const w = walk.init(out.shape, out, out, null, null);
  for (let r = 0; r < w.rows; r++) {
    for (let i = 0, oi = w.o0; i < w.inner; i++, oi += w.is0) data[oi] = v;
    w.advance();
  }
}
