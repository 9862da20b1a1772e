import type { FloatArray, GemmArgs } from "../types.js";
import { gemmSmall, scaleC } from "./gemm-small.js";
import { kernel4x4, kernelEdge, MR, NR } from "./gemm-kernel.js";

/** Block sizes: a KC×NC panel of B and an MC×KC block of A, packed as doubles, stay in L2. */
const KC = 256;
const MC = 64;
const NC = 512;
/**
 * Below this many multiply-adds packing costs more than it saves (measured crossover near 16³);
 * a dimension below the tile size would also leave most of each 4×4 tile empty.
 */
const SMALL_WORK = 4096;
const SMALL_DIM = 4;

let packedA = new Float64Array(MC * KC);
let packedB = new Float64Array(KC * NC);

function checkArgs(g: GemmArgs): void {
  const { m, n, k, batch } = g;
  checkCount("m", m);
  checkCount("n", n);
  checkCount("k", k);
  checkCount("batch", batch);
  if (m === 0 || n === 0 || batch === 0) return;
  const aCols = g.transA ? m : k;
  const bCols = g.transB ? k : n;
  if (g.ldc < n) throw new RangeError(`gemm: ldc ${g.ldc} < n ${n}`);
  const last = batch - 1;
  const aRows = g.transA ? k : m;
  const bRows = g.transB ? n : k;
  if (k > 0) {
    if (g.lda < aCols) throw new RangeError(`gemm: lda ${g.lda} < ${aCols}`);
    if (g.ldb < bCols) throw new RangeError(`gemm: ldb ${g.ldb} < ${bCols}`);
    checkExtent("A", g.a, g.aOffset + last * g.strideA, aRows, g.lda, aCols);
    checkExtent("B", g.b, g.bOffset + last * g.strideB, bRows, g.ldb, bCols);
  }
  checkExtent("C", g.c, g.cOffset + last * g.strideC, m, g.ldc, n);
}

function checkCount(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 0) throw new RangeError(`gemm: ${name} must be a non-negative integer, got ${v}`);
}

function checkExtent(name: string, data: FloatArray, start: number, rows: number, ld: number, cols: number): void {
  const end = start + (rows - 1) * ld + cols;
  if (start < 0 || end > data.length) {
    throw new RangeError(`gemm: ${name} needs elements up to ${end} but its storage holds ${data.length}`);
  }
}

export function gemm(g: GemmArgs): void {
  checkArgs(g);
  const { m, n, k, batch, alpha, beta } = g;
  if (m === 0 || n === 0) return;
  const ars = g.transA ? 1 : g.lda;
  const acs = g.transA ? g.lda : 1;
  const brs = g.transB ? 1 : g.ldb;
  const bcs = g.transB ? g.ldb : 1;
  for (let t = 0; t < batch; t++) {
    const ao = g.aOffset + t * g.strideA;
    const bo = g.bOffset + t * g.strideB;
    const co = g.cOffset + t * g.strideC;
    // As in BLAS, alpha = 0 (or k = 0) leaves A and B unread: NaN in them does not reach C.
    const small = m * n * k <= SMALL_WORK || m < SMALL_DIM || n < SMALL_DIM || k < SMALL_DIM;
    if (k === 0 || alpha === 0) scaleC(g.c, co, g.ldc, m, n, beta);
    else if (small) gemmSmall(m, n, k, alpha, g.a, ao, ars, acs, g.b, bo, brs, bcs, beta, g.c, co, g.ldc);
    else gemmBlocked(m, n, k, alpha, g.a, ao, ars, acs, g.b, bo, brs, bcs, beta, g.c, co, g.ldc);
  }
}

/** A(i, p) = a[ao + i·ars + p·acs]; B(p, j) = b[bo + p·brs + j·bcs]. */
function gemmBlocked(
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
  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc);
      const bp = packB(b, bo + pc * brs + jc * bcs, brs, bcs, kc, nc);
      // Later k-blocks accumulate onto what the first one wrote.
      const betaHere = pc === 0 ? beta : 1;
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(MC, m - ic);
        const ap = packA(a, ao + ic * ars + pc * acs, ars, acs, mc, kc);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = Math.min(NR, nc - jr);
          const bi = jr * kc;
          for (let ir = 0; ir < mc; ir += MR) {
            const mr = Math.min(MR, mc - ir);
            const ci = co + (ic + ir) * ldc + jc + jr;
            if (mr === MR && nr === NR) kernel4x4(kc, ap, ir * kc, bp, bi, c, ci, ldc, alpha, betaHere);
            else kernelEdge(kc, ap, ir * kc, bp, bi, c, ci, ldc, alpha, betaHere, mr, nr);
          }
        }
      }
    }
  }
}

/** Packs kc×nc of B into panels of NR columns, each stored k-major (NR values per k), zero-padded. */
function packB(b: FloatArray, start: number, brs: number, bcs: number, kc: number, nc: number): Float64Array {
  const panels = Math.ceil(nc / NR);
  if (packedB.length < panels * NR * kc) packedB = new Float64Array(panels * NR * kc);
  const bp = packedB;
  let dst = 0;
  for (let jp = 0; jp < nc; jp += NR) {
    const w = Math.min(NR, nc - jp);
    for (let p = 0; p < kc; p++) {
      const src = start + p * brs + jp * bcs;
      for (let jj = 0; jj < w; jj++) bp[dst + jj] = b[src + jj * bcs];
      for (let jj = w; jj < NR; jj++) bp[dst + jj] = 0;
      dst += NR;
    }
  }
  return bp;
}

/** Packs mc×kc of A into panels of MR rows, each stored k-major (MR values per k), zero-padded. */
function packA(a: FloatArray, start: number, ars: number, acs: number, mc: number, kc: number): Float64Array {
  const panels = Math.ceil(mc / MR);
  if (packedA.length < panels * MR * kc) packedA = new Float64Array(panels * MR * kc);
  const ap = packedA;
  let dst = 0;
  for (let ip = 0; ip < mc; ip += MR) {
    const h = Math.min(MR, mc - ip);
    for (let p = 0; p < kc; p++) {
      const src = start + ip * ars + p * acs;
      for (let ii = 0; ii < h; ii++) ap[dst + ii] = a[src + ii * ars];
      for (let ii = h; ii < MR; ii++) ap[dst + ii] = 0;
      dst += MR;
    }
  }
  return ap;
}
