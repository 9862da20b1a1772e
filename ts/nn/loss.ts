import { checkNnOptions } from "./options";
import { Tensor } from "../tensor";
import { pyType } from "../ops/pytype";
import { Module } from "./module";
import * as F from "./functional/loss";

/** The options each loss accepts besides `reduction`. */
const LOSS_OPTIONS: Record<string, Record<string, true>> = {
  NLLLoss: { reduction: true, weight: true, ignoreIndex: true },
  CrossEntropyLoss: { reduction: true, weight: true, ignoreIndex: true, labelSmoothing: true },
  BCELoss: { reduction: true, weight: true },
  BCEWithLogitsLoss: { reduction: true, weight: true, posWeight: true },
};

abstract class Loss extends Module<[Tensor, Tensor], Tensor> {
  readonly reduction: F.Reduction;
  constructor(opts: F.LossOptions = {}) {
    super();
    checkNnOptions(new.target.name, opts, (LOSS_OPTIONS[new.target.name] ?? { reduction: true }) as Record<keyof F.LossOptions, true>);
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

/** The class weights of NLLLoss / CrossEntropyLoss: a buffer, as PyTorch's _WeightedLoss registers it. */
function registerWeight(m: Loss, weight: Tensor | null | undefined, name: string): void {
  if (weight !== undefined && weight !== null && !(weight instanceof Tensor)) {
    throw new TypeError(`${name}(): option 'weight' must be Tensor, not ${pyType(weight)}`);
  }
  m.registerBuffer("weight", weight ?? null);
}

export class NLLLoss extends Loss {
  declare readonly weight: Tensor | null;
  readonly ignoreIndex: number;
  constructor(opts: F.NLLOptions = {}) {
    super(opts);
    registerWeight(this, opts.weight, "NLLLoss");
    this.ignoreIndex = opts.ignoreIndex ?? -100;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.nllLoss(input, target, { reduction: this.reduction, ignoreIndex: this.ignoreIndex, weight: this.weight });
  }
}

export class CrossEntropyLoss extends Loss {
  declare readonly weight: Tensor | null;
  readonly ignoreIndex: number;
  readonly labelSmoothing: number;
  constructor(opts: F.CrossEntropyOptions = {}) {
    super(opts);
    registerWeight(this, opts.weight, "CrossEntropyLoss");
    this.ignoreIndex = opts.ignoreIndex ?? -100;
    this.labelSmoothing = opts.labelSmoothing ?? 0;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.crossEntropy(input, target, {
      reduction: this.reduction,
      ignoreIndex: this.ignoreIndex,
      labelSmoothing: this.labelSmoothing,
      weight: this.weight,
    });
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
