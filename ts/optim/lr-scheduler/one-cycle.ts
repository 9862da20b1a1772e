import { checkOptionKeys, opt } from "../options";
import { pyCos } from "../pymath";
import {
  type AnyOptimizer,
  BASE_OPTION_KEYS,
  LRScheduler,
  type SchedulerBaseOptions,
  type StateFields,
  checkBool,
  checkNum,
  checkOptimizer,
  groupsOf,
  show,
} from "./base";

export interface OneCycleLROptions extends SchedulerBaseOptions {
  totalSteps?: number | null;
  epochs?: number | null;
  stepsPerEpoch?: number | null;
  pctStart?: number;
  annealStrategy?: "cos" | "linear";
  cycleMomentum?: boolean;
  baseMomentum?: number | number[];
  maxMomentum?: number | number[];
  divFactor?: number;
  finalDivFactor?: number;
  threePhase?: boolean;
}

/** One phase of the cycle; the names are PyTorch's group keys, kept so that state dicts interchange. */
interface Phase {
  end_step: number;
  start_lr: string;
  end_lr: string;
  start_momentum: string;
  end_momentum: string;
}

/** PyTorch's group key → tensorgrad's (group keys are camelCase, as the optimizer's own options). */
const GROUP_KEY: Record<string, string> = {
  initial_lr: "initialLr",
  max_lr: "maxLr",
  min_lr: "minLr",
  max_momentum: "maxMomentum",
  base_momentum: "baseMomentum",
};

const OPTION_KEYS = [
  "totalSteps", "epochs", "stepsPerEpoch", "pctStart", "annealStrategy", "cycleMomentum", "baseMomentum",
  "maxMomentum", "divFactor", "finalDivFactor", "threePhase", ...BASE_OPTION_KEYS,
];

function perGroup(name: string, optimizer: AnyOptimizer, v: unknown): number[] {
  const n = optimizer.paramGroups.length;
  if (Array.isArray(v)) {
    if (v.length !== n) throw new Error(`expected ${n} values for ${name}, got ${v.length}`);
    return v.map((x) => checkNum(x, name));
  }
  return Array.from({ length: n }, () => checkNum(v, name));
}

/** The 1cycle policy (fastai's two phases, or the paper's three), stepped after every batch. */
export class OneCycleLR extends LRScheduler {
  totalSteps: number;
  cycleMomentum: boolean;
  /** Whether the momentum cycled is Adam's beta1 rather than a `momentum` option. */
  useBeta1: boolean;
  annealStrategy: "cos" | "linear";
  /** @internal */
  _schedulePhases: Phase[];

  constructor(optimizer: AnyOptimizer, maxLr: number | number[], options?: OneCycleLROptions) {
    checkOptionKeys("OneCycleLR", options, OPTION_KEYS);
    checkOptimizer(optimizer);
    const totalSteps0 = opt<unknown>(options, "totalSteps", null);
    const epochs = opt<unknown>(options, "epochs", null);
    const stepsPerEpoch = opt<unknown>(options, "stepsPerEpoch", null);
    const isPosInt = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && v > 0;
    let totalSteps: number;
    if (totalSteps0 === null && epochs === null && stepsPerEpoch === null) {
      throw new Error("You must define either total_steps OR (epochs AND steps_per_epoch)");
    } else if (totalSteps0 !== null) {
      if (!isPosInt(totalSteps0)) throw new Error(`Expected positive integer total_steps, but got ${show(totalSteps0)}`);
      totalSteps = totalSteps0;
    } else {
      if (!isPosInt(epochs)) throw new Error(`Expected positive integer epochs, but got ${show(epochs)}`);
      if (!isPosInt(stepsPerEpoch)) throw new Error(`Expected positive integer steps_per_epoch, but got ${show(stepsPerEpoch)}`);
      totalSteps = epochs * stepsPerEpoch;
    }
    const pct = opt<unknown>(options, "pctStart", 0.3);
    if (typeof pct !== "number" || !(pct >= 0 && pct <= 1)) throw new Error(`Expected float between 0 and 1 pct_start, but got ${show(pct)}`);
    const anneal = opt<unknown>(options, "annealStrategy", "cos");
    if (anneal !== "cos" && anneal !== "linear") throw new Error(`anneal_strategy must by one of 'cos' or 'linear', instead got ${show(anneal)}`);
    const phases: Phase[] = opt(options, "threePhase", false)
      ? [
          { end_step: pct * totalSteps - 1, start_lr: "initial_lr", end_lr: "max_lr", start_momentum: "max_momentum", end_momentum: "base_momentum" },
          { end_step: 2 * pct * totalSteps - 2, start_lr: "max_lr", end_lr: "initial_lr", start_momentum: "base_momentum", end_momentum: "max_momentum" },
          { end_step: totalSteps - 1, start_lr: "initial_lr", end_lr: "min_lr", start_momentum: "max_momentum", end_momentum: "max_momentum" },
        ]
      : [
          { end_step: pct * totalSteps - 1, start_lr: "initial_lr", end_lr: "max_lr", start_momentum: "max_momentum", end_momentum: "base_momentum" },
          { end_step: totalSteps - 1, start_lr: "max_lr", end_lr: "min_lr", start_momentum: "base_momentum", end_momentum: "max_momentum" },
        ];
    checkBool(opt(options, "threePhase", false), "threePhase");
    const divFactor = checkNum(opt(options, "divFactor", 25), "divFactor");
    const finalDivFactor = checkNum(opt(options, "finalDivFactor", 1e4), "finalDivFactor");
    const lastEpoch = opt(options, "lastEpoch", -1);
    const groups = groupsOf(optimizer);
    const maxLrs = perGroup("max_lr", optimizer, maxLr);
    const cycleMomentum = checkBool(opt(options, "cycleMomentum", true), "cycleMomentum");
    let useBeta1 = false;
    let maxMomentums: number[] = [];
    let baseMomentums: number[] = [];
    if (cycleMomentum) {
      const d = optimizer.defaults as Record<string, unknown>;
      if (!("momentum" in d) && !("betas" in d)) throw new Error("optimizer must support momentum with `cycle_momentum` option enabled");
      useBeta1 = "betas" in d;
      maxMomentums = perGroup("max_momentum", optimizer, opt(options, "maxMomentum", 0.95));
      baseMomentums = perGroup("base_momentum", optimizer, opt(options, "baseMomentum", 0.85));
    }
    // Everything is checked: now the groups may change, as PyTorch's constructor changes them.
    if (lastEpoch === -1) {
      groups.forEach((g, i) => {
        g.initialLr = maxLrs[i] / divFactor;
        g.maxLr = maxLrs[i];
        g.minLr = (g.initialLr as number) / finalDivFactor;
      });
      if (cycleMomentum) {
        groups.forEach((g, i) => {
          if (useBeta1) g.betas = [maxMomentums[i], ...(g.betas as number[]).slice(1)];
          else g.momentum = maxMomentums[i];
          g.maxMomentum = maxMomentums[i];
          g.baseMomentum = baseMomentums[i];
        });
      }
    }
    super(optimizer, lastEpoch, opt(options, "verbose", false));
    this.totalSteps = totalSteps;
    this._schedulePhases = phases;
    this.annealStrategy = anneal;
    this.cycleMomentum = cycleMomentum;
    this.useBeta1 = useBeta1;
    this._initialStep();
  }

  protected override ownStateFields(): StateFields {
    const f: [string, string][] = [["total_steps", "totalSteps"], ["_schedule_phases", "_schedulePhases"], ["_anneal_func_type", "annealStrategy"], ["cycle_momentum", "cycleMomentum"]];
    if (this.cycleMomentum) f.push(["use_beta1", "useBeta1"]);
    return f;
  }

  private anneal(start: number, end: number, pct: number): number {
    if (this.annealStrategy === "cos") {
      const cosOut = pyCos(Math.PI * pct) + 1;
      return end + ((start - end) / 2.0) * cosOut;
    }
    return (end - start) * pct + start;
  }

  protected getLr(): number[] {
    const step = this.lastEpoch;
    if (step > this.totalSteps) throw new Error(`Tried to step ${step + 1} times. The specified number of total steps is ${this.totalSteps}`);
    const read = (g: Record<string, unknown>, i: number, key: string): number => {
      const k = GROUP_KEY[key] ?? key;
      if (!(k in g)) throw new Error(`param '${k}' is not specified in paramGroups[${i}] when resuming an optimizer`);
      return g[k] as number;
    };
    return groupsOf(this.optimizer).map((g, gi) => {
      let start = 0;
      let lr = NaN;
      let momentum = NaN;
      const phases = this._schedulePhases;
      for (let i = 0; i < phases.length; i++) {
        const end = phases[i].end_step;
        if (step <= end || i === phases.length - 1) {
          const pct = (step - start) / (end - start);
          lr = this.anneal(read(g, gi, phases[i].start_lr), read(g, gi, phases[i].end_lr), pct);
          if (this.cycleMomentum) momentum = this.anneal(read(g, gi, phases[i].start_momentum), read(g, gi, phases[i].end_momentum), pct);
          break;
        }
        start = phases[i].end_step;
      }
      if (this.cycleMomentum) {
        if (this.useBeta1) g.betas = [momentum, ...(g.betas as number[]).slice(1)];
        else g.momentum = momentum;
      }
      return lr;
    });
  }
}
