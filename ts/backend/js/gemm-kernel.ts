import type { FloatArray } from "../types.js";

export const MR = 4;
export const NR = 4;

const tile = new Float64Array(MR * NR);

/** c = alpha·acc + beta·c, where beta = 0 ignores c's old contents (NaN included). */
function put(c: FloatArray, ci: number, acc: number, alpha: number, beta: number): void {
  c[ci] = beta === 0 ? alpha * acc : alpha * acc + beta * c[ci];
}

/**
 * The register-blocked inner kernel: a 4×4 block of C from a packed A panel (4 values per k)
 * and a packed B panel (4 values per k), the sixteen sums kept in locals.
 */
export function kernel4x4(
  kc: number,
  ap: Float64Array,
  ai: number,
  bp: Float64Array,
  bi: number,
  c: FloatArray,
  ci: number,
  ldc: number,
  alpha: number,
  beta: number,
): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  for (let p = 0; p < kc; p++, ai += 4, bi += 4) {
    const a0 = ap[ai], a1 = ap[ai + 1], a2 = ap[ai + 2], a3 = ap[ai + 3];
    const b0 = bp[bi], b1 = bp[bi + 1], b2 = bp[bi + 2], b3 = bp[bi + 3];
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
  }
  put(c, ci, c00, alpha, beta); put(c, ci + 1, c01, alpha, beta); put(c, ci + 2, c02, alpha, beta); put(c, ci + 3, c03, alpha, beta);
  ci += ldc;
  put(c, ci, c10, alpha, beta); put(c, ci + 1, c11, alpha, beta); put(c, ci + 2, c12, alpha, beta); put(c, ci + 3, c13, alpha, beta);
  ci += ldc;
  put(c, ci, c20, alpha, beta); put(c, ci + 1, c21, alpha, beta); put(c, ci + 2, c22, alpha, beta); put(c, ci + 3, c23, alpha, beta);
  ci += ldc;
  put(c, ci, c30, alpha, beta); put(c, ci + 1, c31, alpha, beta); put(c, ci + 2, c32, alpha, beta); put(c, ci + 3, c33, alpha, beta);
}

/** A partial tile at the right or bottom edge: mr ≤ MR rows and nr ≤ NR columns are written. */
export function kernelEdge(
  kc: number,
  ap: Float64Array,
  ai: number,
  bp: Float64Array,
  bi: number,
  c: FloatArray,
  ci: number,
  ldc: number,
  alpha: number,
  beta: number,
  mr: number,
  nr: number,
): void {
  tile.fill(0);
  for (let p = 0; p < kc; p++, ai += MR, bi += NR) {
    for (let i = 0; i < MR; i++) {
      const av = ap[ai + i];
      for (let j = 0; j < NR; j++) tile[i * NR + j] += av * bp[bi + j];
    }
  }
  for (let i = 0; i < mr; i++) {
    for (let j = 0; j < nr; j++) put(c, ci + i * ldc + j, tile[i * NR + j], alpha, beta);
  }
}
