import { checkNnOptions } from "./options";
import type { Tensor } from "../tensor";
import { adaptiveAvgPoolNd, avgPoolNd, maxPoolNd } from "../ops/pool";
import { Module } from "./module";

type IntOrList = number | readonly number[];

/** Python's repr of an int or a tuple of ints. */
function py(v: IntOrList | readonly (number | null)[]): string {
  if (typeof v === "number") return String(v);
  const items = v.map((x) => (x === null ? "None" : String(x)));
  return items.length === 1 ? `(${items[0]},)` : `(${items.join(", ")})`;
}

export interface MaxPoolModuleOptions {
  padding?: IntOrList;
  dilation?: IntOrList;
  returnIndices?: boolean;
  ceilMode?: boolean;
}

/** torch.nn.MaxPool1d / MaxPool2d: (kernelSize, stride = kernelSize, { padding, dilation, returnIndices, ceilMode }). */
abstract class MaxPoolNd extends Module<[Tensor], Tensor> {
  readonly kernelSize: IntOrList;
  readonly stride: IntOrList;
  readonly padding: IntOrList;
  readonly dilation: IntOrList;
  readonly returnIndices: boolean;
  readonly ceilMode: boolean;
  constructor(private readonly nd: 1 | 2, kernelSize: IntOrList, stride?: IntOrList | null, opts: MaxPoolModuleOptions = {}) {
    super();
    checkNnOptions(new.target.name, opts, { padding: true, dilation: true, returnIndices: true, ceilMode: true });
    this.kernelSize = kernelSize;
    this.stride = stride ?? kernelSize;
    this.padding = opts.padding ?? 0;
    this.dilation = opts.dilation ?? 1;
    this.returnIndices = opts.returnIndices ?? false;
    this.ceilMode = opts.ceilMode ?? false;
  }
  override forward(input: Tensor): Tensor {
    return maxPoolNd(this.nd, input, this.kernelSize, {
      stride: this.stride, padding: this.padding, dilation: this.dilation, ceilMode: this.ceilMode, returnIndices: this.returnIndices,
    }) as Tensor;
  }
  override extraRepr(): string {
    return `kernel_size=${py(this.kernelSize)}, stride=${py(this.stride)}, padding=${py(this.padding)}, dilation=${py(this.dilation)}, ceil_mode=${this.ceilMode ? "True" : "False"}`;
  }
}

/** With returnIndices the call returns [output, indices], as PyTorch's tuple. */
export class MaxPool1d extends MaxPoolNd {
  constructor(kernelSize: IntOrList, stride?: IntOrList | null, opts: MaxPoolModuleOptions = {}) {
    super(1, kernelSize, stride, opts);
  }
}

export class MaxPool2d extends MaxPoolNd {
  constructor(kernelSize: IntOrList, stride?: IntOrList | null, opts: MaxPoolModuleOptions = {}) {
    super(2, kernelSize, stride, opts);
  }
}

export interface AvgPoolModuleOptions {
  padding?: IntOrList;
  ceilMode?: boolean;
  countIncludePad?: boolean;
  divisorOverride?: number | null;
}

export class AvgPool1d extends Module<[Tensor], Tensor> {
  readonly kernelSize: number[];
  readonly stride: number[];
  readonly padding: number[];
  readonly ceilMode: boolean;
  readonly countIncludePad: boolean;
  constructor(kernelSize: IntOrList, stride?: IntOrList | null, opts: AvgPoolModuleOptions = {}) {
    super();
    checkNnOptions("AvgPool1d", opts, { padding: true, ceilMode: true, countIncludePad: true, divisorOverride: true });
    const one = (v: IntOrList): number[] => (typeof v === "number" ? [v] : [v[0]]);
    this.kernelSize = one(kernelSize);
    this.stride = one(stride ?? kernelSize);
    this.padding = one(opts.padding ?? 0);
    this.ceilMode = opts.ceilMode ?? false;
    this.countIncludePad = opts.countIncludePad ?? true;
  }
  override forward(input: Tensor): Tensor {
    return avgPoolNd(1, input, this.kernelSize, {
      stride: this.stride, padding: this.padding, ceilMode: this.ceilMode, countIncludePad: this.countIncludePad,
    });
  }
  override extraRepr(): string {
    return `kernel_size=${py(this.kernelSize)}, stride=${py(this.stride)}, padding=${py(this.padding)}`;
  }
}

export class AvgPool2d extends Module<[Tensor], Tensor> {
  readonly kernelSize: IntOrList;
  readonly stride: IntOrList;
  readonly padding: IntOrList;
  readonly ceilMode: boolean;
  readonly countIncludePad: boolean;
  readonly divisorOverride: number | null;
  constructor(kernelSize: IntOrList, stride?: IntOrList | null, opts: AvgPoolModuleOptions = {}) {
    super();
    checkNnOptions("AvgPool2d", opts, { padding: true, ceilMode: true, countIncludePad: true, divisorOverride: true });
    this.kernelSize = kernelSize;
    this.stride = stride ?? kernelSize;
    this.padding = opts.padding ?? 0;
    this.ceilMode = opts.ceilMode ?? false;
    this.countIncludePad = opts.countIncludePad ?? true;
    this.divisorOverride = opts.divisorOverride ?? null;
  }
  override forward(input: Tensor): Tensor {
    return avgPoolNd(2, input, this.kernelSize, {
      stride: this.stride, padding: this.padding, ceilMode: this.ceilMode,
      countIncludePad: this.countIncludePad, divisorOverride: this.divisorOverride,
    });
  }
  override extraRepr(): string {
    return `kernel_size=${py(this.kernelSize)}, stride=${py(this.stride)}, padding=${py(this.padding)}`;
  }
}

export class AdaptiveAvgPool1d extends Module<[Tensor], Tensor> {
  constructor(readonly outputSize: number | readonly number[]) {
    super();
  }
  override forward(input: Tensor): Tensor {
    return adaptiveAvgPoolNd(1, input, this.outputSize);
  }
  override extraRepr(): string {
    return `output_size=${py(this.outputSize)}`;
  }
}

export class AdaptiveAvgPool2d extends Module<[Tensor], Tensor> {
  constructor(readonly outputSize: number | readonly (number | null)[]) {
    super();
  }
  override forward(input: Tensor): Tensor {
    return adaptiveAvgPoolNd(2, input, this.outputSize);
  }
  override extraRepr(): string {
    return `output_size=${py(this.outputSize)}`;
  }
}
