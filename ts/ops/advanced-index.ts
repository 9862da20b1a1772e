/**
 * Integer-tensor and boolean-mask indexing: x.index([...]) (Python's x[...]) and indexPut / indexPut_
 * (torch.index_put). The index tensors (after bool masks became their nonzero positions)
 * broadcast together; their result dims replace the indexed dims in place when those are adjacent, and go
 * first otherwise, as PyTorch places them. Everything is done in a "plan": the indexed dims moved to the
 * front and flattened, so each operation is one index_select / index_add / scatter over dim 0 of an
 * [indexed positions, rest] matrix, with every index value checked before a kernel runs.
 */
import { B } from "../backend/index";
import { Tensor } from "../tensor";
import { broadcastShapes, formatShape, numel, sameShape } from "../shape";
import { gradMode, noGrad } from "../autograd/grad-mode";
import { scalarTypeName } from "../dtype";
import { emptyTensor, needsGrad, record, scalarTensor, storageOf } from "./core";
import type { TypedArray } from "../backend/types";
import { argError, tensorArg } from "./args";
import { pyType } from "./pytype";
import { contiguous, expand, permute, reshape, view } from "./views";
import { basicIndex, type IndexItem } from "./index-items";
import { indexAddInto } from "./index-ops";
import { sumToShape } from "./reduce";
import { toArray } from "./convert";
import { add } from "./arithmetic";
import { where } from "./selection";
import { checkInplaceTarget, bump, rebase } from "./inplace";

interface Plan {
  /** Indexed dims of the (basic-indexed) tensor, ascending; the other dims in order. */
  readonly advDims: readonly number[];
  readonly perm: readonly number[];
  readonly inShape: readonly number[];
  /** The broadcast shape of the index tensors and the dims left over. */
  readonly bshape: readonly number[];
  readonly restShape: readonly number[];
  /** Row of each indexed position in the [prod(advanced sizes), prod(rest)] matrix. */
  readonly lin: Tensor;
  readonly rows: number;
  readonly cols: number;
  /** Where the broadcast dims sit in the result (0 when the indexed dims are not adjacent). */
  readonly at: number;
  readonly outShape: readonly number[];
}

/** The plan for indexing a tensor of `shape` with one entry (index tensor or null) per leading dim. */
function makePlan(shape: readonly number[], adv: readonly (Tensor | null)[]): Plan {
  const advDims: number[] = [];
  adv.forEach((t, d) => {
    if (t !== null && t !== undefined) advDims.push(d);
  });
  const restDims = shape.map((_, d) => d).filter((d) => !advDims.includes(d));
  const tensors = advDims.map((d) => adv[d] as Tensor);
  let bshape: readonly number[] = tensors[0].shape;
  try {
    for (const t of tensors) bshape = broadcastShapes(bshape, t.shape);
  } catch {
    throw new RangeError(`shape mismatch: indexing tensors could not be broadcast together with shapes ${tensors.map((t) => formatShape(t.shape)).join(", ")}`);
  }
  const n = numel(bshape);
  const lin = new Int32Array(n);
  let stride = 1;
  for (let j = advDims.length - 1; j >= 0; j--) {
    const size = shape[advDims[j]];
    const t = tensors[j];
    // A contiguous index of the broadcast shape is read in place; others through a broadcast copy.
    const vals = t.isContiguous() && sameShape(t.shape, bshape) ? t._data.subarray(t.offset, t.offset + n) : toArray(noGrad(() => expand(t, bshape)));
    for (let k = 0; k < n; k++) {
      let i = vals[k];
      if (i < -size || i >= size) throw new RangeError(`index ${i} is out of bounds for dimension ${j} with size ${size}`);
      if (i < 0) i += size;
      lin[k] += i * stride;
    }
    stride *= size;
  }
  const adjacent = advDims.every((d, j) => j === 0 || d === advDims[j - 1] + 1);
  const at = adjacent ? advDims[0] : 0;
  const restShape = restDims.map((d) => shape[d]);
  const outShape = [...restShape.slice(0, at), ...bshape, ...restShape.slice(at)];
  return {
    advDims,
    perm: [...advDims, ...restDims],
    inShape: shape,
    bshape,
    restShape,
    lin: new Tensor(lin, [n], "int32"),
    rows: stride,
    cols: numel(restShape),
    at,
    outShape,
  };
}

/** Permutation of [bshape..., rest...] that puts the broadcast dims at `at`, and its inverse. */
function outPerm(p: Plan): number[] {
  const nb = p.bshape.length;
  const nr = p.restShape.length;
  const rest = Array.from({ length: nr }, (_, i) => nb + i);
  const b = Array.from({ length: nb }, (_, i) => i);
  return [...rest.slice(0, p.at), ...b, ...rest.slice(p.at)];
}

function inverse(perm: readonly number[]): number[] {
  const inv = new Array<number>(perm.length);
  perm.forEach((p, i) => (inv[p] = i));
  return inv;
}

/** t (of the plan's input shape) as the [rows, cols] matrix with the indexed dims first. */
function asMatrix(t: Tensor, p: Plan): Tensor {
  return reshape(contiguous(permute(t, p.perm)), [p.rows, p.cols]);
}

/** A [n, cols] matrix (rows in index order) back to the result's layout. */
function fromRows(m: Tensor, p: Plan): Tensor {
  const t = reshape(m, [...p.bshape, ...p.restShape]);
  return p.at === 0 ? t : contiguous(permute(t, outPerm(p)));
}

/** A value of the result's layout as the [n, cols] matrix. */
function toRows(t: Tensor, p: Plan): Tensor {
  const u = p.at === 0 ? t : permute(t, inverse(outPerm(p)));
  return reshape(contiguous(u), [numel(p.bshape), p.cols]);
}

/** Adds rows (n × cols) into zeros of the plan's input shape at the indexed positions; an op (index_add). */
function addRowsInto(rows: Tensor, p: Plan): Tensor {
  const m = indexAddInto([p.rows, p.cols], 0, p.lin, rows);
  const permuted = reshape(m, p.perm.map((d) => p.inShape[d]));
  return permute(permuted, inverse(p.perm));
}

function indexWithPlan(v: Tensor, p: Plan): Tensor {
  const out = noGrad(() => {
    const m = asMatrix(v, p);
    const rows = emptyTensor([numel(p.bshape), p.cols], v.dtype);
    B.indexSelect(m._kv(), 0, p.lin._data as Int32Array, rows._data);
    return contiguous(fromRows(rows, p));
  });
  if (needsGrad(v)) record("IndexBackward0", [v], out, [], (g) => [addRowsInto(toRows(g, p), p)]);
  return out;
}

/** The [n, cols] index for scattering whole rows: row k filled with lin[k]. */
function rowIndex(p: Plan): Int32Array {
  const n = numel(p.bshape);
  const lin = p.lin._data as Int32Array;
  const out = new Int32Array(n * p.cols);
  for (let k = 0; k < n; k++) out.fill(lin[k], k * p.cols, (k + 1) * p.cols);
  return out;
}

function checkValues(v: Tensor, values: Tensor, p: Plan): void {
  if (values.dtype !== v.dtype) {
    throw new TypeError(
      `Index put requires the source and destination dtypes match, got ${scalarTypeName(v.dtype)} for the destination and ${scalarTypeName(values.dtype)} for the source.`,
    );
  }
  let ok = true;
  try {
    ok = sameShape(broadcastShapes(p.outShape, values.shape), p.outShape);
  } catch {
    ok = false;
  }
  if (!ok) {
    throw new RangeError(`shape mismatch: value tensor of shape ${formatShape(values.shape)} cannot be broadcast to indexing result of shape ${formatShape(p.outShape)}`);
  }
}

/** Writes (or adds) values at the plan's positions of m, the [rows, cols] matrix of indexed-first values. */
function putInto(m: TypedArray, p: Plan, values: Tensor, accumulate: boolean): void {
  noGrad(() => {
    const rows = toRows(expand(values, p.outShape), p);
    if (rows.numel() === 0) return;
    if (accumulate) B.indexAdd(m, [p.rows, p.cols], 0, p.lin._data as Int32Array, rows._kv());
    else B.scatter(m, [p.rows, p.cols], 0, rowIndex(p), rows._kv(), "set");
  });
}

/** A fresh tensor: v with values written (or added) at the plan's positions (no graph). */
function putRaw(v: Tensor, p: Plan, values: Tensor, accumulate: boolean): Tensor {
  return noGrad(() => {
    const m = emptyTensor([p.rows, p.cols], v.dtype);
    B.unary("copy", reshape(contiguous(permute(v, p.perm)), [p.rows, p.cols])._kv(), m._kv());
    putInto(m._data, p, values, accumulate);
    return contiguous(permute(reshape(m, p.perm.map((d) => p.inShape[d])), inverse(p.perm)));
  });
}

function putWithPlan(v: Tensor, p: Plan, values: Tensor, accumulate: boolean): Tensor {
  const out = putRaw(v, p, values, accumulate);
  if (gradMode.enabled && (v._requiresGrad || values._requiresGrad)) {
    const wantSelf = v._requiresGrad;
    const wantValues = values._requiresGrad;
    const valuesShape = values.shape;
    record("IndexPutBackward0", [v, values], out, [], (g) => [
      wantSelf ? (accumulate ? g : putWithPlan(g, p, scalarTensor(0, g.dtype), false)) : null,
      wantValues ? sumToShape(indexWithPlan(g, p), valuesShape) : null,
    ], { accumulate });
  }
  return out;
}

function itemsArg(indices: unknown, op: string): readonly IndexItem[] {
  if (!Array.isArray(indices)) throw argError(op, "indices", 1, "a tuple of Tensor, int, slice, None or '...'", indices);
  return indices as IndexItem[];
}

/** x[indices] as Python's indexing: numbers and slices give views, index tensors and masks a copy. */
export function index(x: Tensor, indices: readonly IndexItem[]): Tensor {
  tensorArg(x, "index", "input", 1);
  const items = itemsArg(indices, "index");
  const { v, adv } = basicIndex(x, items, "index");
  if (!adv.some((t) => t !== null && t !== undefined)) return v === x ? view(x, x.shape) : v;
  return indexWithPlan(v, makePlan(v.shape, adv));
}

/** Index tensors (int32 or bool masks) or null per dim, as torch.index_put takes them. */
function putPlan(x: Tensor, indices: unknown, values: unknown, accumulate: unknown, op: string): { p: Plan | null; values: Tensor; accumulate: boolean } {
  if (!Array.isArray(indices)) throw argError(op, "indices", 2, "tuple of Tensors", indices);
  indices.forEach((t: unknown, i) => {
    if (t !== null && !(t instanceof Tensor)) throw new TypeError(`${op}(): expected Tensor or None as element ${i} in argument 'indices', but got ${pyType(t)}`);
  });
  tensorArg(values, op, "values", 3);
  if (accumulate !== undefined && typeof accumulate !== "boolean") throw argError(op, "accumulate", 4, "bool", accumulate);
  const items = indices as (Tensor | null)[];
  const consumed = items.reduce((n, t) => n + (t instanceof Tensor && t.dtype === "bool" ? t.ndim : 1), 0);
  if (consumed > x.ndim) throw new RangeError(`too many indices for tensor of dimension ${x.ndim} (got ${consumed})`);
  const { v, adv } = basicIndex(x, items, op);
  if (v.ndim !== x.ndim || v._data !== x._data || !sameShape(v.shape, x.shape)) {
    throw new RangeError(`${op}(): a 0-d bool index is not supported here`);
  }
  const vals = values as Tensor;
  if (!adv.some((t) => t !== null && t !== undefined)) {
    // No index tensor: the whole tensor is the indexing result.
    checkValues(x, vals, { outShape: x.shape } as Plan);
    return { p: null, values: vals, accumulate: accumulate === true };
  }
  const p = makePlan(x.shape, adv);
  checkValues(x, vals, p);
  return { p, values: vals, accumulate: accumulate === true };
}

/** index_put with no index tensor: the whole tensor is the indexing result. */
function wholePut(x: Tensor, values: Tensor, accumulate: boolean): Tensor {
  return accumulate ? add(x, values) : where(scalarTensor(1, "bool"), values, x);
}

/** torch.index_put: a copy of x with values written (or added, accumulate) at the indexed positions. */
export function indexPut(x: Tensor, indices: readonly (Tensor | null)[], values: Tensor, accumulate?: boolean): Tensor {
  tensorArg(x, "indexPut", "input", 1);
  const a = putPlan(x, indices, values, accumulate, "indexPut");
  if (a.p === null) return wholePut(x, a.values, a.accumulate);
  return putWithPlan(x, a.p, a.values, a.accumulate);
}

/** Tensor.index_put_: values written (or added) into self at the indexed positions. */
export function indexPut_(self: Tensor, indices: readonly (Tensor | null)[], values: Tensor, accumulate?: boolean): Tensor {
  tensorArg(self, "indexPut_", "input", 1);
  const a = putPlan(self, indices, values, accumulate, "indexPut_");
  checkInplaceTarget(self);
  const recording = gradMode.enabled && (self._requiresGrad || a.values._requiresGrad);
  if (recording) return rebase(self, (snap) => (a.p === null ? wholePut(snap, a.values, a.accumulate) : putWithPlan(snap, a.p, a.values, a.accumulate)));
  // Indexed dims leading: self's own storage is the [rows, cols] matrix.
  const direct = a.p !== null && a.p.perm.every((d, k) => d === k) ? storageOf(self, [a.values]) : null;
  if (direct !== null) putInto(direct, a.p!, a.values, a.accumulate);
  else {
    const out = a.p === null ? noGrad(() => wholePut(self, a.values, a.accumulate)) : putRaw(self, a.p, a.values, a.accumulate);
    B.unary("copy", out._kv(), self._kv());
  }
  bump(self);
  return self;
}
