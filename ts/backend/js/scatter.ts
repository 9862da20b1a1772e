/**
 * torch.scatter's writing kernel: out[..., index[k], ...] = src[k] (or *= src[k]) along dim. The index is
 * contiguous with src's shape; out is contiguous of outShape. Adding goes through scatterAdd. Duplicate
 * indices along dim are applied in ascending order, so the last one wins for "set", as PyTorch's CPU loop.
 */
import type { TypedArray, View } from "../types.js";
import { checkOperand, contiguousStrides, numel, Walk } from "./iterate.js";

export type ScatterMode = "set" | "multiply";

declare module "../types" {
  interface Kernels {
    /** out[i][index[i][j]] = src[i][j] (mode "set") or *= src[i][j] ("multiply") along `dim`; out contiguous of outShape. */
    scatter(out: TypedArray, outShape: readonly number[], dim: number, index: Int32Array, src: View, mode: ScatterMode): void;
  }
}

const walk = new Walk();

export function scatter(out: TypedArray, outShapeIn: readonly number[], dim: number, index: Int32Array, srcIn: View, mode: ScatterMode): void {
  const src: View = srcIn.shape.length > 0 ? srcIn : { data: srcIn.data, dtype: srcIn.dtype, offset: srcIn.offset, shape: [1], strides: [0] };
  const outShape = outShapeIn.length > 0 ? outShapeIn : [1];
  if (mode !== "set" && mode !== "multiply") throw new RangeError(`scatter: unknown mode ${String(mode)}`);
  if (!Number.isInteger(dim) || dim < 0 || dim >= outShape.length) throw new RangeError(`scatter: dim ${dim} out of range for rank ${outShape.length}`);
  if (src.shape.length !== outShape.length) throw new RangeError(`scatter: index has rank ${src.shape.length} but the tensor has rank ${outShape.length}`);
  for (let d = 0; d < outShape.length; d++) {
    if (d !== dim && src.shape[d] > outShape[d]) throw new RangeError(`scatter: index shape [${src.shape}] exceeds [${outShape}] at dim ${d}`);
  }
  const n = numel(src.shape);
  if (n === 0) return;
  if (index.length < n) throw new RangeError(`scatter: index holds ${index.length} elements, src needs ${n}`);
  checkOperand("scatter", "source", src, src.shape);
  if (out.length < numel(outShape)) throw new RangeError(`scatter: out holds ${out.length} elements, ${numel(outShape)} needed`);
  const size = outShape[dim];
  for (let k = 0; k < n; k++) {
    const v = index[k];
    if (v < 0 || v >= size) throw new RangeError(`scatter: index ${v} is out of bounds for dimension of size ${size}`);
  }
  const flat: View = { data: index, dtype: "int32", offset: 0, shape: src.shape, strides: contiguousStrides(src.shape) };
  const outStrides = contiguousStrides(outShape);
  const step = outStrides[dim];
  outStrides[dim] = 0;
  const ov: View = { data: out, dtype: src.dtype, offset: 0, shape: src.shape, strides: outStrides };
  const data = src.data;
  const w = walk.init(src.shape, flat, ov, src, null);
  const multiply = mode === "multiply";
  for (let r = 0; r < w.rows; r++) {
    for (let i = 0, k = w.o0, oi = w.o1, si = w.o2; i < w.inner; i++, k += w.is0, oi += w.is1, si += w.is2) {
      const at = oi + index[k] * step;
      out[at] = multiply ? out[at] * data[si] : data[si];
    }
    w.advance();
  }
}
