/** The native bfloat16 GEMM (AMX, VDPBF16PS or widened to the float32 GEMM, chosen by the addon at load). */
import type { Kernels } from "../types";
import type { GemmBf16Args } from "../js/gemm-bf16";
import type { NativeAddon } from "./addon";
import type { FamilyContext } from "./crossover";
import { packGemmMeta } from "./gemm";

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
      packGemmMeta(g, m);
      addon.gemmBf16(g.a, g.b, g.c, m);
    },
  };
}
