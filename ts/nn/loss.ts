import type { Tensor } from "../tensor";
import { Module } from "./module";
import * as F from "./functional/loss";

abstract class Loss extends Module<[Tensor, Tensor], Tensor> {
  readonly reduction: F.Reduction;
  constructor(opts: F.LossOptions = {}) {
    super();
    this.reduction = opts.reduction ?? "mean";
    if (!["mean", "sum", "none"].includes(this.reduction)) throw new Error(`${this.reduction} is not a valid value for reduction`);
  }
}

export class MSELoss extends Loss {
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.mseLoss(input, target, { reduction: this.reduction });
  }
}

export class L1Loss extends Loss {
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.l1Loss(input, target, { reduction: this.reduction });
  }
}

export class NLLLoss extends Loss {
  readonly ignoreIndex: number;
  constructor(opts: F.NLLOptions = {}) {
    super(opts);
    this.ignoreIndex = opts.ignoreIndex ?? -100;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.nllLoss(input, target, { reduction: this.reduction, ignoreIndex: this.ignoreIndex });
  }
}

export class CrossEntropyLoss extends Loss {
  readonly ignoreIndex: number;
  readonly labelSmoothing: number;
  constructor(opts: F.CrossEntropyOptions = {}) {
    super(opts);
    this.ignoreIndex = opts.ignoreIndex ?? -100;
    this.labelSmoothing = opts.labelSmoothing ?? 0;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.crossEntropy(input, target, { reduction: this.reduction, ignoreIndex: this.ignoreIndex, labelSmoothing: this.labelSmoothing });
  }
}

export class BCELoss extends Loss {
  readonly weight: Tensor | null;
  constructor(opts: F.BCEOptions = {}) {
    super(opts);
    this.weight = opts.weight ?? null;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.binaryCrossEntropy(input, target, { reduction: this.reduction, weight: this.weight });
  }
}

export class BCEWithLogitsLoss extends Loss {
  readonly weight: Tensor | null;
  readonly posWeight: Tensor | null;
  constructor(opts: F.BCEWithLogitsOptions = {}) {
    super(opts);
    this.weight = opts.weight ?? null;
    this.posWeight = opts.posWeight ?? null;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.binaryCrossEntropyWithLogits(input, target, { reduction: this.reduction, weight: this.weight, posWeight: this.posWeight });
  }
}
