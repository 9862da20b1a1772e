import { Tensor } from "../../tensor";
import { checkOptionKeys, opt } from "../options";
import {
  type AnyOptimizer,
  type SchedulerStateDict,
  type StateFields,
  checkBool,
  checkNum,
  checkOptimizer,
  groupLr,
  groupsOf,
  readState,
  sci4,
  show,
  writeState,
} from "./base";

export interface ReduceLROnPlateauOptions {
  mode?: "min" | "max";
  factor?: number;
  patience?: number;
  threshold?: number;
  thresholdMode?: "rel" | "abs";
  cooldown?: number;
  minLr?: number | number[];
  eps?: number;
  verbose?: boolean;
}

const OPTION_KEYS = ["mode", "factor", "patience", "threshold", "thresholdMode", "cooldown", "minLr", "eps", "verbose"];

const FIELDS: StateFields = [
  ["factor", "factor"],
  ["min_lrs", "minLrs"],
  ["patience", "patience"],
  ["verbose", "verbose"],
  ["cooldown", "cooldown"],
  ["cooldown_counter", "cooldownCounter"],
  ["mode", "mode"],
  ["threshold", "threshold"],
  ["threshold_mode", "thresholdMode"],
  ["best", "best"],
  ["num_bad_epochs", "numBadEpochs"],
  ["mode_worse", "modeWorse"],
  ["eps", "eps"],
  ["last_epoch", "lastEpoch"],
  ["_last_lr", "_lastLr"],
];

function checkModes(mode: unknown, thresholdMode: unknown): void {
  if (mode !== "min" && mode !== "max") throw new Error(`mode ${String(mode)} is unknown!`);
  if (thresholdMode !== "rel" && thresholdMode !== "abs") throw new Error(`threshold mode ${String(thresholdMode)} is unknown!`);
}

function checkCount(v: unknown, name: string): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0) throw new Error(`Expected non-negative integer ${name}, but got ${show(v)}`);
  return v;
}

/** Reduces the learning rate by `factor` when a metric has stopped improving for `patience` epochs. */
export class ReduceLROnPlateau {
  readonly optimizer: AnyOptimizer;
  factor: number;
  minLrs: number[];
  patience: number;
  verbose: boolean;
  cooldown: number;
  cooldownCounter = 0;
  mode: "min" | "max";
  threshold: number;
  thresholdMode: "rel" | "abs";
  best: number;
  numBadEpochs = 0;
  modeWorse: number;
  eps: number;
  lastEpoch = 0;
  /** @internal */
  _lastLr: number[];

  constructor(optimizer: AnyOptimizer, options?: ReduceLROnPlateauOptions) {
    checkOptionKeys("ReduceLROnPlateau", options, OPTION_KEYS);
    const factor = checkNum(opt(options, "factor", 0.1), "factor");
    if (factor >= 1.0) throw new Error("Factor should be < 1.0.");
    checkOptimizer(optimizer);
    this.factor = factor;
    this.optimizer = optimizer;
    const n = optimizer.paramGroups.length;
    const minLr = opt<unknown>(options, "minLr", 0);
    if (Array.isArray(minLr)) {
      if (minLr.length !== n) throw new Error(`expected ${n} min_lrs, got ${minLr.length}`);
      this.minLrs = minLr.map((v) => checkNum(v, "minLr"));
    } else this.minLrs = Array.from({ length: n }, () => checkNum(minLr, "minLr"));
    this.patience = checkCount(opt(options, "patience", 10), "patience");
    this.verbose = checkBool(opt(options, "verbose", false), "verbose");
    this.cooldown = checkCount(opt(options, "cooldown", 0), "cooldown");
    const mode = opt<unknown>(options, "mode", "min");
    const thresholdMode = opt<unknown>(options, "thresholdMode", "rel");
    checkModes(mode, thresholdMode);
    this.mode = mode as "min" | "max";
    this.thresholdMode = thresholdMode as "rel" | "abs";
    this.threshold = checkNum(opt(options, "threshold", 1e-4), "threshold");
    this.eps = checkNum(opt(options, "eps", 1e-8), "eps");
    this.modeWorse = this.mode === "min" ? Infinity : -Infinity;
    this.best = this.modeWorse;
    this._lastLr = groupsOf(optimizer).map(groupLr);
  }

  get inCooldown(): boolean {
    return this.cooldownCounter > 0;
  }

  /** One epoch's metric (a number or a one-element tensor), as PyTorch's `step(metrics)`. */
  step(metrics: number | Tensor): void {
    const current = metrics instanceof Tensor ? metrics.item() : metrics;
    if (typeof current !== "number") throw new TypeError(`ReduceLROnPlateau.step expects a number or a one-element tensor, got ${typeof current}`);
    const epoch = this.lastEpoch + 1;
    this.lastEpoch = epoch;
    if (this.isBetter(current, this.best)) {
      this.best = current;
      this.numBadEpochs = 0;
    } else this.numBadEpochs += 1;
    if (this.inCooldown) {
      this.cooldownCounter -= 1;
      this.numBadEpochs = 0; // bad epochs in cooldown do not count
    }
    if (this.numBadEpochs > this.patience) {
      this.reduceLr(epoch);
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    this._lastLr = groupsOf(this.optimizer).map(groupLr);
  }

  private reduceLr(epoch: number): void {
    groupsOf(this.optimizer).forEach((g, i) => {
      const oldLr = g.lr as number;
      const scaled = oldLr * this.factor;
      const newLr = this.minLrs[i] > scaled ? this.minLrs[i] : scaled; // Python's max(a, b) keeps a on ties
      if (oldLr - newLr > this.eps) {
        g.lr = newLr;
        if (this.verbose) console.log(`Epoch ${String(epoch).padStart(5, "0")}: reducing learning rate of group ${i} to ${sci4(newLr)}.`);
      }
    });
  }

  isBetter(a: number, best: number): boolean {
    if (this.mode === "min" && this.thresholdMode === "rel") return a < best * (1 - this.threshold);
    if (this.mode === "min" && this.thresholdMode === "abs") return a < best - this.threshold;
    if (this.mode === "max" && this.thresholdMode === "rel") return a > best * (this.threshold + 1);
    return a > best + this.threshold;
  }

  /** The learning rates after the last step (the groups' own before the first). */
  getLastLr(): number[] {
    return [...this._lastLr];
  }

  /** Everything but the optimizer, under PyTorch's keys (`best`, `num_bad_epochs`, `cooldown_counter`, ...). */
  stateDict(): SchedulerStateDict {
    return readState(this, FIELDS);
  }

  loadStateDict(stateDict: SchedulerStateDict): void {
    const mode = stateDict.mode ?? this.mode;
    const thresholdMode = stateDict.threshold_mode ?? this.thresholdMode;
    checkModes(mode, thresholdMode);
    writeState(this, FIELDS, stateDict);
    this.modeWorse = this.mode === "min" ? Infinity : -Infinity;
  }
}
