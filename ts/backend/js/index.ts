import { registerKernels, kernelTable } from "../registry.js";
import type { Backend } from "../types.js";
import { argReduce } from "./arg-reduce.js";
import { binary } from "./binary.js";
import { fill } from "./fill.js";
import { gemm } from "./gemm.js";
import { gather, indexAdd, indexSelect, scatterAdd } from "./index-ops.js";
import { adamStep, sgdStep } from "./optim.js";
import { reduce } from "./reduce.js";
import { softmax } from "./softmax.js";
import { unary } from "./unary.js";
import { where } from "./where.js";
import { col2im, im2col, maxPool2d, maxPool2dBackward } from "./vision.js";
import { batchNormApply, batchNormBackward, batchNormStats } from "./batch-norm.js";
import { halfAware } from "./half-kernels.js";
import { gemmBf16 } from "./gemm-bf16.js";
import { scatter } from "./scatter.js";
import { nllLoss, nllLossMask } from "./loss.js";
import { gruCell, gruCellBackward, layerNorm, layerNormBackward, lstmCell, lstmCellBackward, maskedSoftmax, softmaxBackward } from "./sequence.js";
import { batchNormCoefficients, batchNormLoadStats, batchNormUpdateRunning, channelsToView, convBiasFill } from "./channel-params.js";

registerKernels("js", {
  ...halfAware({ unary, binary, where, fill, reduce, argReduce, indexAdd, scatterAdd }),
  softmax,
  gemm,
  indexSelect,
  gather,
  sgdStep,
  adamStep,
  im2col,
  col2im,
  maxPool2d,
  gemmBf16,
  scatter,
  nllLoss,
  nllLossMask,
  maxPool2dBackward,
  batchNormStats,
  batchNormApply,
  batchNormBackward,
  layerNorm,
  layerNormBackward,
  lstmCell,
  lstmCellBackward,
  gruCell,
  gruCellBackward,
  maskedSoftmax,
  softmaxBackward,
  batchNormLoadStats,
  batchNormCoefficients,
  batchNormUpdateRunning,
  channelsToView,
  convBiasFill,
});

/** The pure-TypeScript backend: single-threaded, the portable reference for the native one, and every kernel's fallback. */
export const jsBackend: Backend = {
  ...kernelTable("js"),
  name: "js",
  setNumThreads(n: number): void {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`setNumThreads: expected a positive integer, got ${n}`);
  },
  getNumThreads(): number {
    return 1;
  },
};
