import { B } from "../backend/index";
import type { Tensor } from "../tensor";
import { formatShape, normalizeDim, numel } from "../shape";
import { castTo, emptyTensor, needsGrad, record, zerosTensor } from "./core";
import { intArg, tensorArg } from "./args";

/** The index as a contiguous Int32Array, each value checked against the dim size. */
export function indexArray(index: Tensor, size: number, op: string, dim: number): Int32Array {
  if (index.dtype !== "int32") {
    throw new TypeError(`${op}(): Expected dtype int32 for index, but got ${index.dtype}`);
  }
  const c = index.isContiguous() && index.offset === 0 && index._data.length === numel(index.shape) ? index : castTo(cloneRaw(index), "int32");
  const arr = c._data as Int32Array;
  for (let i = 0; i < arr.length; i++) {
    const v = arr[i];
    if (v < 0 || v >= size) {
      throw new RangeError(
        op === "index_select" || op === "index_add_" ? "index out of range in self" : `index ${v} is out of bounds for dimension ${dim} with size ${size}`,
      );
    }
  }
  return arr;
}

function cloneRaw(x: Tensor): Tensor {
  const out = emptyTensor(x.shape, x.dtype);
  B.unary("copy", x._kv(), out._kv());
  return out;
}

export function indexSelect(x: Tensor, dim: number, index: Tensor): Tensor {
  tensorArg(x, "indexSelect", "input", 1);
  intArg(dim, "indexSelect", "dim", 2);
  tensorArg(index, "indexSelect", "index", 3);
  if (index.ndim > 1) throw new RangeError("index_select(): Index is supposed to be a vector");
  const d = normalizeDim(dim, x.ndim);
  const size = x.ndim === 0 ? 1 : x.shape[d];
  const idx = indexArray(index, size, "index_select", d);
  const shape = x.shape.slice();
  if (x.ndim > 0) shape[d] = idx.length;
  const out = emptyTensor(shape, x.dtype);
  const src = x.ndim === 0 ? { data: x._data, dtype: x.dtype, offset: x.offset, shape: [1], strides: [1] } : x._kv();
  B.indexSelect(src, x.ndim === 0 ? 0 : d, idx, out._data);
  if (needsGrad(x)) {
    const inShape = x.shape;
    record("IndexSelectBackward0", [x], out, [index], (g, [ix]) => [indexAddInto(inShape, d, ix, g)], { dim: d });
  }
  return out;
}

/** zeros(shape) with g's slices added at `index` along dim (index_select's backward, an op itself). */
export function indexAddInto(shape: readonly number[], dim: number, index: Tensor, g: Tensor): Tensor {
  const out = zerosTensor(shape, g.dtype);
  const idx = indexArray(index, shape.length === 0 ? 1 : shape[dim], "index_add", dim);
  B.indexAdd(out._data, shape.length === 0 ? [1] : shape, shape.length === 0 ? 0 : dim, idx, g.ndim === 0 ? { data: g._data, dtype: g.dtype, offset: g.offset, shape: [1], strides: [1] } : g._kv());
  if (needsGrad(g)) record("IndexAddBackward0", [g], out, [index], (gg, [ix]) => [indexSelect(gg, dim, ix)]);
  return out;
}

function checkGatherShapes(x: Tensor, d: number, index: Tensor, op: string): void {
  if (index.ndim !== x.ndim) {
    throw new RangeError(`Index tensor must have the same number of dimensions as input tensor`);
  }
  for (let i = 0; i < x.ndim; i++) {
    if (i !== d && index.shape[i] > x.shape[i]) {
      throw new RangeError(
        `Size does not match at dimension ${i} expected index ${formatShape(index.shape)} to be smaller than self ${formatShape(x.shape)} apart from dimension ${d}`,
      );
    }
  }
  void op;
}

export function gatherRaw(x: Tensor, dim: number, index: Tensor): Tensor {
  const d = normalizeDim(dim, x.ndim);
  checkGatherShapes(x, d, index, "gather");
  const idx = indexArray(index, x.ndim === 0 ? 1 : x.shape[d], "gather", d);
  const out = emptyTensor(index.shape, x.dtype);
  B.gather(x._kv(), d, idx, out._data, index.shape);
  return out;
}

/** torch.gather: out[i][j] = x[i][index[i][j]] along dim. */
export function gather(x: Tensor, dim: number, index: Tensor): Tensor {
  tensorArg(x, "gather", "input", 1);
  intArg(dim, "gather", "dim", 2);
  tensorArg(index, "gather", "index", 3);
  const d = normalizeDim(dim, x.ndim);
  const out = gatherRaw(x, d, index);
  if (needsGrad(x)) {
    const inShape = x.shape;
    record("GatherBackward0", [x], out, [index], (g, [ix]) => [scatterAddInto(inShape, d, ix, g)], { dim: d });
  }
  return out;
}

/** zeros(shape).scatter_add_(dim, index, g), an op whose backward gathers. */
export function scatterAddInto(shape: readonly number[], dim: number, index: Tensor, g: Tensor): Tensor {
  const out = zerosTensor(shape, g.dtype);
  const idx = indexArray(index, shape.length === 0 ? 1 : shape[dim], "scatter_add", dim);
  B.scatterAdd(out._data, shape, dim, idx, g._kv());
  if (needsGrad(g)) record("ScatterAddBackward0", [g], out, [index], (gg, [ix]) => [gather(gg, dim, ix)]);
  return out;
}
