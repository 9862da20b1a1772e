import type { FloatArray, ReduceOp, TypedArray, View } from "../types.js";
import { cascadeColumnSums, cascadeSum } from "./cascade-sum.js";
import { checkOperand, span, Walk } from "./iterate.js";

const outerWalk = new Walk();
const innerWalk = new Walk();

/** Folds n strided elements into acc. max/min keep the first NaN they meet (NaN propagates). */
function reduceRow(op: ReduceOp, x: TypedArray, off: number, stride: number, n: number, acc: number): number {
  switch (op) {
    case "sum":
      for (let i = 0, xi = off; i < n; i++, xi += stride) acc += x[xi];
      return acc;
    case "prod":
      for (let i = 0, xi = off; i < n; i++, xi += stride) acc *= x[xi];
      return acc;
    case "max":
      for (let i = 0, xi = off; i < n; i++, xi += stride) {
        const v = x[xi];
        if (v > acc || v !== v) acc = v;
        if (acc !== acc) return acc;
      }
      return acc;
    case "min":
      for (let i = 0, xi = off; i < n; i++, xi += stride) {
        const v = x[xi];
        if (v < acc || v !== v) acc = v;
        if (acc !== acc) return acc;
      }
      return acc;
    default:
      throw new Error(`reduce: unknown op "${String(op)}"`);
  }
}

/** acc[i] = op(acc[i], x[off + i·stride]) for i < n: folds one slice into a row of accumulators. */
function foldInto(op: ReduceOp, x: TypedArray, off: number, stride: number, acc: Float64Array, n: number): void {
  switch (op) {
    case "sum":
      for (let i = 0, xi = off; i < n; i++, xi += stride) acc[i] += x[xi];
      return;
    case "prod":
      for (let i = 0, xi = off; i < n; i++, xi += stride) acc[i] *= x[xi];
      return;
    case "max":
      for (let i = 0, xi = off; i < n; i++, xi += stride) {
        const v = x[xi];
        if (v > acc[i] || v !== v) acc[i] = acc[i] !== acc[i] ? acc[i] : v;
      }
      return;
    case "min":
      for (let i = 0, xi = off; i < n; i++, xi += stride) {
        const v = x[xi];
        if (v < acc[i] || v !== v) acc[i] = acc[i] !== acc[i] ? acc[i] : v;
      }
      return;
    default:
      throw new Error(`reduce: unknown op "${String(op)}"`);
  }
}

let accScratch = new Float64Array(64);

function initial(op: ReduceOp): number {
  switch (op) {
    case "sum":
      return 0;
    case "prod":
      return 1;
    case "max":
      return -Infinity;
    case "min":
      return Infinity;
    default:
      throw new Error(`reduce: unknown op "${String(op)}"`);
  }
}

function subView(x: View, from: number, to: number, offset: number): View {
  return { data: x.data, dtype: x.dtype, offset, shape: x.shape.slice(from, to), strides: x.strides.slice(from, to) };
}

export function reduce(op: ReduceOp, x: View, nReduced: number, out: TypedArray): void {
  const rank = x.shape.length;
  if (!Number.isInteger(nReduced) || nReduced < 0 || nReduced > rank) {
    throw new RangeError(`reduce: nReduced ${nReduced} out of range for a tensor of rank ${rank}`);
  }
  const nOut = span(x.shape, 0, rank - nReduced);
  if (nOut === 0) return;
  const nRed = span(x.shape, rank - nReduced, rank);
  if (nRed === 0 && (op === "max" || op === "min")) {
    throw new RangeError(`reduce: ${op} of an empty reduction has no identity`);
  }
  const flat = checkOperand(op, "input", x, x.shape);
  if (out.length < nOut) throw new RangeError(`reduce: out holds ${out.length} elements, ${nOut} needed`);
  const init = initial(op);
  const data = x.data;
  // Float sums of contiguous rows follow ATen's order so float32 results match PyTorch's digits.
  const floatSum = op === "sum" && (data instanceof Float32Array || data instanceof Float64Array);
  if (flat) {
    for (let i = 0, off = x.offset; i < nOut; i++, off += nRed) {
      out[i] = floatSum ? cascadeSum(data, off, nRed) : reduceRow(op, data, off, 1, nRed, init);
    }
    return;
  }
  const lead = subView(x, 0, rank - nReduced, x.offset);
  const red = subView(x, rank - nReduced, rank, 0);
  const outer = outerWalk.init(lead.shape, lead, lead, null, null);
  const inner = innerWalk.init(red.shape, red, red, null, null);
  let k = 0;
  if (outer.inner > 1 && Math.abs(outer.is0) < Math.abs(inner.is0)) {
    // The kept dims are the denser ones (e.g. summing a matrix over its rows): sweep whole rows of
    // accumulators along memory instead of striding through memory once per output.
    const n = outer.inner;
    if (accScratch.length < n) accScratch = new Float64Array(Math.max(n, 2 * accScratch.length));
    const acc = accScratch;
    const columnSums = floatSum && outer.is0 === 1 && inner.rows === 1;
    for (let r = 0; r < outer.rows; r++) {
      if (columnSums) {
        cascadeColumnSums(data as FloatArray, outer.o0, inner.inner, inner.is0, n, acc);
        for (let i = 0; i < n; i++) out[k++] = acc[i];
        outer.advance();
        continue;
      }
      acc.fill(init, 0, n);
      inner.reset(outer.o0, outer.o0);
      for (let q = 0; q < inner.rows; q++) {
        for (let t = 0, base = inner.o0; t < inner.inner; t++, base += inner.is0) foldInto(op, x.data, base, outer.is0, acc, n);
        inner.advance();
      }
      for (let i = 0; i < n; i++) out[k++] = acc[i];
      outer.advance();
    }
    return;
  }
  for (let r = 0; r < outer.rows; r++) {
    for (let i = 0, base = outer.o0; i < outer.inner; i++, base += outer.is0) {
      if (floatSum && inner.rows === 1 && inner.is0 === 1) {
        out[k++] = cascadeSum(data, base, inner.inner);
        continue;
      }
      let acc = init;
      inner.reset(base, base);
      for (let q = 0; q < inner.rows; q++) {
        acc = reduceRow(op, x.data, inner.o0, inner.is0, inner.inner, acc);
        inner.advance();
      }
      out[k++] = acc;
    }
    outer.advance();
  }
}
