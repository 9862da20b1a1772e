import { describe, expect, it } from "vitest";
import { jsBackend } from "../../../ts/backend/js/index.js";
import type { FloatArray, GemmArgs } from "../../../ts/backend/types.js";
import { expectClose } from "../../support/close.js";
import { Rng } from "../../support/rng.js";

interface Case {
  m: number;
  n: number;
  k: number;
  transA: boolean;
  transB: boolean;
  alpha: number;
  beta: number;
  batch: number;
  /** Extra columns past the stored row width (lda > needed). */
  pad: number;
  f32: boolean;
}

/** Builds random operands with the requested layout; C starts random (or NaN to test beta = 0). */
function setup(c: Case, rng: Rng, cFill: "random" | "nan"): GemmArgs {
  const make = (n: number): FloatArray => {
    const a = c.f32 ? new Float32Array(n) : new Float64Array(n);
    for (let i = 0; i < n; i++) a[i] = rng.uniform(-1, 1);
    return a;
  };
  const aRows = c.transA ? c.k : c.m;
  const aCols = c.transA ? c.m : c.k;
  const bRows = c.transB ? c.n : c.k;
  const bCols = c.transB ? c.k : c.n;
  const lda = aCols + c.pad;
  const ldb = bCols + c.pad;
  const ldc = c.n + c.pad;
  const strideA = aRows * lda + 1;
  const strideB = bRows * ldb + 2;
  const strideC = c.m * ldc + 3;
  const cData = make(5 + strideC * c.batch);
  if (cFill === "nan") cData.fill(NaN);
  return {
    transA: c.transA,
    transB: c.transB,
    m: c.m,
    n: c.n,
    k: c.k,
    alpha: c.alpha,
    beta: c.beta,
    a: make(2 + strideA * c.batch),
    aOffset: 2,
    lda,
    b: make(1 + strideB * c.batch),
    bOffset: 1,
    ldb,
    c: cData,
    cOffset: 5,
    ldc,
    batch: c.batch,
    strideA,
    strideB,
    strideC,
  };
}

/** The definition, one element at a time, in double. */
function referenceGemm(g: GemmArgs, cBefore: FloatArray): Float64Array {
  const out = Float64Array.from(cBefore);
  for (let t = 0; t < g.batch; t++) {
    for (let i = 0; i < g.m; i++) {
      for (let j = 0; j < g.n; j++) {
        let s = 0;
        for (let p = 0; p < g.k; p++) {
          const a = g.transA ? g.a[g.aOffset + t * g.strideA + p * g.lda + i] : g.a[g.aOffset + t * g.strideA + i * g.lda + p];
          const b = g.transB ? g.b[g.bOffset + t * g.strideB + j * g.ldb + p] : g.b[g.bOffset + t * g.strideB + p * g.ldb + j];
          s += a * b;
        }
        const ci = g.cOffset + t * g.strideC + i * g.ldc + j;
        out[ci] = g.beta === 0 ? g.alpha * s : g.alpha * s + g.beta * cBefore[ci];
      }
    }
  }
  return out;
}

function check(c: Case, seed: number, cFill: "random" | "nan" = "random"): void {
  const g = setup(c, new Rng(seed), cFill);
  const before = g.c.slice();
  const expected = referenceGemm(g, before);
  jsBackend.gemm(g);
  const tol = (c.f32 ? 2e-6 : 1e-12) * Math.max(1, c.k);
  expectClose(g.c, expected, { rtol: tol, atol: tol }, `gemm ${JSON.stringify(c)}: C`);
}

const FLAGS = [
  [false, false],
  [false, true],
  [true, false],
  [true, true],
] as const;

describe("jsBackend.gemm", () => {
  for (const [transA, transB] of FLAGS) {
    it(`small products match the definition (transA=${transA}, transB=${transB})`, () => {
      let seed = 1;
      for (const [m, n, k] of [[1, 1, 1], [12, 1, 2], [32, 512, 1], [3, 5, 7], [1, 9, 4], [5, 1, 6], [2, 3, 0], [3, 200, 50], [100, 2, 30]]) {
        for (const [alpha, beta] of [[1, 0], [0.5, 1], [2, -0.5]]) {
          check({ m, n, k, transA, transB, alpha, beta, batch: 1, pad: 0, f32: true }, seed++);
        }
      }
    });
    it(`blocked products match the definition with padding, batches and odd edges (transA=${transA}, transB=${transB})`, () => {
      let seed = 100;
      for (const [m, n, k] of [[67, 45, 300], [129, 70, 33], [64, 64, 64], [5, 600, 40], [17, 18, 19]]) {
        check({ m, n, k, transA, transB, alpha: 0.75, beta: 0.5, batch: 2, pad: 3, f32: true }, seed++);
        check({ m, n, k, transA, transB, alpha: 1, beta: 0, batch: 1, pad: 0, f32: false }, seed++);
      }
    });
  }

  it("beta = 0 ignores NaN already in C, for small and blocked sizes", () => {
    check({ m: 4, n: 3, k: 2, transA: false, transB: false, alpha: 1, beta: 0, batch: 2, pad: 1, f32: true }, 7, "nan");
    check({ m: 70, n: 66, k: 90, transA: true, transB: false, alpha: 1, beta: 0, batch: 1, pad: 1, f32: true }, 8, "nan");
  });

  it("k = 0 scales C by beta (or clears it)", () => {
    check({ m: 3, n: 4, k: 0, transA: false, transB: false, alpha: 1, beta: 0.5, batch: 2, pad: 1, f32: false }, 9);
    check({ m: 3, n: 4, k: 0, transA: false, transB: false, alpha: 1, beta: 0, batch: 1, pad: 0, f32: false }, 10, "nan");
  });

  it("alpha = 0 only scales C, never reading A or B (BLAS semantics)", () => {
    const g = setup({ m: 3, n: 2, k: 4, transA: false, transB: false, alpha: 0, beta: 2, batch: 1, pad: 0, f32: false }, new Rng(4), "random");
    g.a.fill(NaN);
    const before = g.c.slice();
    jsBackend.gemm(g);
    for (let i = 0; i < 3 * 2; i++) expect(g.c[g.cOffset + i]).toBe(2 * before[g.cOffset + i]);
  });

  it("empty m or n or batch touches nothing", () => {
    const g = setup({ m: 0, n: 4, k: 3, transA: false, transB: false, alpha: 1, beta: 0, batch: 1, pad: 0, f32: true }, new Rng(1), "random");
    const before = g.c.slice();
    jsBackend.gemm(g);
    expect(g.c).toEqual(before);
    jsBackend.gemm({ ...g, m: 2, n: 4, batch: 0 });
    expect(g.c).toEqual(before);
  });

  it("propagates NaN and Inf from the operands", () => {
    const g = setup({ m: 2, n: 2, k: 2, transA: false, transB: false, alpha: 1, beta: 0, batch: 1, pad: 0, f32: false }, new Rng(2), "random");
    g.a[g.aOffset] = NaN;
    g.b[g.bOffset + 1] = Infinity;
    jsBackend.gemm(g);
    expect(g.c[g.cOffset]).toBeNaN();
    expect(g.c[g.cOffset + 1]).toBeNaN();
    expect(Math.abs(g.c[g.cOffset + 3])).toBe(Infinity);
  });

  it("rejects operands too small for the stated sizes", () => {
    const g = setup({ m: 3, n: 3, k: 3, transA: false, transB: false, alpha: 1, beta: 0, batch: 1, pad: 0, f32: true }, new Rng(3), "random");
    expect(() => jsBackend.gemm({ ...g, batch: 2 })).toThrow(/gemm: A needs elements/);
    expect(() => jsBackend.gemm({ ...g, lda: 2 })).toThrow(/lda/);
    expect(() => jsBackend.gemm({ ...g, m: -1 })).toThrow(/non-negative integer/);
  });
});
