/** The native packed GEMM (float32/float64); products below a few thousand multiply-adds run in TypeScript. */
import type { GemmArgs, Kernels, TypedArray } from "../types";
import type { NativeAddon } from "./addon";
import type { FamilyContext } from "./crossover";

function sameKind(a: TypedArray, b: TypedArray): boolean {
  return a.constructor === b.constructor;
}

/** The addon's GEMM meta layout (17 numbers): flags, sizes, scalars, offsets, leading dims, batch strides. */
export function packGemmMeta(g: Omit<GemmArgs, "a" | "b" | "c">, m: Float64Array): void {
  m[0] = g.transA ? 1 : 0;
  m[1] = g.transB ? 1 : 0;
  m[2] = g.m;
  m[3] = g.n;
  m[4] = g.k;
  m[5] = g.alpha;
  m[6] = g.beta;
  m[7] = g.aOffset;
  m[8] = g.lda;
  m[9] = g.bOffset;
  m[10] = g.ldb;
  m[11] = g.cOffset;
  m[12] = g.ldc;
  m[13] = g.batch;
  m[14] = g.strideA;
  m[15] = g.strideB;
  m[16] = g.strideC;
}

export function nativeGemm(ctx: FamilyContext<NativeAddon>): Pick<Kernels, "gemm"> {
  const { addon, js } = ctx;
  const c = ctx.crossover;
  const m = new Float64Array(17);
  return {
    gemm(g: GemmArgs): void {
      if (!sameKind(g.a, g.c) || !sameKind(g.b, g.c) || (c !== null && g.m * g.n * g.k * g.batch < c.gemmFlops)) {
        js.gemm(g);
        return;
      }
      packGemmMeta(g, m);
      addon.gemm(g.a, g.b, g.c, m);
    },
  };
}
