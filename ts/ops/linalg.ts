import { autocastOn, lowered, loweredOpt } from "./autocast-cast";
import type { DType, FloatArray } from "../backend/types";
import { B } from "../backend/index";
import { Tensor } from "../tensor";
import { isFloat, scalarTypeName } from "../dtype";
import { broadcastShapes, numel } from "../shape";
import { castTo, emptyTensor, needsGrad, record, zerosTensor } from "./core";
import { add, mul } from "./arithmetic";
import { sum, sumToShape } from "./reduce";
import { expand, reshape, squeeze, t, transpose, unsqueeze } from "./views";
import { optTensorArg, tensorArg } from "./args";

interface GemmOperand {
  /** Float32Array/Float64Array, or bfloat16 words for the bfloat16 GEMM. */
  arr: FloatArray | Uint16Array;
  offset: number;
  ld: number;
  trans: boolean;
}

/** How GEMM reads a matrix view [rows, cols] with the given strides, or null when it needs a copy. */
function layout(rows: number, cols: number, s0: number, s1: number): { ld: number; trans: boolean } | null {
  if ((s1 === 1 || cols <= 1) && (s0 >= Math.max(cols, 1) || rows <= 1)) return { ld: rows <= 1 ? Math.max(cols, 1) : s0, trans: false };
  if ((s0 === 1 || rows <= 1) && (s1 >= Math.max(rows, 1) || cols <= 1)) return { ld: cols <= 1 ? Math.max(rows, 1) : s1, trans: true };
  return null;
}

function operand(x: Tensor, dims: [number, number]): { op: GemmOperand; src: Tensor } {
  const [r, c] = dims;
  const rows = x.shape[r];
  const cols = x.shape[c];
  let l = layout(rows, cols, x.strides[r], x.strides[c]);
  let src = x;
  if (l === null) {
    src = cloneOf(x);
    l = layout(rows, cols, src.strides[r], src.strides[c])!;
  }
  return { op: { arr: src._data as FloatArray | Uint16Array, offset: src.offset, ld: l.ld, trans: l.trans }, src };
}

function cloneOf(x: Tensor): Tensor {
  const out = emptyTensor(x.shape, x.dtype);
  B.unary("copy", x._kv(), out._kv());
  return out;
}

/** The dtype GEMM computes in; integers go through float64 and come back exactly, 16-bit floats through float32. */
function computeDType(a: Tensor, b: Tensor, op: string): DType {
  if (a.dtype !== b.dtype) {
    throw new TypeError(`${op}: expected m1 and m2 to have the same dtype, but got: ${scalarTypeName(a.dtype)} != ${scalarTypeName(b.dtype)}`);
  }
  return a.dtype === "float32" || a.dtype === "float64" ? a.dtype : isFloat(a.dtype) ? "float32" : "float64";
}

/**
 * Raw batched product [batch, m, k] × [batch, k, n] (batch dim may be absent for plain matrices). Two
 * bfloat16 operands go to the bfloat16 GEMM as they are (float32 accumulation), the result rounded once.
 */
function gemmRaw(a: Tensor, b: Tensor, bias: Tensor | null): Tensor {
  const batched = a.ndim === 3;
  const outDType = a.dtype;
  const dt = computeDType(a, b, batched ? "bmm" : "mm");
  const bf16 = a.dtype === "bfloat16";
  const ca = bf16 ? a : castTo(a, dt);
  const cb = bf16 ? b : castTo(b, dt);
  const r = batched ? 1 : 0;
  const m = ca.shape[r];
  const k = ca.shape[r + 1];
  const n = cb.shape[r + 1];
  const batch = batched ? ca.shape[0] : 1;
  const shape = batched ? [batch, m, n] : [m, n];
  // With k = 0 nothing is accumulated into C, so it must start at zero.
  const out = k === 0 && bias === null ? zerosTensor(shape, dt) : emptyTensor(shape, dt);
  let beta = 0;
  if (bias !== null) {
    B.unary("copy", { data: bias._data, dtype: bias.dtype, offset: bias.offset, shape, strides: batched ? [0, 0, bias.strides[0]] : [0, bias.strides[0]] }, out._kv());
    beta = 1;
  }
  if (numel(shape) > 0) {
    const A = operand(ca, [r, r + 1]);
    const Bm = operand(cb, [r, r + 1]);
    const g = {
      transA: A.op.trans,
      transB: Bm.op.trans,
      m,
      n,
      k,
      alpha: 1,
      beta,
      a: A.op.arr,
      aOffset: A.op.offset,
      lda: A.op.ld,
      b: Bm.op.arr,
      bOffset: Bm.op.offset,
      ldb: Bm.op.ld,
      c: out._data as FloatArray,
      cOffset: 0,
      ldc: n,
      batch,
      strideA: batched ? A.src.strides[0] : 0,
      strideB: batched ? Bm.src.strides[0] : 0,
      strideC: m * n,
    };
    if (bf16) B.gemmBf16({ ...g, a: g.a as Uint16Array, b: g.b as Uint16Array, c: g.c as Float32Array });
    else B.gemm({ ...g, a: g.a as FloatArray, b: g.b as FloatArray });
  }
  return outDType === dt ? out : castTo(out, outDType);
}

function shapeError(a: readonly number[], b: readonly number[]): RangeError {
  return new RangeError(`mat1 and mat2 shapes cannot be multiplied (${a[0]}x${a[1]} and ${b[0]}x${b[1]})`);
}

export function mm(a: Tensor, b: Tensor): Tensor {
  if (autocastOn()) [a, b] = [lowered(a), lowered(b)];
  tensorArg(a, "mm", "input", 1);
  tensorArg(b, "mm", "mat2", 2);
  if (a.ndim !== 2) throw new RangeError("self must be a matrix");
  if (b.ndim !== 2) throw new RangeError("mat2 must be a matrix");
  if (a.shape[1] !== b.shape[0]) throw shapeError(a.shape, b.shape);
  const out = gemmRaw(a, b, null);
  if (needsGrad(a) || needsGrad(b)) {
    const ra = a._requiresGrad;
    const rb = b._requiresGrad;
    record("MmBackward0", [a, b], out, [a, b], (g, [x, y]) => [ra ? mm(g, t(y)) : null, rb ? mm(t(x), g) : null]);
  }
  return out;
}

/** torch.bmm: batched matrix product of [B, n, m] and [B, m, p]. */
export function bmm(a: Tensor, b: Tensor): Tensor {
  if (autocastOn()) [a, b] = [lowered(a), lowered(b)];
  if (!(a instanceof Tensor) || !(b instanceof Tensor)) throw new TypeError("bmm(): arguments must be Tensors");
  if (a.ndim !== 3) throw new RangeError(`batch1 must be a 3D tensor`);
  if (b.ndim !== 3) throw new RangeError(`batch2 must be a 3D tensor`);
  if (b.shape[0] !== a.shape[0] || b.shape[1] !== a.shape[2]) {
    throw new RangeError(`Expected size for first two dimensions of batch2 tensor to be: [${a.shape[0]}, ${a.shape[2]}] but got: [${b.shape[0]}, ${b.shape[1]}].`);
  }
  return bmmRaw(a, b);
}

/** torch.baddbmm: beta·input + alpha·(batch1 @ batch2), input broadcast to the product's shape. */
export function baddbmm(input: Tensor, batch1: Tensor, batch2: Tensor, opts: { beta?: number; alpha?: number } = {}): Tensor {
  if (autocastOn()) input = lowered(input);
  const { beta = 1, alpha = 1 } = opts;
  const prod = bmm(batch1, batch2);
  const scaled = alpha === 1 ? prod : mul(prod, alpha);
  if (beta === 0) return scaled;
  return add(beta === 1 ? input : mul(input, beta), scaled);
}

function bmmRaw(a: Tensor, b: Tensor): Tensor {
  const out = gemmRaw(a, b, null);
  if (needsGrad(a) || needsGrad(b)) {
    const ra = a._requiresGrad;
    const rb = b._requiresGrad;
    record("BmmBackward0", [a, b], out, [a, b], (g, [x, y]) => [
      ra ? bmmRaw(g, transpose(y, 1, 2)) : null,
      rb ? bmmRaw(transpose(x, 1, 2), g) : null,
    ]);
  }
  return out;
}

export function dot(a: Tensor, b: Tensor): Tensor {
  tensorArg(a, "dot", "input", 1);
  tensorArg(b, "dot", "tensor", 2);
  if (a.ndim !== 1 || b.ndim !== 1) {
    throw new RangeError(`1D tensors expected, but got ${a.ndim}D and ${b.ndim}D tensors`);
  }
  if (a.shape[0] !== b.shape[0]) {
    throw new RangeError(
      `inconsistent tensor size, expected tensor [${a.shape[0]}] and src [${b.shape[0]}] to have the same number of elements, but got ${a.shape[0]} and ${b.shape[0]} elements respectively`,
    );
  }
  const out = reshape(gemmRaw(reshapeRaw(a, [1, a.shape[0]]), reshapeRaw(b, [b.shape[0], 1]), null), []);
  if (needsGrad(a) || needsGrad(b)) {
    record("DotBackward0", [a, b], out, [a, b], (g, [x, y]) => [mul(g, y), mul(g, x)]);
  }
  return out;
}

/** A reshape that records nothing (for inputs of raw kernels). */
function reshapeRaw(x: Tensor, shape: number[]): Tensor {
  const flat = x.isContiguous() ? x : cloneOf(x);
  return new Tensor(flat._data, shape, flat.dtype, undefined, flat.offset);
}

export function mv(a: Tensor, v: Tensor): Tensor {
  tensorArg(a, "mv", "input", 1);
  tensorArg(v, "mv", "vec", 2);
  if (a.ndim !== 2 || v.ndim !== 1) {
    throw new RangeError(`vector + matrix @ vector expected, got 1, ${a.ndim}, ${v.ndim}`);
  }
  if (a.shape[1] !== v.shape[0]) {
    throw new RangeError(`size mismatch, got input (${a.shape[0]}), mat (${a.shape[0]}x${a.shape[1]}), vec (${v.shape[0]})`);
  }
  return squeeze(mm(a, unsqueeze(v, 1)), 1);
}

/** torch.matmul: dot, mv, mm, or a broadcast batched product depending on the ranks. */
export function matmul(a: Tensor, b: Tensor): Tensor {
  if (autocastOn()) [a, b] = [lowered(a), lowered(b)];
  tensorArg(a, "matmul", "input", 1);
  tensorArg(b, "matmul", "other", 2);
  const da = a.ndim;
  const db = b.ndim;
  if (da === 0 || db === 0) {
    throw new RangeError(`both arguments to matmul need to be at least 1D, but they are ${da}D and ${db}D`);
  }
  if (da === 1 && db === 1) return dot(a, b);
  if (da === 2 && db === 1) return mv(a, b);
  if (da === 1 && db === 2) {
    if (a.shape[0] !== b.shape[0]) throw shapeError([1, a.shape[0]], b.shape);
    return squeeze(mm(unsqueeze(a, 0), b), 0);
  }
  if (da === 2 && db === 2) return mm(a, b);
  if (da >= 3 && db <= 2) {
    // Fold the batch into the rows: one big GEMM instead of many small ones.
    const k = a.shape[da - 1];
    const bm = db === 1 ? unsqueeze(b, 1) : b;
    if (bm.shape[0] !== k) throw shapeError([numel(a.shape) / Math.max(k, 1), k], bm.shape);
    const out = mm(reshape(a, [-1, k]), bm);
    const shape = [...a.shape.slice(0, -1), bm.shape[1]];
    const r = reshape(out, shape);
    return db === 1 ? squeeze(r, -1) : r;
  }
  const a2 = da === 1 ? unsqueeze(a, 0) : a;
  const b2 = db === 1 ? unsqueeze(b, 1) : b;
  const m = a2.shape[a2.ndim - 2];
  const k = a2.shape[a2.ndim - 1];
  const k2 = b2.shape[b2.ndim - 2];
  const n = b2.shape[b2.ndim - 1];
  if (k !== k2) throw new RangeError(`Expected size for first two dimensions of batch2 tensor to be: [${numel(a2.shape.slice(0, -2))}, ${k}] but got: [${numel(b2.shape.slice(0, -2))}, ${k2}].`);
  const batch = broadcastShapes(a2.shape.slice(0, -2), b2.shape.slice(0, -2));
  const nb = numel(batch);
  const A = reshape(expand(a2, [...batch, m, k]), [nb, m, k]);
  const Bt = reshape(expand(b2, [...batch, k, n]), [nb, k, n]);
  let out = reshape(bmmRaw(A, Bt), [...batch, m, n]);
  if (da === 1) out = squeeze(out, -2);
  if (db === 1) out = squeeze(out, -1);
  return out;
}

/** y = x·Wᵀ + b (torch.nn.functional.linear), one GEMM with the bias as its starting C. */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  if (autocastOn()) [x, weight, bias] = [lowered(x), lowered(weight), loweredOpt(bias)];
  tensorArg(x, "linear", "input", 1);
  tensorArg(weight, "linear", "weight", 2);
  optTensorArg(bias, "linear", "bias", 3);
  if (weight.ndim !== 2) throw new RangeError(`linear(): weight must be 2-D, but got ${weight.ndim}-D`);
  if (x.ndim !== 2) {
    if (x.ndim === 0) throw new RangeError("linear(): input must have at least 1 dimension");
    const lead = x.shape.slice(0, -1);
    const y = linear(reshape(x, [-1, x.shape[x.ndim - 1]]), weight, bias);
    return reshape(y, [...lead, weight.shape[0]]);
  }
  if (x.shape[1] !== weight.shape[1]) throw shapeError(x.shape, [weight.shape[1], weight.shape[0]]);
  const wt = t(weight);
  if (bias === undefined || bias === null) return mm(x, wt);
  if (bias.ndim !== 1 || bias.shape[0] !== weight.shape[0]) {
    if (numel(bias.shape) !== weight.shape[0]) {
      throw new RangeError(`linear(): bias of shape [${bias.shape.join(", ")}] does not match out_features ${weight.shape[0]}`);
    }
  }
  const b1 = bias.ndim === 1 ? bias : reshapeRaw(bias, [weight.shape[0]]);
  const out = gemmRaw(x, wtRaw(weight), b1);
  if (needsGrad(x) || needsGrad(weight) || needsGrad(bias)) {
    const rx = x._requiresGrad;
    const rw = weight._requiresGrad;
    const rb = bias._requiresGrad;
    const biasShape = bias.shape;
    record("AddmmBackward0", [x, weight, bias], out, [x, weight], (g, [xi, w]) => [
      rx ? mm(g, w) : null,
      rw ? mm(t(g), xi) : null,
      rb ? sumToShape(sum(g, 0), biasShape) : null,
    ]);
  }
  return out;
}

function wtRaw(w: Tensor): Tensor {
  return new Tensor(w._data, [w.shape[1], w.shape[0]], w.dtype, [w.strides[1], w.strides[0]], w.offset);
}
