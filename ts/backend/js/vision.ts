/**
 * The vision kernels: im2col (unfold) and col2im (fold) over a contiguous [N, C, H, W] image. Convolution
 * is im2col + the GEMM kernel; pooling reduces the columns. The geometry travels as one array
 * `[n, c, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow]`; (oh, ow) are given, so asymmetric padding
 * ("same" with an even kernel, ceil-mode pooling) is just reads past the right edge.
 */
import type { FloatArray } from "../types.js";

/** Number of entries of the geometry array. */
export const GEOM_LEN = 14;

declare module "../types" {
  interface Kernels {
    /**
     * cols[n][c][i][j][y][x] = image[n][c][y·sh − ph + i·dh][x·sw − pw + j·dw], or `fill` where that lies
     * outside the image. image is contiguous [n, c, h, w] from imageOffset; cols contiguous from 0.
     */
    im2col(image: FloatArray, imageOffset: number, geom: readonly number[], cols: FloatArray, fill: number): void;
    /** The adjoint of im2col: image[n][c][iy][ix] += cols[...] for every in-image position; image zeroed by the caller. */
    col2im(cols: FloatArray, geom: readonly number[], image: FloatArray): void;
    /**
     * Max pooling: out[n][c][y][x] = the largest in-image value of its window (scanned row by row; NaN wins,
     * a later NaN over an earlier one, as PyTorch) and indices[...] its flat position iy·w + ix in the plane
     * (the window's first in-image position when every value is −∞). out and indices contiguous [n, c, oh, ow].
     */
    maxPool2d(image: FloatArray, imageOffset: number, geom: readonly number[], out: FloatArray, indices: Int32Array): void;
    /**
     * The max-pool backward: gIn[p][indices[p][k]] += g[p][k] for each of `planes` planes, k in order; g holds
     * planes·outPlane elements from gOffset, indices planes·outPlane, gIn (zeroed by the caller) planes·inPlane.
     */
    maxPool2dBackward(g: FloatArray, gOffset: number, indices: Int32Array, planes: number, outPlane: number, inPlane: number, gIn: FloatArray): void;
  }
}

export function checkGeom(g: readonly number[], imageLen: number, imageOffset: number, colsLen: number, who: string): void {
  if (g.length !== GEOM_LEN) throw new RangeError(`${who}: geometry must have ${GEOM_LEN} entries, got ${g.length}`);
  for (let i = 0; i < GEOM_LEN; i++) {
    const v = g[i];
    if (!Number.isInteger(v)) throw new RangeError(`${who}: geometry entry ${i} must be an integer, got ${v}`);
    const min = i >= 6 && i <= 7 ? 1 : i >= 10 && i <= 11 ? 1 : i >= 8 && i <= 9 ? -Infinity : 0;
    if (v < min) throw new RangeError(`${who}: geometry entry ${i} out of range: ${v}`);
  }
  const [n, c, h, w, kh, kw, , , , , , , oh, ow] = g;
  const imageSize = n * c * h * w;
  const colsSize = n * c * kh * kw * oh * ow;
  if (!Number.isInteger(imageOffset) || imageOffset < 0 || imageOffset + imageSize > imageLen) {
    throw new RangeError(`${who}: the image needs ${imageSize} elements from ${imageOffset} but its storage holds ${imageLen}`);
  }
  if (colsSize > colsLen) throw new RangeError(`${who}: the columns need ${colsSize} elements but their storage holds ${colsLen}`);
}

export function im2col(image: FloatArray, imageOffset: number, geom: readonly number[], cols: FloatArray, fill: number): void {
  checkGeom(geom, image.length, imageOffset, cols.length, "im2col");
  const [n, c, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow] = geom;
  let p = 0;
  for (let plane = 0; plane < n * c; plane++) {
    const base = imageOffset + plane * h * w;
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        for (let y = 0; y < oh; y++) {
          const iy = y * sh - ph + i * dh;
          if (iy < 0 || iy >= h) {
            for (let x = 0; x < ow; x++) cols[p++] = fill;
            continue;
          }
          const row = base + iy * w;
          for (let x = 0; x < ow; x++) {
            const ix = x * sw - pw + j * dw;
            cols[p++] = ix >= 0 && ix < w ? image[row + ix] : fill;
          }
        }
      }
    }
  }
}

export function col2im(cols: FloatArray, geom: readonly number[], image: FloatArray): void {
  checkGeom(geom, image.length, 0, cols.length, "col2im");
  const [n, c, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow] = geom;
  let p = 0;
  for (let plane = 0; plane < n * c; plane++) {
    const base = plane * h * w;
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        for (let y = 0; y < oh; y++) {
          const iy = y * sh - ph + i * dh;
          if (iy < 0 || iy >= h) {
            p += ow;
            continue;
          }
          const row = base + iy * w;
          for (let x = 0; x < ow; x++, p++) {
            const ix = x * sw - pw + j * dw;
            if (ix >= 0 && ix < w) image[row + ix] += cols[p];
          }
        }
      }
    }
  }
}

export function maxPool2d(image: FloatArray, imageOffset: number, geom: readonly number[], out: FloatArray, indices: Int32Array): void {
  checkGeom(geom, image.length, imageOffset, Infinity, "maxPool2d");
  const [n, c, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow] = geom;
  const size = n * c * oh * ow;
  if (out.length < size || indices.length < size) {
    throw new RangeError(`maxPool2d: the output needs ${size} elements but out holds ${out.length} and indices ${indices.length}`);
  }
  let p = 0;
  for (let plane = 0; plane < n * c; plane++) {
    const base = imageOffset + plane * h * w;
    for (let y = 0; y < oh; y++) {
      let y0 = y * sh - ph;
      const y1 = Math.min(y0 + (kh - 1) * dh + 1, h);
      while (y0 < 0) y0 += dh;
      for (let x = 0; x < ow; x++, p++) {
        let x0 = x * sw - pw;
        const x1 = Math.min(x0 + (kw - 1) * dw + 1, w);
        while (x0 < 0) x0 += dw;
        let best = -Infinity;
        let at = y0 * w + x0;
        for (let iy = y0; iy < y1; iy += dh) {
          for (let ix = x0; ix < x1; ix += dw) {
            const v = image[base + iy * w + ix];
            if (v > best || v !== v) {
              best = v;
              at = iy * w + ix;
            }
          }
        }
        out[p] = best;
        indices[p] = at;
      }
    }
  }
}

export function maxPool2dBackward(g: FloatArray, gOffset: number, indices: Int32Array, planes: number, outPlane: number, inPlane: number, gIn: FloatArray): void {
  const outSize = planes * outPlane;
  if (gOffset + outSize > g.length || outSize > indices.length || planes * inPlane > gIn.length) {
    throw new RangeError(`maxPool2dBackward: ${planes} planes of ${outPlane} → ${inPlane} elements do not fit the arrays`);
  }
  for (let k = 0; k < outSize; k++) {
    const i = indices[k];
    if (!(i >= 0 && i < inPlane)) throw new RangeError(`maxPool2dBackward: index ${i} at ${k} is outside the plane of ${inPlane} elements`);
  }
  for (let p = 0; p < planes; p++) {
    const gp = gOffset + p * outPlane, ip = p * outPlane, dst = p * inPlane;
    for (let k = 0; k < outPlane; k++) gIn[dst + indices[ip + k]] += g[gp + k];
  }
}
