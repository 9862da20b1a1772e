import type { FloatArray } from "../types.js";

/*
 * The summation order of ATen's CPU sum kernel (SumKernel.cpp: cascade_sum → vectorized_inner_sum /
 * row_sum / multi_row_sum) for a contiguous row, with AVX2 vector widths (8 floats, 4 doubles) and
 * accumulation in the input's own precision. Reproducing the order, not just the precision, makes
 * float32 sums and means print the same digits as PyTorch's.
 */

const ILP = 4;
const LEVELS = 4;
const MAX_LANES = 8;

/** acc[level][k][lane] and the partial sums of row_sum; Float32Array storage rounds every add. */
const acc32 = new Float32Array(LEVELS * ILP * MAX_LANES);
const acc64 = new Float64Array(LEVELS * ILP * MAX_LANES);
const part32 = new Float32Array(ILP * MAX_LANES);
const part64 = new Float64Array(ILP * MAX_LANES);
const one32 = new Float32Array(1);

function ceilLog2(n: number): number {
  return n <= 1 ? 0 : Math.ceil(Math.log2(n));
}

/**
 * multi_row_sum + row_sum over `count` elements of `lanes` values each (element e, lane l is
 * x[off + e·lanes + l]); leaves the per-lane result in part[0..lanes).
 */
function rowSum(x: FloatArray, off: number, count: number, lanes: number, acc: FloatArray, part: FloatArray): void {
  const size = Math.floor(count / ILP);
  const levelPower = Math.max(4, Math.floor(ceilLog2(size) / LEVELS));
  const levelStep = 1 << levelPower;
  const levelMask = levelStep - 1;
  const width = ILP * lanes;
  // Rows shorter than one level step never touch the upper levels (the common small case).
  const cascades = size >= levelStep;
  acc.fill(0, 0, (cascades ? LEVELS : 1) * width);
  let i = 0;
  while (i + levelStep <= size) {
    for (let j = 0; j < levelStep; j++, i++) {
      const base = off + i * width;
      for (let q = 0; q < width; q++) acc[q] += x[base + q];
    }
    for (let j = 1; j < LEVELS; j++) {
      for (let q = 0; q < width; q++) {
        acc[j * width + q] += acc[(j - 1) * width + q];
        acc[(j - 1) * width + q] = 0;
      }
      if ((i & (levelMask << (j * levelPower))) !== 0) break;
    }
  }
  for (; i < size; i++) {
    const base = off + i * width;
    for (let q = 0; q < width; q++) acc[q] += x[base + q];
  }
  if (cascades) {
    for (let j = 1; j < LEVELS; j++) {
      for (let q = 0; q < width; q++) acc[q] += acc[j * width + q];
    }
  }
  // row_sum: leftover elements go to partial 0, then partials 1..3 fold into it.
  for (let q = 0; q < width; q++) part[q] = acc[q];
  for (let e = size * ILP; e < count; e++) {
    for (let l = 0; l < lanes; l++) part[l] += x[off + e * lanes + l];
  }
  for (let k = 1; k < ILP; k++) {
    for (let l = 0; l < lanes; l++) part[l] += part[k * lanes + l];
  }
}

/** Σ x[off .. off + n) in PyTorch's order and precision. */
export function cascadeSum(x: FloatArray, off: number, n: number): number {
  const f32 = x instanceof Float32Array;
  const acc = f32 ? acc32 : acc64;
  const part = f32 ? part32 : part64;
  const lanes = f32 ? 8 : 4;
  if (n < lanes) {
    rowSum(x, off, n, 1, acc, part);
    return part[0];
  }
  const nVec = Math.floor(n / lanes);
  rowSum(x, off, nVec, lanes, acc, part);
  let total = 0;
  if (f32) {
    one32[0] = 0;
    for (let k = nVec * lanes; k < n; k++) one32[0] += x[off + k];
    for (let l = 0; l < lanes; l++) one32[0] += part[l];
    total = one32[0];
  } else {
    for (let k = nVec * lanes; k < n; k++) total += x[off + k];
    for (let l = 0; l < lanes; l++) total += part[l];
  }
  return total;
}
