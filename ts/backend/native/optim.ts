/** Native fused optimizer updates (bit-identical to the TypeScript ones); small parameters update in TypeScript. */
import type { AdamArgs, FloatArray, Kernels, SgdArgs } from "../types";
import type { NativeAddon } from "./addon";
import type { FamilyContext } from "./crossover";

export function nativeOptim(ctx: FamilyContext<NativeAddon>): Pick<Kernels, "sgdStep" | "adamStep"> {
  const { addon, js } = ctx;
  const c = ctx.crossover;
  const m = new Float64Array(9);
  return {
    sgdStep(param: FloatArray, grad: FloatArray, momentumBuf: FloatArray | null, args: SgdArgs): void {
      if (c !== null && param.length < c.optim) {
        js.sgdStep(param, grad, momentumBuf, args);
        return;
      }
      m[0] = args.lr;
      m[1] = args.momentum;
      m[2] = args.dampening;
      m[3] = args.weightDecay;
      m[4] = args.nesterov ? 1 : 0;
      m[5] = args.maximize ? 1 : 0;
      m[6] = args.firstStep ? 1 : 0;
      addon.sgdStep(param, grad, momentumBuf, m);
    },

    adamStep(
      param: FloatArray,
      grad: FloatArray,
      expAvg: FloatArray,
      expAvgSq: FloatArray,
      maxExpAvgSq: FloatArray | null,
      args: AdamArgs,
    ): void {
      if (c !== null && param.length < c.optim) {
        js.adamStep(param, grad, expAvg, expAvgSq, maxExpAvgSq, args);
        return;
      }
      m[0] = args.lr;
      m[1] = args.beta1;
      m[2] = args.beta2;
      m[3] = args.eps;
      m[4] = args.weightDecay;
      m[5] = args.decoupled ? 1 : 0;
      m[6] = args.amsgrad ? 1 : 0;
      m[7] = args.maximize ? 1 : 0;
      m[8] = args.step;
      addon.adamStep(param, grad, expAvg, expAvgSq, maxExpAvgSq, m);
    },
  };
}
