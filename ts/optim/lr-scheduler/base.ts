import { hostStep } from "../../compile/hooks";
import { Optimizer } from "../optimizer";

/**
 * A scheduler's state as PyTorch's `state_dict()` holds it: PyTorch's own key names (`last_epoch`, `base_lrs`,
 * `_step_count`, `_last_lr`, `step_size`, `T_max`, ...), so a dict written by either side loads in the other.
 */
export type SchedulerStateDict = Record<string, unknown>;

/** Any optimizer, whatever its options. */
export type AnyOptimizer = Optimizer<object>;

/** The options every epoch-based scheduler takes after its positional arguments. */
export interface SchedulerBaseOptions {
  /** The index of the last epoch when resuming; -1 (the default) starts the schedule. */
  lastEpoch?: number;
  /** Print each change of learning rate, as PyTorch's `verbose=True`. */
  verbose?: boolean;
}

export const BASE_OPTION_KEYS = ["lastEpoch", "verbose"] as const;

const EPOCH_DEPRECATION_WARNING =
  "The epoch parameter in `scheduler.step()` was not necessary and is being deprecated where possible. " +
  "Please use `scheduler.step()` to step the scheduler. During the deprecation, if epoch is different from None, " +
  "the closed form is used instead of the new chainable form, where available. Please open an issue if you are " +
  "unable to replicate your use case: https://github.com/pytorch/pytorch/issues/new/choose.";
const OVERRIDDEN_WARNING =
  "Seems like `optimizer.step()` has been overridden after learning rate scheduler initialization. Please, make " +
  "sure to call `optimizer.step()` before `lr_scheduler.step()`. See more details at " +
  "https://pytorch.org/docs/stable/optim.html#how-to-adjust-learning-rate";
const ORDER_WARNING =
  "Detected call of `lr_scheduler.step()` before `optimizer.step()`. In PyTorch 1.1.0 and later, you should call " +
  "them in the opposite order: `optimizer.step()` before `lr_scheduler.step()`.  Failure to do this will result in " +
  "PyTorch skipping the first value of the learning rate schedule. See more details at " +
  "https://pytorch.org/docs/stable/optim.html#how-to-adjust-learning-rate";

// Python's default warning filter shows a warning once per call site; these are one site each.
const warned = new Set<string>();
export function warnOnce(message: string): void {
  if (warned.has(message)) return;
  warned.add(message);
  process.emitWarning(message, "UserWarning");
}

/** optimizer.step() calls since the last scheduler was attached, as PyTorch's `optimizer._step_count`. */
const optimizerSteps = new WeakMap<object, number>();
const COUNTED = Symbol("tensorgrad.lrScheduler.counted");

/** Wraps optimizer.step (once) so that it counts its calls, which is how scheduler.step() detects the wrong order. */
function countSteps(optimizer: AnyOptimizer): void {
  const current = optimizer.step as (() => void) & { [COUNTED]?: true };
  if (current[COUNTED]) return;
  const counted = Object.assign(
    function (this: unknown, ...args: unknown[]): unknown {
      optimizerSteps.set(optimizer, (optimizerSteps.get(optimizer) ?? 0) + 1);
      return (current as (...a: unknown[]) => unknown).apply(optimizer, args);
    },
    { [COUNTED]: true as const },
  );
  Object.defineProperty(optimizer, "step", { value: counted, writable: true, configurable: true, enumerable: false });
}

/** The parameter groups as records, for the keys a scheduler adds (initialLr, maxLr, ...). */
export function groupsOf(optimizer: AnyOptimizer): Record<string, unknown>[] {
  return optimizer.paramGroups as unknown as Record<string, unknown>[];
}

export function groupLr(g: Record<string, unknown>): number {
  return g.lr as number;
}

export function checkOptimizer(optimizer: unknown): asserts optimizer is AnyOptimizer {
  if (!(optimizer instanceof Optimizer)) {
    const name = optimizer === null ? "NoneType" : typeof optimizer === "object" ? (optimizer as object).constructor.name : typeof optimizer;
    throw new TypeError(`${name} is not an Optimizer`);
  }
}

/** A number option (gamma, eta_min, ...): anything else would turn every learning rate into NaN. */
export function checkNum(value: unknown, name: string): number {
  if (typeof value !== "number" || Number.isNaN(value)) {
    throw new TypeError(`${name} must be a number, got ${typeof value === "number" ? "nan" : describe(value)}`);
  }
  return value;
}

export function checkBool(value: unknown, name: string): boolean {
  if (typeof value !== "boolean") throw new TypeError(`${name} must be a boolean, got ${describe(value)}`);
  return value;
}

/** A count PyTorch requires to be a positive integer, with its message. */
export function checkPositiveInt(value: unknown, name: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value <= 0) {
    throw new Error(`Expected positive integer ${name}, but got ${show(value)}`);
  }
  return value;
}

export function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "string") return `string '${v}'`;
  return typeof v;
}

/** A value as Python's str() would print it in PyTorch's messages. */
export function show(v: unknown): string {
  if (v === null || v === undefined) return "None";
  if (typeof v === "number") return Number.isNaN(v) ? "nan" : v === Infinity ? "inf" : v === -Infinity ? "-inf" : String(v);
  if (typeof v === "boolean") return v ? "True" : "False";
  if (Array.isArray(v)) return `[${v.map(show).join(", ")}]`;
  return String(v);
}

/** Python's "{:.4e}" (two-digit exponent). */
export function sci4(v: number): string {
  const [m, e] = v.toExponential(4).split("e");
  const n = Number(e);
  return `${m}e${n < 0 ? "-" : "+"}${String(Math.abs(n)).padStart(2, "0")}`;
}

/** A deep copy of plain data (numbers, strings, arrays, plain objects), so a state dict never aliases live state. */
export function copyData<T>(v: T): T {
  if (Array.isArray(v)) return v.map(copyData) as unknown as T;
  if (v !== null && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) Object.defineProperty(out, k, { value: copyData(x), enumerable: true, writable: true, configurable: true });
    return out as T;
  }
  return v;
}

function kindOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  return typeof v;
}

/**
 * The state fields of a scheduler: PyTorch's key and the property holding it. Loading checks that each value has
 * the kind the property holds (a number for a number, an array for an array, ...) and ignores keys it does not
 * know, as PyTorch's `__dict__.update` would carry them along harmlessly (dicts from newer PyTorch versions have a few).
 */
export type StateFields = readonly (readonly [pyKey: string, prop: string])[];

export function readState(owner: object, fields: StateFields): SchedulerStateDict {
  const sd: SchedulerStateDict = {};
  const self = owner as Record<string, unknown>;
  for (const [key, prop] of fields) {
    Object.defineProperty(sd, key, { value: copyData(self[prop]), enumerable: true, writable: true, configurable: true });
  }
  return sd;
}

/** Checks all of sd first, then assigns: a bad dict changes nothing. */
export function writeState(owner: object, fields: StateFields, sd: SchedulerStateDict, nullable: readonly string[] = []): void {
  if (sd === null || typeof sd !== "object" || Array.isArray(sd)) throw new TypeError("loadStateDict expects a state dict object");
  const self = owner as Record<string, unknown>;
  const updates: [string, unknown][] = [];
  for (const [key, prop] of fields) {
    if (!Object.prototype.hasOwnProperty.call(sd, key)) continue;
    const v = sd[key];
    const want = kindOf(self[prop]);
    const got = kindOf(v);
    const okNull = nullable.includes(key) && (got === "null" || want === "null");
    if (got !== want && !okNull) throw new Error(`loaded scheduler state dict: ${key} must be ${want === "array" ? "an array" : `a ${want}`}, got ${got}`);
    if (typeof v === "number" && Number.isNaN(v)) throw new Error(`loaded scheduler state dict: ${key} is nan`);
    if (Array.isArray(v) && Array.isArray(self[prop]) && key.endsWith("lrs") && v.some((x) => typeof x !== "number")) {
      throw new Error(`loaded scheduler state dict: ${key} must hold numbers`);
    }
    updates.push([prop, copyData(v)]);
  }
  for (const [prop, v] of updates) self[prop] = v;
}

/**
 * torch.optim.lr_scheduler._LRScheduler in PyTorch 1.13: `step()` advances `lastEpoch` and sets every group's
 * learning rate from the chainable form (`getLr`), or from the closed form when an epoch is given.
 */
export abstract class LRScheduler {
  readonly optimizer: AnyOptimizer;
  /** Each group's `initialLr` when the scheduler was attached. */
  baseLrs: number[];
  lastEpoch: number;
  verbose: boolean;
  /** @internal scheduler.step() calls since construction (1 after the constructor's own step). */
  _stepCount = 0;
  /** @internal */
  _getLrCalledWithinStep = false;
  /** @internal */
  _lastLr: number[] = [];

  /** Subclasses set their own fields, then call `this._initialStep()`, as PyTorch's constructors do. */
  protected constructor(optimizer: unknown, lastEpoch: unknown, verbose: unknown) {
    checkOptimizer(optimizer);
    this.optimizer = optimizer;
    if (typeof lastEpoch !== "number" || !Number.isInteger(lastEpoch)) throw new TypeError(`lastEpoch must be an integer, got ${show(lastEpoch)}`);
    this.verbose = checkBool(verbose, "verbose");
    const groups = groupsOf(optimizer);
    if (lastEpoch === -1) {
      for (const g of groups) if (!("initialLr" in g)) g.initialLr = g.lr;
    } else {
      groups.forEach((g, i) => {
        if (!("initialLr" in g)) throw new Error(`param 'initialLr' is not specified in paramGroups[${i}] when resuming an optimizer`);
      });
    }
    this.baseLrs = groups.map((g) => g.initialLr as number);
    this.lastEpoch = lastEpoch;
    countSteps(optimizer);
  }

  /** @internal Resets the step counts and takes the first step (PyTorch's `_initial_step`). */
  _initialStep(): void {
    optimizerSteps.set(this.optimizer, 0);
    this._stepCount = 0;
    this.step();
  }

  /** The learning rates of the current epoch, from the groups' current ones (the chainable form). */
  protected abstract getLr(): number[];

  /** The learning rates of `lastEpoch` from `baseLrs` alone, where the scheduler has one. */
  protected closedFormLr(): number[] | null {
    return null;
  }

  /** PyTorch's key → property pairs of this scheduler's own fields, in PyTorch's order. */
  protected ownStateFields(): StateFields {
    return [];
  }

  protected stateFields(): StateFields {
    return [
      ...this.ownStateFields(),
      ["base_lrs", "baseLrs"],
      ["last_epoch", "lastEpoch"],
      ["verbose", "verbose"],
      ["_step_count", "_stepCount"],
      ["_get_lr_called_within_step", "_getLrCalledWithinStep"],
      ["_last_lr", "_lastLr"],
    ];
  }

  /**
   * Advances one epoch. `epoch` is PyTorch's deprecated argument: it sets `lastEpoch` and uses the closed form
   * (with PyTorch's deprecation warning).
   */
  step(epoch?: number): void {
    // Under compile, a host step: re-run at each replay.
    hostStep(this, () => this._step(epoch, true));
  }

  /** @internal step() without the deprecation warning, for SequentialLR's restarts. */
  _step(epoch: number | undefined, warn: boolean): void {
    if (this._stepCount === 1) {
      if (!(this.optimizer.step as { [COUNTED]?: true })[COUNTED]) warnOnce(OVERRIDDEN_WARNING);
      else if ((optimizerSteps.get(this.optimizer) ?? 0) < 1) warnOnce(ORDER_WARNING);
    }
    this._stepCount += 1;
    let values: number[];
    this._getLrCalledWithinStep = true;
    try {
      if (epoch === undefined) {
        this.lastEpoch += 1;
        values = this.getLr();
      } else {
        if (warn) warnOnce(EPOCH_DEPRECATION_WARNING);
        this.lastEpoch = checkNum(epoch, "epoch");
        values = this.closedFormLr() ?? this.getLr();
      }
    } finally {
      this._getLrCalledWithinStep = false;
    }
    this.applyLrs(values, epoch);
  }

  /** @internal */
  protected applyLrs(values: number[], epoch: number | undefined): void {
    const groups = groupsOf(this.optimizer);
    groups.forEach((g, i) => {
      if (i >= values.length) return;
      g.lr = values[i];
      this.printLr(i, values[i], epoch);
    });
    this._lastLr = groups.map(groupLr);
  }

  protected printLr(group: number, lr: number, epoch: number | undefined): void {
    if (!this.verbose) return;
    if (epoch === undefined) console.log(`Adjusting learning rate of group ${group} to ${sci4(lr)}.`);
    else {
      const e = Number.isInteger(epoch) ? String(epoch).padStart(5, "0") : epoch.toFixed(2);
      console.log(`Epoch ${e}: adjusting learning rate of group ${group} to ${sci4(lr)}.`);
    }
  }

  /** The learning rates the last step() set, one per parameter group. */
  getLastLr(): number[] {
    return [...this._lastLr];
  }

  /** Everything but the optimizer, under PyTorch's keys. */
  stateDict(): SchedulerStateDict {
    return readState(this, this.stateFields());
  }

  loadStateDict(stateDict: SchedulerStateDict): void {
    writeState(this, this.stateFields(), stateDict);
  }
}
