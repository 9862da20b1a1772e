/**
 * The batch-norm kernels over a contiguous [n, c, hw] block (NCHW, spatial dims flattened). Sums run in
 * double over each channel's elements in order (sample, then position) into four partial sums chosen by
 * position % 4, combined as (s0 + s1) + (s2 + s3), exactly as native/vision/batch_norm.cc does: the two
 * backends give the same bits.
 */
import type { FloatArray } from "../types.js";

declare module "../types" {
  interface Kernels {
    /**
     * stats[ch] = mean and stats[c + ch] = biased variance of channel ch of x (contiguous [n, c, hw] from
     * xOffset), in one pass of sums shifted by the channel's first element.
     */
    batchNormStats(x: FloatArray, xOffset: number, n: number, c: number, hw: number, stats: Float64Array): void;
    /** out[i][ch][k] = x[i][ch][k]·coef[ch] + coef[c + ch] in double, rounded once; out contiguous from 0. */
    batchNormApply(x: FloatArray, xOffset: number, n: number, c: number, hw: number, coef: Float64Array, out: FloatArray): void;
    /**
     * The backward of y = (x − mean)·invstd·weight + bias, params = [mean | invstd | weight]:
     * dparams[ch] = Σ g·(x − mean)·invstd, dparams[c + ch] = Σ g; dx (unless null) = a·g + b·(x − mean) + e
     * with a = weight·invstd and, when training (statistics of this batch), b = −a·invstd²·Σg(x − mean)/M and
     * e = −a·Σg/M (M = n·hw); otherwise b = e = 0. g from gOffset and x from xOffset, dx from 0.
     */
    batchNormBackward(
      g: FloatArray, gOffset: number, x: FloatArray, xOffset: number, n: number, c: number, hw: number,
      params: Float64Array, training: boolean, dx: FloatArray | null, dparams: Float64Array,
    ): void;
  }
}

function check(who: string, len: number, offset: number, n: number, c: number, hw: number, perChannel: number, k: number): void {
  for (const [name, v] of [["n", n], ["c", c], ["hw", hw], ["offset", offset]] as const) {
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`${who}: ${name} must be a non-negative integer, got ${v}`);
  }
  if (offset + n * c * hw > len) throw new RangeError(`${who}: x needs ${n * c * hw} elements from ${offset} but holds ${len}`);
  if (perChannel < k * c) throw new RangeError(`${who}: the per-channel array needs ${k * c} entries, got ${perChannel}`);
}

export function batchNormStats(x: FloatArray, xOffset: number, n: number, c: number, hw: number, stats: Float64Array): void {
  check("batchNormStats", x.length, xOffset, n, c, hw, stats.length, 2);
  const m = n * hw;
  for (let ch = 0; ch < c; ch++) {
    if (m === 0) {
      stats[ch] = 0;
      stats[c + ch] = 0;
      continue;
    }
    const shift = x[xOffset + ch * hw];
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0, q0 = 0, q1 = 0, q2 = 0, q3 = 0;
    for (let i = 0; i < n; i++) {
      const p = xOffset + (i * c + ch) * hw;
      let k = 0;
      for (; k + 4 <= hw; k += 4) {
        const d0 = x[p + k] - shift, d1 = x[p + k + 1] - shift, d2 = x[p + k + 2] - shift, d3 = x[p + k + 3] - shift;
        s0 += d0; q0 += d0 * d0;
        s1 += d1; q1 += d1 * d1;
        s2 += d2; q2 += d2 * d2;
        s3 += d3; q3 += d3 * d3;
      }
      const r = hw - k;
      if (r > 0) { const d = x[p + k] - shift; s0 += d; q0 += d * d; }
      if (r > 1) { const d = x[p + k + 1] - shift; s1 += d; q1 += d * d; }
      if (r > 2) { const d = x[p + k + 2] - shift; s2 += d; q2 += d * d; }
    }
    const sum = s0 + s1 + (s2 + s3);
    const sq = q0 + q1 + (q2 + q3);
    const v = (sq - (sum * sum) / m) / m;
    stats[ch] = shift + sum / m;
    stats[c + ch] = v > 0 ? v : 0;
  }
}

export function batchNormApply(x: FloatArray, xOffset: number, n: number, c: number, hw: number, coef: Float64Array, out: FloatArray): void {
  check("batchNormApply", x.length, xOffset, n, c, hw, coef.length, 2);
  if (out.length < n * c * hw) throw new RangeError(`batchNormApply: out needs ${n * c * hw} elements, holds ${out.length}`);
  for (let i = 0; i < n; i++) {
    for (let ch = 0; ch < c; ch++) {
      const scale = coef[ch], shift = coef[c + ch];
      const base = (i * c + ch) * hw;
      const p = xOffset + base;
      for (let k = 0; k < hw; k++) out[base + k] = x[p + k] * scale + shift;
    }
  }
}

export function batchNormBackward(
  g: FloatArray, gOffset: number, x: FloatArray, xOffset: number, n: number, c: number, hw: number,
  params: Float64Array, training: boolean, dx: FloatArray | null, dparams: Float64Array,
): void {
  check("batchNormBackward", x.length, xOffset, n, c, hw, params.length, 3);
  check("batchNormBackward", g.length, gOffset, n, c, hw, dparams.length, 2);
  if (dx !== null && dx.length < n * c * hw) throw new RangeError(`batchNormBackward: dx needs ${n * c * hw} elements, holds ${dx.length}`);
  const m = n * hw;
  for (let ch = 0; ch < c; ch++) {
    const mean = params[ch], invstd = params[c + ch], weight = params[2 * c + ch];
    let g0 = 0, g1 = 0, g2 = 0, g3 = 0, h0 = 0, h1 = 0, h2 = 0, h3 = 0;
    for (let i = 0; i < n; i++) {
      const base = (i * c + ch) * hw;
      const gp = gOffset + base, xp = xOffset + base;
      let k = 0;
      for (; k + 4 <= hw; k += 4) {
        const a0 = g[gp + k], a1 = g[gp + k + 1], a2 = g[gp + k + 2], a3 = g[gp + k + 3];
        g0 += a0; h0 += a0 * (x[xp + k] - mean);
        g1 += a1; h1 += a1 * (x[xp + k + 1] - mean);
        g2 += a2; h2 += a2 * (x[xp + k + 2] - mean);
        g3 += a3; h3 += a3 * (x[xp + k + 3] - mean);
      }
      const r = hw - k;
      if (r > 0) { const a = g[gp + k]; g0 += a; h0 += a * (x[xp + k] - mean); }
      if (r > 1) { const a = g[gp + k + 1]; g1 += a; h1 += a * (x[xp + k + 1] - mean); }
      if (r > 2) { const a = g[gp + k + 2]; g2 += a; h2 += a * (x[xp + k + 2] - mean); }
    }
    const sumG = g0 + g1 + (g2 + g3);
    const sumGx = h0 + h1 + (h2 + h3);
    dparams[ch] = sumGx * invstd;
    dparams[c + ch] = sumG;
    if (dx === null) continue;
    const a = weight * invstd;
    const b = training ? (-a * invstd * invstd * sumGx) / m : 0;
    const e = training ? (-a * sumG) / m : 0;
    for (let i = 0; i < n; i++) {
      const base = (i * c + ch) * hw;
      const gp = gOffset + base, xp = xOffset + base;
      if (training) for (let k = 0; k < hw; k++) dx[base + k] = g[gp + k] * a + (x[xp + k] - mean) * b + e;
      else for (let k = 0; k < hw; k++) dx[base + k] = g[gp + k] * a;
    }
  }
}
