import { checkNnOptions } from "./options";
import { Tensor } from "../tensor";
import { ones, zeros, tensor } from "../creation";
import type { DType } from "../backend/types";
import { noGrad } from "../autograd/grad-mode";
import { batchNorm, groupNorm } from "../ops/norm";
import { add_ } from "../ops/inplace";
import { Module } from "./module";
import { Parameter } from "./parameter";

/** Python's repr of a float: 0.1, 1.0, 1e-05 (scientific below 1e-4 and from 1e16, as Python). */
export function pyRepr(v: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? "nan" : v > 0 ? "inf" : "-inf";
  if (Number.isInteger(v) && Math.abs(v) < 1e16) return v.toFixed(1);
  const [mant, e] = v.toExponential().split("e");
  const exp = Number(e);
  if (exp < -4 || exp >= 16) return `${mant}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  return String(v);
}

export interface BatchNormModuleOptions {
  eps?: number;
  /** null: a cumulative moving average (PyTorch's momentum=None). */
  momentum?: number | null;
  affine?: boolean;
  trackRunningStats?: boolean;
  dtype?: DType;
}

/**
 * PyTorch's _BatchNorm: weight (ones) and bias (zeros) when affine; buffers running_mean, running_var and
 * num_batches_tracked (PyTorch's state-dict names) when tracking running statistics.
 */
abstract class BatchNormNd extends Module<[Tensor], Tensor> {
  readonly numFeatures: number;
  readonly eps: number;
  momentum: number | null;
  readonly affine: boolean;
  readonly trackRunningStats: boolean;
  weight!: Parameter | null;
  bias!: Parameter | null;

  constructor(numFeatures: number, opts: BatchNormModuleOptions) {
    super();
    checkNnOptions(new.target.name, opts, { eps: true, momentum: true, affine: true, trackRunningStats: true, dtype: true });
    if (!Number.isInteger(numFeatures) || numFeatures < 0) throw new RangeError(`num_features must be a non-negative integer, got ${numFeatures}`);
    const dtype = opts.dtype ?? "float32";
    this.numFeatures = numFeatures;
    this.eps = opts.eps ?? 1e-5;
    this.momentum = opts.momentum === undefined ? 0.1 : opts.momentum;
    this.affine = opts.affine ?? true;
    this.trackRunningStats = opts.trackRunningStats ?? true;
    if (this.affine) {
      this.weight = new Parameter(ones([numFeatures], { dtype }));
      this.bias = new Parameter(zeros([numFeatures], { dtype }));
    } else {
      this.registerParameter("weight", null);
      this.registerParameter("bias", null);
    }
    if (this.trackRunningStats) {
      this.registerBuffer("running_mean", zeros([numFeatures], { dtype }));
      this.registerBuffer("running_var", ones([numFeatures], { dtype }));
      this.registerBuffer("num_batches_tracked", tensor(0, { dtype: "int32" }));
    } else {
      this.registerBuffer("running_mean", null);
      this.registerBuffer("running_var", null);
      this.registerBuffer("num_batches_tracked", null);
    }
  }

  get runningMean(): Tensor | null {
    return this._buffers.get("running_mean") ?? null;
  }
  get runningVar(): Tensor | null {
    return this._buffers.get("running_var") ?? null;
  }
  get numBatchesTracked(): Tensor | null {
    return this._buffers.get("num_batches_tracked") ?? null;
  }

  resetRunningStats(): void {
    noGrad(() => {
      this.runningMean?.zero_();
      this.runningVar?.fill_(1);
      this.numBatchesTracked?.zero_();
    });
  }

  protected abstract checkInputDim(input: Tensor): void;

  override forward(input: Tensor): Tensor {
    this.checkInputDim(input);
    let factor = this.momentum ?? 0;
    if (this.training && this.trackRunningStats) {
      const nbt = this.numBatchesTracked;
      if (nbt !== null) {
        noGrad(() => add_(nbt, 1));
        factor = this.momentum === null ? 1 / nbt.item() : this.momentum;
      }
    }
    const rm = this.runningMean;
    const rv = this.runningVar;
    const bnTraining = this.training || (rm === null && rv === null);
    const useStats = !this.training || this.trackRunningStats;
    return batchNorm(input, useStats ? rm : null, useStats ? rv : null, this.weight, this.bias, {
      training: bnTraining, momentum: factor, eps: this.eps,
    });
  }

  override extraRepr(): string {
    const m = this.momentum === null ? "None" : pyRepr(this.momentum);
    const b = (v: boolean) => (v ? "True" : "False");
    return `${this.numFeatures}, eps=${pyRepr(this.eps)}, momentum=${m}, affine=${b(this.affine)}, track_running_stats=${b(this.trackRunningStats)}`;
  }
}

/** torch.nn.BatchNorm1d over (N, C) or (N, C, L). */
export class BatchNorm1d extends BatchNormNd {
  constructor(numFeatures: number, opts: BatchNormModuleOptions = {}) {
    super(numFeatures, opts);
  }
  protected override checkInputDim(input: Tensor): void {
    if (input.ndim !== 2 && input.ndim !== 3) throw new RangeError(`expected 2D or 3D input (got ${input.ndim}D input)`);
  }
}

/** torch.nn.BatchNorm2d over (N, C, H, W). */
export class BatchNorm2d extends BatchNormNd {
  constructor(numFeatures: number, opts: BatchNormModuleOptions = {}) {
    super(numFeatures, opts);
  }
  protected override checkInputDim(input: Tensor): void {
    if (input.ndim !== 4) throw new RangeError(`expected 4D input (got ${input.ndim}D input)`);
  }
}

export interface GroupNormModuleOptions {
  eps?: number;
  affine?: boolean;
  dtype?: DType;
}

/** torch.nn.GroupNorm(numGroups, numChannels, { eps, affine }): weight ones, bias zeros. */
export class GroupNorm extends Module<[Tensor], Tensor> {
  readonly numGroups: number;
  readonly numChannels: number;
  readonly eps: number;
  readonly affine: boolean;
  weight!: Parameter | null;
  bias!: Parameter | null;

  constructor(numGroups: number, numChannels: number, opts: GroupNormModuleOptions = {}) {
    super();
    checkNnOptions("GroupNorm", opts, { eps: true, affine: true, dtype: true });
    if (numChannels % numGroups !== 0) throw new RangeError("num_channels must be divisible by num_groups");
    const dtype = opts.dtype ?? "float32";
    this.numGroups = numGroups;
    this.numChannels = numChannels;
    this.eps = opts.eps ?? 1e-5;
    this.affine = opts.affine ?? true;
    if (this.affine) {
      this.weight = new Parameter(ones([numChannels], { dtype }));
      this.bias = new Parameter(zeros([numChannels], { dtype }));
    } else {
      this.registerParameter("weight", null);
      this.registerParameter("bias", null);
    }
  }

  override forward(input: Tensor): Tensor {
    return groupNorm(input, this.numGroups, this.weight, this.bias, this.eps);
  }

  override extraRepr(): string {
    return `${this.numGroups}, ${this.numChannels}, eps=${pyRepr(this.eps)}, affine=${this.affine ? "True" : "False"}`;
  }
}
