/**
 * Diagonals, Python-style slices and grids: diagonal (a view), diag, diagEmbed, slice (a view with Python's
 * rules), meshgrid (expanded views). Views' gradients scatter back into zeros of the input's shape.
 */
import type { Tensor } from "../tensor";
import { normalizeDim } from "../shape";
import { checkTensor, needsGrad, record, zerosTensor } from "./core";
import { aliasOf, contiguous, expand, reshape, viewScatter } from "./views";
import { copy_ } from "./inplace";
import { intArg, optIntArg, tensorsArg } from "./args";
import { noGrad } from "../autograd/grad-mode";

/** torch.diagonal: the view of elements (i, i + offset) over dims dim1, dim2, appended as the last dim. */
export function diagonal(x: Tensor, offset = 0, dim1 = 0, dim2 = 1): Tensor {
  checkTensor(x, "diagonal", "input");
  intArg(offset, "diagonal", "offset", 1);
  intArg(dim1, "diagonal", "dim1", 2);
  intArg(dim2, "diagonal", "dim2", 3);
  const d1 = normalizeDim(dim1, x.ndim), d2 = normalizeDim(dim2, x.ndim);
  if (d1 === d2) throw new RangeError(`diagonal dimensions cannot be identical ${dim1}, ${dim2}`);
  const n1 = x.shape[d1], n2 = x.shape[d2];
  const len = Math.max(0, offset >= 0 ? Math.min(n1, n2 - offset) : Math.min(n1 + offset, n2));
  let start = x.offset;
  if (len > 0) start += offset >= 0 ? offset * x.strides[d2] : -offset * x.strides[d1];
  const shape: number[] = [], strides: number[] = [];
  for (let d = 0; d < x.ndim; d++) {
    if (d === d1 || d === d2) continue;
    shape.push(x.shape[d]);
    strides.push(x.strides[d]);
  }
  shape.push(len);
  strides.push(x.strides[d1] + x.strides[d2]);
  const out = aliasOf(x, shape, strides, start);
  if (needsGrad(x)) {
    const inShape = x.shape;
    record("DiagonalBackward0", [x], out, [], (g) => [viewScatter(g, inShape, (z) => diagonal(z, offset, d1, d2))], { offset, dim1: d1, dim2: d2 });
  }
  return out;
}

/** torch.diag_embed: a tensor whose diagonals (over two new dims, by default the last two) hold x's last dim. */
export function diagEmbed(x: Tensor, offset = 0, dim1 = -2, dim2 = -1): Tensor {
  checkTensor(x, "diag_embed", "input");
  intArg(offset, "diag_embed", "offset", 1);
  intArg(dim1, "diag_embed", "dim1", 2);
  intArg(dim2, "diag_embed", "dim2", 3);
  const n = x.shape[x.ndim - 1] + Math.abs(offset);
  const nd = x.ndim + 1;
  const d1 = normalizeDim(dim1, nd), d2 = normalizeDim(dim2, nd);
  if (d1 === d2) throw new RangeError(`diagonal dimensions cannot be identical ${dim1}, ${dim2}`);
  const outShape: number[] = [];
  let k = 0;
  for (let d = 0; d < nd; d++) outShape.push(d === d1 || d === d2 ? n : x.shape[k++]);
  const out = zerosTensor(outShape, x.dtype);
  noGrad(() => copy_(diagonal(out, offset, d1, d2), x.detach()));
  if (needsGrad(x)) record("DiagEmbedBackward0", [x], out, [], (g) => [diagonal(g, offset, d1, d2)], { offset, dim1: d1, dim2: d2 });
  return out;
}

/** torch.diag: a 1-D tensor → the matrix with it on diagonal k; a matrix → its diagonal k (a copy). */
export function diag(x: Tensor, diagonalIndex = 0): Tensor {
  checkTensor(x, "diag", "input");
  intArg(diagonalIndex, "diag", "diagonal", 1);
  if (x.ndim === 1) return diagEmbed(x, diagonalIndex, 0, 1);
  if (x.ndim === 2) return contiguous(diagonal(x, diagonalIndex, 0, 1));
  throw new RangeError(`diag(): Supports 1D or 2D tensors. Got ${x.ndim}D`);
}

/** x[start:end:step] along dim with Python's rules (negative indices, clamping, step > 0), as a view. */
export function slice(x: Tensor, dim: number, start: number | null = null, end: number | null = null, step = 1): Tensor {
  checkTensor(x, "slice", "input");
  intArg(dim, "slice", "dim", 1);
  optIntArg(start, "slice", "start", 2);
  optIntArg(end, "slice", "end", 3);
  intArg(step, "slice", "step", 4);
  if (x.ndim === 0) throw new RangeError("slice() cannot be applied to a 0-dim tensor.");
  if (!Number.isInteger(step) || step <= 0) throw new RangeError("slice step must be positive");
  const d = normalizeDim(dim, x.ndim);
  const n = x.shape[d];
  const clampIndex = (v: number | null, fallback: number): number => {
    if (v === null || v === undefined) return fallback;
    if (!Number.isInteger(v)) throw new TypeError(`slice indices must be integers, got ${v}`);
    const w = v < 0 ? v + n : v;
    return Math.min(Math.max(w, 0), n);
  };
  const s = clampIndex(start, 0);
  const e = Math.max(clampIndex(end, n), s);
  const len = Math.ceil((e - s) / step);
  const shape = x.shape.slice(), strides = x.strides.slice();
  shape[d] = len;
  strides[d] = x.strides[d] * step;
  const out = aliasOf(x, shape, strides, x.offset + (len > 0 ? s * x.strides[d] : 0));
  if (needsGrad(x)) {
    const inShape = x.shape;
    record("SliceBackward0", [x], out, [], (g) => [viewScatter(g, inShape, (z) => slice(z, d, s, e, step))], { dim: d, start: s, end: e, step });
  }
  return out;
}

/** torch.meshgrid: grids from 1-D tensors; indexing "ij" (matrix, the default) or "xy" (Cartesian). */
export function meshgrid(tensors: readonly Tensor[], opts: { indexing?: "ij" | "xy" } = {}): Tensor[] {
  tensorsArg(tensors, "meshgrid", "tensors", 1);
  const indexing = opts.indexing ?? "ij";
  if (indexing !== "ij" && indexing !== "xy") throw new RangeError(`torch.meshgrid: indexing must be one of "xy" or "ij", but received: ${String(indexing)}`);
  tensors.forEach((t, i) => {
    checkTensor(t, "meshgrid", `tensors[${i}]`);
    if (t.ndim > 1) throw new RangeError(`torch.meshgrid: Expected 0D or 1D tensor in the tensor list but got: ${t.ndim}D`);
  });
  const lens = tensors.map((t) => t.numel());
  const swap = indexing === "xy" && tensors.length >= 2;
  const shape = lens.slice();
  if (swap) [shape[0], shape[1]] = [shape[1], shape[0]];
  return tensors.map((t, i) => {
    const pos = swap && i < 2 ? 1 - i : i;
    const viewShape = shape.map((_, j) => (j === pos ? lens[i] : 1));
    return expand(reshape(t, viewShape), shape);
  });
}
