import type { FloatArray } from "../types.js";

let rowAcc = new Float64Array(64);

/** C = beta·C over an m×n block (beta = 0 clears, NaN included). */
export function scaleC(c: FloatArray, co: number, ldc: number, m: number, n: number, beta: number): void {
  if (beta === 1) return;
  for (let i = 0; i < m; i++) {
    const ci = co + i * ldc;
    if (beta === 0) c.fill(0, ci, ci + n);
    else for (let j = 0; j < n; j++) c[ci + j] *= beta;
  }
}

/**
 * Direct loops for small products, where packing would cost more than it saves. Wide rows of B
 * that are contiguous accumulate a row of C as axpys (i-k-j); otherwise each C element is a dot
 * product over k. A(i, p) = a[ao + i·ars + p·acs]; B(p, j) = b[bo + p·brs + j·bcs].
 */
export function gemmSmall(
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: FloatArray,
  ao: number,
  ars: number,
  acs: number,
  b: FloatArray,
  bo: number,
  brs: number,
  bcs: number,
  beta: number,
  c: FloatArray,
  co: number,
  ldc: number,
): void {
  if (bcs !== 1 || n < 16) {
    for (let i = 0; i < m; i++) {
      const ai0 = ao + i * ars;
      const ci = co + i * ldc;
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0, ai = ai0, bi = bo + j * bcs; p < k; p++, ai += acs, bi += brs) s += a[ai] * b[bi];
        c[ci + j] = beta === 0 ? alpha * s : alpha * s + beta * c[ci + j];
      }
    }
    return;
  }
  if (rowAcc.length < n) rowAcc = new Float64Array(Math.max(n, rowAcc.length * 2));
  const acc = rowAcc;
  for (let i = 0; i < m; i++) {
    acc.fill(0, 0, n);
    const ai0 = ao + i * ars;
    for (let p = 0; p < k; p++) {
      const av = a[ai0 + p * acs];
      const bi = bo + p * brs;
      for (let j = 0; j < n; j++) acc[j] += av * b[bi + j];
    }
    const ci = co + i * ldc;
    if (beta === 0) for (let j = 0; j < n; j++) c[ci + j] = alpha * acc[j];
    else for (let j = 0; j < n; j++) c[ci + j] = alpha * acc[j] + beta * c[ci + j];
  }
}
