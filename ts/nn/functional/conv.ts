import type { Tensor } from "../../tensor";
import { convNd, convTransposeNd, type ConvOptions, type ConvTransposeOptions, type Padding } from "../../ops/conv";
import { checkNnOptions } from "../options";

export type { ConvOptions, Padding } from "../../ops/conv";

type IntOrList = number | readonly number[];

/**
 * PyTorch's positional (input, weight, bias, stride, padding, dilation, groups), or the same after `bias` as
 * one options object.
 */
function optionsOf(fn: string, args: unknown[]): ConvOptions {
  if (args.length === 1 && typeof args[0] === "object" && args[0] !== null && !Array.isArray(args[0])) {
    return checkNnOptions<ConvOptions>(`${fn}()`, args[0] as ConvOptions, { stride: true, padding: true, dilation: true, groups: true });
  }
  const [stride, padding, dilation, groups] = args as [IntOrList?, Padding?, IntOrList?, number?];
  return { stride, padding, dilation, groups };
}

export function conv1d(input: Tensor, weight: Tensor, bias?: Tensor | null, opts?: ConvOptions): Tensor;
export function conv1d(input: Tensor, weight: Tensor, bias?: Tensor | null, stride?: IntOrList, padding?: Padding, dilation?: IntOrList, groups?: number): Tensor;
export function conv1d(input: Tensor, weight: Tensor, bias?: Tensor | null, ...rest: unknown[]): Tensor {
  return convNd(1, input, weight, bias, optionsOf("conv1d", rest));
}

export function conv2d(input: Tensor, weight: Tensor, bias?: Tensor | null, opts?: ConvOptions): Tensor;
export function conv2d(input: Tensor, weight: Tensor, bias?: Tensor | null, stride?: IntOrList, padding?: Padding, dilation?: IntOrList, groups?: number): Tensor;
export function conv2d(input: Tensor, weight: Tensor, bias?: Tensor | null, ...rest: unknown[]): Tensor {
  return convNd(2, input, weight, bias, optionsOf("conv2d", rest));
}

export type { ConvTransposeOptions } from "../../ops/conv";

/** PyTorch's positional (input, weight, bias, stride, padding, output_padding, groups, dilation), or an options object after `bias`. */
function transposeOptionsOf(fn: string, args: unknown[]): ConvTransposeOptions {
  if (args.length === 1 && typeof args[0] === "object" && args[0] !== null && !Array.isArray(args[0])) {
    return checkNnOptions<ConvTransposeOptions>(`${fn}()`, args[0] as ConvTransposeOptions, { stride: true, padding: true, outputPadding: true, groups: true, dilation: true });
  }
  const [stride, padding, outputPadding, groups, dilation] = args as [IntOrList?, IntOrList?, IntOrList?, number?, IntOrList?];
  return { stride, padding, outputPadding, groups, dilation };
}

export function convTranspose1d(input: Tensor, weight: Tensor, bias?: Tensor | null, opts?: ConvTransposeOptions): Tensor;
export function convTranspose1d(input: Tensor, weight: Tensor, bias?: Tensor | null, stride?: IntOrList, padding?: IntOrList, outputPadding?: IntOrList, groups?: number, dilation?: IntOrList): Tensor;
export function convTranspose1d(input: Tensor, weight: Tensor, bias?: Tensor | null, ...rest: unknown[]): Tensor {
  return convTransposeNd(1, input, weight, bias, transposeOptionsOf("convTranspose1d", rest));
}

export function convTranspose2d(input: Tensor, weight: Tensor, bias?: Tensor | null, opts?: ConvTransposeOptions): Tensor;
export function convTranspose2d(input: Tensor, weight: Tensor, bias?: Tensor | null, stride?: IntOrList, padding?: IntOrList, outputPadding?: IntOrList, groups?: number, dilation?: IntOrList): Tensor;
export function convTranspose2d(input: Tensor, weight: Tensor, bias?: Tensor | null, ...rest: unknown[]): Tensor {
  return convTransposeNd(2, input, weight, bias, transposeOptionsOf("convTranspose2d", rest));
}
