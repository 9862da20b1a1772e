import type { Tensor } from "../tensor";
import { B } from "../backend/index";
import { noGrad } from "../autograd/grad-mode";
import { zerosLike } from "../creation";
import { maximum } from "../ops/index";
import { Optimizer, type ParamsInput, type StateKind, bumpVersion, checkBetas, checkBoolean, checkNumber, flatFloat } from "./optimizer";
import { checkOptionKeys } from "./options";

export interface AdamOptions {
  lr: number;
  betas: [number, number];
  eps: number;
  weightDecay: number;
  amsgrad: boolean;
  maximize: boolean;
}

/** Adam (and, with decoupled weight decay, AdamW) with PyTorch 1.13's single-tensor arithmetic. */
export class Adam extends Optimizer<AdamOptions> {
  protected readonly decoupled: boolean = false;

  constructor(params: ParamsInput<AdamOptions>, opts: Partial<AdamOptions> = {}, defaultWeightDecay = 0) {
    checkOptionKeys(new.target.name, opts, ["lr", "betas", "eps", "weightDecay", "amsgrad", "maximize"]);
    super(params, {
      lr: opts.lr ?? 1e-3,
      betas: opts.betas ?? [0.9, 0.999],
      eps: opts.eps ?? 1e-8,
      weightDecay: opts.weightDecay ?? defaultWeightDecay,
      amsgrad: opts.amsgrad ?? false,
      maximize: opts.maximize ?? false,
    });
  }

  protected validate(g: AdamOptions): void {
    checkNumber(g.lr, "lr", "Invalid learning rate", (v) => v >= 0);
    checkNumber(g.eps, "eps", "Invalid epsilon value", (v) => v >= 0);
    checkBetas(g.betas);
    checkNumber(g.weightDecay, "weightDecay", "Invalid weight_decay value", (v) => v >= 0);
    checkBoolean(g.amsgrad, "amsgrad");
    checkBoolean(g.maximize, "maximize");
  }

  protected override stateKinds(g: AdamOptions): Record<string, StateKind> {
    const kinds: Record<string, StateKind> = { step: "count", expAvg: "tensor", expAvgSq: "tensor" };
    if (g.amsgrad) kinds.maxExpAvgSq = "tensor";
    return kinds;
  }

  step(): void {
    this.checkBeforeStep();
    noGrad(() => {
      for (const g of this.paramGroups) {
        for (const p of g.params) {
          const grad = p.grad;
          if (grad === null) continue;
          const s = this.stateOf(p);
          if (s.step === undefined) {
            s.step = 0;
            s.expAvg = zerosLike(p);
            s.expAvgSq = zerosLike(p);
            if (g.amsgrad) s.maxExpAvgSq = zerosLike(p);
          }
          s.step = (s.step as number) + 1;
          const ea = s.expAvg as Tensor;
          const eas = s.expAvgSq as Tensor;
          const mx = g.amsgrad ? (s.maxExpAvgSq as Tensor) : null;
          const pf = flatFloat(p);
          const gf = grad.dtype === p.dtype ? flatFloat(grad) : null;
          const ef = flatFloat(ea);
          const esf = flatFloat(eas);
          const mf = mx === null ? null : flatFloat(mx);
          if (pf && gf && ef && esf && (mx === null || mf)) {
            B.adamStep(pf, gf, ef, esf, mf, {
              lr: g.lr, beta1: g.betas[0], beta2: g.betas[1], eps: g.eps, weightDecay: g.weightDecay,
              decoupled: this.decoupled, amsgrad: g.amsgrad, maximize: g.maximize, step: s.step,
            });
            bumpVersion(p);
          } else this.stepOps(p, grad, g, s.step, ea, eas, mx);
        }
      }
    });
  }

  /** The same update in tensor ops, for strided or mixed-dtype parameters. */
  private stepOps(p: Tensor, grad0: Tensor, g: AdamOptions, step: number, ea: Tensor, eas: Tensor, mx: Tensor | null): void {
    const [b1, b2] = g.betas;
    let grad = g.maximize ? grad0.neg() : grad0;
    if (this.decoupled) p.mul_(1 - g.lr * g.weightDecay);
    else if (g.weightDecay !== 0) grad = grad.add(p.mul(g.weightDecay));
    ea.mul_(b1).add_(grad.mul(1 - b1));
    eas.mul_(b2).add_(grad.mul(1 - b2).mul(grad));
    const bc1 = 1 - Math.pow(b1, step);
    const bc2 = 1 - Math.pow(b2, step);
    const stepSize = g.lr / bc1;
    let v = eas;
    if (mx !== null) {
      mx.copy_(maximum(mx, eas));
      v = mx;
    }
    const denom = v.sqrt().div(Math.sqrt(bc2)).add(g.eps);
    p.add_(ea.mul(-stepSize).div(denom));
  }
}

/** Adam with decoupled weight decay (default 0.01): p ← p·(1 − lr·wd) before the Adam step. */
export class AdamW extends Adam {
  protected override readonly decoupled: boolean = true;
  constructor(params: ParamsInput<AdamOptions>, opts: Partial<AdamOptions> = {}) {
    super(params, opts, 1e-2);
  }
}
