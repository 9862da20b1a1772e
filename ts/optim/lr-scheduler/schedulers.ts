/**
 * The epoch-based schedulers of torch.optim.lr_scheduler (PyTorch 1.13). Each getLr() is PyTorch's chainable
 * (recursive) form with the same operations in the same order, so float64 arithmetic gives PyTorch's bits; the
 * closed forms serve step(epoch) and SequentialLR's restarts, as in PyTorch.
 */
import { checkOptionKeys, opt } from "../options";
import { pyCos, pyPow } from "../pymath";
import {
  type AnyOptimizer,
  BASE_OPTION_KEYS,
  LRScheduler,
  type SchedulerBaseOptions,
  type SchedulerStateDict,
  type StateFields,
  checkNum,
  checkPositiveInt,
  groupLr,
  groupsOf,
  show,
} from "./base";

/** Python's % (the sign of the divisor), which the schedules' period tests use. */
const pyMod = (a: number, b: number): number => ((a % b) + b) % b;

function lrs(s: LRScheduler): number[] {
  return groupsOf(s.optimizer).map(groupLr);
}

/** A function of the epoch: LambdaLR's and MultiplicativeLR's factor. */
export type LrLambda = (epoch: number) => number;

function lambdasFor(name: string, optimizer: unknown, lrLambda: unknown): LrLambda[] {
  const n = groupsOf(optimizer as AnyOptimizer).length;
  const list = Array.isArray(lrLambda) ? [...(lrLambda as unknown[])] : Array.from({ length: n }, () => lrLambda);
  if (Array.isArray(lrLambda) && list.length !== n) throw new Error(`Expected ${n} lr_lambdas, but got ${list.length}`);
  list.forEach((f) => {
    if (typeof f !== "function") throw new TypeError(`${name}: lrLambda must be a function or an array of functions, got ${typeof f}`);
  });
  return list as LrLambda[];
}

/** lr_lambdas as PyTorch saves them: null for a function (it cannot be saved), the own properties of anything else. */
function lambdaState(fns: LrLambda[]): (Record<string, unknown> | null)[] {
  return fns.map((f) => (Object.keys(f).length === 0 ? null : { ...(f as unknown as Record<string, unknown>) }));
}

function checkLambdaState(fns: LrLambda[], sd: SchedulerStateDict): void {
  const l = sd.lr_lambdas;
  if (l === undefined) return;
  if (!Array.isArray(l) || l.length !== fns.length) throw new Error(`loaded scheduler state dict: lr_lambdas must be an array of ${fns.length}`);
}

function loadLambdaState(fns: LrLambda[], sd: SchedulerStateDict): void {
  const l = sd.lr_lambdas as (Record<string, unknown> | null)[] | undefined;
  l?.forEach((s, i) => {
    if (s !== null && typeof s === "object") Object.assign(fns[i], s);
  });
}

const withBase = (...keys: string[]): string[] => [...keys, ...BASE_OPTION_KEYS];

function baseArgs(o: SchedulerBaseOptions | undefined): [number, boolean] {
  return [opt(o, "lastEpoch", -1), opt(o, "verbose", false)];
}

/** lr = initialLr · lrLambda(epoch); one function, or one per parameter group. */
export class LambdaLR extends LRScheduler {
  lrLambdas: LrLambda[];

  constructor(optimizer: AnyOptimizer, lrLambda: LrLambda | LrLambda[], options?: SchedulerBaseOptions) {
    checkOptionKeys("LambdaLR", options, withBase());
    const [lastEpoch, verbose] = baseArgs(options);
    const fns = lambdasFor("LambdaLR", optimizer, lrLambda);
    super(optimizer, lastEpoch, verbose);
    this.lrLambdas = fns;
    this._initialStep();
  }

  protected getLr(): number[] {
    return this.lrLambdas.map((f, i) => this.baseLrs[i] * f(this.lastEpoch));
  }

  override stateDict(): SchedulerStateDict {
    return { ...super.stateDict(), lr_lambdas: lambdaState(this.lrLambdas) };
  }

  override loadStateDict(stateDict: SchedulerStateDict): void {
    checkLambdaState(this.lrLambdas, stateDict);
    super.loadStateDict(stateDict);
    loadLambdaState(this.lrLambdas, stateDict);
  }
}

/** lr ← lr · lrLambda(epoch) at every step after the first. */
export class MultiplicativeLR extends LRScheduler {
  lrLambdas: LrLambda[];

  constructor(optimizer: AnyOptimizer, lrLambda: LrLambda | LrLambda[], options?: SchedulerBaseOptions) {
    checkOptionKeys("MultiplicativeLR", options, withBase());
    const [lastEpoch, verbose] = baseArgs(options);
    const fns = lambdasFor("MultiplicativeLR", optimizer, lrLambda);
    super(optimizer, lastEpoch, verbose);
    this.lrLambdas = fns;
    this._initialStep();
  }

  protected getLr(): number[] {
    const cur = lrs(this);
    if (this.lastEpoch > 0) return cur.map((lr, i) => lr * this.lrLambdas[i](this.lastEpoch));
    return cur;
  }

  override stateDict(): SchedulerStateDict {
    return { ...super.stateDict(), lr_lambdas: lambdaState(this.lrLambdas) };
  }

  override loadStateDict(stateDict: SchedulerStateDict): void {
    checkLambdaState(this.lrLambdas, stateDict);
    super.loadStateDict(stateDict);
    loadLambdaState(this.lrLambdas, stateDict);
  }
}

export interface StepLROptions extends SchedulerBaseOptions {
  gamma?: number;
}

/** lr ← lr · gamma every stepSize epochs. */
export class StepLR extends LRScheduler {
  stepSize: number;
  gamma: number;

  constructor(optimizer: AnyOptimizer, stepSize: number, options?: StepLROptions) {
    checkOptionKeys("StepLR", options, withBase("gamma"));
    const [lastEpoch, verbose] = baseArgs(options);
    // PyTorch takes any step_size and fails later (modulo by zero); say so here instead.
    checkPositiveInt(stepSize, "step_size");
    const gamma = checkNum(opt(options, "gamma", 0.1), "gamma");
    super(optimizer, lastEpoch, verbose);
    this.stepSize = stepSize;
    this.gamma = gamma;
    this._initialStep();
  }

  protected override ownStateFields(): StateFields {
    return [["step_size", "stepSize"], ["gamma", "gamma"]];
  }

  protected getLr(): number[] {
    const cur = lrs(this);
    if (this.lastEpoch === 0 || pyMod(this.lastEpoch, this.stepSize) !== 0) return cur;
    return cur.map((lr) => lr * this.gamma);
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => b * pyPow(this.gamma, Math.floor(this.lastEpoch / this.stepSize)));
  }
}

export interface MultiStepLROptions extends SchedulerBaseOptions {
  gamma?: number;
}

/** lr ← lr · gamma at each milestone (twice at a milestone given twice). */
export class MultiStepLR extends LRScheduler {
  /** Milestone → how many times it was given (PyTorch's Counter). */
  milestones: Record<string, number>;
  gamma: number;

  constructor(optimizer: AnyOptimizer, milestones: readonly number[], options?: MultiStepLROptions) {
    checkOptionKeys("MultiStepLR", options, withBase("gamma"));
    const [lastEpoch, verbose] = baseArgs(options);
    if (!Array.isArray(milestones) || milestones.some((m) => typeof m !== "number" || !Number.isInteger(m))) {
      throw new TypeError(`milestones must be an array of integers, got ${show(milestones)}`);
    }
    const counts: Record<string, number> = {};
    for (const m of milestones) counts[m] = (counts[m] ?? 0) + 1;
    const gamma = checkNum(opt(options, "gamma", 0.1), "gamma");
    super(optimizer, lastEpoch, verbose);
    this.milestones = counts;
    this.gamma = gamma;
    this._initialStep();
  }

  protected override ownStateFields(): StateFields {
    return [["milestones", "milestones"], ["gamma", "gamma"]];
  }

  protected getLr(): number[] {
    const cur = lrs(this);
    const n = this.milestones[this.lastEpoch];
    if (n === undefined || n === 0) return cur;
    return cur.map((lr) => lr * pyPow(this.gamma, n));
  }

  protected override closedFormLr(): number[] {
    let passed = 0; // bisect_right over the sorted milestones, with repeats
    for (const [m, n] of Object.entries(this.milestones)) if (Number(m) <= this.lastEpoch) passed += n;
    return this.baseLrs.map((b) => b * pyPow(this.gamma, passed));
  }
}

export interface ConstantLROptions extends SchedulerBaseOptions {
  factor?: number;
  totalIters?: number;
}

/** lr = initialLr · factor until totalIters, then initialLr. */
export class ConstantLR extends LRScheduler {
  factor: number;
  totalIters: number;

  constructor(optimizer: AnyOptimizer, options?: ConstantLROptions) {
    checkOptionKeys("ConstantLR", options, withBase("factor", "totalIters"));
    const [lastEpoch, verbose] = baseArgs(options);
    const factor = checkNum(opt(options, "factor", 1 / 3), "factor");
    if (factor > 1.0 || factor < 0) throw new Error("Constant multiplicative factor expected to be between 0 and 1.");
    const totalIters = checkNum(opt(options, "totalIters", 5), "totalIters");
    super(optimizer, lastEpoch, verbose);
    this.factor = factor;
    this.totalIters = totalIters;
    this._initialStep();
  }

  protected override ownStateFields(): StateFields {
    return [["factor", "factor"], ["total_iters", "totalIters"]];
  }

  protected getLr(): number[] {
    const cur = lrs(this);
    if (this.lastEpoch === 0) return cur.map((lr) => lr * this.factor);
    if (this.lastEpoch !== this.totalIters) return cur;
    return cur.map((lr) => lr * (1.0 / this.factor));
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => b * (this.factor + (this.lastEpoch >= this.totalIters ? 1 : 0) * (1 - this.factor)));
  }
}

export interface LinearLROptions extends SchedulerBaseOptions {
  startFactor?: number;
  endFactor?: number;
  totalIters?: number;
}

/** The factor goes linearly from startFactor to endFactor over totalIters steps. */
export class LinearLR extends LRScheduler {
  startFactor: number;
  endFactor: number;
  totalIters: number;

  constructor(optimizer: AnyOptimizer, options?: LinearLROptions) {
    checkOptionKeys("LinearLR", options, withBase("startFactor", "endFactor", "totalIters"));
    const [lastEpoch, verbose] = baseArgs(options);
    const start = checkNum(opt(options, "startFactor", 1.0 / 3), "startFactor");
    const end = checkNum(opt(options, "endFactor", 1.0), "endFactor");
    if (start > 1.0 || start < 0) throw new Error("Starting multiplicative factor expected to be between 0 and 1.");
    if (end > 1.0 || end < 0) throw new Error("Ending multiplicative factor expected to be between 0 and 1.");
    const totalIters = checkPositiveInt(opt(options, "totalIters", 5), "total_iters");
    super(optimizer, lastEpoch, verbose);
    this.startFactor = start;
    this.endFactor = end;
    this.totalIters = totalIters;
    this._initialStep();
  }

  protected override ownStateFields(): StateFields {
    return [["start_factor", "startFactor"], ["end_factor", "endFactor"], ["total_iters", "totalIters"]];
  }

  protected getLr(): number[] {
    const cur = lrs(this);
    const { startFactor: s, endFactor: e, totalIters: n, lastEpoch: t } = this;
    if (t === 0) return cur.map((lr) => lr * s);
    if (t > n) return cur;
    return cur.map((lr) => lr * (1 + (e - s) / (n * s + (t - 1) * (e - s))));
  }

  protected override closedFormLr(): number[] {
    const { startFactor: s, endFactor: e, totalIters: n, lastEpoch: t } = this;
    return this.baseLrs.map((b) => b * (s + ((e - s) * Math.min(n, t)) / n));
  }
}

/** lr ← lr · gamma every epoch. */
export class ExponentialLR extends LRScheduler {
  gamma: number;

  constructor(optimizer: AnyOptimizer, gamma: number, options?: SchedulerBaseOptions) {
    checkOptionKeys("ExponentialLR", options, withBase());
    const [lastEpoch, verbose] = baseArgs(options);
    checkNum(gamma, "gamma");
    super(optimizer, lastEpoch, verbose);
    this.gamma = gamma;
    this._initialStep();
  }

  protected override ownStateFields(): StateFields {
    return [["gamma", "gamma"]];
  }

  protected getLr(): number[] {
    const cur = lrs(this);
    if (this.lastEpoch === 0) return cur;
    return cur.map((lr) => lr * this.gamma);
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => b * pyPow(this.gamma, this.lastEpoch));
  }
}

export interface PolynomialLROptions extends SchedulerBaseOptions {
  totalIters?: number;
  power?: number;
}

/** lr = initialLr · (1 − epoch/totalIters)^power, then constant. */
export class PolynomialLR extends LRScheduler {
  totalIters: number;
  power: number;

  constructor(optimizer: AnyOptimizer, options?: PolynomialLROptions) {
    checkOptionKeys("PolynomialLR", options, withBase("totalIters", "power"));
    const [lastEpoch, verbose] = baseArgs(options);
    const totalIters = checkPositiveInt(opt(options, "totalIters", 5), "total_iters");
    const power = checkNum(opt(options, "power", 1.0), "power");
    super(optimizer, lastEpoch, verbose);
    this.totalIters = totalIters;
    this.power = power;
    this._initialStep();
  }

  protected override ownStateFields(): StateFields {
    return [["total_iters", "totalIters"], ["power", "power"]];
  }

  protected getLr(): number[] {
    const cur = lrs(this);
    const { totalIters: n, lastEpoch: t } = this;
    if (t === 0 || t > n) return cur;
    const decay = pyPow((1.0 - t / n) / (1.0 - (t - 1) / n), this.power);
    return cur.map((lr) => lr * decay);
  }

  protected override closedFormLr(): number[] {
    const { totalIters: n, lastEpoch: t } = this;
    return this.baseLrs.map((b) => b * pyPow(1.0 - Math.min(n, t) / n, this.power));
  }
}

export interface CosineAnnealingLROptions extends SchedulerBaseOptions {
  etaMin?: number;
}

/** Cosine annealing from initialLr to etaMin over T_max epochs (and back, periodically), recursively as PyTorch. */
export class CosineAnnealingLR extends LRScheduler {
  T_max: number;
  etaMin: number;

  constructor(optimizer: AnyOptimizer, T_max: number, options?: CosineAnnealingLROptions) {
    checkOptionKeys("CosineAnnealingLR", options, withBase("etaMin"));
    const [lastEpoch, verbose] = baseArgs(options);
    // PyTorch accepts T_max=0 and divides by zero; a period must be positive.
    checkPositiveInt(T_max, "T_max");
    const etaMin = checkNum(opt(options, "etaMin", 0), "etaMin");
    super(optimizer, lastEpoch, verbose);
    this.T_max = T_max;
    this.etaMin = etaMin;
    this._initialStep();
  }

  protected override ownStateFields(): StateFields {
    return [["T_max", "T_max"], ["eta_min", "etaMin"]];
  }

  protected getLr(): number[] {
    const { lastEpoch: t, T_max: T, etaMin: m } = this;
    const cur = lrs(this);
    if (t === 0) return cur;
    if (this._stepCount === 1 && t > 0) return this.baseLrs.map((b) => m + ((b - m) * (1 + pyCos((t * Math.PI) / T))) / 2);
    if (pyMod(t - 1 - T, 2 * T) === 0) return cur.map((lr, i) => lr + ((this.baseLrs[i] - m) * (1 - pyCos(Math.PI / T))) / 2);
    return cur.map((lr) => ((1 + pyCos((Math.PI * t) / T)) / (1 + pyCos((Math.PI * (t - 1)) / T))) * (lr - m) + m);
  }

  protected override closedFormLr(): number[] {
    const { lastEpoch: t, T_max: T, etaMin: m } = this;
    return this.baseLrs.map((b) => m + ((b - m) * (1 + pyCos((Math.PI * t) / T))) / 2);
  }
}

export interface CosineAnnealingWarmRestartsOptions extends SchedulerBaseOptions {
  /** PyTorch's T_mult: the factor by which the period grows after each restart. */
  TMult?: number;
  etaMin?: number;
}

/** SGDR: cosine annealing restarted every T_i epochs, T_i growing by TMult. */
export class CosineAnnealingWarmRestarts extends LRScheduler {
  T_0: number;
  T_i: number;
  T_mult: number;
  etaMin: number;
  T_cur: number;

  constructor(optimizer: AnyOptimizer, T_0: number, options?: CosineAnnealingWarmRestartsOptions) {
    checkOptionKeys("CosineAnnealingWarmRestarts", options, withBase("TMult", "etaMin"));
    const [lastEpoch, verbose] = baseArgs(options);
    if (typeof T_0 !== "number" || !Number.isInteger(T_0) || T_0 <= 0) throw new Error(`Expected positive integer T_0, but got ${show(T_0)}`);
    const tMult = opt<unknown>(options, "TMult", 1);
    if (typeof tMult !== "number" || !Number.isInteger(tMult) || tMult < 1) throw new Error(`Expected integer T_mult >= 1, but got ${show(tMult)}`);
    const etaMin = checkNum(opt(options, "etaMin", 0), "etaMin");
    super(optimizer, lastEpoch, verbose);
    this.T_0 = T_0;
    this.T_i = T_0;
    this.T_mult = tMult;
    this.etaMin = etaMin;
    this.T_cur = lastEpoch;
    this._initialStep();
  }

  protected override ownStateFields(): StateFields {
    return [["T_0", "T_0"], ["T_i", "T_i"], ["T_mult", "T_mult"], ["eta_min", "etaMin"], ["T_cur", "T_cur"]];
  }

  protected getLr(): number[] {
    return this.baseLrs.map((b) => this.etaMin + ((b - this.etaMin) * (1 + pyCos((Math.PI * this.T_cur) / this.T_i))) / 2);
  }

  /**
   * PyTorch's own step: `epoch` may be fractional (step after every batch with `epoch + i / iters`). It neither counts
   * steps nor warns about their order, as in PyTorch 1.13.
   */
  override step(epoch?: number): void {
    this._step(epoch, true);
  }

  /** @internal */
  override _step(epoch0: number | undefined, warn: boolean): void {
    void warn;
    let epoch = epoch0;
    if (epoch === undefined && this.lastEpoch < 0) epoch = 0;
    if (epoch === undefined) {
      epoch = this.lastEpoch + 1;
      this.T_cur = this.T_cur + 1;
      if (this.T_cur >= this.T_i) {
        this.T_cur = this.T_cur - this.T_i;
        this.T_i = this.T_i * this.T_mult;
      }
    } else {
      checkNum(epoch, "epoch");
      if (epoch < 0) throw new Error(`Expected non-negative epoch, but got ${show(epoch)}`);
      if (epoch >= this.T_0) {
        if (this.T_mult === 1) this.T_cur = pyMod(epoch, this.T_0);
        else {
          const n = Math.trunc(Math.log((epoch / this.T_0) * (this.T_mult - 1) + 1) / Math.log(this.T_mult));
          this.T_cur = epoch - (this.T_0 * (pyPow(this.T_mult, n) - 1)) / (this.T_mult - 1);
          this.T_i = this.T_0 * pyPow(this.T_mult, n);
        }
      } else {
        this.T_i = this.T_0;
        this.T_cur = epoch;
      }
    }
    this.lastEpoch = Math.floor(epoch);
    this._getLrCalledWithinStep = true;
    let values: number[];
    try {
      values = this.getLr();
    } finally {
      this._getLrCalledWithinStep = false;
    }
    this.applyLrs(values, epoch0);
  }
}
