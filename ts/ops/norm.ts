/**
 * torch.nn.functional.batch_norm, composed of tensor ops (so every derivative order is right); the
 * running statistics are updated in place, outside the graph, as PyTorch does.
 */
import type { Tensor } from "../tensor";
import { noGrad } from "../autograd/grad-mode";
import { add, mul, sub } from "./arithmetic";
import { copy_ } from "./inplace";
import { rsqrt } from "./math";
import { mean, variance } from "./reduce";
import { reshape } from "./views";

export interface BatchNormOptions {
  training?: boolean;
  momentum?: number;
  eps?: number;
}

/** PyTorch's "torch.Size([1, 3])". */
function torchSize(shape: readonly number[]): string {
  return `torch.Size([${shape.join(", ")}])`;
}

export function batchNorm(
  input: Tensor,
  runningMean: Tensor | null,
  runningVar: Tensor | null,
  weight: Tensor | null = null,
  bias: Tensor | null = null,
  opts: BatchNormOptions = {},
): Tensor {
  const training = opts.training ?? false;
  const momentum = opts.momentum ?? 0.1;
  const eps = opts.eps ?? 1e-5;
  if (input.ndim < 2) throw new RangeError(`batch_norm(): expected at least 2D input (got ${input.ndim}D input)`);
  const c = input.shape[1];
  const perChannel = input.numel() / Math.max(c, 1);
  if (training && perChannel <= 1) {
    throw new RangeError(`Expected more than 1 value per channel when training, got input size ${torchSize(input.shape)}`);
  }
  for (const [name, t] of [["running_mean", runningMean], ["running_var", runningVar], ["weight", weight], ["bias", bias]] as const) {
    if (t !== null && t.numel() !== c) throw new RangeError(`${name} should contain ${c} elements not ${t.numel()}`);
  }
  const dims = [0, ...Array.from({ length: input.ndim - 2 }, (_, i) => i + 2)];
  const bshape = [1, c, ...new Array<number>(input.ndim - 2).fill(1)];
  let y: Tensor;
  if (training || runningMean === null || runningVar === null) {
    const mu = mean(input, dims, true);
    const v = variance(input, dims, true, 0);
    y = mul(sub(input, mu), rsqrt(add(v, eps)));
    if (training && runningMean !== null && runningVar !== null) {
      noGrad(() => {
        const m = reshape(mu, [c]).detach();
        const unbiased = mul(reshape(v, [c]).detach(), perChannel / (perChannel - 1));
        copy_(runningMean, add(mul(m, momentum), mul(runningMean, 1 - momentum)));
        copy_(runningVar, add(mul(unbiased, momentum), mul(runningVar, 1 - momentum)));
      });
    }
  } else {
    y = mul(sub(input, reshape(runningMean, bshape)), rsqrt(add(reshape(runningVar, bshape), eps)));
  }
  if (weight !== null) y = mul(y, reshape(weight, bshape));
  if (bias !== null) y = add(y, reshape(bias, bshape));
  return y;
}

/** torch.nn.functional.group_norm: statistics over each group of channels (and all positions) per sample. */
export function groupNorm(input: Tensor, numGroups: number, weight: Tensor | null = null, bias: Tensor | null = null, eps = 1e-5): Tensor {
  if (input.ndim < 2) throw new RangeError(`group_norm(): expected at least 2D input (got ${input.ndim}D input)`);
  const [n, c] = input.shape;
  if (!Number.isInteger(numGroups) || numGroups <= 0 || c % numGroups !== 0) {
    throw new RangeError(
      `Expected number of channels in input to be divisible by num_groups, but got input of shape [${input.shape.join(", ")}] and num_groups=${numGroups}`,
    );
  }
  for (const [name, t] of [["weight", weight], ["bias", bias]] as const) {
    if (t !== null && t.numel() !== c) {
      throw new RangeError(`Expected ${name} to be a vector of size equal to the number of channels in input, but got ${name} of shape [${t.shape.join(", ")}] and input of shape [${input.shape.join(", ")}]`);
    }
  }
  const xr = reshape(input, [n, numGroups, -1]);
  const mu = mean(xr, 2, true);
  const v = variance(xr, 2, true, 0);
  let y = reshape(mul(sub(xr, mu), rsqrt(add(v, eps))), input.shape);
  const bshape = [1, c, ...new Array<number>(input.ndim - 2).fill(1)];
  if (weight !== null) y = mul(y, reshape(weight, bshape));
  if (bias !== null) y = add(y, reshape(bias, bshape));
  return y;
}
