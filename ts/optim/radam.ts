import type { Tensor } from "../tensor";
import { zerosLike } from "../creation";
import { checkOptionKeys } from "./options";
import { Optimizer, type ParamsInput, type StateKind, checkBetas, checkNumber } from "./optimizer";
import { pyPow } from "./pymath";

/** PyTorch 1.13's RAdam has no `maximize` (it came in 2.0). */
export interface RAdamOptions {
  lr: number;
  betas: [number, number];
  eps: number;
  weightDecay: number;
}

const KEYS = ["lr", "betas", "eps", "weightDecay"];

/** RAdam (rectified Adam) in PyTorch 1.13's single-tensor order of operations. */
export class RAdam extends Optimizer<RAdamOptions> {
  constructor(params: ParamsInput<RAdamOptions>, opts: Partial<RAdamOptions> = {}) {
    checkOptionKeys("RAdam", opts, KEYS);
    super(params, {
      lr: opts.lr ?? 1e-3,
      betas: opts.betas ?? [0.9, 0.999],
      eps: opts.eps ?? 1e-8,
      weightDecay: opts.weightDecay ?? 0,
    });
  }

  protected validate(g: RAdamOptions): void {
    checkNumber(g.lr, "lr", "Invalid learning rate", (v) => v >= 0);
    checkNumber(g.eps, "eps", "Invalid epsilon value", (v) => v >= 0);
    checkBetas(g.betas);
    checkNumber(g.weightDecay, "weightDecay", "Invalid weight_decay value", (v) => v >= 0);
  }

  protected override stateKinds(): Record<string, StateKind> {
    return { step: "count", expAvg: "tensor", expAvgSq: "tensor" };
  }

  step(): void {
    this.forEachGradient(
      (p) => ({ expAvg: zerosLike(p), expAvgSq: zerosLike(p) }),
      (p, grad0, s, g, step) => {
        const [b1, b2] = g.betas;
        const bc1 = 1 - pyPow(b1, step);
        const bc2 = 1 - pyPow(b2, step);
        let grad = grad0;
        if (g.weightDecay !== 0) grad = grad.add(p.mul(g.weightDecay));
        const ea = s.expAvg as Tensor;
        const eas = s.expAvgSq as Tensor;
        ea.mul_(b1).add_(grad.mul(1 - b1));
        eas.mul_(b2).add_(grad.mul(1 - b2).mul(grad));
        const corrected = ea.div(bc1);
        const rhoInf = 2 / (1 - b2) - 1; // the maximum length of the approximated SMA
        const rhoT = rhoInf - (2 * step * pyPow(b2, step)) / bc2;
        if (rhoT > 5) {
          const rect = Math.sqrt(((rhoT - 4) * (rhoT - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rhoT));
          // Python's `float / tensor` is reciprocal(tensor) · float.
          const adaptiveLr = eas.sqrt().add(g.eps).reciprocal().mul(Math.sqrt(bc2));
          p.sub_(corrected.mul(g.lr).mul(adaptiveLr).mul(rect));
        } else p.sub_(corrected.mul(g.lr));
      },
    );
  }
}
