import type { Tensor } from "../../tensor";
import { adaptiveAvgPoolNd, avgPoolNd, maxPoolNd, type AvgPoolOptions, type MaxPoolOptions } from "../../ops/pool";

import { checkNnOptions } from "../options";

export type { AvgPoolOptions, MaxPoolOptions } from "../../ops/pool";
type IntOrList = number | readonly number[];

const MAX_POOL_OPTIONS: Record<keyof MaxPoolOptions, true> = { stride: true, padding: true, dilation: true, ceilMode: true, returnIndices: true };
const AVG_POOL_OPTIONS: Record<keyof AvgPoolOptions, true> = { stride: true, padding: true, ceilMode: true, countIncludePad: true, divisorOverride: true };

export function maxPool1d(input: Tensor, kernelSize: IntOrList, opts?: MaxPoolOptions & { returnIndices?: false }): Tensor;
export function maxPool1d(input: Tensor, kernelSize: IntOrList, opts: MaxPoolOptions & { returnIndices: true }): [Tensor, Tensor];
export function maxPool1d(input: Tensor, kernelSize: IntOrList, opts: MaxPoolOptions = {}): Tensor | [Tensor, Tensor] {
  return maxPoolNd(1, input, kernelSize, checkNnOptions("maxPool1d()", opts, MAX_POOL_OPTIONS));
}

export function maxPool2d(input: Tensor, kernelSize: IntOrList, opts?: MaxPoolOptions & { returnIndices?: false }): Tensor;
export function maxPool2d(input: Tensor, kernelSize: IntOrList, opts: MaxPoolOptions & { returnIndices: true }): [Tensor, Tensor];
export function maxPool2d(input: Tensor, kernelSize: IntOrList, opts: MaxPoolOptions = {}): Tensor | [Tensor, Tensor] {
  return maxPoolNd(2, input, kernelSize, checkNnOptions("maxPool2d()", opts, MAX_POOL_OPTIONS));
}

export function avgPool1d(input: Tensor, kernelSize: IntOrList, opts: AvgPoolOptions = {}): Tensor {
  return avgPoolNd(1, input, kernelSize, checkNnOptions("avgPool1d()", opts, AVG_POOL_OPTIONS));
}

export function avgPool2d(input: Tensor, kernelSize: IntOrList, opts: AvgPoolOptions = {}): Tensor {
  return avgPoolNd(2, input, kernelSize, checkNnOptions("avgPool2d()", opts, AVG_POOL_OPTIONS));
}

export function adaptiveAvgPool1d(input: Tensor, outputSize: number | readonly number[]): Tensor {
  return adaptiveAvgPoolNd(1, input, outputSize);
}

export function adaptiveAvgPool2d(input: Tensor, outputSize: number | readonly (number | null)[]): Tensor {
  return adaptiveAvgPoolNd(2, input, outputSize);
}
