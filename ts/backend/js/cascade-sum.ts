import type { FloatArray } from "../types.js";

/*
 * The summation order of ATen's CPU sum kernel (SumKernel.cpp: cascade_sum, with
 * vectorized_inner_sum / vectorized_outer_sum / row_sum / multi_row_sum) with AVX2 vector widths
 * (8 floats, 4 doubles) and accumulation in the input's own precision. Reproducing the order, not
 * just the precision, makes float32 sums and means print the same digits as PyTorch's.
 */

const ILP = 4;
const LEVELS = 4;
const MAX_LANES = 8;

/** acc[level][row][lane] and row_sum's partials; Float32Array storage rounds every add. */
const acc32 = new Float32Array(LEVELS * ILP * MAX_LANES);
const acc64 = new Float64Array(LEVELS * ILP * MAX_LANES);
const one32 = new Float32Array(1);

function ceilLog2(n: number): number {
  return n <= 1 ? 0 : Math.ceil(Math.log2(n));
}

/**
 * multi_row_sum: sums `size` steps of an nrows×lanes block (element (i, k, l) at
 * off + i·step + k·rowGap + l) with ATen's four-level cascade; the result is left in acc[0..nrows·lanes).
 */
function multiRowSum(
  x: FloatArray,
  off: number,
  size: number,
  step: number,
  nrows: number,
  rowGap: number,
  lanes: number,
  acc: FloatArray,
): void {
  const levelPower = Math.max(4, Math.floor(ceilLog2(size) / LEVELS));
  const levelStep = 1 << levelPower;
  const levelMask = levelStep - 1;
  const width = nrows * lanes;
  // Sums shorter than one level step never touch the upper levels (the common small case).
  const cascades = size >= levelStep;
  acc.fill(0, 0, (cascades ? LEVELS : 1) * width);
  let i = 0;
  while (i + levelStep <= size) {
    for (let j = 0; j < levelStep; j++, i++) addBlock(x, off + i * step, nrows, rowGap, lanes, acc);
    for (let j = 1; j < LEVELS; j++) {
      for (let q = 0; q < width; q++) {
        acc[j * width + q] += acc[(j - 1) * width + q];
        acc[(j - 1) * width + q] = 0;
      }
      if ((i & (levelMask << (j * levelPower))) !== 0) break;
    }
  }
  for (; i < size; i++) addBlock(x, off + i * step, nrows, rowGap, lanes, acc);
  if (cascades) {
    for (let j = 1; j < LEVELS; j++) {
      for (let q = 0; q < width; q++) acc[q] += acc[j * width + q];
    }
  }
}

function addBlock(x: FloatArray, base: number, nrows: number, rowGap: number, lanes: number, acc: FloatArray): void {
  for (let k = 0, q = 0; k < nrows; k++) {
    const b = base + k * rowGap;
    for (let l = 0; l < lanes; l++, q++) acc[q] += x[b + l];
  }
}

/**
 * row_sum: `count` elements of `lanes` values (element e, lane l at off + e·gap + l), split four
 * ways for instruction-level parallelism; the per-lane result is left in acc[0..lanes).
 */
function rowSum(x: FloatArray, off: number, count: number, gap: number, lanes: number, acc: FloatArray): void {
  const size = Math.floor(count / ILP);
  multiRowSum(x, off, size, ILP * gap, ILP, gap, lanes, acc);
  for (let e = size * ILP; e < count; e++) {
    for (let l = 0; l < lanes; l++) acc[l] += x[off + e * gap + l];
  }
  for (let k = 1; k < ILP; k++) {
    for (let l = 0; l < lanes; l++) acc[l] += acc[k * lanes + l];
  }
}

function lanesOf(x: FloatArray): number {
  return x instanceof Float32Array ? 8 : 4;
}

/** Σ x[off .. off + n) as vectorized_inner_sum (or scalar_inner_sum for short rows) orders it. */
export function cascadeSum(x: FloatArray, off: number, n: number): number {
  const f32 = x instanceof Float32Array;
  const acc = f32 ? acc32 : acc64;
  const lanes = lanesOf(x);
  if (n < lanes) {
    rowSum(x, off, n, 1, 1, acc);
    return acc[0];
  }
  const nVec = Math.floor(n / lanes);
  rowSum(x, off, nVec, lanes, lanes, acc);
  if (f32) {
    one32[0] = 0;
    for (let k = nVec * lanes; k < n; k++) one32[0] += x[off + k];
    for (let l = 0; l < lanes; l++) one32[0] += acc[l];
    return one32[0];
  }
  let total = 0;
  for (let k = nVec * lanes; k < n; k++) total += x[off + k];
  for (let l = 0; l < lanes; l++) total += acc[l];
  return total;
}

/**
 * Column sums as vectorized_outer_sum (scalar_outer_sum when there are fewer columns than a
 * vector holds) orders them: out[c] = Σ_r x[off + r·stride + c] for c < cols, r < rows. Full
 * groups of four vectors (or four columns) use a plain cascade down the rows; the remaining
 * columns use row_sum's four-way split.
 */
export function cascadeColumnSums(x: FloatArray, off: number, rows: number, stride: number, cols: number, out: Float64Array): void {
  const acc = x instanceof Float32Array ? acc32 : acc64;
  const lanes = cols >= lanesOf(x) ? lanesOf(x) : 1;
  const group = ILP * lanes;
  let c = 0;
  for (; c + group <= cols; c += group) {
    multiRowSum(x, off + c, rows, stride, ILP, lanes, lanes, acc);
    for (let q = 0; q < group; q++) out[c + q] = acc[q];
  }
  for (; c < cols; c++) {
    rowSum(x, off + c, rows, stride, 1, acc);
    out[c] = acc[0];
  }
}
