import type { Tensor } from "../tensor";
import * as ops from "../ops/index";
import { Module } from "./module";

/** Python's repr of a float: always with a decimal point or exponent (0.01, 1.0, 1e-05). */
export function pyFloat(v: number): string {
  if (Number.isInteger(v) && Math.abs(v) < 1e16) return v.toFixed(1);
  // Python switches to exponent notation below 1e-4 (JavaScript only below 1e-6).
  const s = v !== 0 && Math.abs(v) < 1e-4 ? v.toExponential() : String(v);
  return s.replace(/e([+-])(\d)$/, "e$10$2");
}

export class Tanh extends Module<[Tensor], Tensor> {
  override forward(x: Tensor): Tensor {
    return ops.tanh(x);
  }
}

export class ReLU extends Module<[Tensor], Tensor> {
  override forward(x: Tensor): Tensor {
    return ops.relu(x);
  }
}

export class Sigmoid extends Module<[Tensor], Tensor> {
  override forward(x: Tensor): Tensor {
    return ops.sigmoid(x);
  }
}

export class LeakyReLU extends Module<[Tensor], Tensor> {
  readonly negativeSlope: number;
  constructor(negativeSlope = 0.01) {
    super();
    this.negativeSlope = negativeSlope;
  }
  override forward(x: Tensor): Tensor {
    return ops.leakyRelu(x, this.negativeSlope);
  }
  override extraRepr(): string {
    return `negative_slope=${pyFloat(this.negativeSlope)}`;
  }
}

export class ELU extends Module<[Tensor], Tensor> {
  readonly alpha: number;
  constructor(alpha = 1.0) {
    super();
    this.alpha = alpha;
  }
  override forward(x: Tensor): Tensor {
    return ops.elu(x, this.alpha);
  }
  override extraRepr(): string {
    return `alpha=${pyFloat(this.alpha)}`;
  }
}

export class Softmax extends Module<[Tensor], Tensor> {
  readonly dim: number | null;
  constructor(dim: number | null = null) {
    super();
    this.dim = dim;
  }
  override forward(x: Tensor): Tensor {
    // PyTorch's legacy implicit dim: 0 for 0-, 1- and 3-D inputs, else 1.
    const d = this.dim ?? (x.ndim === 0 || x.ndim === 1 || x.ndim === 3 ? 0 : 1);
    return ops.softmax(x, d);
  }
  override extraRepr(): string {
    return `dim=${this.dim === null ? "None" : this.dim}`;
  }
}

export class Identity extends Module<[Tensor], Tensor> {
  override forward(x: Tensor): Tensor {
    return x;
  }
}

export class Flatten extends Module<[Tensor], Tensor> {
  readonly startDim: number;
  readonly endDim: number;
  constructor(startDim = 1, endDim = -1) {
    super();
    this.startDim = startDim;
    this.endDim = endDim;
  }
  override forward(x: Tensor): Tensor {
    return ops.flatten(x, this.startDim, this.endDim);
  }
  override extraRepr(): string {
    return `start_dim=${this.startDim}, end_dim=${this.endDim}`;
  }
}
