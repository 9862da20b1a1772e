/**
 * The small per-channel steps around the batch-norm and convolution kernels (O(channels) or a fill): they read
 * weight, bias and running statistics and write gradients and running statistics. They are kernels, not
 * JavaScript between kernels, so compile's replay runs them again on the current values instead of freezing
 * the values seen while recording. TypeScript only: the native backend falls back to them.
 */
import type { FloatArray, View } from "../types.js";

declare module "../types" {
  interface Kernels {
    /** stats = [mean | var] copied (in double) from the running statistics, each of c elements. */
    batchNormLoadStats(runningMean: View, runningVar: View, c: number, stats: Float64Array): void;
    /**
     * From stats = [mean | var]: params = [mean | invstd | weight] and coef = [scale | shift] with
     * invstd = 1/√(var + eps), scale = weight·invstd, shift = bias − mean·scale (weight 1 and bias 0 when null).
     */
    batchNormCoefficients(
      stats: Float64Array, weight: View | null, bias: View | null, c: number, eps: number,
      params: Float64Array, coef: Float64Array,
    ): void;
    /**
     * In place, in double, rounded once into the statistics' dtype: running ← momentum·batch + (1 − momentum)·running,
     * the batch variance (stats[c..2c)) times `unbias` first.
     */
    batchNormUpdateRunning(stats: Float64Array, c: number, momentum: number, unbias: number, runningMean: View, runningVar: View): void;
    /** out's elements, in logical order, ← values[from, from + numel(out)). */
    channelsToView(values: Float64Array, from: number, out: View): void;
    /** Each row (s, ch) of out (contiguous [n, co, l] from 0) ← bias[ch]. */
    convBiasFill(bias: View, n: number, co: number, l: number, out: FloatArray): void;
  }
}

function numel(v: View): number {
  return v.shape.reduce((a, b) => a * b, 1);
}

/** Index into v.data of v's element number i in logical (row-major) order. */
function at(v: View, i: number): number {
  let p = v.offset;
  for (let d = v.shape.length - 1; d >= 0; d--) {
    const s = v.shape[d];
    p += (i % s) * v.strides[d];
    i = Math.floor(i / s);
  }
  return p;
}

function checkChannels(who: string, name: string, v: View | null, c: number): void {
  if (v !== null && numel(v) !== c) throw new RangeError(`${who}: ${name} needs ${c} elements, has ${numel(v)}`);
}

function checkLength(who: string, name: string, a: Float64Array, n: number): void {
  if (a.length < n) throw new RangeError(`${who}: ${name} needs ${n} entries, got ${a.length}`);
}

export function batchNormLoadStats(runningMean: View, runningVar: View, c: number, stats: Float64Array): void {
  checkChannels("batchNormLoadStats", "running_mean", runningMean, c);
  checkChannels("batchNormLoadStats", "running_var", runningVar, c);
  checkLength("batchNormLoadStats", "stats", stats, 2 * c);
  for (let i = 0; i < c; i++) {
    stats[i] = runningMean.data[at(runningMean, i)];
    stats[c + i] = runningVar.data[at(runningVar, i)];
  }
}

export function batchNormCoefficients(
  stats: Float64Array, weight: View | null, bias: View | null, c: number, eps: number,
  params: Float64Array, coef: Float64Array,
): void {
  checkChannels("batchNormCoefficients", "weight", weight, c);
  checkChannels("batchNormCoefficients", "bias", bias, c);
  checkLength("batchNormCoefficients", "stats", stats, 2 * c);
  checkLength("batchNormCoefficients", "params", params, 3 * c);
  checkLength("batchNormCoefficients", "coef", coef, 2 * c);
  for (let i = 0; i < c; i++) {
    const w = weight === null ? 1 : weight.data[at(weight, i)];
    const b = bias === null ? 0 : bias.data[at(bias, i)];
    const invstd = 1 / Math.sqrt(stats[c + i] + eps);
    params[i] = stats[i];
    params[c + i] = invstd;
    params[2 * c + i] = w;
    coef[i] = w * invstd;
    coef[c + i] = b - stats[i] * coef[i];
  }
}

export function batchNormUpdateRunning(
  stats: Float64Array, c: number, momentum: number, unbias: number, runningMean: View, runningVar: View,
): void {
  checkChannels("batchNormUpdateRunning", "running_mean", runningMean, c);
  checkChannels("batchNormUpdateRunning", "running_var", runningVar, c);
  checkLength("batchNormUpdateRunning", "stats", stats, 2 * c);
  for (let i = 0; i < c; i++) {
    const pm = at(runningMean, i), pv = at(runningVar, i);
    runningMean.data[pm] = momentum * stats[i] + (1 - momentum) * runningMean.data[pm];
    runningVar.data[pv] = momentum * (stats[c + i] * unbias) + (1 - momentum) * runningVar.data[pv];
  }
}

export function channelsToView(values: Float64Array, from: number, out: View): void {
  const n = numel(out);
  if (!Number.isInteger(from) || from < 0 || from + n > values.length) {
    throw new RangeError(`channelsToView: needs values[${from}, ${from + n}) of ${values.length}`);
  }
  for (let i = 0; i < n; i++) out.data[at(out, i)] = values[from + i];
}

export function convBiasFill(bias: View, n: number, co: number, l: number, out: FloatArray): void {
  checkChannels("convBiasFill", "bias", bias, co);
  for (const [name, v] of [["n", n], ["co", co], ["l", l]] as const) {
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`convBiasFill: ${name} must be a non-negative integer, got ${v}`);
  }
  if (out.length < n * co * l) throw new RangeError(`convBiasFill: out needs ${n * co * l} elements, holds ${out.length}`);
  for (let s = 0; s < n; s++) {
    for (let ch = 0; ch < co; ch++) out.fill(bias.data[at(bias, ch)], (s * co + ch) * l, (s * co + ch + 1) * l);
  }
}
