import type { Tensor } from "../tensor";
import { noGrad } from "../autograd/grad-mode";
import { fullLike } from "../creation";
import { checkOptionKeys } from "./options";
import { Optimizer, type ParamsInput, type StateKind, checkBoolean, checkNumber } from "./optimizer";

export interface AdagradOptions {
  lr: number;
  lrDecay: number;
  weightDecay: number;
  initialAccumulatorValue: number;
  eps: number;
  maximize: boolean;
}

const KEYS = ["lr", "lrDecay", "weightDecay", "initialAccumulatorValue", "eps", "maximize"];

/** Adagrad in PyTorch 1.13's single-tensor order of operations (tensor ops, so float32 rounds as PyTorch's). */
export class Adagrad extends Optimizer<AdagradOptions> {
  constructor(params: ParamsInput<AdagradOptions>, opts: Partial<AdagradOptions> = {}) {
    checkOptionKeys("Adagrad", opts, KEYS);
    super(params, {
      lr: opts.lr ?? 1e-2,
      lrDecay: opts.lrDecay ?? 0,
      weightDecay: opts.weightDecay ?? 0,
      initialAccumulatorValue: opts.initialAccumulatorValue ?? 0,
      eps: opts.eps ?? 1e-10,
      maximize: opts.maximize ?? false,
    });
    // PyTorch creates the state of every parameter here, from the constructor's initial_accumulator_value.
    for (const g of this.paramGroups) for (const p of g.params) this.initState(p);
  }

  private initState(p: Tensor): void {
    const s = this.stateOf(p);
    s.step = 0;
    s.sum = noGrad(() => fullLike(p, this.defaults.initialAccumulatorValue));
  }

  protected validate(g: AdagradOptions): void {
    checkNumber(g.lr, "lr", "Invalid learning rate", (v) => v >= 0);
    checkNumber(g.lrDecay, "lrDecay", "Invalid lr_decay value", (v) => v >= 0);
    checkNumber(g.weightDecay, "weightDecay", "Invalid weight_decay value", (v) => v >= 0);
    checkNumber(g.initialAccumulatorValue, "initialAccumulatorValue", "Invalid initial_accumulator_value value", (v) => v >= 0);
    checkNumber(g.eps, "eps", "Invalid epsilon value", (v) => v >= 0);
    checkBoolean(g.maximize, "maximize");
  }

  protected override stateKinds(): Record<string, StateKind> {
    return { step: "count", sum: "tensor" };
  }

  step(): void {
    this.checkBeforeStep();
    noGrad(() => {
      for (const g of this.paramGroups) {
        for (const p of g.params) {
          const grad0 = p.grad;
          if (grad0 === null) continue;
          const s = this.stateOf(p);
          if (s.step === undefined) this.initState(p); // a group added after construction
          s.step = (s.step as number) + 1;
          let grad = g.maximize ? grad0.neg() : grad0;
          if (g.weightDecay !== 0) grad = grad.add(p.mul(g.weightDecay));
          const clr = g.lr / (1 + (s.step - 1) * g.lrDecay);
          const sum = s.sum as Tensor;
          sum.add_(grad.mul(grad));
          const std = sum.sqrt().add(g.eps);
          p.add_(grad.mul(-clr).div(std)); // addcdiv: (value · t1) / t2
        }
      }
    });
  }
}
