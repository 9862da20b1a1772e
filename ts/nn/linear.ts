import { checkNnOptions } from "./options";
import { Tensor } from "../tensor";
import { empty } from "../creation";
import type { DType } from "../backend/types";
import { noGrad } from "../autograd/grad-mode";
import { linear } from "../ops/index";
import { defaultGenerator, kaimingUniformBound, linearBiasBound, uniform } from "../random/index";
import { Module } from "./module";
import { Parameter } from "./parameter";

export interface LinearOptions {
  bias?: boolean;
  dtype?: DType;
}

/** y = x·Wᵀ + b, with PyTorch's default initialization (kaiming_uniform_(a=√5) weight, then bias). */
export class Linear extends Module<[Tensor], Tensor> {
  readonly inFeatures: number;
  readonly outFeatures: number;
  weight: Parameter;
  bias!: Parameter | null;

  constructor(inFeatures: number, outFeatures: number, opts: LinearOptions = {}) {
    super();
    checkNnOptions("Linear", opts, { bias: true, dtype: true });
    if (!Number.isInteger(inFeatures) || !Number.isInteger(outFeatures) || inFeatures < 0 || outFeatures < 0) {
      throw new RangeError(`Linear(): in_features and out_features must be non-negative integers, got ${inFeatures} and ${outFeatures}`);
    }
    const dtype = opts.dtype ?? "float32";
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    this.weight = new Parameter(empty([outFeatures, inFeatures], { dtype }));
    if (opts.bias ?? true) this.bias = new Parameter(empty([outFeatures], { dtype }));
    else this.registerParameter("bias", null);
    this.resetParameters();
  }

  /** PyTorch's reset_parameters: weight first, then bias, both from the global generator. */
  resetParameters(): void {
    noGrad(() => {
      const wb = kaimingUniformBound(this.inFeatures);
      fill(this.weight, -wb, wb);
      if (this.bias !== null) {
        const bb = linearBiasBound(this.inFeatures);
        fill(this.bias, -bb, bb);
      }
    });
  }

  override forward(input: Tensor): Tensor {
    return linear(input, this.weight, this.bias);
  }

  override extraRepr(): string {
    return `in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${this.bias !== null ? "True" : "False"}`;
  }
}

function fill(p: Tensor, from: number, to: number): void {
  if (p.numel() === 0) return;
  uniform(defaultGenerator, p._data as Float32Array | Float64Array, from, to);
}
