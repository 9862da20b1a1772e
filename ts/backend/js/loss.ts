/**
 * The negative-log-likelihood kernels. Class indices are read (and checked) inside the kernel rather than in
 * the op, so that a compiled step replayed with new targets computes — and checks — them again.
 */
import type { FloatArray, View } from "../types.js";

declare module "../types" {
  interface Kernels {
    /**
     * x: [n, c, l] (or [n, c] with target [n], or [c] with a 0-d target) log-probabilities; target: [n, l]
     * class indices, checked to be integers in [0, c) or ignoreIndex. Writes each position's
     * −weight·x[i][target[i][p]][p] (0 where ignored) to `losses` (n·l elements, sample-major), and the sum (or
     * with `mean` the weighted mean) to out[0] when out is given, the sum of the weights of the non-ignored
     * targets to totalWeight[0]. Sums are taken in double precision, in sample-then-position order.
     */
    nllLoss(x: View, target: View, weight: View | null, ignoreIndex: number, mean: boolean, losses: FloatArray, out: FloatArray | null, totalWeight: FloatArray): void;
    /** mask[i][target[i][p]][p] = −weight[target] (−1 without weights), 0 elsewhere; mask contiguous [n, c, l]. */
    nllLossMask(target: View, weight: View | null, ignoreIndex: number, c: number, mask: FloatArray): void;
  }
}

/** Samples, positions per sample and the target's strides over them. */
interface TargetGeometry { n: number; l: number; ts: number; tp: number }

function targetGeometry(target: View): TargetGeometry {
  const r = target.shape.length;
  if (r === 0) return { n: 1, l: 1, ts: 0, tp: 0 };
  if (r === 1) return { n: target.shape[0], l: 1, ts: target.strides[0], tp: 0 };
  if (r === 2) return { n: target.shape[0], l: target.shape[1], ts: target.strides[0], tp: target.strides[1] };
  throw new RangeError(`nllLoss kernel: target must have at most 2 dims, got ${r}`);
}

/** The class index at (sample i, position p), checked as PyTorch checks it. */
function classIndex(target: View, g: TargetGeometry, i: number, p: number, c: number, ignoreIndex: number): number {
  const t = target.data[target.offset + i * g.ts + p * g.tp];
  if (!Number.isInteger(t)) throw new TypeError(`expected integer class indices in target, got ${t}`);
  if (t !== ignoreIndex && (t < 0 || t >= c)) throw new RangeError(`Target ${t} is out of bounds.`);
  return t;
}

function classWeight(weight: View | null, k: number): number {
  return weight === null ? 1 : weight.data[weight.offset + k * weight.strides[0]];
}

/** [c, sample stride, class stride, position stride] of x. */
function inputGeometry(x: View): [number, number, number, number] {
  const r = x.shape.length;
  if (r === 1) return [x.shape[0], 0, x.strides[0], 0];
  if (r === 2) return [x.shape[1], x.strides[0], x.strides[1], 0];
  if (r === 3) return [x.shape[1], x.strides[0], x.strides[1], x.strides[2]];
  throw new RangeError(`nllLoss kernel: input must have 1 to 3 dims, got ${r}`);
}

export function nllLoss(x: View, target: View, weight: View | null, ignoreIndex: number, mean: boolean, losses: FloatArray, out: FloatArray | null, totalWeight: FloatArray): void {
  const [c, rs, cs, ps] = inputGeometry(x);
  const g = targetGeometry(target);
  if ((x.shape.length === 1 ? 1 : x.shape[0]) !== g.n || (x.shape.length === 3 ? x.shape[2] : 1) !== g.l || losses.length < g.n * g.l) {
    throw new RangeError("nllLoss kernel: input, target and losses disagree in shape");
  }
  for (let i = 0; i < g.n; i++) for (let p = 0; p < g.l; p++) classIndex(target, g, i, p, c, ignoreIndex);
  let tw = 0;
  let total = 0;
  for (let i = 0; i < g.n; i++) {
    for (let p = 0; p < g.l; p++) {
      const j = i * g.l + p;
      const k = classIndex(target, g, i, p, c, ignoreIndex);
      if (k === ignoreIndex) {
        losses[j] = 0;
        continue;
      }
      const wi = classWeight(weight, k);
      tw += wi;
      const v = -wi * x.data[x.offset + i * rs + k * cs + p * ps];
      losses[j] = v;
      total += v;
    }
  }
  if (out !== null) out[0] = mean ? total / tw : total;
  totalWeight[0] = tw;
}

export function nllLossMask(target: View, weight: View | null, ignoreIndex: number, c: number, mask: FloatArray): void {
  const g = targetGeometry(target);
  if (mask.length < g.n * c * g.l) throw new RangeError("nllLossMask kernel: mask is too small");
  mask.fill(0);
  for (let i = 0; i < g.n; i++) {
    for (let p = 0; p < g.l; p++) {
      const k = classIndex(target, g, i, p, c, ignoreIndex);
      if (k !== ignoreIndex) mask[(i * c + k) * g.l + p] = -classWeight(weight, k);
    }
  }
}
