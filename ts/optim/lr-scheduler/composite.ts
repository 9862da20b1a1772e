import { checkOptionKeys, opt } from "../options";
import {
  type AnyOptimizer,
  LRScheduler,
  type SchedulerBaseOptions,
  type SchedulerStateDict,
  checkOptimizer,
  copyData,
  groupLr,
  groupsOf,
  show,
} from "./base";

function checkSchedulers(owner: string, schedulers: unknown): LRScheduler[] {
  if (!Array.isArray(schedulers) || schedulers.length === 0) throw new Error(`${owner} expects a non-empty array of schedulers`);
  schedulers.forEach((s, i) => {
    if (!(s instanceof LRScheduler)) throw new TypeError(`${owner}: the scheduler at index ${i} is not an epoch-based learning rate scheduler`);
  });
  return [...(schedulers as LRScheduler[])];
}

function loadChildren(owner: string, children: LRScheduler[], sd: SchedulerStateDict): void {
  const subs = sd._schedulers;
  if (subs === undefined) return;
  if (!Array.isArray(subs) || subs.length !== children.length) {
    throw new Error(`loaded scheduler state dict: _schedulers must be an array of ${children.length} state dicts (${owner})`);
  }
  // Each child checks its own dict before writing; check all first so a bad one leaves every child unchanged.
  const saved = children.map((c) => c.stateDict());
  try {
    children.forEach((c, i) => c.loadStateDict(subs[i] as SchedulerStateDict));
  } catch (e) {
    children.forEach((c, i) => c.loadStateDict(saved[i]));
    throw e;
  }
}

/** Runs `schedulers[i]` between milestones[i-1] and milestones[i], restarting each at its milestone. */
export class SequentialLR {
  readonly optimizer: AnyOptimizer;
  /** @internal */
  _schedulers: LRScheduler[];
  /** @internal */
  _milestones: number[];
  lastEpoch: number;
  /** @internal */
  _lastLr: number[];

  constructor(optimizer: AnyOptimizer, schedulers: LRScheduler[], milestones: number[], options?: SchedulerBaseOptions) {
    checkOptionKeys("SequentialLR", options, ["lastEpoch", "verbose"]);
    checkOptimizer(optimizer);
    const subs = checkSchedulers("SequentialLR", schedulers);
    subs.forEach((s, i) => {
      if (s.optimizer !== optimizer) {
        throw new Error(
          "Sequential Schedulers expects all schedulers to belong to the same optimizer, but " +
            `got schedulers at index ${i} to be different than the optimizer passed in.`,
        );
      }
    });
    if (!Array.isArray(milestones) || milestones.some((m) => typeof m !== "number" || !Number.isInteger(m))) {
      throw new TypeError(`milestones must be an array of integers, got ${show(milestones)}`);
    }
    if (milestones.length !== subs.length - 1) {
      throw new Error(
        "Sequential Schedulers expects number of schedulers provided to be one more than the number of milestone " +
          `points, but got number of schedulers ${subs.length} and the number of milestones to be equal to ${milestones.length}`,
      );
    }
    const lastEpoch = opt(options, "lastEpoch", -1);
    if (typeof lastEpoch !== "number" || !Number.isInteger(lastEpoch)) throw new TypeError(`lastEpoch must be an integer, got ${show(lastEpoch)}`);
    this._schedulers = subs;
    this._milestones = [...milestones];
    this.lastEpoch = lastEpoch + 1;
    this.optimizer = optimizer;
    // Back to the initial learning rates, undo the constructors' steps, and start the first scheduler again.
    for (const g of groupsOf(optimizer)) g.lr = g.initialLr;
    for (const s of subs) s.lastEpoch -= 1;
    subs[0]._initialStep();
    this._lastLr = subs[0].getLastLr();
  }

  step(): void {
    this.lastEpoch += 1;
    let idx = 0; // bisect_right(milestones, lastEpoch)
    while (idx < this._milestones.length && this._milestones[idx] <= this.lastEpoch) idx++;
    const s = this._schedulers[idx];
    if (idx > 0 && this._milestones[idx - 1] === this.lastEpoch) s._step(0, false);
    else s.step();
    this._lastLr = s.getLastLr();
  }

  getLastLr(): number[] {
    return [...this._lastLr];
  }

  /** PyTorch's keys: `_milestones`, `last_epoch`, `_last_lr`, and `_schedulers` (each child's state dict). */
  stateDict(): SchedulerStateDict {
    return {
      _milestones: [...this._milestones],
      last_epoch: this.lastEpoch,
      _last_lr: [...this._lastLr],
      _schedulers: this._schedulers.map((s) => s.stateDict()),
    };
  }

  loadStateDict(stateDict: SchedulerStateDict): void {
    const { _milestones: m, last_epoch: e, _last_lr: l } = stateDict;
    if (m !== undefined && (!Array.isArray(m) || m.some((x) => typeof x !== "number"))) throw new Error("loaded scheduler state dict: _milestones must be an array of numbers");
    if (e !== undefined && typeof e !== "number") throw new Error(`loaded scheduler state dict: last_epoch must be a number, got ${typeof e}`);
    if (l !== undefined && (!Array.isArray(l) || l.some((x) => typeof x !== "number"))) throw new Error("loaded scheduler state dict: _last_lr must be an array of numbers");
    loadChildren("SequentialLR", this._schedulers, stateDict);
    if (m !== undefined) this._milestones = copyData(m as number[]);
    if (e !== undefined) this.lastEpoch = e as number;
    if (l !== undefined) this._lastLr = copyData(l as number[]);
  }
}

/** Steps every scheduler at each step(), so that their (chainable) changes compose. */
export class ChainedScheduler {
  readonly optimizer: AnyOptimizer;
  /** @internal */
  _schedulers: LRScheduler[];
  /** @internal */
  _lastLr: number[];

  constructor(schedulers: LRScheduler[]) {
    const subs = checkSchedulers("ChainedScheduler", schedulers);
    for (let i = 1; i < subs.length; i++) {
      if (subs[i].optimizer !== subs[0].optimizer) {
        throw new Error(
          `ChainedScheduler expects all schedulers to belong to the same optimizer, but got schedulers at index 0 and ${i} to be different`,
        );
      }
    }
    this._schedulers = subs;
    this.optimizer = subs[0].optimizer;
    this._lastLr = groupsOf(this.optimizer).map(groupLr);
  }

  step(): void {
    for (const s of this._schedulers) s.step();
    this._lastLr = groupsOf(this.optimizer).map(groupLr);
  }

  getLastLr(): number[] {
    return [...this._lastLr];
  }

  /** PyTorch's keys: `_last_lr` and `_schedulers` (each child's state dict). */
  stateDict(): SchedulerStateDict {
    return { _last_lr: [...this._lastLr], _schedulers: this._schedulers.map((s) => s.stateDict()) };
  }

  loadStateDict(stateDict: SchedulerStateDict): void {
    const l = stateDict._last_lr;
    if (l !== undefined && (!Array.isArray(l) || l.some((x) => typeof x !== "number"))) throw new Error("loaded scheduler state dict: _last_lr must be an array of numbers");
    loadChildren("ChainedScheduler", this._schedulers, stateDict);
    if (l !== undefined) this._lastLr = copyData(l as number[]);
  }
}
