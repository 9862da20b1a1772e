import type { ArgReduceOp, TypedArray, View } from "../types.js";
import { checkOperand, numel, Walk } from "./iterate.js";

const walk = new Walk();

/** The value at the index argRow last returned (a second return value without an allocation). */
const found = { value: 0 };

/** Index of the first extreme of n strided elements; the first NaN counts as the extreme, as in PyTorch. */
function argRow(op: ArgReduceOp, x: TypedArray, off: number, stride: number, n: number): number {
  let best = x[off];
  let at = 0;
  if (best === best) {
    if (op === "argmax") {
      for (let i = 1, xi = off + stride; i < n; i++, xi += stride) {
        const v = x[xi];
        if (v > best) {
          best = v;
          at = i;
        } else if (v !== v) {
          best = v;
          at = i;
          break;
        }
      }
    } else {
      for (let i = 1, xi = off + stride; i < n; i++, xi += stride) {
        const v = x[xi];
        if (v < best) {
          best = v;
          at = i;
        } else if (v !== v) {
          best = v;
          at = i;
          break;
        }
      }
    }
  }
  found.value = best;
  return at;
}

export function argReduce(op: ArgReduceOp, x: View, indices: Int32Array, values: TypedArray | null): void {
  if (op !== "argmax" && op !== "argmin") throw new Error(`argReduce: unknown op "${String(op)}"`);
  const rank = x.shape.length;
  const n = rank === 0 ? 1 : x.shape[rank - 1];
  const stride = rank === 0 ? 0 : x.strides[rank - 1];
  const leadShape = x.shape.slice(0, Math.max(0, rank - 1));
  const nOut = numel(leadShape);
  if (nOut === 0) return;
  if (n === 0) throw new RangeError(`${op}: cannot reduce an empty dimension`);
  checkOperand(op, "input", x, x.shape);
  if (indices.length < nOut || (values !== null && values.length < nOut)) {
    throw new RangeError(`${op}: outputs hold fewer than the ${nOut} elements needed`);
  }
  const lead: View = { data: x.data, dtype: x.dtype, offset: x.offset, shape: leadShape, strides: x.strides.slice(0, leadShape.length) };
  const w = walk.init(leadShape, lead, lead, null, null);
  let k = 0;
  for (let r = 0; r < w.rows; r++) {
    for (let i = 0, base = w.o0; i < w.inner; i++, base += w.is0) {
      indices[k] = argRow(op, x.data, base, stride, n);
      if (values !== null) values[k] = found.value;
      k++;
    }
    w.advance();
  }
}
