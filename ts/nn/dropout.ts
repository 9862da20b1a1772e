import type { Tensor } from "../tensor";
import { Module } from "./module";
import { dropout } from "./functional/dropout";
import { pyFloat } from "./activations";

/** Zeroes each element with probability p in training mode (scaling the rest by 1/(1−p)); identity in eval. */
export class Dropout extends Module<[Tensor], Tensor> {
  readonly p: number;
  constructor(p = 0.5) {
    super();
    if (!(p >= 0 && p <= 1)) throw new RangeError(`dropout probability has to be between 0 and 1, but got ${p}`);
    this.p = p;
  }
  override forward(x: Tensor): Tensor {
    return dropout(x, this.p, this.training);
  }
  override extraRepr(): string {
    return `p=${pyFloat(this.p)}, inplace=False`;
  }
}
