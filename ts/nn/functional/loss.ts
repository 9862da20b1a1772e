import { Tensor } from "../../tensor";
import * as ops from "../../ops/index";
import { record, needsGrad2, emptyTensor, zerosTensor } from "../../ops/core";
import { noGrad } from "../../autograd/grad-mode";
import { broadcastShapes, formatShape, sameShape } from "../../shape";
import { optTensorArg, optionsArg, tensorArg } from "../../ops/args";
import { warnOnce } from "../../warn";
import { checkNnOptions } from "../options";

export type Reduction = "mean" | "sum" | "none";

export interface LossOptions {
  reduction?: Reduction;
}

function checkReduction(r: string): Reduction {
  if (r !== "mean" && r !== "sum" && r !== "none") throw new Error(`${r} is not a valid value for reduction`);
  return r;
}

function reduce(x: Tensor, r: Reduction): Tensor {
  return r === "mean" ? ops.mean(x) : r === "sum" ? ops.sum(x) : x;
}

const size = (s: readonly number[]) => `torch.Size([${s.join(", ")}])`;

/** A loss's (input, target, options) checked as PyTorch's argument parser would, unknown option keys refused. */
function lossArgs<O extends object>(fn: string, input: unknown, target: unknown, opts: unknown, accepted: Record<keyof O, true>): O {
  tensorArg(input, fn, "input", 1);
  tensorArg(target, fn, "target", 2);
  return checkNnOptions<O>(`${fn}()`, optionsArg<O>(opts, fn, "options", 3), accepted);
}

function warnBroadcast(input: Tensor, target: Tensor): void {
  if (!sameShape(input.shape, target.shape)) {
    warnOnce(
      `Using a target size (${size(target.shape)}) that is different to the input size (${size(input.shape)}). This will likely lead to incorrect results due to broadcasting. Please ensure they have the same size.`,
    );
  }
}

function expandBoth(input: Tensor, target: Tensor): [Tensor, Tensor] {
  if (sameShape(input.shape, target.shape)) return [input, target];
  const shape = broadcastShapes(input.shape, target.shape);
  return [ops.expand(input, shape), ops.expand(target, shape)];
}

/** Mean squared error; one MseLossBackward0 node, grad = 2·(x − y)·g (/ numel for mean), as PyTorch. */
export function mseLoss(input: Tensor, target: Tensor, opts?: LossOptions): Tensor {
  opts = lossArgs<LossOptions>("mseLoss", input, target, opts, { reduction: true });
  const reduction = checkReduction(opts.reduction ?? "mean");
  warnBroadcast(input, target);
  const [x, y] = expandBoth(input, target);
  const out = noGrad(() => reduce(ops.square(ops.sub(x, y)), reduction));
  if (needsGrad2(input, target)) {
    const n = x.numel();
    const rx = input.requiresGrad;
    const ry = target.requiresGrad;
    record("MseLossBackward0", [input, target], out, [x, y], (g, [xs, ys]) => {
      const gi = ops.mul(ops.mul(ops.sub(xs, ys), reduction === "mean" ? 2 / n : 2), g);
      return [rx ? ops.sumToShape(gi, input.shape) : null, ry ? ops.sumToShape(ops.neg(gi), target.shape) : null];
    });
  }
  return out;
}

/** Mean absolute error, composed as PyTorch 1.13 does (AbsBackward0 then Mean/SumBackward0). */
export function l1Loss(input: Tensor, target: Tensor, opts?: LossOptions): Tensor {
  opts = lossArgs<LossOptions>("l1Loss", input, target, opts, { reduction: true });
  const reduction = checkReduction(opts.reduction ?? "mean");
  warnBroadcast(input, target);
  return reduce(ops.abs(ops.sub(input, target)), reduction);
}

export interface BCEOptions extends LossOptions {
  weight?: Tensor | null;
}

/** Binary cross entropy on probabilities; logs are clamped at −100 as PyTorch does. */
export function binaryCrossEntropy(input: Tensor, target: Tensor, opts?: BCEOptions): Tensor {
  opts = lossArgs<BCEOptions>("binaryCrossEntropy", input, target, opts, { reduction: true, weight: true });
  optTensorArg(opts.weight, "binaryCrossEntropy", "weight", 3);
  const reduction = checkReduction(opts.reduction ?? "mean");
  if (!sameShape(input.shape, target.shape)) {
    throw new RangeError(
      `Using a target size (${size(target.shape)}) that is different to the input size (${size(input.shape)}) is deprecated. Please ensure they have the same size.`,
    );
  }
  const weight = opts.weight ?? null;
  const out = noGrad(() => {
    const xs = input.toArray();
    for (let i = 0; i < xs.length; i++) {
      if (!(xs[i] >= 0 && xs[i] <= 1)) throw new RangeError("all elements of input should be between 0 and 1");
    }
    const lx = ops.clamp(ops.log(input), -100);
    const l1x = ops.clamp(ops.log(ops.sub(1, input)), -100);
    let l = ops.sub(ops.mul(ops.sub(target, 1), l1x), ops.mul(target, lx));
    if (weight !== null) l = ops.mul(l, weight);
    return reduce(l, reduction);
  });
  if (needsGrad2(input, target)) {
    if (target.requiresGrad) throw new Error("the derivative for 'target' is not implemented");
    const n = input.numel();
    record("BinaryCrossEntropyBackward0", [input, target], out, [input, target], (g, [x, y]) => {
      let gi = ops.div(ops.mul(g, ops.sub(x, y)), ops.clamp(ops.mul(ops.sub(1, x), x), 1e-12));
      if (weight !== null) gi = ops.mul(gi, weight);
      if (reduction === "mean") gi = ops.div(gi, n);
      return [gi, null];
    });
  }
  return out;
}

export interface BCEWithLogitsOptions extends BCEOptions {
  posWeight?: Tensor | null;
}

/** Binary cross entropy on logits, in PyTorch's numerically stable form. */
export function binaryCrossEntropyWithLogits(input: Tensor, target: Tensor, opts?: BCEWithLogitsOptions): Tensor {
  opts = lossArgs<BCEWithLogitsOptions>("binaryCrossEntropyWithLogits", input, target, opts, { reduction: true, weight: true, posWeight: true });
  optTensorArg(opts.weight, "binaryCrossEntropyWithLogits", "weight", 3);
  optTensorArg(opts.posWeight, "binaryCrossEntropyWithLogits", "pos_weight", 3);
  const reduction = checkReduction(opts.reduction ?? "mean");
  if (!sameShape(input.shape, target.shape)) {
    throw new RangeError(`Target size (${size(target.shape)}) must be the same as input size (${size(input.shape)})`);
  }
  const weight = opts.weight ?? null;
  const posWeight = opts.posWeight ?? null;
  const out = noGrad(() => {
    const maxVal = ops.clamp(ops.neg(input), 0);
    let l: Tensor;
    if (posWeight !== null) {
      const logWeight = ops.add(ops.mul(ops.sub(posWeight, 1), target), 1);
      const lse = ops.add(ops.log(ops.add(ops.exp(ops.neg(maxVal)), ops.exp(ops.sub(ops.neg(input), maxVal)))), maxVal);
      l = ops.add(ops.mul(ops.sub(1, target), input), ops.mul(logWeight, lse));
    } else {
      l = ops.add(
        ops.add(ops.mul(ops.sub(1, target), input), maxVal),
        ops.log(ops.add(ops.exp(ops.neg(maxVal)), ops.exp(ops.sub(ops.neg(input), maxVal)))),
      );
    }
    if (weight !== null) l = ops.mul(l, weight);
    return reduce(l, reduction);
  });
  if (needsGrad2(input, target)) {
    const n = input.numel();
    const rx = input.requiresGrad;
    const ry = target.requiresGrad;
    record("BinaryCrossEntropyWithLogitsBackward0", [input, target], out, [input, target], (g, [x, y]) => {
      let gi: Tensor | null = null;
      let gt: Tensor | null = null;
      if (rx) {
        if (posWeight !== null) {
          const t = ops.mul(posWeight, y);
          gi = ops.mul(ops.sub(ops.mul(ops.add(t, ops.sub(1, y)), ops.sigmoid(x)), t), g);
        } else gi = ops.mul(ops.sub(ops.sigmoid(x), y), g);
        if (weight !== null) gi = ops.mul(gi, weight);
        if (reduction === "mean") gi = ops.div(gi, n);
      }
      if (ry) {
        // d/dy of −(pw·y·log σ(x) + (1 − y)·log(1 − σ(x))); without pos_weight this is −x.
        gt = posWeight !== null
          ? ops.mul(ops.sub(ops.log(ops.sub(1, ops.sigmoid(x))), ops.mul(posWeight, ops.log(ops.sigmoid(x)))), g)
          : ops.mul(ops.neg(x), g);
        if (weight !== null) gt = ops.mul(gt, weight);
        if (reduction === "mean") gt = ops.div(gt, n);
      }
      return [gi, gt];
    });
  }
  return out;
}

export interface NLLOptions extends LossOptions {
  /** A manual rescaling weight for each class (1-D, one entry per class). */
  weight?: Tensor | null;
  ignoreIndex?: number;
}

/** The class index of each sample as integers, checked against the number of classes. */
function classIndices(target: Tensor, nClasses: number, ignoreIndex: number): Int32Array {
  if (target.dtype === "bool") throw new TypeError("expected scalar type Long but found Bool");
  const raw = target.toArray();
  const out = new Int32Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const t = raw[i];
    if (!Number.isInteger(t)) throw new TypeError(`expected integer class indices in target, got ${t}`);
    if (t !== ignoreIndex && (t < 0 || t >= nClasses)) throw new RangeError(`Target ${t} is out of bounds.`);
    out[i] = t;
  }
  return out;
}

/** The class weights as numbers (null: all 1), checked to give one weight per class as PyTorch does. */
function classWeights(weight: Tensor | null | undefined, nClasses: number, fn: string): ArrayLike<number> | null {
  if (weight === undefined || weight === null) return null;
  tensorArg(weight, fn, "weight", 3);
  if (weight.ndim !== 1 || weight.shape[0] !== nClasses) {
    throw new RangeError(
      `weight tensor should be defined either for all ${nClasses} classes or no classes but got weight tensor of shape: ${formatShape(weight.shape)}`,
    );
  }
  return weight.toArray();
}

/** PyTorch 1.13's shape checks of nll_loss_nd (and of nll_loss / nll_loss2d below it). */
function checkNllShapes(input: Tensor, target: Tensor): void {
  if (input.ndim < 1) throw new RangeError(`Expected 1 or more dimensions (got ${input.ndim})`);
  const targetBatch = target.ndim === 0 ? 1 : target.shape[0];
  if (input.ndim !== 1 && input.shape[0] !== targetBatch) {
    throw new RangeError(`Expected input batch_size (${input.shape[0]}) to match target batch_size (${targetBatch}).`);
  }
  if (input.ndim <= 2) {
    if (input.ndim === 2 ? target.ndim !== 1 : target.ndim !== 0) throw new RangeError("0D or 1D target tensor expected, multi-target not supported");
    return;
  }
  if (input.ndim === 4) {
    if (target.ndim !== 3) throw new RangeError(`only batches of spatial targets supported (3D tensors) but got targets of dimension: ${target.ndim}`);
    if (target.shape[1] !== input.shape[2] || target.shape[2] !== input.shape[3]) {
      throw new RangeError(`size mismatch (got input: ${formatShape(input.shape)} , target: ${formatShape(target.shape)}`);
    }
    return;
  }
  const spatial = input.shape.slice(2);
  if (!sameShape(target.shape.slice(1), spatial)) {
    throw new RangeError(`Expected target size ${formatShape([input.shape[0], ...spatial])}, got ${formatShape(target.shape)}`);
  }
}

/**
 * Negative log likelihood over class indices: input [N, C] (or [C]) log-probabilities, target [N] (or []);
 * or input [N, C, d1, ...] with target [N, d1, ...], the loss taken at every position.
 * With class weights each sample's loss is scaled by its class's weight, and the mean divides by the sum
 * of the weights of the (non-ignored) targets, as PyTorch's nll_loss does.
 */
export function nllLoss(input: Tensor, target: Tensor, opts?: NLLOptions): Tensor {
  opts = lossArgs<NLLOptions>("nllLoss", input, target, opts, { reduction: true, weight: true, ignoreIndex: true });
  const reduction = checkReduction(opts.reduction ?? "mean");
  const ignoreIndex = opts.ignoreIndex ?? -100;
  checkNllShapes(input, target);
  const batched = input.ndim >= 2;
  const n = batched ? input.shape[0] : 1;
  const c = input.shape[batched ? 1 : 0];
  // Positions per sample (the product of d1, ...); each sample is a [C, L] block of the contiguous input.
  const l = input.ndim > 2 ? input.shape.slice(2).reduce((a, b) => a * b, 1) : 1;
  const w = classWeights(opts.weight, c, "nllLoss");
  const idx = classIndices(target, c, ignoreIndex);
  const x = input.contiguous().toArray();
  const lossShape = batched ? [n, ...input.shape.slice(2)] : [];
  const losses = zerosTensor(lossShape, input.dtype);
  let totalWeight = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < l; p++) {
      const k = i * l + p;
      if (idx[k] === ignoreIndex) continue;
      const wi = w === null ? 1 : w[idx[k]];
      totalWeight += wi;
      const v = -wi * x[(i * c + idx[k]) * l + p];
      losses._data[k] = v;
      total += v;
    }
  }
  let out: Tensor;
  if (reduction === "none") out = losses;
  else {
    out = emptyTensor([], input.dtype);
    out._data[0] = reduction === "sum" ? total : total / totalWeight;
  }
  if (needsGrad2(input, target)) {
    const mask = zerosTensor(input.shape, input.dtype);
    for (let i = 0; i < n; i++) {
      for (let p = 0; p < l; p++) {
        const k = i * l + p;
        if (idx[k] !== ignoreIndex) mask._data[(i * c + idx[k]) * l + p] = w === null ? -1 : -w[idx[k]];
      }
    }
    const name = input.ndim <= 2 ? "NllLossBackward0" : "NllLoss2DBackward0";
    record(name, [input, target], out, [], (g) => {
      let gg = reduction === "none" && batched ? ops.unsqueeze(g, 1) : g;
      if (reduction === "mean") gg = ops.div(gg, totalWeight);
      return [ops.mul(mask, gg), null];
    });
  }
  return out;
}

export interface CrossEntropyOptions extends NLLOptions {
  labelSmoothing?: number;
}

/**
 * Cross entropy = nllLoss(logSoftmax(input, 1)) for class-index targets; for class-probability targets
 * (a float target of the input's shape) −Σ weight·target·logSoftmax(input), as PyTorch composes it.
 */
export function crossEntropy(input: Tensor, target: Tensor, opts?: CrossEntropyOptions): Tensor {
  opts = lossArgs<CrossEntropyOptions>("crossEntropy", input, target, opts, { reduction: true, weight: true, ignoreIndex: true, labelSmoothing: true });
  const reduction = checkReduction(opts.reduction ?? "mean");
  const classDim = input.ndim === 1 ? 0 : 1;
  const ls = opts.labelSmoothing ?? 0;
  if (typeof ls !== "number" || !(ls >= 0 && ls <= 1)) throw new RangeError(`label_smoothing must be between 0.0 and 1.0. Got: ${ls}`);
  const nClasses = input.shape[classDim];
  const weight = opts.weight ?? null;
  classWeights(weight, nClasses, "crossEntropy");
  const logp = ops.logSoftmax(input, classDim);
  // The weights along the class dim, broadcast against (C), (N, C) or (N, C, d1, ...).
  const wb = weight === null ? null : input.ndim === 1 ? weight : ops.reshape(weight, [1, nClasses, ...input.shape.slice(2).map(() => 1)]);
  if ((target.dtype === "float32" || target.dtype === "float64") && sameShape(target.shape, input.shape)) {
    const t = ls > 0 ? ops.add(ops.mul(target, 1 - ls), ls / nClasses) : target;
    let prod = ops.mul(logp, t);
    if (wb !== null) prod = ops.mul(prod, wb);
    if (reduction === "none") return ops.neg(ops.sum(prod, classDim));
    if (reduction === "sum") return ops.neg(ops.sum(prod));
    return ops.div(ops.neg(ops.sum(prod)), input.numel() / nClasses);
  }
  const nll = nllLoss(logp, target, { reduction, ignoreIndex: opts.ignoreIndex, weight });
  if (ls === 0) return nll;
  // Label smoothing: (1 − ε)·nll + ε/C · Σ_c −w_c·logp_c over non-ignored samples; a weighted mean
  // divides by the target classes' weights, as the nll term does.
  const ignore = opts.ignoreIndex ?? -100;
  const keep = ops.ne(target, ignore);
  const terms = wb === null ? ops.neg(logp) : ops.neg(ops.mul(logp, wb));
  let smooth = ops.where(input.ndim === 1 ? keep : ops.unsqueeze(keep, 1), terms, 0);
  smooth = ops.sum(smooth, classDim);
  let smoothLoss: Tensor;
  if (reduction === "none") smoothLoss = smooth;
  else if (reduction === "sum") smoothLoss = ops.sum(smooth);
  else if (weight === null) smoothLoss = ops.div(ops.sum(smooth), ops.sum(keep.float()));
  else {
    const cls = ops.where(keep, target, 0).int();
    const targetWeights = ops.where(keep, ops.indexSelect(weight, 0, ops.reshape(cls, [-1])).reshape(cls.shape), 0);
    smoothLoss = ops.div(ops.sum(smooth), ops.sum(targetWeights));
  }
  return ops.add(ops.mul(nll, 1 - ls), ops.mul(smoothLoss, ls / nClasses));
}
