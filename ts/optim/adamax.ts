import type { Tensor } from "../tensor";
import { zerosLike } from "../creation";
import { maximum } from "../ops/index";
import { checkOptionKeys } from "./options";
import { Optimizer, type ParamsInput, type StateKind, checkBetas, checkBoolean, checkNumber } from "./optimizer";
import { pyPow } from "./pymath";

export interface AdamaxOptions {
  lr: number;
  betas: [number, number];
  eps: number;
  weightDecay: number;
  maximize: boolean;
}

const KEYS = ["lr", "betas", "eps", "weightDecay", "maximize"];

/** Adamax (Adam with the infinity norm) in PyTorch 1.13's single-tensor order of operations. */
export class Adamax extends Optimizer<AdamaxOptions> {
  constructor(params: ParamsInput<AdamaxOptions>, opts: Partial<AdamaxOptions> = {}) {
    checkOptionKeys("Adamax", opts, KEYS);
    super(params, {
      lr: opts.lr ?? 2e-3,
      betas: opts.betas ?? [0.9, 0.999],
      eps: opts.eps ?? 1e-8,
      weightDecay: opts.weightDecay ?? 0,
      maximize: opts.maximize ?? false,
    });
  }

  protected validate(g: AdamaxOptions): void {
    checkNumber(g.lr, "lr", "Invalid learning rate", (v) => v >= 0);
    checkNumber(g.eps, "eps", "Invalid epsilon value", (v) => v >= 0);
    checkBetas(g.betas);
    checkNumber(g.weightDecay, "weightDecay", "Invalid weight_decay value", (v) => v >= 0);
    checkBoolean(g.maximize, "maximize");
  }

  protected override stateKinds(): Record<string, StateKind> {
    return { step: "count", expAvg: "tensor", expInf: "tensor" };
  }

  step(): void {
    this.forEachGradient(
      (p) => ({ expAvg: zerosLike(p), expInf: zerosLike(p) }),
      (p, grad0, s, g, step) => {
        const [b1, b2] = g.betas;
        let grad = g.maximize ? grad0.neg() : grad0;
        if (g.weightDecay !== 0) grad = grad.add(p.mul(g.weightDecay));
        const ea = s.expAvg as Tensor;
        const ei = s.expInf as Tensor;
        ea.mul_(b1).add_(grad.mul(1 - b1));
        // amax over [expInf·β2, |grad| + eps]: the elementwise maximum, NaN propagating as amax does.
        ei.copy_(maximum(ei.mul(b2), grad.abs().add(g.eps)));
        const clr = g.lr / (1 - pyPow(b1, step));
        p.add_(ea.mul(-clr).div(ei));
      },
    );
  }
}
