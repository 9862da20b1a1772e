import { B } from "../backend/index";
import { Tensor } from "../tensor";
import { contiguousStrides, formatShape, isContiguous, normalizeDim, numel, sameShape } from "../shape";
import { emptyTensor, needsGrad, record, zerosTensor } from "./core";
// expand's adjoint (a sum over the broadcast dims) comes through the engine's registry: reduce imports views.
import { gradOps } from "../autograd/node";
import { dimsArg, intArg, sizesArg, tensorArg } from "./args";

/** A tensor sharing x's storage (and version counter) with new geometry. */
export function aliasOf(x: Tensor, shape: readonly number[], strides: readonly number[], offset: number): Tensor {
  return new Tensor(x._data, shape, x.dtype, strides, offset, x._version, x._base ?? x);
}

/** Resolves one -1 and checks the element count, with PyTorch's message. */
export function inferShape(shape: readonly number[], size: number): number[] {
  let infer = -1;
  let known = 1;
  const out = shape.slice();
  for (let i = 0; i < out.length; i++) {
    const d = out[i];
    if (!Number.isInteger(d)) throw new TypeError(`shape ${formatShape(shape)} must contain integers, but got ${d}`);
    if (d === -1) {
      if (infer >= 0) throw new RangeError("only one dimension can be inferred");
      infer = i;
    } else if (d < 0) {
      throw new RangeError(`invalid shape dimension ${d}`);
    } else {
      known *= d;
    }
  }
  if (infer >= 0) {
    if (known === 0 || size % known !== 0) throw new RangeError(`shape '${formatShape(shape)}' is invalid for input of size ${size}`);
    out[infer] = size / known;
  } else if (known !== size) {
    throw new RangeError(`shape '${formatShape(shape)}' is invalid for input of size ${size}`);
  }
  return out;
}

/** Strides that let `newShape` view x without copying, or null (PyTorch's computeStride). */
function viewStrides(x: Tensor, newShape: readonly number[]): number[] | null {
  if (isContiguous(x.shape, x.strides)) return contiguousStrides(newShape);
  const oldShape = x.shape;
  const oldStrides = x.strides;
  const newStrides = new Array<number>(newShape.length);
  if (numel(oldShape) === 0) return contiguousStrides(newShape);
  let viewD = newShape.length - 1;
  let chunkBase = oldStrides[oldStrides.length - 1];
  let tensorNumel = 1;
  let viewNumel = 1;
  for (let d = oldShape.length - 1; d >= 0; d--) {
    tensorNumel *= oldShape[d];
    if (d === 0 || (oldShape[d - 1] !== 1 && oldStrides[d - 1] !== tensorNumel * chunkBase)) {
      while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] === 1)) {
        newStrides[viewD] = viewNumel * chunkBase;
        viewNumel *= newShape[viewD];
        viewD--;
      }
      if (viewNumel !== tensorNumel) return null;
      if (d > 0) {
        chunkBase = oldStrides[d - 1];
        tensorNumel = 1;
        viewNumel = 1;
      }
    }
  }
  if (viewD !== -1) return null;
  return newStrides;
}

export function view(x: Tensor, ...args: (number | readonly number[])[]): Tensor {
  tensorArg(x, "view", "input", 1);
  const shape = inferShape(sizesArg(args, "view", "size", 2), numel(x.shape));
  const strides = viewStrides(x, shape);
  if (strides === null) {
    throw new RangeError(
      "view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.",
    );
  }
  return viewWithGrad(x, shape, strides, "ViewBackward0");
}

export function reshape(x: Tensor, ...args: (number | readonly number[])[]): Tensor {
  tensorArg(x, "reshape", "input", 1);
  const shape = inferShape(sizesArg(args, "reshape", "shape", 2), numel(x.shape));
  const strides = viewStrides(x, shape);
  if (strides !== null) return viewWithGrad(x, shape, strides, "ViewBackward0");
  return viewWithGrad(contiguous(x), shape, contiguousStrides(shape), "ViewBackward0");
}

function viewWithGrad(x: Tensor, shape: number[], strides: readonly number[], name: string): Tensor {
  const out = aliasOf(x, shape, strides, x.offset);
  if (needsGrad(x)) {
    const inShape = x.shape;
    record(name, [x], out, [], (g) => [reshape(g, inShape)], { shape: out.shape });
  }
  return out;
}

export function contiguous(x: Tensor): Tensor {
  tensorArg(x, "contiguous", "input", 1);
  if (isContiguous(x.shape, x.strides)) return x;
  return clone(x);
}

export function clone(x: Tensor): Tensor {
  tensorArg(x, "clone", "input", 1);
  const out = emptyTensor(x.shape, x.dtype);
  B.unary("copy", x._kv(), out._kv());
  if (needsGrad(x)) record("CloneBackward0", [x], out, [], (g) => [g]);
  return out;
}

export function unsqueeze(x: Tensor, dim: number): Tensor {
  tensorArg(x, "unsqueeze", "input", 1);
  intArg(dim, "unsqueeze", "dim", 2);
  const d = normalizeDim(dim, x.ndim + 1);
  const shape = x.shape.slice();
  const strides = x.strides.slice();
  shape.splice(d, 0, 1);
  strides.splice(d, 0, d < x.ndim ? x.strides[d] * x.shape[d] : 1);
  const out = aliasOf(x, shape, strides, x.offset);
  if (needsGrad(x)) record("UnsqueezeBackward0", [x], out, [], (g) => [squeeze(g, d)], { dim: d });
  return out;
}

export function squeeze(x: Tensor, dim?: number | readonly number[] | null): Tensor {
  tensorArg(x, "squeeze", "input", 1);
  dimsArg(dim, "squeeze", "dim", 2);
  if (dim === null) dim = undefined;
  let dims: Set<number>;
  if (dim === undefined) {
    dims = new Set(x.shape.map((s, i) => (s === 1 ? i : -1)).filter((i) => i >= 0));
  } else {
    const list = typeof dim === "number" ? [dim] : dim;
    dims = new Set(list.map((d) => normalizeDim(d, x.ndim)).filter((d) => x.shape[d] === 1));
  }
  if (dims.size === 0) return aliasWithGrad(x);
  const shape: number[] = [];
  const strides: number[] = [];
  for (let i = 0; i < x.ndim; i++) {
    if (!dims.has(i)) {
      shape.push(x.shape[i]);
      strides.push(x.strides[i]);
    }
  }
  const out = aliasOf(x, shape, strides, x.offset);
  if (needsGrad(x)) {
    const inShape = x.shape;
    record(dim === undefined ? "SqueezeBackward0" : "SqueezeBackward1", [x], out, [], (g) => [reshape(g, inShape)], {
      dim: dim === undefined ? null : dim,
    });
  }
  return out;
}

function aliasWithGrad(x: Tensor): Tensor {
  const out = aliasOf(x, x.shape, x.strides, x.offset);
  if (needsGrad(x)) record("AliasBackward0", [x], out, [], (g) => [g]);
  return out;
}

export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  tensorArg(x, "flatten", "input", 1);
  intArg(startDim, "flatten", "start_dim", 2);
  intArg(endDim, "flatten", "end_dim", 3);
  if (x.ndim === 0) return reshape(x, [1]);
  const s = normalizeDim(startDim, x.ndim);
  const e = normalizeDim(endDim, x.ndim);
  if (s > e) throw new RangeError("flatten() has invalid args: start_dim cannot come after end_dim");
  if (s === e) return x;
  const shape = [...x.shape.slice(0, s), x.shape.slice(s, e + 1).reduce((a, b) => a * b, 1), ...x.shape.slice(e + 1)];
  return reshape(x, shape);
}

export function expand(x: Tensor, ...args: (number | readonly number[])[]): Tensor {
  tensorArg(x, "expand", "input", 1);
  const sizes = sizesArg(args, "expand", "size", 2);
  if (sizes.length < x.ndim) {
    throw new RangeError(
      `expand(${formatShape(x.shape)}, size=${formatShape(sizes)}): the number of sizes provided (${sizes.length}) must be greater or equal to the number of dimensions in the tensor (${x.ndim})`,
    );
  }
  const lead = sizes.length - x.ndim;
  const shape = new Array<number>(sizes.length);
  const strides = new Array<number>(sizes.length);
  for (let i = 0; i < sizes.length; i++) {
    const want = sizes[i];
    if (i < lead) {
      if (want < 0) throw new RangeError(`The expanded size of the tensor (${want}) isn't allowed in a leading, non-existing dimension ${i}`);
      shape[i] = want;
      strides[i] = 0;
      continue;
    }
    const have = x.shape[i - lead];
    // -1 keeps the existing size; any other negative size is no size at all.
    if (want < -1) throw new RangeError(`Trying to create tensor with negative dimension ${want}: ${formatShape(sizes)}`);
    const target = want === -1 ? have : want;
    if (have === target) {
      shape[i] = have;
      strides[i] = x.strides[i - lead];
    } else if (have === 1) {
      shape[i] = target;
      strides[i] = 0;
    } else {
      throw new RangeError(
        `The expanded size of the tensor (${target}) must match the existing size (${have}) at non-singleton dimension ${i}.  Target sizes: ${formatShape(sizes)}.  Tensor sizes: ${formatShape(x.shape)}`,
      );
    }
  }
  const out = aliasOf(x, shape, strides, x.offset);
  if (needsGrad(x)) {
    const inShape = x.shape;
    record("ExpandBackward0", [x], out, [], (g) => [gradOps().sumToShape(g, inShape)], { size: out.shape });
  }
  return out;
}

export function permute(x: Tensor, ...args: (number | readonly number[])[]): Tensor {
  tensorArg(x, "permute", "input", 1);
  const dims = sizesArg(args, "permute", "dims", 2).map((d) => normalizeDim(d, x.ndim));
  if (dims.length !== x.ndim) {
    throw new RangeError(
      `permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = ${x.ndim} is not equal to len(dims) = ${dims.length}`,
    );
  }
  if (new Set(dims).size !== dims.length) throw new RangeError("permute(): duplicate dims are not allowed.");
  const out = aliasOf(
    x,
    dims.map((d) => x.shape[d]),
    dims.map((d) => x.strides[d]),
    x.offset,
  );
  if (needsGrad(x)) {
    const inverse = new Array<number>(dims.length);
    dims.forEach((d, i) => (inverse[d] = i));
    record("PermuteBackward0", [x], out, [], (g) => [permute(g, inverse)], { dims: dims.slice() });
  }
  return out;
}

export function transpose(x: Tensor, dim0: number, dim1: number): Tensor {
  tensorArg(x, "transpose", "input", 1);
  intArg(dim0, "transpose", "dim0", 2);
  intArg(dim1, "transpose", "dim1", 3);
  if (x.ndim === 0) return aliasWithGrad(x);
  const a = normalizeDim(dim0, x.ndim);
  const b = normalizeDim(dim1, x.ndim);
  const shape = x.shape.slice();
  const strides = x.strides.slice();
  shape[a] = x.shape[b];
  shape[b] = x.shape[a];
  strides[a] = x.strides[b];
  strides[b] = x.strides[a];
  const out = aliasOf(x, shape, strides, x.offset);
  if (needsGrad(x)) record("TransposeBackward0", [x], out, [], (g) => [transpose(g, a, b)], { dim0: a, dim1: b });
  return out;
}

export function t(x: Tensor): Tensor {
  tensorArg(x, "t", "input", 1);
  if (x.ndim > 2) throw new RangeError(`t() expects a tensor with <= 2 dimensions, but self is ${x.ndim}D`);
  if (x.ndim < 2) return aliasWithGrad(x);
  const out = aliasOf(x, [x.shape[1], x.shape[0]], [x.strides[1], x.strides[0]], x.offset);
  if (needsGrad(x)) record("TBackward0", [x], out, [], (g) => [t(g)]);
  return out;
}

export function narrow(x: Tensor, dim: number, start: number, length: number): Tensor {
  tensorArg(x, "narrow", "input", 1);
  intArg(dim, "narrow", "dim", 2);
  intArg(start, "narrow", "start", 3);
  intArg(length, "narrow", "length", 4);
  if (x.ndim === 0) throw new RangeError("narrow() cannot be applied to a 0-dim tensor.");
  const d = normalizeDim(dim, x.ndim);
  const size = x.shape[d];
  const s = start < 0 ? start + size : start;
  if (s < 0 || s > size) {
    throw new RangeError(`start out of range (expected to be in range of [${-size}, ${size}], but got ${start})`);
  }
  if (length < 0 || s + length > size) {
    throw new RangeError(`start (${s}) + length (${length}) exceeds dimension size (${size}).`);
  }
  const shape = x.shape.slice();
  shape[d] = length;
  const out = aliasOf(x, shape, x.strides, x.offset + s * x.strides[d]);
  if (needsGrad(x)) {
    const inShape = x.shape;
    record("SliceBackward0", [x], out, [], (g) => [viewScatter(g, inShape, (z) => narrow(z, d, s, length))], {
      dim: d,
      start: s,
      end: s + length,
    });
  }
  return out;
}

/** x[index] along dim (torch.select): drops the dim. */
export function select(x: Tensor, dim: number, index: number): Tensor {
  tensorArg(x, "select", "input", 1);
  intArg(dim, "select", "dim", 2);
  intArg(index, "select", "index", 3);
  if (x.ndim === 0) throw new RangeError("select() cannot be applied to a 0-dim tensor.");
  const d = normalizeDim(dim, x.ndim);
  const size = x.shape[d];
  if (!Number.isInteger(index) || index < -size || index >= size) {
    throw new RangeError(`index ${index} is out of bounds for dimension ${d} with size ${size}`);
  }
  const i = index < 0 ? index + size : index;
  const shape = x.shape.slice();
  const strides = x.strides.slice();
  shape.splice(d, 1);
  strides.splice(d, 1);
  const out = aliasOf(x, shape, strides, x.offset + i * x.strides[d]);
  if (needsGrad(x)) {
    const inShape = x.shape;
    record("SelectBackward0", [x], out, [], (g) => [viewScatter(g, inShape, (z) => select(z, d, i))], { dim: d, index: i });
  }
  return out;
}

/** Integer indexing over the leading dims: x.at(0, 1) ≡ x[0][1]. */
export function at(x: Tensor, ...indices: number[]): Tensor {
  tensorArg(x, "at", "input", 1);
  for (let i = 0; i < indices.length; i++) intArg(indices[i], "at", "indices", i + 2);
  if (indices.length > x.ndim) {
    throw new RangeError(`too many indices for tensor of dimension ${x.ndim}`);
  }
  let out = x;
  for (const i of indices) out = select(out, 0, i);
  return out;
}

/**
 * The gradient of a view: zeros of the base shape with `g` written into the viewed region. Itself an op,
 * whose gradient is the same view of the incoming gradient (so double backward works).
 */
export function viewScatter(g: Tensor, shape: readonly number[], makeView: (base: Tensor) => Tensor): Tensor {
  const out = zerosTensor(shape, g.dtype);
  const region = makeView(aliasOf(out, out.shape, out.strides, 0));
  if (!sameShape(region.shape, g.shape)) throw new Error("internal error: view gradient shape mismatch");
  B.unary("copy", g._kv(), region._kv());
  if (needsGrad(g)) record("ViewScatterBackward0", [g], out, [], (gg) => [makeView(gg)]);
  return out;
}
