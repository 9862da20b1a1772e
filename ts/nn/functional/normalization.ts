import type { Tensor } from "../../tensor";
import { batchNorm as batchNormOp, groupNorm as groupNormOp, type BatchNormOptions } from "../../ops/norm";

import { checkNnOptions } from "../options";

export type { BatchNormOptions } from "../../ops/norm";

/** F.batch_norm(input, running_mean, running_var, weight, bias, { training, momentum, eps }). */
export function batchNorm(
  input: Tensor, runningMean: Tensor | null, runningVar: Tensor | null,
  weight: Tensor | null = null, bias: Tensor | null = null, opts: BatchNormOptions = {},
): Tensor {
  return batchNormOp(input, runningMean, runningVar, weight, bias, checkNnOptions("batchNorm()", opts, { training: true, momentum: true, eps: true }));
}

/** F.group_norm(input, num_groups, weight, bias, eps). */
export function groupNorm(input: Tensor, numGroups: number, weight: Tensor | null = null, bias: Tensor | null = null, eps = 1e-5): Tensor {
  return groupNormOp(input, numGroups, weight, bias, eps);
}
