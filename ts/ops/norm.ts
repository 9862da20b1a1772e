/**
 * torch.nn.functional.batch_norm and group_norm. batch_norm records one node (PyTorch's
 * NativeBatchNormBackward0); the running statistics are updated in place, outside the graph, as PyTorch does.
 * Float inputs run the fused kernels (statistics in one pass, normalize + affine in another; the backward's
 * sums in one pass, dx in another); the backward is written in tensor ops instead when a graph of it is being
 * built (createGraph), so higher derivatives are right, and for mixed dtypes.
 */
import type { Tensor } from "../tensor";
import { B } from "../backend/index";
import type { FloatArray } from "../backend/types";
import { gradMode } from "../autograd/grad-mode";
import { emptyTensor, record } from "./core";
import { noGrad } from "../autograd/grad-mode";
import { add, mul, sub } from "./arithmetic";
import { dense } from "./conv";
import { bump, checkInplaceTarget, copy_ } from "./inplace";
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
  const bn: BnArgs = {
    input, runningMean, runningVar, weight, bias, momentum, eps, c, perChannel,
    dims: [0, ...Array.from({ length: input.ndim - 2 }, (_, i) => i + 2)],
    bshape: [1, c, ...new Array<number>(input.ndim - 2).fill(1)],
    useBatch: training || runningMean === null || runningVar === null,
    training,
  };
  const fused = (input.dtype === "float32" || input.dtype === "float64") &&
    [runningMean, runningVar, weight, bias].every((t) => t === null || t.dtype === input.dtype);
  return fused ? fusedBatchNorm(bn) : composedBatchNorm(bn);
}

interface BnArgs {
  input: Tensor;
  runningMean: Tensor | null;
  runningVar: Tensor | null;
  weight: Tensor | null;
  bias: Tensor | null;
  momentum: number;
  eps: number;
  c: number;
  perChannel: number;
  /** The reduced dims (all but 1) and the per-channel broadcast shape [1, c, 1, ...]. */
  dims: number[];
  bshape: number[];
  /** Normalize with this batch's statistics (training, or no running statistics). */
  useBatch: boolean;
  training: boolean;
}

/** A [c] tensor of `dtype` holding values[from, from + c), written by a kernel (so compile replays it). */
function channelTensor(values: Float64Array, from: number, c: number, dtype: Tensor["dtype"]): Tensor {
  const t = emptyTensor([c], dtype);
  B.channelsToView(values, from, t._kv());
  return t;
}

/** running ← momentum·batch + (1 − momentum)·running, the variance unbiased (PyTorch), computed in double. */
function updateRunningStats(bn: BnArgs, stats: Float64Array): void {
  const rm = bn.runningMean!, rv = bn.runningVar!;
  noGrad(() => {
    checkInplaceTarget(rm);
    checkInplaceTarget(rv);
  });
  B.batchNormUpdateRunning(stats, bn.c, bn.momentum, bn.perChannel / (bn.perChannel - 1), rm._kv(), rv._kv());
  bump(rm);
  bump(rv);
}

function fusedBatchNorm(bn: BnArgs): Tensor {
  const { input, weight, bias, c, eps } = bn;
  const n = input.shape[0];
  const hw = input.shape.slice(2).reduce((a, b) => a * b, 1);
  const xc = dense(input);
  const xd = xc._data as FloatArray;
  // [mean | var] of this batch or the running ones (a snapshot: they move in place).
  const stats = new Float64Array(2 * c);
  if (bn.useBatch) B.batchNormStats(xd, xc.offset, n, c, hw, stats);
  else B.batchNormLoadStats(bn.runningMean!._kv(), bn.runningVar!._kv(), c, stats);
  // params = [mean | invstd | weight] for the backward; coef = [scale | shift] for y = x·scale + shift.
  const params = new Float64Array(3 * c);
  const coef = new Float64Array(2 * c);
  B.batchNormCoefficients(stats, weight === null ? null : weight._kv(), bias === null ? null : bias._kv(), c, eps, params, coef);
  const y = emptyTensor(input.shape, input.dtype);
  B.batchNormApply(xd, xc.offset, n, c, hw, coef, y._data as FloatArray);
  if (bn.training && bn.runningMean !== null && bn.runningVar !== null) updateRunningStats(bn, stats);
  return recordBackward(bn, y, (g, xs) => {
    const gc = dense(g);
    const xsc = dense(xs);
    const dx = input._requiresGrad ? emptyTensor(input.shape, input.dtype) : null;
    const dparams = new Float64Array(2 * c);
    B.batchNormBackward(gc._data as FloatArray, gc.offset, xsc._data as FloatArray, xsc.offset, n, c, hw, params, bn.useBatch, dx === null ? null : (dx._data as FloatArray), dparams);
    const grads: (Tensor | null)[] = [dx];
    if (weight !== null) grads.push(weight._requiresGrad ? reshape(channelTensor(dparams, 0, c, weight.dtype), weight.shape) : null);
    if (bias !== null) grads.push(bias._requiresGrad ? reshape(channelTensor(dparams, c, c, bias.dtype), bias.shape) : null);
    return grads;
  }, bn.useBatch ? null : stats);
}

/** The forward in tensor ops, for inputs the kernels do not take (mixed dtypes). */
function composedBatchNorm(bn: BnArgs): Tensor {
  const { input, runningMean, runningVar, weight, bias, dims, bshape, eps, c, perChannel, momentum } = bn;
  const { y, mu, v } = noGrad(() => {
    let mu: Tensor;
    let v: Tensor;
    if (bn.useBatch) {
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
  if (bn.training && runningMean !== null && runningVar !== null) {
    noGrad(() => {
      const unbiased = mul(reshape(v, [c]), perChannel / (perChannel - 1));
      copy_(runningMean, add(mul(reshape(mu, [c]), momentum), mul(runningMean, 1 - momentum)));
      copy_(runningVar, add(mul(unbiased, momentum), mul(runningVar, 1 - momentum)));
    });
  }
  const frozen = bn.useBatch ? null : noGrad(() => [clone(mu), clone(v)] as const);
  return recordBackward(bn, y, null, frozen);
}

/**
 * Records NativeBatchNormBackward0 on y when a gradient is wanted. Its backward runs `fast` (the kernel) unless
 * a graph of the backward is being built or there is no kernel path; then it recomputes the statistics from
 * the saved input in tensor ops (eval mode: the running statistics of the forward, `frozen`).
 */
function recordBackward(
  bn: BnArgs, y: Tensor,
  fast: ((g: Tensor, xs: Tensor) => (Tensor | null)[]) | null,
  frozen: Float64Array | readonly [Tensor, Tensor] | null,
): Tensor {
  const { input, weight, bias, dims, bshape, eps, c } = bn;
  const rx = input._requiresGrad;
  const rw = weight !== null && weight._requiresGrad;
  const rb = bias !== null && bias._requiresGrad;
  if (!gradMode.enabled || !(rx || rw || rb)) return y;
  const inputs = [input];
  if (weight !== null) inputs.push(weight);
  if (bias !== null) inputs.push(bias);
  const saved = weight !== null ? [input, weight] : [input];
  record("NativeBatchNormBackward0", inputs, y, saved, (g, [xs, ws]) => {
    if (fast !== null && !gradMode.enabled) return fast(g, xs);
    let stats: readonly [Tensor, Tensor] | null = null;
    if (frozen instanceof Float64Array) {
      stats = [reshape(channelTensor(frozen, 0, c, input.dtype), bshape), reshape(channelTensor(frozen, c, c, input.dtype), bshape)];
    } else stats = frozen;
    const m = stats === null ? mean(xs, dims, true) : stats[0];
    const xc = sub(xs, m);
    const invstd = rsqrt(add(stats === null ? mean(mul(xc, xc), dims, true) : stats[1], eps));
    const xhat = mul(xc, invstd);
    const gxhat = weight !== null ? mul(g, reshape(ws, bshape)) : g;
    let gx: Tensor | null = null;
    if (rx) {
      gx = stats === null
        ? mul(invstd, sub(sub(gxhat, mean(gxhat, dims, true)), mul(xhat, mean(mul(gxhat, xhat), dims, true))))
        : mul(gxhat, invstd);
    }
    const grads: (Tensor | null)[] = [gx];
    if (weight !== null) grads.push(rw ? reshape(sum(mul(g, xhat), dims), weight.shape) : null);
    if (bias !== null) grads.push(rb ? reshape(sum(g, dims), bias.shape) : null);
    return grads;
  }, { training: bn.useBatch, momentum: bn.momentum, eps });
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
