import { isHalf, roundedTo, roundedValues, widened } from "./half";
/**
 * Ordering and scans along one dim: sort, argsort, topk, cumsum, cumprod, and the any/all/norm reductions.
 * Each has PyTorch's gradFn name; sort and topk route gradients back through their indices.
 */
import { Tensor } from "../tensor";
import { isFloat } from "../dtype";
import { normalizeDim } from "../shape";
import { gradMode } from "../autograd/grad-mode";
import { emptyTensor, needsGrad, record } from "./core";
import { dimsArg, intArg, maybeIntArg, numberArg, optBoolArg, tensorArg } from "./args";
import { contiguous, transpose, narrow, expand } from "./views";
import { reduceRaw, sum, reductionDims, type Dims, type ValuesIndices } from "./reduce";
import { scatterAddInto } from "./index-ops";
import { div, mul } from "./arithmetic";
import { abs, pow, sign } from "./math";
import { where } from "./selection";
import { binaryRaw, unaryRaw } from "./elementwise-kernels";
import { flip } from "./rearrange";

/** x with `dim` moved last, contiguous, and a function putting a result of that layout back. */
function lastDim(x: Tensor, dim: number): { t: Tensor; back: (r: Tensor) => Tensor; n: number; rows: number } {
  const d = x.ndim === 0 ? 0 : normalizeDim(dim, x.ndim);
  const last = Math.max(x.ndim - 1, 0);
  const moved = x.ndim === 0 ? x.reshape([1]) : d === last ? x : transpose(x, d, last);
  const t = contiguous(moved.detach());
  const n = x.ndim === 0 ? 1 : x.shape[d];
  const rows = n === 0 ? 0 : t.numel() / n;
  const back = (r: Tensor): Tensor => {
    if (x.ndim === 0) return r.reshape([]);
    return d === last ? r : contiguous(transpose(r, d, last));
  };
  return { t, back, n, rows };
}

/** Ascending order puts NaN last, descending puts it first, as PyTorch; equal values keep their order. */
function comparator(data: ArrayLike<number>, base: number, descending: boolean): (i: number, j: number) => number {
  return (i, j) => {
    const a = data[base + i], b = data[base + j];
    const an = a !== a, bn = b !== b;
    if (an || bn) return an && bn ? 0 : an ? (descending ? -1 : 1) : descending ? 1 : -1;
    return descending ? (a > b ? -1 : a < b ? 1 : 0) : a < b ? -1 : a > b ? 1 : 0;
  };
}

function sortRaw(x: Tensor, dim: number, descending: boolean): { values: Tensor; indices: Tensor } {
  const { t, back, n, rows } = lastDim(x, dim);
  const values = emptyTensor(t.shape, x.dtype);
  const indices = emptyTensor(t.shape, "int32");
  const src = t._data, vd = values._data, id = indices._data;
  const order = new Array<number>(n);
  for (let r = 0; r < rows; r++) {
    const base = r * n;
    for (let i = 0; i < n; i++) order[i] = i;
    order.sort(comparator(src, base, descending));
    for (let i = 0; i < n; i++) {
      id[base + i] = order[i];
      vd[base + i] = src[base + order[i]];
    }
  }
  return { values: back(values), indices: back(indices) };
}

/** torch.sort: values and their int32 indices along dim, stable (ties keep their order). */
export function sort(x: Tensor, dim = -1, descending = false): ValuesIndices {
  if (isHalf(x?.dtype)) return roundedValues(sort(widened(x), dim, descending), x.dtype);
  tensorArg(x, "sort", "input", 1);
  intArg(dim, "sort", "dim", 2);
  optBoolArg(descending, "sort", "descending", 3);
  const r = sortRaw(x, dim, descending);
  if (needsGrad(x)) {
    const d = x.ndim === 0 ? 0 : normalizeDim(dim, x.ndim);
    const shape = x.shape;
    record("SortBackward0", [x], r.values, [r.indices], (g, [ix]) => [scatterAddInto(shape, d, ix, g)], { dim: d, descending });
  }
  return r;
}

/** torch.argsort: the indices sort gives. */
export function argsort(x: Tensor, dim = -1, descending = false): Tensor {
  tensorArg(x, "argsort", "input", 1);
  intArg(dim, "argsort", "dim", 2);
  optBoolArg(descending, "argsort", "descending", 3);
  return sortRaw(x, dim, descending).indices;
}

/** torch.topk: the k largest (or smallest) values along dim, sorted, with their indices. */
export function topk(x: Tensor, k: number, dim = -1, largest = true, sorted = true): ValuesIndices {
  if (isHalf(x?.dtype)) return roundedValues(topk(widened(x), k, dim, largest, sorted), x.dtype);
  tensorArg(x, "topk", "input", 1);
  intArg(k, "topk", "k", 2);
  intArg(dim, "topk", "dim", 3);
  optBoolArg(largest, "topk", "largest", 4);
  optBoolArg(sorted, "topk", "sorted", 5);
  void sorted;
  const d = x.ndim === 0 ? 0 : normalizeDim(dim, x.ndim);
  const n = x.ndim === 0 ? 1 : x.shape[d];
  if (!Number.isInteger(k) || k < 0 || k > n) throw new RangeError("selected index k out of range");
  const all = sortRaw(x, dim, largest);
  const values = x.ndim === 0 ? all.values : contiguous(narrow(all.values, d, 0, k));
  const indices = x.ndim === 0 ? all.indices : contiguous(narrow(all.indices, d, 0, k));
  if (needsGrad(x)) {
    const shape = x.shape;
    record("TopkBackward0", [x], values, [indices], (g, [ix]) => [scatterAddInto(shape, d, ix, g)], { k, dim: d, largest });
  }
  return { values, indices };
}

function scan(x: Tensor, dim: number, op: "cumsum" | "cumprod"): Tensor {
  const dtype = x.dtype === "bool" ? "int32" : x.dtype;
  const { t, back, n, rows } = lastDim(x.dtype === "bool" ? unaryRaw("copy", x, "int32") : x, dim);
  const out = emptyTensor(t.shape, dtype);
  const src = t._data, o = out._data;
  const isInt = dtype === "int32";
  for (let r = 0; r < rows; r++) {
    // PyTorch accumulates float32 scans in double (acc_type) and rounds each stored prefix.
    let acc = op === "cumsum" ? 0 : 1;
    for (let i = r * n, end = i + n; i < end; i++) {
      acc = op === "cumsum" ? acc + src[i] : acc * src[i];
      if (isInt && (acc > 2147483647 || acc < -2147483648)) {
        throw new RangeError(`${op}: the result overflows int32 (PyTorch would use int64); convert with .double() first`);
      }
      o[i] = acc;
    }
  }
  return back(out);
}

/** torch.cumsum: running sums along dim. */
export function cumsum(x: Tensor, dim: number): Tensor {
  if (isHalf(x?.dtype)) return roundedTo(cumsum(widened(x), dim), x.dtype);
  tensorArg(x, "cumsum", "input", 1);
  intArg(dim, "cumsum", "dim", 2);
  const out = scan(x, dim, "cumsum");
  if (needsGrad(x)) {
    const d = x.ndim === 0 ? 0 : normalizeDim(dim, x.ndim);
    // The adjoint of a running sum is the running sum from the other end.
    record("CumsumBackward0", [x], out, [], (g) => [x.ndim === 0 ? g : flip(cumsum(flip(g, d), d), d)], { dim: d });
  }
  return out;
}

/** torch.cumprod: running products along dim. */
export function cumprod(x: Tensor, dim: number): Tensor {
  if (isHalf(x?.dtype)) return roundedTo(cumprod(widened(x), dim), x.dtype);
  tensorArg(x, "cumprod", "input", 1);
  intArg(dim, "cumprod", "dim", 2);
  const out = scan(x, dim, "cumprod");
  if (needsGrad(x)) {
    const d = x.ndim === 0 ? 0 : normalizeDim(dim, x.ndim);
    record("CumprodBackward0", [x], out, [x, out], (g, [a, y]) => [cumprodBackward(a, y, g, d)], { dim: d });
  }
  return out;
}

/** Without zeros: (reverse cumsum of g·y) / x, in tensor ops. With zeros: the exact sums, row by row. */
function cumprodBackward(x: Tensor, y: Tensor, g: Tensor, d: number): Tensor {
  if (x.ndim === 0) return g;
  const hasZero = binaryRaw("eq", x, new Tensor(new Float64Array(1), [], "float64"), x.dtype === "float32" ? "float64" : x.dtype, "bool")
    .toArray()
    .some((v) => v !== 0);
  if (!hasZero) return div(flip(cumsum(flip(mul(g, y), d), d), d), x);
  if (gradMode.enabled) throw new Error("cumprod: gradients of gradients are not supported when the input has zeros");
  const X = lastDim(x, d), G = lastDim(g, d);
  const out = emptyTensor(X.t.shape, x.dtype);
  const xs = X.t._data, gs = G.t._data, o = out._data;
  const n = X.n;
  for (let r = 0; r < X.rows; r++) {
    const base = r * n;
    for (let i = 0; i < n; i++) {
      // grad_i = Σ_{j≥i} g_j · Π_{k≤j, k≠i} x_k
      let total = 0;
      let prefix = 1;
      for (let k = 0; k < i; k++) prefix *= xs[base + k];
      let run = prefix;
      for (let j = i; j < n; j++) {
        if (j > i) run *= xs[base + j];
        total += gs[base + j] * run;
      }
      o[base + i] = total;
    }
  }
  return X.back(out);
}

function anyAll(x: Tensor, dim: number | undefined, keepdim: boolean, all: boolean): Tensor {
  const nonzero = x.dtype === "bool" ? x : binaryRaw("ne", x, new Tensor(new Float64Array(1), [], "float64"), isFloat(x.dtype) ? x.dtype : "float64", "bool");
  const counts = sum(unaryRaw("copy", nonzero, "int32"), dim === undefined ? undefined : dim, keepdim);
  if (!all) return binaryRaw("gt", counts, new Tensor(new Int32Array(1), [], "int32"), "int32", "bool");
  const n = dim === undefined ? x.numel() : x.ndim === 0 ? 1 : x.shape[normalizeDim(dim, x.ndim)];
  const nt = new Tensor(new Int32Array([n]), [], "int32");
  return binaryRaw("eq", counts, nt, "int32", "bool");
}

/** torch.any: whether any element (along dim) is nonzero; a bool tensor. */
export function any(x: Tensor, dim?: number, keepdim = false): Tensor {
  tensorArg(x, "any", "input", 1);
  maybeIntArg(dim, "any", "dim", 2);
  optBoolArg(keepdim, "any", "keepdim", 3);
  return anyAll(x, dim, keepdim, false);
}

/** torch.all: whether every element (along dim) is nonzero; a bool tensor. */
export function all(x: Tensor, dim?: number, keepdim = false): Tensor {
  tensorArg(x, "all", "input", 1);
  maybeIntArg(dim, "all", "dim", 2);
  optBoolArg(keepdim, "all", "keepdim", 3);
  return anyAll(x, dim, keepdim, true);
}

/**
 * torch.norm / linalg.vector_norm: the p-norm over dims (all by default); p = Infinity is the max norm. Its
 * gradient is 0 where the norm is 0, as PyTorch's.
 */
export function norm(x: Tensor, p = 2, dim?: Dims, keepdim = false): Tensor {
  tensorArg(x, "norm", "input", 1);
  numberArg(p, "norm", "p", 2);
  dimsArg(dim, "norm", "dim", 3);
  optBoolArg(keepdim, "norm", "keepdim", 4);
  if (typeof p !== "number" || Number.isNaN(p) || p <= 0) throw new RangeError(`norm(): p must be a positive number or Infinity, got ${String(p)}`);
  if (!isFloat(x.dtype)) throw new TypeError(`linalg.vector_norm: Expected a floating point or complex tensor as input. Got ${x.dtype === "int32" ? "Int" : "Bool"}`);
  const dims = reductionDims(x, dim ?? null);
  const a = abs(x.detach());
  let out: Tensor;
  if (p === Infinity) out = a.numel() === 0 ? sum(a, dims, keepdim) : reduceRaw("max", a, dims, keepdim, a.dtype);
  else if (p === 2) out = sum(mul(a, a), dims, keepdim).sqrt();
  else if (p === 1) out = sum(a, dims, keepdim);
  else out = pow(sum(pow(a, p), dims, keepdim), 1 / p);
  if (needsGrad(x)) {
    record("LinalgVectorNormBackward0", [x], out, [x, out], (g, [xi, y]) => {
      const shape = xi.shape;
      const keep = (t: Tensor): Tensor => {
        if (keepdim || xi.ndim === 0) return t;
        const kept = shape.slice();
        for (const dd of dims) kept[dd] = 1;
        return t.reshape(kept);
      };
      const gy = expand(keep(g), shape), yy = expand(keep(y), shape);
      const zero = binaryRaw("eq", yy, new Tensor(new Float64Array(1), [], "float64"), yy.dtype, "bool");
      let grad: Tensor;
      if (p === Infinity) {
        const isMax = binaryRaw("eq", abs(xi), yy, xi.dtype, "bool");
        const count = expand(keep(sum(unaryRaw("copy", isMax, xi.dtype), dims, keepdim)), shape);
        grad = where(isMax, div(mul(gy, sign(xi)), count), 0);
      } else if (p === 2) {
        grad = div(mul(gy, xi), yy);
      } else if (p === 1) {
        grad = mul(gy, sign(xi));
      } else {
        grad = div(mul(mul(gy, xi), pow(abs(xi), p - 2)), pow(yy, p - 1));
      }
      return [where(zero, 0, grad)];
    }, { ord: p, dim: dims, keepdim });
  }
  return out;
}
