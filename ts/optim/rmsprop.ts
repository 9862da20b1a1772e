import type { Tensor } from "../tensor";
import { noGrad } from "../autograd/grad-mode";
import { zerosLike } from "../creation";
import { Optimizer, type ParamsInput, type StateKind, checkBoolean, checkNumber } from "./optimizer";
import { checkOptionKeys } from "./options";

export interface RMSpropOptions {
  lr: number;
  alpha: number;
  eps: number;
  weightDecay: number;
  momentum: number;
  centered: boolean;
  maximize: boolean;
}

/** RMSprop in PyTorch 1.13's order of operations (written in tensor ops, so float32 rounds as PyTorch's). */
export class RMSprop extends Optimizer<RMSpropOptions> {
  constructor(params: ParamsInput<RMSpropOptions>, opts: Partial<RMSpropOptions> = {}) {
    checkOptionKeys("RMSprop", opts, ["lr", "alpha", "eps", "weightDecay", "momentum", "centered", "maximize"]);
    super(params, {
      lr: opts.lr ?? 1e-2,
      alpha: opts.alpha ?? 0.99,
      eps: opts.eps ?? 1e-8,
      weightDecay: opts.weightDecay ?? 0,
      momentum: opts.momentum ?? 0,
      centered: opts.centered ?? false,
      maximize: opts.maximize ?? false,
    });
  }

  protected validate(g: RMSpropOptions): void {
    checkNumber(g.lr, "lr", "Invalid learning rate", (v) => v >= 0);
    checkNumber(g.eps, "eps", "Invalid epsilon value", (v) => v >= 0);
    checkNumber(g.momentum, "momentum", "Invalid momentum value", (v) => v >= 0);
    checkNumber(g.weightDecay, "weightDecay", "Invalid weight_decay value", (v) => v >= 0);
    checkNumber(g.alpha, "alpha", "Invalid alpha value", (v) => v >= 0);
    checkBoolean(g.centered, "centered");
    checkBoolean(g.maximize, "maximize");
  }

  protected override stateKinds(g: RMSpropOptions): Record<string, StateKind> {
    const kinds: Record<string, StateKind> = { step: "count", squareAvg: "tensor" };
    if (g.momentum > 0) kinds.momentumBuffer = "tensor";
    if (g.centered) kinds.gradAvg = "tensor";
    return kinds;
  }

  step(): void {
    this.checkBeforeStep();
    noGrad(() => {
      for (const g of this.paramGroups) {
        for (const p of g.params) {
          const grad0 = p.grad;
          if (grad0 === null) continue;
          const s = this.stateOf(p);
          if (s.step === undefined) {
            s.step = 0;
            s.squareAvg = zerosLike(p);
            if (g.momentum > 0) s.momentumBuffer = zerosLike(p);
            if (g.centered) s.gradAvg = zerosLike(p);
          }
          s.step = (s.step as number) + 1;
          let grad = g.maximize ? grad0.neg() : grad0;
          if (g.weightDecay !== 0) grad = grad.add(p.mul(g.weightDecay));
          const sq = s.squareAvg as Tensor;
          // addcmul(t1, t2, value) computes (value·t1)·t2
          sq.mul_(g.alpha).add_(grad.mul(1 - g.alpha).mul(grad));
          let avg: Tensor;
          if (g.centered) {
            const ga = s.gradAvg as Tensor;
            ga.mul_(g.alpha).add_(grad.mul(1 - g.alpha));
            avg = sq.add(ga.mul(-1).mul(ga)).sqrt();
          } else avg = sq.sqrt();
          avg = avg.add(g.eps);
          if (g.momentum > 0) {
            const buf = s.momentumBuffer as Tensor;
            buf.mul_(g.momentum).add_(grad.div(avg));
            p.add_(buf.mul(-g.lr));
          } else p.add_(grad.mul(-g.lr).div(avg));
        }
      }
    });
  }
}
