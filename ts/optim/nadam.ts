import type { Tensor } from "../tensor";
import { zerosLike } from "../creation";
import { checkOptionKeys } from "./options";
import { Optimizer, type ParamsInput, type StateKind, checkBetas, checkNumber } from "./optimizer";
import { pyPow } from "./pymath";

/** PyTorch 1.13's NAdam has no `maximize` (it came in 2.0). */
export interface NAdamOptions {
  lr: number;
  betas: [number, number];
  eps: number;
  weightDecay: number;
  momentumDecay: number;
}

const KEYS = ["lr", "betas", "eps", "weightDecay", "momentumDecay"];

/** NAdam in PyTorch 1.13's single-tensor order of operations. */
export class NAdam extends Optimizer<NAdamOptions> {
  constructor(params: ParamsInput<NAdamOptions>, opts: Partial<NAdamOptions> = {}) {
    checkOptionKeys("NAdam", opts, KEYS);
    super(params, {
      lr: opts.lr ?? 2e-3,
      betas: opts.betas ?? [0.9, 0.999],
      eps: opts.eps ?? 1e-8,
      weightDecay: opts.weightDecay ?? 0,
      momentumDecay: opts.momentumDecay ?? 4e-3,
    });
  }

  protected validate(g: NAdamOptions): void {
    checkNumber(g.lr, "lr", "Invalid learning rate", (v) => v >= 0);
    checkNumber(g.eps, "eps", "Invalid epsilon value", (v) => v >= 0);
    checkBetas(g.betas);
    checkNumber(g.weightDecay, "weightDecay", "Invalid weight_decay value", (v) => v >= 0);
    checkNumber(g.momentumDecay, "momentumDecay", "Invalid momentum_decay value", (v) => v >= 0);
  }

  protected override stateKinds(): Record<string, StateKind> {
    return { step: "count", muProduct: "number", expAvg: "tensor", expAvgSq: "tensor" };
  }

  step(): void {
    this.forEachGradient(
      (p) => ({ muProduct: 1, expAvg: zerosLike(p), expAvgSq: zerosLike(p) }),
      (p, grad0, s, g, step) => {
        const [b1, b2] = g.betas;
        const bc2 = 1 - pyPow(b2, step);
        let grad = grad0;
        if (g.weightDecay !== 0) grad = grad.add(p.mul(g.weightDecay));
        const mu = b1 * (1 - 0.5 * Math.pow(0.96, step * g.momentumDecay));
        const muNext = b1 * (1 - 0.5 * Math.pow(0.96, (step + 1) * g.momentumDecay));
        // PyTorch keeps mu_product in a float32 tensor (torch.tensor(1.)): its products round to float32.
        const f = Math.fround;
        const muProduct = f((s.muProduct as number) * f(mu));
        s.muProduct = muProduct;
        const muProductNext = f(f(muProduct * f(mu)) * f(muNext));
        const ea = s.expAvg as Tensor;
        const eas = s.expAvgSq as Tensor;
        ea.mul_(b1).add_(grad.mul(1 - b1));
        eas.mul_(b2).add_(grad.mul(1 - b2).mul(grad));
        const denom = eas.div(bc2).sqrt().add(g.eps);
        p.add_(grad.mul((-g.lr * (1 - mu)) / (1 - muProduct)).div(denom));
        p.add_(ea.mul((-g.lr * muNext) / (1 - muProductNext)).div(denom));
      },
    );
  }
}
