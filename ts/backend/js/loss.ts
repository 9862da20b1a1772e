/**
 * The negative-log-likelihood kernels. Class indices are read (and checked) inside the kernel rather than in
 * the op, so that a compiled step replayed with new targets computes — and checks — them again.
 */
import type { FloatArray, View } from "../types.js";

declare module "../types" {
  interface Kernels {
    /**
     * x: [n, c] (or [c] with a 0-d target) log-probabilities; target: [n] (or []) class indices, checked to be
     * integers in [0, c) or ignoreIndex. Writes each sample's −weight·x[i][target[i]] (0 where ignored) to
     * `losses` (n elements), and the sum (or with `mean` the weighted mean) to out[0] when out is given, the
     * sum of the weights of the non-ignored targets to totalWeight[0]. Sums are taken in double precision.
     */
    nllLoss(x: View, target: View, weight: View | null, ignoreIndex: number, mean: boolean, losses: FloatArray, out: FloatArray | null, totalWeight: FloatArray): void;
    /** mask[i][target[i]] = −weight[target[i]] (−1 without weights), 0 elsewhere; mask contiguous [n, c]. */
    nllLossMask(target: View, weight: View | null, ignoreIndex: number, c: number, mask: FloatArray): void;
  }
}

/** The class index of sample i, checked as PyTorch checks it. */
function classIndex(target: View, i: number, c: number, ignoreIndex: number): number {
  const t = target.data[target.offset + (target.shape.length === 0 ? 0 : i * target.strides[0])];
  if (!Number.isInteger(t)) throw new TypeError(`expected integer class indices in target, got ${t}`);
  if (t !== ignoreIndex && (t < 0 || t >= c)) throw new RangeError(`Target ${t} is out of bounds.`);
  return t;
}

function classWeight(weight: View | null, k: number): number {
  return weight === null ? 1 : weight.data[weight.offset + k * weight.strides[0]];
}

function geometry(x: View): [number, number, number, number] {
  const batched = x.shape.length === 2;
  return batched ? [x.shape[0], x.shape[1], x.strides[0], x.strides[1]] : [1, x.shape[0], 0, x.strides[0]];
}

export function nllLoss(x: View, target: View, weight: View | null, ignoreIndex: number, mean: boolean, losses: FloatArray, out: FloatArray | null, totalWeight: FloatArray): void {
  const [n, c, rs, cs] = geometry(x);
  for (let i = 0; i < n; i++) classIndex(target, i, c, ignoreIndex);
  let tw = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const k = classIndex(target, i, c, ignoreIndex);
    if (k === ignoreIndex) {
      losses[i] = 0;
      continue;
    }
    const wi = classWeight(weight, k);
    tw += wi;
    const v = -wi * x.data[x.offset + i * rs + k * cs];
    losses[i] = v;
    total += v;
  }
  if (out !== null) out[0] = mean ? total / tw : total;
  totalWeight[0] = tw;
}

export function nllLossMask(target: View, weight: View | null, ignoreIndex: number, c: number, mask: FloatArray): void {
  mask.fill(0);
  const n = target.shape.length === 0 ? 1 : target.shape[0];
  for (let i = 0; i < n; i++) {
    const k = classIndex(target, i, c, ignoreIndex);
    if (k !== ignoreIndex) mask[i * c + k] = -classWeight(weight, k);
  }
}
