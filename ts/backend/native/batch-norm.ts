/**
 * The batch-norm kernels on the native addon (float32/float64, threaded over channels); the TypeScript
 * kernels take what the addon lacks (an older addon, mixed array kinds) and, with the crossover, inputs below
 * BATCH_NORM_CROSSOVER elements. Both give the same bits (same sums in the same order).
 */
import type { FloatArray, Kernels } from "../types";
import type { NativeAddon } from "./addon";

/** Elements below which the TypeScript kernel beats the N-API call. */
export const BATCH_NORM_CROSSOVER = 256;

type BatchNormKernels = Pick<Kernels, "batchNormStats" | "batchNormApply" | "batchNormBackward">;

const sameKind = (a: FloatArray, b: FloatArray): boolean => (a instanceof Float32Array) === (b instanceof Float32Array);

export function makeNativeBatchNormKernels(addon: NativeAddon, fallback: BatchNormKernels, useCrossover: boolean): BatchNormKernels {
  const statsN = addon.batchNormStats;
  const applyN = addon.batchNormApply;
  const backwardN = addon.batchNormBackward;
  if (typeof statsN !== "function" || typeof applyN !== "function" || typeof backwardN !== "function") return fallback;
  const meta4 = new Float64Array(4);
  const meta6 = new Float64Array(6);
  const small = (n: number, c: number, hw: number): boolean => useCrossover && n * c * hw < BATCH_NORM_CROSSOVER;
  const pack4 = (xOffset: number, n: number, c: number, hw: number): Float64Array => {
    meta4[0] = xOffset; meta4[1] = n; meta4[2] = c; meta4[3] = hw;
    return meta4;
  };
  return {
    batchNormStats(x, xOffset, n, c, hw, stats) {
      if (small(n, c, hw)) return fallback.batchNormStats(x, xOffset, n, c, hw, stats);
      statsN.call(addon, x, pack4(xOffset, n, c, hw), stats);
    },
    batchNormApply(x, xOffset, n, c, hw, coef, out) {
      if (!sameKind(x, out) || small(n, c, hw)) return fallback.batchNormApply(x, xOffset, n, c, hw, coef, out);
      applyN.call(addon, x, pack4(xOffset, n, c, hw), coef, out);
    },
    batchNormBackward(g, gOffset, x, xOffset, n, c, hw, params, training, dx, dparams) {
      if (!sameKind(x, g) || (dx !== null && !sameKind(x, dx)) || small(n, c, hw)) {
        return fallback.batchNormBackward(g, gOffset, x, xOffset, n, c, hw, params, training, dx, dparams);
      }
      meta6[0] = gOffset; meta6[1] = xOffset; meta6[2] = n; meta6[3] = c; meta6[4] = hw; meta6[5] = training ? 1 : 0;
      backwardN.call(addon, g, x, meta6, params, dx, dparams);
    },
  };
}
