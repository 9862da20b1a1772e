/**
 * The vision kernels (im2col, col2im, maxPool2d) on the native addon for float32/float64, threaded over image
 * planes; the TypeScript kernels take what the addon lacks (an older addon, mixed array kinds) and, with the
 * crossover, work below VISION_CROSSOVER column elements. Both give the same bits (copies, and col2im adds in
 * the same order). Geometry travels in one reused Float64Array.
 */
import type { FloatArray, Kernels } from "../types";
import type { NativeAddon } from "./addon";
import type { FamilyContext } from "./crossover";
import { makeNativeBatchNormKernels } from "./batch-norm";

/**
 * Column elements below which the TypeScript kernel is faster than the N-API call (~0.5 µs against ~1–2 ns
 * per element in TypeScript); near the crossover both cost the same.
 */
export const VISION_CROSSOVER = 512;

type VisionKernels = Pick<Kernels, "im2col" | "col2im" | "maxPool2d">;
type PoolBackwardKernel = Pick<Kernels, "maxPool2dBackward">;

function sameFloatKind(a: FloatArray, b: FloatArray): boolean {
  return (a instanceof Float32Array && b instanceof Float32Array) || (a instanceof Float64Array && b instanceof Float64Array);
}

function colsSize(g: readonly number[]): number {
  return g[0] * g[1] * g[4] * g[5] * g[12] * g[13];
}

export function makeNativeVisionKernels(addon: NativeAddon, fallback: VisionKernels, useCrossover: boolean): VisionKernels {
  const im2colN = addon.im2col;
  const col2imN = addon.col2im;
  const maxPoolN = addon.maxPool2d;
  if (typeof im2colN !== "function" || typeof col2imN !== "function" || typeof maxPoolN !== "function") return fallback;
  const meta = new Float64Array(14);
  const small = (g: readonly number[]) => useCrossover && colsSize(g) < VISION_CROSSOVER;
  const pack = (g: readonly number[]): Float64Array => {
    if (g.length !== 14) throw new RangeError(`vision kernels: geometry must have 14 entries, got ${g.length}`);
    for (let i = 0; i < 14; i++) meta[i] = g[i];
    return meta;
  };
  return {
    im2col(image, imageOffset, geom, cols, fill) {
      if (!sameFloatKind(image, cols) || small(geom)) return fallback.im2col(image, imageOffset, geom, cols, fill);
      im2colN.call(addon, image, imageOffset, pack(geom), cols, fill);
    },
    col2im(cols, geom, image) {
      if (!sameFloatKind(image, cols) || small(geom)) return fallback.col2im(cols, geom, image);
      col2imN.call(addon, cols, pack(geom), image);
    },
    maxPool2d(image, imageOffset, geom, out, indices) {
      // The window's reads count as the work (kh·kw per output, as im2col's columns).
      if (!sameFloatKind(image, out) || small(geom)) return fallback.maxPool2d(image, imageOffset, geom, out, indices);
      maxPoolN.call(addon, image, imageOffset, pack(geom), out, indices);
    },
  };
}

export function makeNativePoolBackward(addon: NativeAddon, fallback: PoolBackwardKernel, useCrossover: boolean): PoolBackwardKernel {
  const backwardN = addon.maxPool2dBackward;
  if (typeof backwardN !== "function") return fallback;
  const meta = new Float64Array(4);
  return {
    maxPool2dBackward(g, gOffset, indices, planes, outPlane, inPlane, gIn) {
      if (!sameFloatKind(g, gIn) || (useCrossover && planes * outPlane < VISION_CROSSOVER)) {
        return fallback.maxPool2dBackward(g, gOffset, indices, planes, outPlane, inPlane, gIn);
      }
      meta[0] = gOffset; meta[1] = planes; meta[2] = outPlane; meta[3] = inPlane;
      backwardN.call(addon, g, meta, indices, gIn);
    },
  };
}

/** The family factory for ts/backend/native.ts. */
export function nativeVision(ctx: FamilyContext<NativeAddon>): Partial<Kernels> {
  const useCrossover = ctx.crossover !== null;
  return {
    ...makeNativeVisionKernels(ctx.addon, ctx.js, useCrossover),
    ...makeNativePoolBackward(ctx.addon, ctx.js, useCrossover),
    ...makeNativeBatchNormKernels(ctx.addon, ctx.js, useCrossover),
  };
}
