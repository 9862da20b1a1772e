import { checkNnOptions } from "./options";
import type { Tensor } from "../tensor";
import * as ops from "../ops/index";
import { Module } from "./module";
import { gelu, mish, silu, softplus, type GeluOptions } from "./functional/activation-more";

export class GELU extends Module<[Tensor], Tensor> {
  readonly approximate: "none" | "tanh";
  constructor(opts: GeluOptions = {}) {
    super();
    checkNnOptions("GELU", opts, { approximate: true });
    this.approximate = opts.approximate ?? "none";
    if (this.approximate !== "none" && this.approximate !== "tanh") throw new RangeError("approximate argument must be either none or tanh.");
  }
  override forward(x: Tensor): Tensor {
    return gelu(x, { approximate: this.approximate });
  }
  override extraRepr(): string {
    return `approximate='${this.approximate}'`;
  }
}

export class SiLU extends Module<[Tensor], Tensor> {
  override forward(x: Tensor): Tensor {
    return silu(x);
  }
}

export class Mish extends Module<[Tensor], Tensor> {
  override forward(x: Tensor): Tensor {
    return mish(x);
  }
}

export class Softplus extends Module<[Tensor], Tensor> {
  constructor(readonly beta = 1, readonly threshold = 20) {
    super();
  }
  override forward(x: Tensor): Tensor {
    return softplus(x, { beta: this.beta, threshold: this.threshold });
  }
  override extraRepr(): string {
    return `beta=${this.beta}, threshold=${this.threshold}`;
  }
}

export class LogSoftmax extends Module<[Tensor], Tensor> {
  constructor(readonly dim: number) {
    super();
  }
  override forward(x: Tensor): Tensor {
    return ops.logSoftmax(x, this.dim);
  }
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

