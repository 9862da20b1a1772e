import { checkNnOptions } from "./options";
import type { Tensor } from "../tensor";
import { Module } from "./module";
import * as F from "./functional/loss-more";

/** Checks the reduction at construction, as PyTorch's loss modules do. */
function reductionOf(r: string | undefined, allowed: readonly string[] = ["mean", "sum", "none"]): string {
  const v = r ?? "mean";
  if (!allowed.includes(v)) throw new Error(`${v} is not a valid value for reduction`);
  return v;
}

export class HuberLoss extends Module<[Tensor, Tensor], Tensor> {
  readonly reduction: F.HuberOptions["reduction"];
  readonly delta: number;
  constructor(opts: F.HuberOptions = {}) {
    super();
    checkNnOptions("HuberLoss", opts, { reduction: true, delta: true });
    this.reduction = reductionOf(opts.reduction) as F.HuberOptions["reduction"];
    this.delta = opts.delta ?? 1.0;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.huberLoss(input, target, { reduction: this.reduction, delta: this.delta });
  }
}

export class SmoothL1Loss extends Module<[Tensor, Tensor], Tensor> {
  readonly reduction: F.SmoothL1Options["reduction"];
  readonly beta: number;
  constructor(opts: F.SmoothL1Options = {}) {
    super();
    checkNnOptions("SmoothL1Loss", opts, { reduction: true, beta: true });
    this.reduction = reductionOf(opts.reduction) as F.SmoothL1Options["reduction"];
    this.beta = opts.beta ?? 1.0;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.smoothL1Loss(input, target, { reduction: this.reduction, beta: this.beta });
  }
}

export class KLDivLoss extends Module<[Tensor, Tensor], Tensor> {
  readonly reduction: F.KLDivOptions["reduction"];
  readonly logTarget: boolean;
  constructor(opts: F.KLDivOptions = {}) {
    super();
    checkNnOptions("KLDivLoss", opts, { reduction: true, logTarget: true });
    this.reduction = reductionOf(opts.reduction, ["mean", "sum", "none", "batchmean"]) as F.KLDivOptions["reduction"];
    this.logTarget = opts.logTarget ?? false;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.klDiv(input, target, { reduction: this.reduction, logTarget: this.logTarget });
  }
}

export class CosineEmbeddingLoss extends Module<[Tensor, Tensor, Tensor], Tensor> {
  readonly reduction: F.MarginOptions["reduction"];
  readonly margin: number;
  constructor(opts: F.MarginOptions = {}) {
    super();
    checkNnOptions(new.target.name, opts, { reduction: true, margin: true });
    this.reduction = reductionOf(opts.reduction) as F.MarginOptions["reduction"];
    this.margin = opts.margin ?? 0;
  }
  override forward(x1: Tensor, x2: Tensor, target: Tensor): Tensor {
    return F.cosineEmbeddingLoss(x1, x2, target, { reduction: this.reduction, margin: this.margin });
  }
}

export class MarginRankingLoss extends Module<[Tensor, Tensor, Tensor], Tensor> {
  readonly reduction: F.MarginOptions["reduction"];
  readonly margin: number;
  constructor(opts: F.MarginOptions = {}) {
    super();
    checkNnOptions(new.target.name, opts, { reduction: true, margin: true });
    this.reduction = reductionOf(opts.reduction) as F.MarginOptions["reduction"];
    this.margin = opts.margin ?? 0;
  }
  override forward(x1: Tensor, x2: Tensor, target: Tensor): Tensor {
    return F.marginRankingLoss(x1, x2, target, { reduction: this.reduction, margin: this.margin });
  }
}

export class TripletMarginLoss extends Module<[Tensor, Tensor, Tensor], Tensor> {
  readonly opts: Required<Omit<F.TripletOptions, "reduction">> & Pick<F.TripletOptions, "reduction">;
  constructor(opts: F.TripletOptions = {}) {
    super();
    checkNnOptions("TripletMarginLoss", opts, { reduction: true, margin: true, p: true, eps: true, swap: true });
    this.opts = {
      reduction: reductionOf(opts.reduction) as F.TripletOptions["reduction"],
      margin: opts.margin ?? 1.0,
      p: opts.p ?? 2,
      eps: opts.eps ?? 1e-6,
      swap: opts.swap ?? false,
    };
  }
  override forward(anchor: Tensor, positive: Tensor, negative: Tensor): Tensor {
    return F.tripletMarginLoss(anchor, positive, negative, this.opts);
  }
}

export class PoissonNLLLoss extends Module<[Tensor, Tensor], Tensor> {
  readonly opts: F.PoissonNLLOptions;
  constructor(opts: F.PoissonNLLOptions = {}) {
    super();
    checkNnOptions("PoissonNLLLoss", opts, { reduction: true, logInput: true, full: true, eps: true });
    this.opts = { ...opts, reduction: reductionOf(opts.reduction) as F.PoissonNLLOptions["reduction"] };
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.poissonNllLoss(input, target, this.opts);
  }
}

export class GaussianNLLLoss extends Module<[Tensor, Tensor, Tensor], Tensor> {
  readonly opts: F.GaussianNLLOptions;
  constructor(opts: F.GaussianNLLOptions = {}) {
    super();
    checkNnOptions("GaussianNLLLoss", opts, { reduction: true, full: true, eps: true });
    this.opts = { ...opts, reduction: reductionOf(opts.reduction) as F.GaussianNLLOptions["reduction"] };
  }
  override forward(input: Tensor, target: Tensor, variance: Tensor): Tensor {
    return F.gaussianNllLoss(input, target, variance, this.opts);
  }
}

export class MultiLabelSoftMarginLoss extends Module<[Tensor, Tensor], Tensor> {
  readonly opts: F.MultiLabelSoftMarginOptions;
  constructor(opts: F.MultiLabelSoftMarginOptions = {}) {
    super();
    checkNnOptions("MultiLabelSoftMarginLoss", opts, { reduction: true, weight: true });
    this.opts = { ...opts, reduction: reductionOf(opts.reduction) as F.MultiLabelSoftMarginOptions["reduction"] };
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.multilabelSoftMarginLoss(input, target, this.opts);
  }
}
