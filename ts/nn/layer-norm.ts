import { checkNnOptions } from "./options";
import type { Tensor } from "../tensor";
import { ones, zeros } from "../creation";
import type { DType } from "../backend/types";
import * as ops from "../ops/index";
import { checkTensor } from "../ops/core";
import { Module } from "./module";
import { Parameter } from "./parameter";
import { pyFloat } from "./activations";
import { fusable, fusedLayerNorm } from "../ops/sequence";

function normDims(x: Tensor, shape: readonly number[], what: string): number[] {
  const k = shape.length;
  const tail = x.shape.slice(x.ndim - k);
  if (x.ndim < k || tail.some((d, i) => d !== shape[i])) {
    throw new RangeError(
      `Given normalized_shape=[${shape.join(", ")}], expected input with shape [*, ${shape.join(", ")}], but got input of size[${x.shape.join(", ")}]`,
    );
  }
  void what;
  return shape.map((_, i) => x.ndim - k + i);
}

/** (x − mean)/√(var + eps)·weight + bias over the trailing `normalizedShape` dims, biased variance (torch.nn.functional.layer_norm). */
export function layerNorm(x: Tensor, normalizedShape: readonly number[], weight: Tensor | null = null, bias: Tensor | null = null, eps = 1e-5): Tensor {
  checkTensor(x, "layer_norm", "input");
  const dims = normDims(x, normalizedShape, "layer_norm");
  // One fused op (NativeLayerNormBackward0) when weight and bias have the normalized shape, as PyTorch requires.
  const fits = (t: Tensor | null): boolean => t === null || (t.ndim === normalizedShape.length && t.shape.every((d, i) => d === normalizedShape[i]));
  if (fusable(x, weight, bias) && fits(weight) && fits(bias)) return fusedLayerNorm(x, dims.length, weight, bias, eps);
  const mean = ops.mean(x, dims, true);
  const centered = ops.sub(x, mean);
  const variance = ops.mean(ops.mul(centered, centered), dims, true);
  let y = ops.mul(centered, ops.rsqrt(ops.add(variance, eps)));
  if (weight !== null) y = ops.mul(y, weight);
  if (bias !== null) y = ops.add(y, bias);
  return y;
}

/** x/√(mean(x²) + eps)·weight over the trailing dims (torch.nn.functional.rms_norm); eps defaults to the dtype's machine epsilon. */
export function rmsNorm(x: Tensor, normalizedShape: readonly number[], weight: Tensor | null = null, eps: number | null = null): Tensor {
  checkTensor(x, "rms_norm", "input");
  const dims = normDims(x, normalizedShape, "rms_norm");
  const e = eps ?? (x.dtype === "float64" ? 2.220446049250313e-16 : 1.1920928955078125e-7);
  let y = ops.mul(x, ops.rsqrt(ops.add(ops.mean(ops.mul(x, x), dims, true), e)));
  if (weight !== null) y = ops.mul(y, weight);
  return y;
}

export interface LayerNormOptions {
  eps?: number;
  elementwiseAffine?: boolean;
  bias?: boolean;
  dtype?: DType;
}

function shapeOf(s: number | readonly number[]): number[] {
  return typeof s === "number" ? [s] : [...s];
}

export class LayerNorm extends Module<[Tensor], Tensor> {
  readonly normalizedShape: number[];
  readonly eps: number;
  readonly elementwiseAffine: boolean;
  weight!: Parameter | null;
  bias!: Parameter | null;

  constructor(normalizedShape: number | readonly number[], opts: LayerNormOptions = {}) {
    super();
    checkNnOptions("LayerNorm", opts, { eps: true, elementwiseAffine: true, bias: true, dtype: true });
    this.normalizedShape = shapeOf(normalizedShape);
    this.eps = opts.eps ?? 1e-5;
    this.elementwiseAffine = opts.elementwiseAffine ?? true;
    const dtype = opts.dtype ?? "float32";
    if (this.elementwiseAffine) {
      this.weight = new Parameter(ones(this.normalizedShape, { dtype }));
      if (opts.bias ?? true) this.bias = new Parameter(zeros(this.normalizedShape, { dtype }));
      else this.registerParameter("bias", null);
    } else {
      this.registerParameter("weight", null);
      this.registerParameter("bias", null);
    }
  }

  override forward(x: Tensor): Tensor {
    return layerNorm(x, this.normalizedShape, this.weight, this.bias, this.eps);
  }

  override extraRepr(): string {
    return `(${this.normalizedShape.join(", ")}${this.normalizedShape.length === 1 ? "," : ""}), eps=${pyFloat(this.eps)}, elementwise_affine=${this.elementwiseAffine ? "True" : "False"}`;
  }
}

export interface RMSNormOptions {
  eps?: number | null;
  elementwiseAffine?: boolean;
  dtype?: DType;
}

export class RMSNorm extends Module<[Tensor], Tensor> {
  readonly normalizedShape: number[];
  readonly eps: number | null;
  readonly elementwiseAffine: boolean;
  weight!: Parameter | null;

  constructor(normalizedShape: number | readonly number[], opts: RMSNormOptions = {}) {
    super();
    checkNnOptions("RMSNorm", opts, { eps: true, elementwiseAffine: true, dtype: true });
    this.normalizedShape = shapeOf(normalizedShape);
    this.eps = opts.eps ?? null;
    this.elementwiseAffine = opts.elementwiseAffine ?? true;
    if (this.elementwiseAffine) this.weight = new Parameter(ones(this.normalizedShape, { dtype: opts.dtype ?? "float32" }));
    else this.registerParameter("weight", null);
  }

  override forward(x: Tensor): Tensor {
    return rmsNorm(x, this.normalizedShape, this.weight, this.eps);
  }

  override extraRepr(): string {
    return `(${this.normalizedShape.join(", ")}${this.normalizedShape.length === 1 ? "," : ""}), eps=${this.eps === null ? "None" : pyFloat(this.eps)}, elementwise_affine=${this.elementwiseAffine ? "True" : "False"}`;
  }
}
