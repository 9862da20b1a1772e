/** The native bfloat16 GEMM (AMX, VDPBF16PS or widened to the float32 GEMM, chosen by the addon at load). */
import type { Kernels } from "../types";
import type { GemmBf16Args } from "../js/gemm-bf16";
import type { NativeAddon } from "./addon";
import type { FamilyContext } from "./crossover";

export function nativeGemmBf16(ctx: FamilyContext<NativeAddon>): Pick<Kernels, "gemmBf16"> {
  const { addon, js } = ctx;
  const c = ctx.crossover;
  const m = new Float64Array(17);
  return {
    gemmBf16(g: GemmBf16Args): void {
      if (c !== null && g.m * g.n * g.k * g.batch < c.gemmFlops) {
        js.gemmBf16(g);
        return;
      }
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
      addon.gemmBf16(g.a, g.b, g.c, m);
    },
  };
}
