/**
 * The losses beyond the basic six, composed from differentiable tensor ops with PyTorch 1.13's formulas
 * (values and gradients as PyTorch; gradFn names are those of the composing ops).
 */
import { Tensor } from "../../tensor";
import * as ops from "../../ops/index";
import { noGrad } from "../../autograd/grad-mode";
import { formatShape } from "../../shape";
import { warnOnce } from "../../warn";
import type { Reduction } from "./loss";
import { checkNnOptions } from "../options";

function checkReduction(r: string | undefined, allowed: readonly string[] = ["mean", "sum", "none"]): string {
  const v = r ?? "mean";
  if (!allowed.includes(v)) throw new Error(`${v} is not a valid value for reduction`);
  return v;
}

function reduce(x: Tensor, r: string): Tensor {
  return r === "mean" ? ops.mean(x) : r === "sum" ? ops.sum(x) : x;
}

function checkTensors(fn: string, args: Record<string, unknown>): void {
  for (const [name, v] of Object.entries(args)) {
    if (!(v instanceof Tensor)) throw new TypeError(`${fn}(): argument '${name}' must be Tensor, not ${v === null ? "NoneType" : typeof v}`);
  }
}

function checkSameSize(fn: string, input: Tensor, target: Tensor): void {
  if (input.shape.length !== target.shape.length || input.shape.some((d, i) => d !== target.shape[i])) {
    warnOnce(
      `Using a target size (torch.Size([${target.shape.join(", ")}])) that is different to the input size (torch.Size([${input.shape.join(", ")}])). This will likely lead to incorrect results due to broadcasting. Please ensure they have the same size.`,
    );
  }
  void fn;
}

export interface HuberOptions {
  reduction?: Reduction;
  delta?: number;
}

/** 0.5·d² where |d| < delta, else delta·(|d| − 0.5·delta) (torch.nn.functional.huber_loss). */
export function huberLoss(input: Tensor, target: Tensor, opts: HuberOptions = {}): Tensor {
  checkTensors("huber_loss", { input, target });
  checkNnOptions("huberLoss()", opts, { reduction: true, delta: true });
  const r = checkReduction(opts.reduction);
  const delta = opts.delta ?? 1.0;
  if (!(delta > 0)) throw new RangeError("huber_loss does not support non-positive values for delta.");
  checkSameSize("huber_loss", input, target);
  const d = ops.sub(input, target);
  const z = ops.abs(d);
  const small = ops.mul(ops.mul(d, d), 0.5);
  const large = ops.mul(ops.sub(z, 0.5 * delta), delta);
  return reduce(ops.where(ops.lt(z, delta), small, large), r);
}

export interface SmoothL1Options {
  reduction?: Reduction;
  beta?: number;
}

/** 0.5·d²/beta where |d| < beta, else |d| − 0.5·beta; beta = 0 is the L1 loss (torch.nn.functional.smooth_l1_loss). */
export function smoothL1Loss(input: Tensor, target: Tensor, opts: SmoothL1Options = {}): Tensor {
  checkTensors("smooth_l1_loss", { input, target });
  checkNnOptions("smoothL1Loss()", opts, { reduction: true, beta: true });
  const r = checkReduction(opts.reduction);
  const beta = opts.beta ?? 1.0;
  if (beta < 0) throw new RangeError("smooth_l1_loss does not support negative values for beta.");
  checkSameSize("smooth_l1_loss", input, target);
  const d = ops.sub(input, target);
  const z = ops.abs(d);
  if (beta === 0) return reduce(z, r);
  const small = ops.div(ops.mul(ops.mul(d, d), 0.5), beta);
  return reduce(ops.where(ops.lt(z, beta), small, ops.sub(z, 0.5 * beta)), r);
}

export interface KLDivOptions {
  reduction?: Reduction | "batchmean";
  logTarget?: boolean;
}

let klMeanWarned = false;

/** target·(log target − input), 0 where target is 0; with logTarget, exp(target)·(target − input) (torch.nn.functional.kl_div). */
export function klDiv(input: Tensor, target: Tensor, opts: KLDivOptions = {}): Tensor {
  checkTensors("kl_div", { input, target });
  checkNnOptions("klDiv()", opts, { reduction: true, logTarget: true });
  const r = checkReduction(opts.reduction, ["mean", "sum", "none", "batchmean"]);
  let pointwise: Tensor;
  if (opts.logTarget) {
    pointwise = ops.mul(ops.exp(target), ops.sub(target, input));
  } else {
    // xlogy(t, t): 0 where t is 0, as PyTorch.
    const xlogy = ops.where(ops.eq(target, 0), 0, ops.mul(target, ops.log(target)));
    pointwise = ops.sub(xlogy, ops.mul(target, input));
  }
  if (r === "mean" && !klMeanWarned) {
    klMeanWarned = true;
    process.emitWarning(
      "reduction: 'mean' divides the total loss by both the batch size and the support size.'batchmean' divides only by the batch size, and aligns with the KL div math definition.'mean' will be changed to behave the same as 'batchmean' in the next major release.",
      "UserWarning",
    );
  }
  if (r === "batchmean") return input.ndim === 0 ? ops.sum(pointwise) : ops.div(ops.sum(pointwise), input.shape[0]);
  return reduce(pointwise, r);
}

export interface MarginOptions {
  reduction?: Reduction;
  margin?: number;
}

/** cos(x1, x2) per row; 1 − cos for y = 1, max(0, cos − margin) for y = −1 (torch.nn.functional.cosine_embedding_loss). */
export function cosineEmbeddingLoss(x1: Tensor, x2: Tensor, target: Tensor, opts: MarginOptions = {}): Tensor {
  checkTensors("cosine_embedding_loss", { input1: x1, input2: x2, target });
  checkNnOptions("cosineEmbeddingLoss()", opts, { reduction: true, margin: true });
  const r = checkReduction(opts.reduction);
  const margin = opts.margin ?? 0;
  if (x1.ndim !== x2.ndim || x1.shape.some((d, i) => d !== x2.shape[i])) {
    throw new RangeError(`cosine_embedding_loss: input1 ${formatShape(x1.shape)} and input2 ${formatShape(x2.shape)} must have the same shape`);
  }
  const dim = x1.ndim - 1;
  const EPS = 1e-12;
  const prod = ops.sum(ops.mul(x1, x2), dim);
  const mag = ops.sqrt(ops.mul(ops.add(ops.sum(ops.mul(x1, x1), dim), EPS), ops.add(ops.sum(ops.mul(x2, x2), dim), EPS)));
  const cos = ops.div(prod, mag);
  const pos = ops.sub(1, cos);
  const neg = ops.clamp(ops.sub(cos, margin), 0);
  const loss = ops.add(ops.where(ops.eq(target, 1), pos, 0), ops.where(ops.eq(target, -1), neg, 0));
  return reduce(loss, r);
}

/** max(0, −y·(x1 − x2) + margin) (torch.nn.functional.margin_ranking_loss). */
export function marginRankingLoss(x1: Tensor, x2: Tensor, target: Tensor, opts: MarginOptions = {}): Tensor {
  checkTensors("margin_ranking_loss", { input1: x1, input2: x2, target });
  checkNnOptions("marginRankingLoss()", opts, { reduction: true, margin: true });
  const r = checkReduction(opts.reduction);
  if (x1.ndim !== x2.ndim || x1.ndim !== target.ndim) {
    throw new RangeError(
      `margin_ranking_loss : All input tensors should have same dimension but got sizes: input1: ${formatShape(x1.shape)}, input2: ${formatShape(x2.shape)}, target: ${formatShape(target.shape)} `,
    );
  }
  const loss = ops.clamp(ops.add(ops.mul(ops.neg(target), ops.sub(x1, x2)), opts.margin ?? 0), 0);
  return reduce(loss, r);
}

export interface TripletOptions {
  reduction?: Reduction;
  margin?: number;
  p?: number;
  eps?: number;
  swap?: boolean;
}

/** ‖a − b + eps‖_p over the last dim (torch.nn.functional.pairwise_distance). */
export function pairwiseDistance(a: Tensor, b: Tensor, p = 2, eps = 1e-6): Tensor {
  const d = ops.add(ops.sub(a, b), eps);
  const dim = Math.max(d.ndim - 1, 0);
  if (p === 2) return ops.sqrt(ops.sum(ops.mul(d, d), dim));
  if (p === 1) return ops.sum(ops.abs(d), dim);
  if (p === Infinity) return ops.max(ops.abs(d), dim).values;
  return ops.pow(ops.sum(ops.pow(ops.abs(d), p), dim), 1 / p);
}

/** max(d(a, p) − d(a, n) + margin, 0) (torch.nn.functional.triplet_margin_loss). */
export function tripletMarginLoss(anchor: Tensor, positive: Tensor, negative: Tensor, opts: TripletOptions = {}): Tensor {
  checkTensors("triplet_margin_loss", { anchor, positive, negative });
  checkNnOptions("tripletMarginLoss()", opts, { reduction: true, margin: true, p: true, eps: true, swap: true });
  const r = checkReduction(opts.reduction);
  const { margin = 1.0, p = 2, eps = 1e-6, swap = false } = opts;
  if (anchor.ndim !== positive.ndim || anchor.ndim !== negative.ndim) {
    throw new RangeError(
      `The anchor, positive, and negative tensors are expected to have the same number of dimensions, but got: anchor ${anchor.ndim}D, positive ${positive.ndim}D, and negative ${negative.ndim}D inputs`,
    );
  }
  const dPos = pairwiseDistance(anchor, positive, p, eps);
  let dNeg = pairwiseDistance(anchor, negative, p, eps);
  if (swap) dNeg = ops.minimum(dNeg, pairwiseDistance(positive, negative, p, eps));
  return reduce(ops.clamp(ops.add(ops.sub(dPos, dNeg), margin), 0), r);
}

export interface PoissonNLLOptions {
  reduction?: Reduction;
  logInput?: boolean;
  full?: boolean;
  eps?: number;
}

/** exp(x) − y·x with logInput, else x − y·log(x + eps); `full` adds Stirling's term where y > 1 (torch.nn.functional.poisson_nll_loss). */
export function poissonNllLoss(input: Tensor, target: Tensor, opts: PoissonNLLOptions = {}): Tensor {
  checkTensors("poisson_nll_loss", { input, target });
  checkNnOptions("poissonNllLoss()", opts, { reduction: true, logInput: true, full: true, eps: true });
  const r = checkReduction(opts.reduction);
  const { logInput = true, full = false, eps = 1e-8 } = opts;
  let loss = logInput ? ops.sub(ops.exp(input), ops.mul(target, input)) : ops.sub(input, ops.mul(target, ops.log(ops.add(input, eps))));
  if (full) {
    const stirling = ops.add(ops.sub(ops.mul(target, ops.log(target)), target), ops.mul(ops.log(ops.mul(target, 2 * Math.PI)), 0.5));
    loss = ops.add(loss, ops.where(ops.gt(target, 1), stirling, 0));
  }
  return reduce(loss, r);
}

export interface GaussianNLLOptions {
  reduction?: Reduction;
  full?: boolean;
  eps?: number;
}

/** 0.5·(log var + (x − y)²/var) (+ 0.5·log 2π when full); var clamped below by eps without blocking its gradient (torch.nn.functional.gaussian_nll_loss). */
export function gaussianNllLoss(input: Tensor, target: Tensor, variance: Tensor, opts: GaussianNLLOptions = {}): Tensor {
  checkTensors("gaussian_nll_loss", { input, target, var: variance });
  checkNnOptions("gaussianNllLoss()", opts, { reduction: true, full: true, eps: true });
  const r = checkReduction(opts.reduction);
  const { full = false, eps = 1e-6 } = opts;
  let v = variance;
  if (v.ndim !== input.ndim) {
    if (input.ndim - 1 === v.ndim && input.shape.slice(0, -1).every((d, i) => d === v.shape[i])) v = ops.unsqueeze(v, -1);
    else throw new RangeError("var is of incorrect size");
  } else if (!v.shape.every((d, i) => d === input.shape[i] || (i === v.ndim - 1 && d === 1))) {
    throw new RangeError("var is of incorrect size");
  }
  if (noGrad(() => ops.lt(v, 0).toArray().some((b) => b !== 0))) throw new RangeError("var has negative entry/entries");
  // PyTorch clamps a copy in place under no_grad: the value is floored, the gradient flows as through identity.
  const floor = noGrad(() => ops.sub(ops.clamp(v, eps), v));
  v = ops.add(v, floor);
  const d = ops.sub(input, target);
  let loss = ops.mul(ops.add(ops.log(v), ops.div(ops.mul(d, d), v)), 0.5);
  if (full) loss = ops.add(loss, 0.5 * Math.log(2 * Math.PI));
  return reduce(loss, r);
}

export interface MultiLabelSoftMarginOptions {
  reduction?: Reduction;
  weight?: Tensor | null;
}

/** log σ(x) computed stably: min(x, 0) − log(1 + e^{−|x|}). */
function logSigmoid(x: Tensor): Tensor {
  return ops.sub(ops.clamp(x, undefined, 0), ops.log(ops.add(ops.exp(ops.neg(ops.abs(x))), 1)));
}

/** −mean over classes of y·log σ(x) + (1 − y)·log σ(−x) (torch.nn.functional.multilabel_soft_margin_loss). */
export function multilabelSoftMarginLoss(input: Tensor, target: Tensor, opts: MultiLabelSoftMarginOptions = {}): Tensor {
  checkTensors("multilabel_soft_margin_loss", { input, target });
  checkNnOptions("multilabelSoftMarginLoss()", opts, { reduction: true, weight: true });
  const r = checkReduction(opts.reduction);
  let loss = ops.neg(ops.add(ops.mul(target, logSigmoid(input)), ops.mul(ops.sub(1, target), logSigmoid(ops.neg(input)))));
  if (opts.weight !== undefined && opts.weight !== null) loss = ops.mul(loss, opts.weight);
  const classDim = input.ndim - 1;
  loss = ops.div(ops.sum(loss, classDim), input.shape[classDim]);
  return reduce(loss, r);
}
