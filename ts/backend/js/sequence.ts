/**
 * Fused kernels of the sequence layers: LayerNorm forward/backward over rows, and the gate math of one LSTM or
 * GRU step (forward and backward). Every array is contiguous (from the given offset, outputs from 0); the
 * arithmetic is in double and rounds once on store, in the same order as native/sequence/, so the two
 * backends agree to a few ulp (the native float32 LSTM/GRU steps take vectorised sigmoid/tanh).
 */
import type { FloatArray } from "../types.js";
import { sigmoid } from "./scalar-fns.js";
import { softmax } from "./softmax.js";

declare module "../types" {
  interface Kernels {
    /**
     * Per row of x [rows, cols]: mean and rstd = 1/√(biased variance + eps), and
     * y = (x − mean)·rstd·weight + bias (weight/bias [cols] or null). mean, rstd hold rows values.
     */
    layerNorm(x: FloatArray, xOffset: number, rows: number, cols: number, weight: FloatArray | null, bias: FloatArray | null, eps: number, y: FloatArray, mean: FloatArray, rstd: FloatArray): void;
    /**
     * LayerNorm's gradients from g [rows, cols] and the forward's x, mean, rstd: dx [rows, cols],
     * dweight = Σ_rows g·x̂, dbias = Σ_rows g (each null when not wanted; dweight needs weight's shape).
     */
    layerNormBackward(g: FloatArray, gOffset: number, x: FloatArray, xOffset: number, mean: FloatArray, rstd: FloatArray, weight: FloatArray | null, rows: number, cols: number, dx: FloatArray | null, dweight: FloatArray | null, dbias: FloatArray | null): void;
    /**
     * One LSTM step for n rows: gates = gi + gh ([n, 4h], order i, f, g, o), c' = σ(f)·c + σ(i)·tanh(g),
     * h' = σ(o)·tanh(c'). workspace [n, 4h] receives the activated gates (for the backward).
     */
    lstmCell(gi: FloatArray, giOffset: number, gh: FloatArray, ghOffset: number, c: FloatArray, cOffset: number, n: number, h: number, hy: FloatArray, cy: FloatArray, workspace: FloatArray): void;
    /** The LSTM step's backward: from dh', dc' (null: zero) to the gates' gradient [n, 4h] and dc [n, h]. */
    lstmCellBackward(dh: FloatArray | null, dhOffset: number, dc: FloatArray | null, dcOffset: number, workspace: FloatArray, c: FloatArray, cOffset: number, cy: FloatArray, n: number, h: number, dgates: FloatArray, dcPrev: FloatArray): void;
    /**
     * One GRU step: r = σ(gi_r + gh_r), z = σ(gi_z + gh_z), n = tanh(gi_n + r·gh_n), h' = (h − n)·z + n.
     * workspace [n, 4h] receives r, z, n and gh_n.
     */
    gruCell(gi: FloatArray, giOffset: number, gh: FloatArray, ghOffset: number, hx: FloatArray, hxOffset: number, n: number, h: number, hy: FloatArray, workspace: FloatArray): void;
    /**
     * Softmax over the rows of x [rows, cols] after adding a float mask [maskRows, cols] (row r takes mask row
     * r mod maskRows; null: no mask): out = softmax(x + mask), the sum rounded to x's type as an add would.
     */
    maskedSoftmax(x: FloatArray, xOffset: number, rows: number, cols: number, mask: FloatArray | null, maskOffset: number, maskRows: number, out: FloatArray): void;
    /** Softmax's backward over rows: dx = y·(g − Σ g·y), from the output y [rows, cols] and its gradient g. */
    softmaxBackward(y: FloatArray, g: FloatArray, gOffset: number, rows: number, cols: number, dx: FloatArray): void;
    /** The GRU step's backward: from dh' to dgi [n, 3h], dgh [n, 3h] and dh [n, h]. */
    gruCellBackward(dh: FloatArray, dhOffset: number, workspace: FloatArray, hx: FloatArray, hxOffset: number, n: number, h: number, dgi: FloatArray, dgh: FloatArray, dhPrev: FloatArray): void;
  }
}

export function layerNorm(x: FloatArray, xOffset: number, rows: number, cols: number, weight: FloatArray | null, bias: FloatArray | null, eps: number, y: FloatArray, mean: FloatArray, rstd: FloatArray): void {
  for (let r = 0; r < rows; r++) {
    const at = xOffset + r * cols, out = r * cols;
    let s = 0;
    for (let j = 0; j < cols; j++) s += x[at + j];
    const mu = s / cols;
    let v = 0;
    for (let j = 0; j < cols; j++) {
      const d = x[at + j] - mu;
      v += d * d;
    }
    const rs = 1 / Math.sqrt(v / cols + eps);
    mean[r] = mu;
    rstd[r] = rs;
    for (let j = 0; j < cols; j++) {
      let t = (x[at + j] - mu) * rs;
      if (weight !== null) t *= weight[j];
      if (bias !== null) t += bias[j];
      y[out + j] = t;
    }
  }
}

export function layerNormBackward(g: FloatArray, gOffset: number, x: FloatArray, xOffset: number, mean: FloatArray, rstd: FloatArray, weight: FloatArray | null, rows: number, cols: number, dx: FloatArray | null, dweight: FloatArray | null, dbias: FloatArray | null): void {
  if (dx !== null) {
    for (let r = 0; r < rows; r++) {
      const gi = gOffset + r * cols, xi = xOffset + r * cols, out = r * cols;
      const mu = mean[r], rs = rstd[r];
      let a = 0, b = 0;
      for (let j = 0; j < cols; j++) {
        const gw = weight !== null ? g[gi + j] * weight[j] : g[gi + j];
        a += gw;
        b += gw * ((x[xi + j] - mu) * rs);
      }
      a /= cols;
      b /= cols;
      for (let j = 0; j < cols; j++) {
        const gw = weight !== null ? g[gi + j] * weight[j] : g[gi + j];
        dx[out + j] = rs * (gw - a - (x[xi + j] - mu) * rs * b);
      }
    }
  }
  if (dweight !== null || dbias !== null) {
    for (let j = 0; j < cols; j++) {
      let sw = 0, sb = 0;
      for (let r = 0; r < rows; r++) {
        const gv = g[gOffset + r * cols + j];
        sw += gv * ((x[xOffset + r * cols + j] - mean[r]) * rstd[r]);
        sb += gv;
      }
      if (dweight !== null) dweight[j] = sw;
      if (dbias !== null) dbias[j] = sb;
    }
  }
}

export function lstmCell(gi: FloatArray, giOffset: number, gh: FloatArray, ghOffset: number, c: FloatArray, cOffset: number, n: number, h: number, hy: FloatArray, cy: FloatArray, workspace: FloatArray): void {
  const G = 4 * h;
  for (let r = 0; r < n; r++) {
    const a = giOffset + r * G, b = ghOffset + r * G, w = r * G;
    for (let j = 0; j < h; j++) {
      const ig = sigmoid(gi[a + j] + gh[b + j]);
      const fg = sigmoid(gi[a + h + j] + gh[b + h + j]);
      const gg = Math.tanh(gi[a + 2 * h + j] + gh[b + 2 * h + j]);
      const og = sigmoid(gi[a + 3 * h + j] + gh[b + 3 * h + j]);
      workspace[w + j] = ig;
      workspace[w + h + j] = fg;
      workspace[w + 2 * h + j] = gg;
      workspace[w + 3 * h + j] = og;
      const cNew = fg * c[cOffset + r * h + j] + ig * gg;
      cy[r * h + j] = cNew;
      hy[r * h + j] = og * Math.tanh(cy[r * h + j]);
    }
  }
}

export function lstmCellBackward(dh: FloatArray | null, dhOffset: number, dc: FloatArray | null, dcOffset: number, workspace: FloatArray, c: FloatArray, cOffset: number, cy: FloatArray, n: number, h: number, dgates: FloatArray, dcPrev: FloatArray): void {
  const G = 4 * h;
  for (let r = 0; r < n; r++) {
    const w = r * G;
    for (let j = 0; j < h; j++) {
      const ig = workspace[w + j], fg = workspace[w + h + j], gg = workspace[w + 2 * h + j], og = workspace[w + 3 * h + j];
      const tc = Math.tanh(cy[r * h + j]);
      const gH = dh === null ? 0 : dh[dhOffset + r * h + j];
      const gC = (dc === null ? 0 : dc[dcOffset + r * h + j]) + gH * og * (1 - tc * tc);
      dgates[w + j] = gC * gg * ig * (1 - ig);
      dgates[w + h + j] = gC * c[cOffset + r * h + j] * fg * (1 - fg);
      dgates[w + 2 * h + j] = gC * ig * (1 - gg * gg);
      dgates[w + 3 * h + j] = gH * tc * og * (1 - og);
      dcPrev[r * h + j] = gC * fg;
    }
  }
}

export function gruCell(gi: FloatArray, giOffset: number, gh: FloatArray, ghOffset: number, hx: FloatArray, hxOffset: number, n: number, h: number, hy: FloatArray, workspace: FloatArray): void {
  const G = 3 * h;
  for (let r = 0; r < n; r++) {
    const a = giOffset + r * G, b = ghOffset + r * G, w = r * 4 * h;
    for (let j = 0; j < h; j++) {
      const rg = sigmoid(gi[a + j] + gh[b + j]);
      const zg = sigmoid(gi[a + h + j] + gh[b + h + j]);
      const hn = gh[b + 2 * h + j];
      const ng = Math.tanh(gi[a + 2 * h + j] + rg * hn);
      workspace[w + j] = rg;
      workspace[w + h + j] = zg;
      workspace[w + 2 * h + j] = ng;
      workspace[w + 3 * h + j] = hn;
      hy[r * h + j] = (hx[hxOffset + r * h + j] - ng) * zg + ng;
    }
  }
}

export function gruCellBackward(dh: FloatArray, dhOffset: number, workspace: FloatArray, hx: FloatArray, hxOffset: number, n: number, h: number, dgi: FloatArray, dgh: FloatArray, dhPrev: FloatArray): void {
  const G = 3 * h;
  for (let r = 0; r < n; r++) {
    const w = r * 4 * h, o = r * G;
    for (let j = 0; j < h; j++) {
      const rg = workspace[w + j], zg = workspace[w + h + j], ng = workspace[w + 2 * h + j], hn = workspace[w + 3 * h + j];
      const gH = dh[dhOffset + r * h + j];
      const dn = gH * (1 - zg) * (1 - ng * ng);
      const dz = gH * (hx[hxOffset + r * h + j] - ng) * zg * (1 - zg);
      const dr = dn * hn * rg * (1 - rg);
      dgi[o + j] = dr;
      dgi[o + h + j] = dz;
      dgi[o + 2 * h + j] = dn;
      dgh[o + j] = dr;
      dgh[o + h + j] = dz;
      dgh[o + 2 * h + j] = dn * rg;
      dhPrev[r * h + j] = gH * zg;
    }
  }
}

export function maskedSoftmax(x: FloatArray, xOffset: number, rows: number, cols: number, mask: FloatArray | null, maskOffset: number, maskRows: number, out: FloatArray): void {
  for (let r = 0; r < rows; r++) {
    const xi = xOffset + r * cols, o = r * cols, mi = mask === null ? 0 : maskOffset + (r % maskRows) * cols;
    for (let j = 0; j < cols; j++) out[o + j] = mask === null ? x[xi + j] : x[xi + j] + mask[mi + j];
  }
  // Each row is summed and normalised in place, as the unmasked kernel does.
  softmax(out, 0, rows, cols, 1, false, out);
}

export function softmaxBackward(y: FloatArray, g: FloatArray, gOffset: number, rows: number, cols: number, dx: FloatArray): void {
  for (let r = 0; r < rows; r++) {
    const yi = r * cols, gi = gOffset + r * cols;
    let s = 0;
    for (let j = 0; j < cols; j++) s += g[gi + j] * y[yi + j];
    for (let j = 0; j < cols; j++) dx[yi + j] = y[yi + j] * (g[gi + j] - s);
  }
}
