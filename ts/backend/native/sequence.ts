/**
 * The sequence-layer kernels (LayerNorm forward/backward, LSTM and GRU step gate math, masked softmax and the
 * softmax backward) on the native addon for
 * float32/float64, threaded over rows. The TypeScript kernels take what the addon lacks (an older addon) or
 * arrays of mixed kinds; both compute the same formulas in double in the same order.
 */
import type { FloatArray, Kernels } from "../types";
import type { NativeAddon } from "./addon";
import type { FamilyContext } from "./crossover";

type SequenceKernels = Pick<Kernels, "layerNorm" | "layerNormBackward" | "lstmCell" | "lstmCellBackward" | "gruCell" | "gruCellBackward" | "maskedSoftmax" | "softmaxBackward">;

/** Whether every non-null array is of the first one's kind (the addon refuses a mix). */
function oneKind(...arrays: (FloatArray | null)[]): boolean {
  let f32: boolean | null = null;
  for (const a of arrays) {
    if (a === null) continue;
    const is32 = a instanceof Float32Array;
    if (f32 === null) f32 = is32;
    else if (f32 !== is32) return false;
  }
  return true;
}

export function makeNativeSequenceKernels(addon: NativeAddon, fallback: SequenceKernels): SequenceKernels {
  const { layerNorm, layerNormBackward, lstmCell, lstmCellBackward, gruCell, gruCellBackward, maskedSoftmax, softmaxBackward } = addon;
  if (!layerNorm || !layerNormBackward || !lstmCell || !lstmCellBackward || !gruCell || !gruCellBackward || !maskedSoftmax || !softmaxBackward) return fallback;
  return {
    layerNorm(x, xOffset, rows, cols, weight, bias, eps, y, mean, rstd) {
      if (!oneKind(x, weight, bias, y, mean, rstd)) return fallback.layerNorm(x, xOffset, rows, cols, weight, bias, eps, y, mean, rstd);
      layerNorm.call(addon, x, xOffset, rows, cols, weight, bias, eps, y, mean, rstd);
    },
    layerNormBackward(g, gOffset, x, xOffset, mean, rstd, weight, rows, cols, dx, dweight, dbias) {
      if (!oneKind(g, x, mean, rstd, weight, dx, dweight, dbias)) {
        return fallback.layerNormBackward(g, gOffset, x, xOffset, mean, rstd, weight, rows, cols, dx, dweight, dbias);
      }
      layerNormBackward.call(addon, g, gOffset, x, xOffset, mean, rstd, weight, rows, cols, dx, dweight, dbias);
    },
    lstmCell(gi, giOffset, gh, ghOffset, c, cOffset, n, h, hy, cy, workspace) {
      if (!oneKind(gi, gh, c, hy, cy, workspace)) return fallback.lstmCell(gi, giOffset, gh, ghOffset, c, cOffset, n, h, hy, cy, workspace);
      lstmCell.call(addon, gi, giOffset, gh, ghOffset, c, cOffset, n, h, hy, cy, workspace);
    },
    lstmCellBackward(dh, dhOffset, dc, dcOffset, workspace, c, cOffset, cy, n, h, dgates, dcPrev) {
      if (!oneKind(workspace, dh, dc, c, cy, dgates, dcPrev)) {
        return fallback.lstmCellBackward(dh, dhOffset, dc, dcOffset, workspace, c, cOffset, cy, n, h, dgates, dcPrev);
      }
      lstmCellBackward.call(addon, dh, dhOffset, dc, dcOffset, workspace, c, cOffset, cy, n, h, dgates, dcPrev);
    },
    gruCell(gi, giOffset, gh, ghOffset, hx, hxOffset, n, h, hy, workspace) {
      if (!oneKind(gi, gh, hx, hy, workspace)) return fallback.gruCell(gi, giOffset, gh, ghOffset, hx, hxOffset, n, h, hy, workspace);
      gruCell.call(addon, gi, giOffset, gh, ghOffset, hx, hxOffset, n, h, hy, workspace);
    },
    maskedSoftmax(x, xOffset, rows, cols, mask, maskOffset, maskRows, out) {
      if (!oneKind(x, mask, out)) return fallback.maskedSoftmax(x, xOffset, rows, cols, mask, maskOffset, maskRows, out);
      maskedSoftmax.call(addon, x, xOffset, rows, cols, mask, maskOffset, maskRows, out);
    },
    softmaxBackward(y, g, gOffset, rows, cols, dx) {
      if (!oneKind(y, g, dx)) return fallback.softmaxBackward(y, g, gOffset, rows, cols, dx);
      softmaxBackward.call(addon, y, g, gOffset, rows, cols, dx);
    },
    gruCellBackward(dh, dhOffset, workspace, hx, hxOffset, n, h, dgi, dgh, dhPrev) {
      if (!oneKind(dh, workspace, hx, dgi, dgh, dhPrev)) {
        return fallback.gruCellBackward(dh, dhOffset, workspace, hx, hxOffset, n, h, dgi, dgh, dhPrev);
      }
      gruCellBackward.call(addon, dh, dhOffset, workspace, hx, hxOffset, n, h, dgi, dgh, dhPrev);
    },
  };
}

/** The family factory for ts/backend/native.ts. */
export function nativeSequence(ctx: FamilyContext<NativeAddon>): Partial<Kernels> {
  return makeNativeSequenceKernels(ctx.addon, ctx.js);
}
