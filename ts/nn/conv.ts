import { checkNnOptions } from "./options";
import { Tensor } from "../tensor";
import { empty } from "../creation";
import type { DType } from "../backend/types";
import { noGrad } from "../autograd/grad-mode";
import { convNd, convTransposeNd, expandParam, type Padding } from "../ops/conv";
import { defaultGenerator, kaimingUniformBound, linearBiasBound, uniform } from "../random/index";
import { Module } from "./module";
import { Parameter } from "./parameter";

type IntOrList = number | readonly number[];

export interface ConvModuleOptions {
  stride?: IntOrList;
  padding?: Padding;
  dilation?: IntOrList;
  groups?: number;
  bias?: boolean;
  paddingMode?: "zeros";
  dtype?: DType;
}

/** Python's repr of a tuple of ints: (5, 5) or (5,). */
function pyTuple(v: readonly number[]): string {
  return v.length === 1 ? `(${v[0]},)` : `(${v.join(", ")})`;
}

/** PyTorch's _ConvNd: the weight [out, in/groups, ...kernel] and bias, initialized as reset_parameters does. */
abstract class ConvNd extends Module<[Tensor], Tensor> {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: number[];
  readonly stride: number[];
  readonly padding: number[] | "same" | "valid";
  readonly dilation: number[];
  readonly groups: number;
  readonly paddingMode: string;
  weight: Parameter;
  bias!: Parameter | null;

  constructor(nd: 1 | 2, inChannels: number, outChannels: number, kernelSize: IntOrList, opts: ConvModuleOptions) {
    super();
    checkNnOptions(new.target.name, opts, { stride: true, padding: true, dilation: true, groups: true, bias: true, paddingMode: true, dtype: true });
    const groups = opts.groups ?? 1;
    if (!Number.isInteger(groups) || groups <= 0) throw new RangeError("groups must be a positive integer");
    if (inChannels % groups !== 0) throw new RangeError("in_channels must be divisible by groups");
    if (outChannels % groups !== 0) throw new RangeError("out_channels must be divisible by groups");
    const padding = opts.padding ?? 0;
    const stride = expandParam(opts.stride ?? 1, nd, "stride");
    if (typeof padding === "string") {
      if (padding !== "same" && padding !== "valid") {
        throw new RangeError(`Invalid padding string '${padding}', should be one of {'valid', 'same'}`);
      }
      if (padding === "same" && stride.some((s) => s !== 1)) {
        throw new RangeError("padding='same' is not supported for strided convolutions");
      }
    }
    if ((opts.paddingMode ?? "zeros") !== "zeros") {
      throw new RangeError(`padding_mode '${opts.paddingMode}' is not supported yet; only 'zeros'`);
    }
    const dtype = opts.dtype ?? "float32";
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = expandParam(kernelSize, nd, "kernel_size");
    this.stride = stride;
    this.padding = typeof padding === "string" ? padding : expandParam(padding, nd, "padding");
    this.dilation = expandParam(opts.dilation ?? 1, nd, "dilation");
    this.groups = groups;
    this.paddingMode = "zeros";
    this.weight = new Parameter(empty([outChannels, inChannels / groups, ...this.kernelSize], { dtype }));
    if (opts.bias ?? true) this.bias = new Parameter(empty([outChannels], { dtype }));
    else this.registerParameter("bias", null);
    this.resetParameters();
  }

  /** kaiming_uniform_(a=√5) on the weight, then the bias uniform in ±1/√fan_in, from the global generator. */
  resetParameters(): void {
    const fanIn = (this.inChannels / this.groups) * this.kernelSize.reduce((a, b) => a * b, 1);
    noGrad(() => {
      const wb = fanIn > 0 ? kaimingUniformBound(fanIn) : 0;
      fill(this.weight, -wb, wb);
      if (this.bias !== null && fanIn !== 0) {
        const bb = linearBiasBound(fanIn);
        fill(this.bias, -bb, bb);
      }
    });
  }

  protected convForward(nd: 1 | 2, input: Tensor): Tensor {
    return convNd(nd, input, this.weight, this.bias, {
      stride: this.stride, padding: this.padding, dilation: this.dilation, groups: this.groups,
    });
  }

  override extraRepr(): string {
    let s = `${this.inChannels}, ${this.outChannels}, kernel_size=${pyTuple(this.kernelSize)}, stride=${pyTuple(this.stride)}`;
    if (typeof this.padding === "string") s += `, padding=${this.padding}`;
    else if (this.padding.some((p) => p !== 0)) s += `, padding=${pyTuple(this.padding)}`;
    if (this.dilation.some((d) => d !== 1)) s += `, dilation=${pyTuple(this.dilation)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (this.bias === null) s += ", bias=False";
    return s;
  }
}

/** torch.nn.Conv1d over (N, C, L) or (C, L). */
export class Conv1d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: IntOrList, opts: ConvModuleOptions = {}) {
    super(1, inChannels, outChannels, kernelSize, opts);
  }
  override forward(input: Tensor): Tensor {
    return this.convForward(1, input);
  }
}

/** torch.nn.Conv2d over (N, C, H, W) or (C, H, W). */
export class Conv2d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: IntOrList, opts: ConvModuleOptions = {}) {
    super(2, inChannels, outChannels, kernelSize, opts);
  }
  override forward(input: Tensor): Tensor {
    return this.convForward(2, input);
  }
}

function fill(p: Tensor, from: number, to: number): void {
  if (p.numel() === 0) return;
  uniform(defaultGenerator, p._data as Float32Array | Float64Array, from, to);
}

export interface ConvTransposeModuleOptions {
  stride?: IntOrList;
  padding?: IntOrList;
  outputPadding?: IntOrList;
  groups?: number;
  bias?: boolean;
  dilation?: IntOrList;
  paddingMode?: "zeros";
  dtype?: DType;
}

/** PyTorch's _ConvTransposeNd: weight [in, out/groups, ...kernel], initialized as _ConvNd (fan_in from weight.size(1)). */
abstract class ConvTransposeNd extends Module<[Tensor], Tensor> {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: number[];
  readonly stride: number[];
  readonly padding: number[];
  readonly outputPadding: number[];
  readonly dilation: number[];
  readonly groups: number;
  weight: Parameter;
  bias!: Parameter | null;

  constructor(private readonly nd: 1 | 2, inChannels: number, outChannels: number, kernelSize: IntOrList, opts: ConvTransposeModuleOptions) {
    super();
    checkNnOptions(new.target.name, opts, {
      stride: true, padding: true, outputPadding: true, groups: true, bias: true, dilation: true, paddingMode: true, dtype: true,
    });
    const groups = opts.groups ?? 1;
    if (!Number.isInteger(groups) || groups <= 0) throw new RangeError("groups must be a positive integer");
    if (inChannels % groups !== 0) throw new RangeError("in_channels must be divisible by groups");
    if (outChannels % groups !== 0) throw new RangeError("out_channels must be divisible by groups");
    if (typeof (opts.padding as unknown) === "string") throw new RangeError(`Only "zeros" padding mode is supported for ConvTranspose${nd}d`);
    if ((opts.paddingMode ?? "zeros") !== "zeros") throw new RangeError(`Only "zeros" padding mode is supported for ConvTranspose${nd}d`);
    const dtype = opts.dtype ?? "float32";
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = expandParam(kernelSize, nd, "kernel_size");
    this.stride = expandParam(opts.stride ?? 1, nd, "stride");
    this.padding = expandParam(opts.padding ?? 0, nd, "padding");
    this.outputPadding = expandParam(opts.outputPadding ?? 0, nd, "output_padding");
    this.dilation = expandParam(opts.dilation ?? 1, nd, "dilation");
    this.groups = groups;
    this.weight = new Parameter(empty([inChannels, outChannels / groups, ...this.kernelSize], { dtype }));
    if (opts.bias ?? true) this.bias = new Parameter(empty([outChannels], { dtype }));
    else this.registerParameter("bias", null);
    this.resetParameters();
  }

  resetParameters(): void {
    const fanIn = (this.outChannels / this.groups) * this.kernelSize.reduce((a, b) => a * b, 1);
    noGrad(() => {
      const wb = fanIn > 0 ? kaimingUniformBound(fanIn) : 0;
      fill(this.weight, -wb, wb);
      if (this.bias !== null && fanIn !== 0) {
        const bb = linearBiasBound(fanIn);
        fill(this.bias, -bb, bb);
      }
    });
  }

  override forward(input: Tensor): Tensor {
    return convTransposeNd(this.nd, input, this.weight, this.bias, {
      stride: this.stride, padding: this.padding, outputPadding: this.outputPadding, groups: this.groups, dilation: this.dilation,
    });
  }

  override extraRepr(): string {
    let s = `${this.inChannels}, ${this.outChannels}, kernel_size=${pyTuple(this.kernelSize)}, stride=${pyTuple(this.stride)}`;
    if (this.padding.some((p) => p !== 0)) s += `, padding=${pyTuple(this.padding)}`;
    if (this.dilation.some((d) => d !== 1)) s += `, dilation=${pyTuple(this.dilation)}`;
    if (this.outputPadding.some((p) => p !== 0)) s += `, output_padding=${pyTuple(this.outputPadding)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (this.bias === null) s += ", bias=False";
    return s;
  }
}

/** torch.nn.ConvTranspose1d over (N, C, L) or (C, L). */
export class ConvTranspose1d extends ConvTransposeNd {
  constructor(inChannels: number, outChannels: number, kernelSize: IntOrList, opts: ConvTransposeModuleOptions = {}) {
    super(1, inChannels, outChannels, kernelSize, opts);
  }
}

/** torch.nn.ConvTranspose2d over (N, C, H, W) or (C, H, W). */
export class ConvTranspose2d extends ConvTransposeNd {
  constructor(inChannels: number, outChannels: number, kernelSize: IntOrList, opts: ConvTransposeModuleOptions = {}) {
    super(2, inChannels, outChannels, kernelSize, opts);
  }
}
