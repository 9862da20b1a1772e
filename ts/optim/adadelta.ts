import type { Tensor } from "../tensor";
import { zerosLike } from "../creation";
import { checkOptionKeys } from "./options";
import { Optimizer, type ParamsInput, type StateKind, checkBoolean, checkNumber } from "./optimizer";

export interface AdadeltaOptions {
  lr: number;
  rho: number;
  eps: number;
  weightDecay: number;
  maximize: boolean;
}

const KEYS = ["lr", "rho", "eps", "weightDecay", "maximize"];

/** Adadelta in PyTorch 1.13's single-tensor order of operations. */
export class Adadelta extends Optimizer<AdadeltaOptions> {
  constructor(params: ParamsInput<AdadeltaOptions>, opts: Partial<AdadeltaOptions> = {}) {
    checkOptionKeys("Adadelta", opts, KEYS);
    super(params, {
      lr: opts.lr ?? 1.0,
      rho: opts.rho ?? 0.9,
      eps: opts.eps ?? 1e-6,
      weightDecay: opts.weightDecay ?? 0,
      maximize: opts.maximize ?? false,
    });
  }

  protected validate(g: AdadeltaOptions): void {
    checkNumber(g.lr, "lr", "Invalid learning rate", (v) => v >= 0);
    checkNumber(g.rho, "rho", "Invalid rho value", (v) => v >= 0 && v <= 1);
    checkNumber(g.eps, "eps", "Invalid epsilon value", (v) => v >= 0);
    checkNumber(g.weightDecay, "weightDecay", "Invalid weight_decay value", (v) => v >= 0);
    checkBoolean(g.maximize, "maximize");
  }

  protected override stateKinds(): Record<string, StateKind> {
    return { step: "count", squareAvg: "tensor", accDelta: "tensor" };
  }

  step(): void {
    this.forEachGradient(
      (p) => ({ squareAvg: zerosLike(p), accDelta: zerosLike(p) }),
      (p, grad0, s, g, step) => {
        let grad = g.maximize ? grad0.neg() : grad0;
        if (g.weightDecay !== 0) grad = grad.add(p.mul(g.weightDecay));
        const sq = s.squareAvg as Tensor;
        const acc = s.accDelta as Tensor;
        sq.mul_(g.rho).add_(grad.mul(1 - g.rho).mul(grad));
        const std = sq.add(g.eps).sqrt();
        const delta = acc.add(g.eps).sqrt().div(std).mul(grad);
        acc.mul_(g.rho).add_(delta.mul(1 - g.rho).mul(delta));
        p.add_(delta.mul(-g.lr));
      },
    );
  }
}
