import type { Tensor } from "../tensor";
import { B } from "../backend/index";
import type { SgdArgs } from "../backend/types";
import { noGrad } from "../autograd/grad-mode";
import { Optimizer, type ParamsInput, type StateKind, bumpVersion, checkBoolean, checkNumber, flatFloat } from "./optimizer";
import { checkOptionKeys } from "./options";

export interface SGDOptions {
  lr: number;
  momentum: number;
  dampening: number;
  weightDecay: number;
  nesterov: boolean;
  maximize: boolean;
}

/** Stochastic gradient descent with optional momentum, Nesterov and weight decay (PyTorch 1.13's arithmetic). */
export class SGD extends Optimizer<SGDOptions> {
  constructor(params: ParamsInput<SGDOptions>, opts: Partial<SGDOptions> & { lr: number }) {
    checkOptionKeys("SGD", opts, ["lr", "momentum", "dampening", "weightDecay", "nesterov", "maximize"]);
    super(params, {
      lr: opts.lr,
      momentum: opts.momentum ?? 0,
      dampening: opts.dampening ?? 0,
      weightDecay: opts.weightDecay ?? 0,
      nesterov: opts.nesterov ?? false,
      maximize: opts.maximize ?? false,
    });
    const d = this.defaults;
    if (d.nesterov && (d.momentum <= 0 || d.dampening !== 0)) throw new Error("Nesterov momentum requires a momentum and zero dampening");
  }

  protected validate(g: SGDOptions): void {
    checkNumber(g.lr, "lr", "Invalid learning rate", (v) => v >= 0);
    checkNumber(g.momentum, "momentum", "Invalid momentum value", (v) => v >= 0);
    checkNumber(g.weightDecay, "weightDecay", "Invalid weight_decay value", (v) => v >= 0);
    // PyTorch does not check dampening; NaN or ±inf would only turn the momentum buffer into NaN.
    checkNumber(g.dampening, "dampening", "Invalid dampening value", (v) => Number.isFinite(v));
    checkBoolean(g.nesterov, "nesterov");
    checkBoolean(g.maximize, "maximize");
  }

  protected override stateKinds(): Record<string, StateKind> {
    return { momentumBuffer: "tensorOrNull" };
  }

  step(): void {
    this.checkBeforeStep();
    noGrad(() => {
      for (const g of this.paramGroups) {
        // One argument object per group and step, not one spread copy per parameter.
        const args: SgdArgs = {
          lr: g.lr,
          momentum: g.momentum,
          dampening: g.dampening,
          weightDecay: g.weightDecay,
          nesterov: g.nesterov,
          maximize: g.maximize,
          firstStep: false,
        };
        for (const p of g.params) {
          const grad = p.grad;
          if (grad === null) continue;
          const state = this.stateOf(p);
          const useBuf = g.momentum !== 0;
          const firstStep = useBuf && (state.momentumBuffer === undefined || state.momentumBuffer === null);
          const pf = flatFloat(p);
          const gf = grad.dtype === p.dtype ? flatFloat(grad) : null;
          if (pf !== null && gf !== null) {
            let buf: Tensor | null = null;
            if (useBuf) {
              buf = firstStep ? grad.clone() : (state.momentumBuffer as Tensor);
              if (firstStep) state.momentumBuffer = buf;
            } else if (!("momentumBuffer" in state)) state.momentumBuffer = null;
            const bf = buf === null ? null : flatFloat(buf);
            if (buf === null || bf !== null) {
              args.firstStep = firstStep;
              B.sgdStep(pf, gf, bf, args);
              bumpVersion(p);
              continue;
            }
          }
          this.stepOps(p, grad, g, firstStep);
        }
      }
    });
  }

  /** The same update in tensor ops, for strided or mixed-dtype parameters. */
  private stepOps(p: Tensor, grad: Tensor, g: SGDOptions, firstStep: boolean): void {
    const state = this.stateOf(p);
    let d = g.maximize ? grad.neg() : grad;
    if (g.weightDecay !== 0) d = d.add(p.mul(g.weightDecay));
    if (g.momentum !== 0) {
      let buf: Tensor;
      if (firstStep) buf = d.clone();
      else {
        buf = state.momentumBuffer as Tensor;
        buf.mul_(g.momentum).add_(d.mul(1 - g.dampening));
      }
      state.momentumBuffer = buf;
      d = g.nesterov ? d.add(buf.mul(g.momentum)) : buf;
    } else state.momentumBuffer = null;
    p.sub_(d.mul(g.lr));
  }
}
