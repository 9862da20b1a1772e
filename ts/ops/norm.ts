/**
 * torch.nn.functional.batch_norm and group_norm. batch_norm records one node whose backward is written in
 * tensor ops; the running statistics are updated in place, outside the graph, as PyTorch does.
 */
import type { Tensor } from "../tensor";
import { gradMode } from "../autograd/grad-mode";
import { record } from "./core";
import { noGrad } from "../autograd/grad-mode";
import { add, mul, sub } from "./arithmetic";
import { copy_ } from "./inplace";
import { rsqrt } from "./math";
import { mean, sum, variance } from "./reduce";
import { clone, reshape } from "./views";

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
  const useBatch = training || runningMean === null || runningVar === null;
  // The forward runs outside the graph; one node (PyTorch's NativeBatchNormBackward0) carries the backward,
  // which recomputes the statistics from the saved input in tensor ops, so higher derivatives are right too.
  const { y, mu, v } = noGrad(() => {
    let mu: Tensor;
    let v: Tensor;
    if (useBatch) {
      mu = mean(input, dims, true);
      v = variance(input, dims, true, 0);
    } else {
      mu = reshape(runningMean!, bshape);
      v = reshape(runningVar!, bshape);
    }
    let y = mul(sub(input, mu), rsqrt(add(v, eps)));
    if (weight !== null) y = mul(y, reshape(weight, bshape));
    if (bias !== null) y = add(y, reshape(bias, bshape));
    return { y, mu, v };
  });
  if (training && runningMean !== null && runningVar !== null) {
    noGrad(() => {
      const unbiased = mul(reshape(v, [c]), perChannel / (perChannel - 1));
      copy_(runningMean, add(mul(reshape(mu, [c]), momentum), mul(runningMean, 1 - momentum)));
      copy_(runningVar, add(mul(unbiased, momentum), mul(runningVar, 1 - momentum)));
    });
  }
  const rx = input._requiresGrad;
  const rw = weight !== null && weight._requiresGrad;
  const rb = bias !== null && bias._requiresGrad;
  if (gradMode.enabled && (rx || rw || rb)) {
    // Eval mode normalizes with the running statistics as they are now: keep a copy (they move in place).
    const frozen = useBatch ? null : noGrad(() => [clone(mu), clone(v)]);
    const inputs = [input];
    if (weight !== null) inputs.push(weight);
    if (bias !== null) inputs.push(bias);
    const saved = weight !== null ? [input, weight] : [input];
    record("NativeBatchNormBackward0", inputs, y, saved, (g, [xs, ws]) => {
      const m = frozen === null ? mean(xs, dims, true) : frozen[0];
      const xc = sub(xs, m);
      const invstd = rsqrt(add(frozen === null ? mean(mul(xc, xc), dims, true) : frozen[1], eps));
      const xhat = mul(xc, invstd);
      const gxhat = weight !== null ? mul(g, reshape(ws, bshape)) : g;
      let gx: Tensor | null = null;
      if (rx) {
        gx = frozen === null
          ? mul(invstd, sub(sub(gxhat, mean(gxhat, dims, true)), mul(xhat, mean(mul(gxhat, xhat), dims, true))))
          : mul(gxhat, invstd);
      }
      const grads: (Tensor | null)[] = [gx];
      if (weight !== null) grads.push(rw ? reshape(sum(mul(g, xhat), dims), weight.shape) : null);
      if (bias !== null) grads.push(rb ? reshape(sum(g, dims), bias.shape) : null);
      return grads;
    }, { training: useBatch, momentum, eps });
  }
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
