/**
 * Ops that rearrange or mask elements without arithmetic: flip, roll, repeat, tile, split, chunk, tril, triu,
 * maskedFill, outer. Each has PyTorch's gradFn name and a backward in tensor ops.
 */
import { Tensor } from "../tensor";
import { formatShape, normalizeDim } from "../shape";
import { emptyTensor, needsGrad, record, scalarTensor } from "./core";
import { dimsArg, intArg, intsArg, operandArg, sizesArg, tensorArg } from "./args";
import { contiguous, expand, narrow, reshape, unsqueeze } from "./views";
import { cat } from "./join";
import { sum } from "./reduce";
import { mul } from "./arithmetic";
import { where } from "./selection";
import { unaryRaw, whereRaw } from "./elementwise-kernels";

function dimsList(x: Tensor, dims: number | readonly number[], op: string): number[] {
  const list = typeof dims === "number" ? [dims] : [...dims];
  const out = list.map((d) => {
    if (!Number.isInteger(d)) throw new TypeError(`${op}(): dims must be integers, got ${String(d)}`);
    return normalizeDim(d, Math.max(x.ndim, 1));
  });
  if (new Set(out).size !== out.length) throw new RangeError(`${op}(): dims has duplicates`);
  return out;
}

/** torch.flip: a copy with the order of elements along `dims` reversed. */
export function flip(x: Tensor, dims: number | readonly number[]): Tensor {
  tensorArg(x, "flip", "input", 1);
  intsArg(dims, "flip", "dims", 2);
  const ds = dimsList(x, dims, "flip");
  let offset = x.offset;
  const strides = x.strides.slice();
  for (const d of ds) {
    if (x.ndim === 0) continue;
    offset += (x.shape[d] - 1) * strides[d];
    strides[d] = -strides[d];
  }
  // A negative-stride view of the same storage, copied out: the kernels take negative strides.
  const reversed = new Tensor(x._data, x.shape, x.dtype, strides, x.shape.some((n) => n === 0) ? x.offset : offset);
  const out = unaryRaw("copy", reversed);
  if (needsGrad(x)) record("FlipBackward0", [x], out, [], (g) => [flip(g, ds)], { dims: ds });
  return out;
}

/** torch.roll: elements shifted along dims, wrapping around; without dims the flattened tensor rolls. */
export function roll(x: Tensor, shifts: number | readonly number[], dims?: number | readonly number[] | null): Tensor {
  tensorArg(x, "roll", "input", 1);
  intsArg(shifts, "roll", "shifts", 2);
  // dims=None (null, as PyTorch's default) rolls the flattened tensor, as undefined does.
  dims = dimsArg(dims, "roll", "dims", 3) ?? undefined;
  const sh = typeof shifts === "number" ? [shifts] : [...shifts];
  if (dims === undefined || (Array.isArray(dims) && dims.length === 0)) {
    if (sh.length !== 1) throw new RangeError(`shifts and dimensions must align. shifts: ${sh.length}, dims:0`);
    return reshape(roll(reshape(x, -1), sh[0], 0), x.shape);
  }
  const ds = dimsList(x, dims, "roll");
  if (sh.length !== ds.length) throw new RangeError(`shifts and dimensions must align. shifts: ${sh.length}, dims:${ds.length}`);
  let out = x;
  for (let i = 0; i < ds.length; i++) {
    const n = x.shape[ds[i]];
    if (n === 0) continue;
    const s = ((sh[i] % n) + n) % n;
    if (s === 0) continue;
    out = cat([narrow(out, ds[i], n - s, s), narrow(out, ds[i], 0, n - s)], ds[i]);
  }
  return out === x ? contiguous(x) : out;
}

/** torch.Tensor.repeat: the tensor tiled `sizes` times along each dim (extra leading sizes add dims). */
export function repeat(x: Tensor, ...sizes: (number | readonly number[])[]): Tensor {
  tensorArg(x, "repeat", "input", 1);
  sizesArg(sizes, "repeat", "repeats", 2);
  const reps = sizes.length === 1 && Array.isArray(sizes[0]) ? [...(sizes[0] as readonly number[])] : (sizes as number[]);
  if (reps.some((r) => !Number.isInteger(r) || r < 0)) throw new RangeError(`repeat(): repeats must be non-negative integers, got [${reps.join(", ")}]`);
  if (reps.length < x.ndim) {
    throw new RangeError("Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor");
  }
  const lead = reps.length - x.ndim;
  const shape = [...new Array<number>(lead).fill(1), ...x.shape];
  // [r0, s0, r1, s1, ...]: each dim of size s gets a broadcast dim of r copies in front of it.
  const interleaved: number[] = [];
  const withOnes: number[] = [];
  shape.forEach((s, i) => {
    interleaved.push(reps[i], s);
    withOnes.push(1, s);
  });
  const outShape = shape.map((s, i) => s * reps[i]);
  const base = reshape(x.detach(), withOnes);
  const out = contiguous(reshape(contiguous(expand(base, interleaved)), outShape));
  if (needsGrad(x)) {
    const inShape = x.shape;
    record("RepeatBackward0", [x], out, [], (g) => {
      const parts = reshape(g, interleaved);
      const summed = sum(parts, interleaved.map((_, i) => i).filter((i) => i % 2 === 0));
      return [reshape(summed, inShape)];
    }, { repeats: reps });
  }
  return out;
}

/** torch.tile: repeat, with missing leading sizes taken as 1. */
export function tile(x: Tensor, ...sizes: (number | readonly number[])[]): Tensor {
  tensorArg(x, "tile", "input", 1);
  sizesArg(sizes, "tile", "dims", 2);
  const reps = sizes.length === 1 && Array.isArray(sizes[0]) ? [...(sizes[0] as readonly number[])] : (sizes as number[]);
  const full = reps.length < x.ndim ? [...new Array<number>(x.ndim - reps.length).fill(1), ...reps] : reps;
  return repeat(x, full);
}

/** torch.split: views of chunks of `splitSize` (the last may be smaller) or of the given sizes. */
export function split(x: Tensor, splitSize: number | readonly number[], dim = 0): Tensor[] {
  tensorArg(x, "split", "input", 1);
  intsArg(splitSize, "split", "split_size_or_sections", 2);
  intArg(dim, "split", "dim", 3);
  const d = normalizeDim(dim, x.ndim);
  const n = x.shape[d];
  let sizes: number[];
  if (typeof splitSize === "number") {
    if (!Number.isInteger(splitSize) || splitSize < 0) throw new RangeError(`split expects split_size be non-negative, but got split_size=${splitSize}`);
    if (splitSize === 0 && n !== 0) throw new RangeError(`split_size can only be 0 if dimension size is 0, but got dimension size of ${n}`);
    sizes = [];
    for (let at = 0; at < n; at += splitSize) sizes.push(Math.min(splitSize, n - at));
    if (sizes.length === 0) sizes = [0];
  } else {
    sizes = [...splitSize];
    const total = sizes.reduce((a, b) => a + b, 0);
    if (total !== n) {
      throw new RangeError(`split_with_sizes expects split_sizes to sum exactly to ${n} (input tensor's size at dimension ${d}), but got split_sizes=[${sizes.join(", ")}]`);
    }
  }
  let at = 0;
  return sizes.map((s) => {
    const part = narrow(x, d, at, s);
    at += s;
    return part;
  });
}

/** torch.chunk: `chunks` views of ceil(n / chunks) elements along dim (fewer when they run out). */
export function chunk(x: Tensor, chunks: number, dim = 0): Tensor[] {
  tensorArg(x, "chunk", "input", 1);
  intArg(chunks, "chunk", "chunks", 2);
  intArg(dim, "chunk", "dim", 3);
  if (!Number.isInteger(chunks) || chunks <= 0) throw new RangeError(`chunk expects \`chunks\` to be greater than 0, got: ${chunks}`);
  const n = x.shape[normalizeDim(dim, x.ndim)];
  return split(x, Math.max(Math.ceil(n / chunks), n === 0 ? 0 : 1), dim);
}

/** A bool mask over the last two dims: true where the element is kept by tril (lower) or triu. */
function triangleMask(rows: number, cols: number, k: number, lower: boolean): Tensor {
  const mask = emptyTensor([rows, cols], "bool");
  const d = mask._data;
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) d[i * cols + j] = (lower ? j - i <= k : j - i >= k) ? 1 : 0;
  return mask;
}

function triangle(x: Tensor, k: number, lower: boolean): Tensor {
  const op = lower ? "tril" : "triu";
  tensorArg(x, op, "input", 1);
  intArg(k, op, "diagonal", 2);
  if (x.ndim < 2) throw new RangeError(`${op}: input tensor must have at least 2 dimensions`);
  const mask = triangleMask(x.shape[x.ndim - 2], x.shape[x.ndim - 1], k, lower);
  const out = whereRaw(mask, x, scalarTensor(0, x.dtype), x.dtype);
  if (needsGrad(x)) record(lower ? "TrilBackward0" : "TriuBackward0", [x], out, [], (g) => [triangle(g, k, lower)], { diagonal: k });
  return out;
}

/** torch.tril: the lower triangle (j − i ≤ k) of the last two dims, zeros elsewhere. */
export function tril(x: Tensor, diagonal = 0): Tensor {
  return triangle(x, diagonal, true);
}

/** torch.triu: the upper triangle (j − i ≥ k) of the last two dims, zeros elsewhere. */
export function triu(x: Tensor, diagonal = 0): Tensor {
  return triangle(x, diagonal, false);
}

/** torch.Tensor.masked_fill: `value` where the (broadcast) bool mask is true. */
export function maskedFill(x: Tensor, mask: Tensor, value: number | Tensor): Tensor {
  tensorArg(x, "maskedFill", "input", 1);
  tensorArg(mask, "maskedFill", "mask", 2);
  operandArg(value, "maskedFill", "value", 3);
  if (mask.dtype !== "bool") throw new TypeError(`masked_fill_ only supports boolean masks, but got mask with dtype ${mask.dtype}`);
  if (value instanceof Tensor && value.ndim !== 0) {
    throw new RangeError(`masked_fill_ only supports a 0-dimensional value tensor, but got tensor with ${value.ndim} dimension(s).`);
  }
  const v = value instanceof Tensor ? value.item() : value;
  const out = whereRaw(mask, scalarTensor(v, x.dtype), x, x.dtype);
  if (out.shape.length !== x.shape.length || out.shape.some((d, i) => d !== x.shape[i])) {
    throw new RangeError(`masked_fill: the mask ${formatShape(mask.shape)} must broadcast to the input ${formatShape(x.shape)}`);
  }
  if (needsGrad(x)) record("MaskedFillBackward0", [x], out, [mask], (g, [m]) => [where(m, 0, g)], { value: v });
  return out;
}

/** torch.outer: the outer product of two vectors. */
export function outer(a: Tensor, b: Tensor): Tensor {
  tensorArg(a, "outer", "input", 1);
  tensorArg(b, "outer", "vec2", 2);
  if (a.ndim !== 1 || b.ndim !== 1) throw new RangeError(`outer: expected 1-D tensors, got ${a.ndim}-D and ${b.ndim}-D`);
  return mul(unsqueeze(a, 1), unsqueeze(b, 0));
}
