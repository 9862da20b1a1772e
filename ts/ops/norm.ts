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
