import { Tensor } from "../tensor";
import { noGrad } from "../autograd/grad-mode";
import { checkNoInternalOverlap } from "../memory-overlap";
import { hostStep } from "../compile/hooks";

export type StateValue = Tensor | number | null;
export type ParamState = Record<string, StateValue>;

/** A parameter group: its tensors and the options that apply to them. */
export type ParamGroup<O> = O & { params: Tensor[] };

/** What the constructor accepts: tensors, or groups of tensors with their own options. */
export type ParamsInput<O> = Iterable<Tensor> | Iterable<{ params: Iterable<Tensor> | Tensor } & Partial<O>>;

export interface OptimizerStateDict<O> {
  state: Record<number, ParamState>;
  paramGroups: (O & { params: number[] })[];
}

/**
 * What a per-parameter state entry must hold: a step count, a tensor shaped like the parameter, that or null, or a
 * plain number (NAdam's mu_product).
 */
export type StateKind = "count" | "tensor" | "tensorOrNull" | "number";

const hasOwn = (o: object, k: PropertyKey): boolean => Object.prototype.hasOwnProperty.call(o, k);

function loadError(message: string): Error {
  return new Error(`loaded state dict ${message}`);
}

/** torch.optim.Optimizer: parameter groups, per-parameter state, zeroGrad and state dicts. */
export abstract class Optimizer<O extends object> {
  readonly defaults: O;
  paramGroups: ParamGroup<O>[] = [];
  /** Per-parameter state (momentum buffers, moment estimates, step counts). */
  state: Map<Tensor, ParamState> = new Map();

  constructor(params: ParamsInput<O>, defaults: O) {
    this.defaults = defaults;
    if (params instanceof Tensor) {
      throw new TypeError("params argument given to the optimizer should be an iterable of Tensors or dicts, but got Tensor");
    }
    const list = [...(params as Iterable<unknown>)];
    if (list.length === 0) throw new Error("optimizer got an empty parameter list");
    type Group = { params: Iterable<Tensor> | Tensor } & Partial<O>;
    const groups: Group[] = list[0] instanceof Tensor ? [{ params: list as Tensor[] } as unknown as Group] : (list as Group[]);
    for (const g of groups) this.addParamGroup(g);
    // Under compile a step is a host step, re-run in JavaScript at each replay: its step counts, learning rates
    // and paramGroups options are read then, never frozen into the recording.
    const step = this.step;
    Object.defineProperty(this, "step", { value: () => hostStep(this, () => step.call(this)), writable: true, configurable: true, enumerable: false });
  }

  addParamGroup(group: { params: Iterable<Tensor> | Tensor } & Partial<O>): void {
    const params = group.params instanceof Tensor ? [group.params] : [...group.params];
    for (const p of params) {
      if (!(p instanceof Tensor)) throw new TypeError(`optimizer can only optimize Tensors, but one of the params is ${typeof p}`);
      if (!p.isLeaf) throw new Error("can't optimize a non-leaf Tensor");
    }
    const full = { ...this.defaults, ...group, params } as ParamGroup<O>;
    for (const [k, v] of Object.entries(full)) {
      if (v === undefined) throw new Error(`parameter group didn't specify a value of required optimization parameter ${k}`);
    }
    this.validate(full);
    const seen = new Set<Tensor>();
    for (const g of this.paramGroups) for (const p of g.params) seen.add(p);
    if (params.some((p) => seen.has(p)) || new Set(params).size !== params.length) {
      throw new Error("some parameters appear in more than one parameter group");
    }
    this.paramGroups.push(this.makeGroup(full as unknown as Record<string, unknown>, params));
  }

  /** Checks one group's hyper-parameters, with PyTorch's messages. */
  protected abstract validate(group: O): void;

  /** Groups made by makeGroup validate their own options; any other object put into paramGroups is checked at step(). */
  private readonly checkedGroups = new WeakSet<object>();

  /**
   * A group whose options are accessors: assigning one (`opt.paramGroups[0].lr = x`) validates the group with the
   * new value first, so a bad value throws where it is set instead of turning the weights into NaN at the next step.
   * Arrays (betas) are stored frozen, so they cannot be changed behind the check. Keys that are not options
   * (a scheduler's `initialLr`, say) stay plain properties.
   */
  private makeGroup(full: Record<string, unknown>, params: Tensor[]): ParamGroup<O> {
    const values: Record<string, unknown> = {};
    const group: Record<string, unknown> = {};
    const frozen = (v: unknown): unknown => (Array.isArray(v) ? Object.freeze([...v]) : v);
    for (const k of Object.keys(full)) {
      if (k === "params") {
        Object.defineProperty(group, k, { value: params, enumerable: true, writable: true, configurable: true });
      } else if (hasOwn(this.defaults, k)) {
        values[k] = frozen(full[k]);
        Object.defineProperty(group, k, {
          enumerable: true,
          configurable: true,
          get: () => values[k],
          set: (v: unknown) => {
            this.validate({ ...values, [k]: v } as unknown as O);
            values[k] = frozen(v);
          },
        });
      } else {
        Object.defineProperty(group, k, { value: full[k], enumerable: true, writable: true, configurable: true });
      }
    }
    this.checkedGroups.add(group);
    return group as unknown as ParamGroup<O>;
  }

  /**
   * Called by step() before any write: groups replaced wholesale are validated, and a parameter whose elements
   * share memory (an expanded tensor) is refused as PyTorch's in-place ops refuse it, rather than updated wrongly.
   */
  /**
   * The step loop of the optimizers written in tensor ops (PyTorch's single-tensor path): for each parameter
   * with a gradient, its state (created by `init` on first use, after `step: 0`), the step count advanced, then
   * `update` — everything after checkBeforeStep and without recording.
   */
  protected forEachGradient(
    init: (p: Tensor) => ParamState,
    update: (p: Tensor, grad: Tensor, s: ParamState, g: ParamGroup<O>, step: number) => void,
  ): void {
    this.checkBeforeStep();
    noGrad(() => {
      for (const g of this.paramGroups) {
        for (const p of g.params) {
          const grad = p.grad;
          if (grad === null) continue;
          const s = this.stateOf(p);
          if (s.step === undefined) Object.assign(s, { step: 0 }, init(p));
          const step = (s.step as number) + 1;
          s.step = step;
          update(p, grad, s, g, step);
        }
      }
    });
  }

  protected checkBeforeStep(): void {
    for (const g of this.paramGroups) {
      if (!this.checkedGroups.has(g)) this.validate(g);
      for (const p of g.params) {
        if (p.grad !== null && !p.isContiguous()) checkNoInternalOverlap(p);
      }
    }
  }

  /**
   * The state keys this optimizer reads for a parameter of group g once it has stepped, and what each must hold;
   * a loaded state must have them (others are kept as long as they are tensors, numbers or null).
   */
  protected stateKinds(g: O): Record<string, StateKind> {
    void g;
    return {};
  }

  /** One update of every parameter that has a gradient. */
  abstract step(): void;

  zeroGrad(setToNone = true): void {
    for (const g of this.paramGroups) {
      for (const p of g.params) {
        const grad = p.grad;
        if (grad === null) continue;
        if (setToNone) p.grad = null;
        else {
          if (grad.gradFn !== null) grad.detach_();
          else grad.requiresGrad_(false);
          noGrad(() => grad.zero_());
        }
      }
    }
  }

  /** {state: {index: {...}}, paramGroups: [{...options, params: [indices]}]}, indices counting across groups. */
  stateDict(): OptimizerStateDict<O> {
    const index = new Map<Tensor, number>();
    let next = 0;
    const paramGroups = this.paramGroups.map((g) => {
      const { params, ...opts } = g;
      const ids = params.map((p) => {
        if (!index.has(p)) index.set(p, next++);
        return index.get(p) as number;
      });
      return { ...(opts as unknown as O), params: ids };
    });
    const state: Record<number, ParamState> = {};
    for (const [p, s] of this.state) {
      const i = index.get(p);
      if (i !== undefined) state[i] = { ...s };
    }
    return { state, paramGroups };
  }

  loadStateDict(sd: OptimizerStateDict<O>): void {
    this._prepareLoad(sd)();
  }

  /**
   * @internal Checks everything in sd against this optimizer — group count and sizes, every group's options (as the
   * constructor does), every state entry's type, and that state tensors are shaped like their parameters — and
   * returns the function that installs it. Nothing changes unless all of it is valid (a checkpoint restore checks
   * the optimizer before it touches the model).
   */
  _prepareLoad(sd: OptimizerStateDict<O>): () => void {
    if (sd === null || typeof sd !== "object") throw new TypeError("loadStateDict expects { state, paramGroups }");
    const groups = sd.paramGroups as unknown;
    const states = sd.state as unknown;
    if (!Array.isArray(groups)) throw loadError("has no paramGroups array");
    if (states === null || typeof states !== "object") throw loadError("has no state object");
    if (groups.length !== this.paramGroups.length) throw new Error("loaded state dict has a different number of parameter groups");
    groups.forEach((g: unknown, i) => {
      if (g === null || typeof g !== "object" || !Array.isArray((g as { params?: unknown }).params)) {
        throw loadError(`has a parameter group ${i} without a params array`);
      }
      if ((g as { params: unknown[] }).params.length !== this.paramGroups[i].params.length) {
        throw new Error("loaded state dict contains a parameter group that doesn't match the size of optimizer's group");
      }
    });
    const newGroups: Record<string, unknown>[] = [];
    const newState = new Map<Tensor, ParamState>();
    (groups as Record<string, unknown>[]).forEach((g, gi) => {
      const own = this.paramGroups[gi];
      const opts: Record<string, unknown> = {};
      for (const k of Object.keys(g)) {
        if (k !== "params") Object.defineProperty(opts, k, { value: g[k], enumerable: true, writable: true, configurable: true });
      }
      for (const k of Object.keys(this.defaults)) {
        if (!hasOwn(opts, k) || opts[k] === undefined) throw loadError(`parameter group ${gi} has no value for ${k}`);
      }
      try {
        this.validate(opts as unknown as O);
      } catch (e) {
        throw loadError(`parameter group ${gi}: ${e instanceof Error ? e.message : String(e)}`);
      }
      const kinds = this.stateKinds(opts as unknown as O);
      (g.params as unknown[]).forEach((id, j) => {
        if (!Number.isSafeInteger(id) || (id as number) < 0) throw loadError(`parameter group ${gi} has parameter id ${String(id)}, not an index`);
        const p = own.params[j];
        if (!hasOwn(states, id as number)) return;
        const s = (states as Record<number, unknown>)[id as number];
        if (s === undefined) return;
        newState.set(p, this.checkedState(s, p, id as number, kinds));
      });
      newGroups.push({ ...opts, params: own.params });
    });
    return () => {
      this.state = newState;
      newGroups.forEach((g, gi) => {
        this.paramGroups[gi] = this.makeGroup(g, this.paramGroups[gi].params);
      });
    };
  }

  /** A copy of one loaded state entry, after checking it; floating state follows the parameter's dtype, as PyTorch casts it. */
  private checkedState(s: unknown, p: Tensor, id: number, kinds: Record<string, StateKind>): ParamState {
    const where = `state of parameter ${id}`;
    if (s === null || typeof s !== "object" || Array.isArray(s) || s instanceof Tensor) throw loadError(`has a ${where} that is not an object`);
    const entry = s as Record<string, unknown>;
    const keys = Object.keys(entry);
    if (keys.length > 0) {
      for (const [k, kind] of Object.entries(kinds)) {
        if (kind !== "tensorOrNull" && !hasOwn(entry, k)) throw loadError(`${where} has no ${k}`);
      }
    }
    const copy: ParamState = {};
    for (const k of keys) {
      const v = entry[k];
      const kind: StateKind | undefined = hasOwn(kinds, k) ? kinds[k] : undefined;
      const typeOf = v === null ? "null" : v instanceof Tensor ? "a tensor" : typeof v;
      let out: StateValue;
      if (v instanceof Tensor) {
        if (kind === "count" || kind === "number") throw loadError(`${where}: ${k} must be a number, got a tensor`);
        if (v.dtype !== "float32" && v.dtype !== "float64") throw loadError(`${where}: ${k} has dtype ${v.dtype}, not a floating dtype`);
        if (v.shape.length !== p.shape.length || v.shape.some((d, i) => d !== p.shape[i])) {
          throw loadError(`${where}: ${k} has shape [${v.shape.join(", ")}], the parameter [${p.shape.join(", ")}]`);
        }
        out = v.to(p.dtype).clone();
      } else if (typeof v === "number") {
        if (kind === "tensor" || kind === "tensorOrNull") throw loadError(`${where}: ${k} must be a tensor, got a number`);
        if (kind === "count" ? !(Number.isSafeInteger(v) && v >= 0) : Number.isNaN(v)) {
          throw loadError(`${where}: ${k} is ${v}, ${kind === "count" ? "not a step count (a non-negative integer)" : "not a number"}`);
        }
        out = v;
      } else if (v === null) {
        if (kind === "count" || kind === "number" || kind === "tensor") throw loadError(`${where}: ${k} must be ${kind === "tensor" ? "a tensor" : "a number"}, got null`);
        out = null;
      } else {
        throw loadError(`${where}: ${k} must be ${kind === "count" || kind === "number" ? "a number" : kind === undefined ? "a tensor, a number or null" : "a tensor"}, got ${typeOf}`);
      }
      Object.defineProperty(copy, k, { value: out, enumerable: true, writable: true, configurable: true });
    }
    return copy;
  }

  /** The state of p, created empty on first use. */
  protected stateOf(p: Tensor): ParamState {
    let s = this.state.get(p);
    if (s === undefined) {
      s = {};
      this.state.set(p, s);
    }
    return s;
  }

  toString(): string {
    const lines = [`${this.constructor.name} (`];
    this.paramGroups.forEach((g, i) => {
      lines.push(`Parameter Group ${i}`);
      const keys = Object.keys(g).filter((k) => k !== "params").sort();
      for (const k of keys) lines.push(`    ${k}: ${fmt((g as Record<string, unknown>)[k])}`);
    });
    lines.push(")");
    return lines.join("\n");
  }
}

function fmt(v: unknown): string {
  if (typeof v === "boolean") return v ? "True" : "False";
  if (Array.isArray(v)) return `(${v.map(fmt).join(", ")})`;
  if (v === null || v === undefined) return "None";
  if (typeof v === "number") return pyRepr(v);
  return String(v);
}

/** Python's repr of a float: shortest digits, exponent form below 1e-4 and from 1e16, two-digit exponents. */
function pyRepr(v: number): string {
  if (Number.isNaN(v)) return "nan";
  if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
  const a = Math.abs(v);
  if (v !== 0 && (a < 1e-4 || a >= 1e16)) {
    const [m, e] = v.toExponential().split("e");
    const exp = Number(e);
    return `${m}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  }
  return String(v);
}

/** The contiguous float storage a fused kernel can update in place, or null when it cannot. */
export function flatFloat(t: Tensor): Float32Array | Float64Array | null {
  if ((t.dtype !== "float32" && t.dtype !== "float64") || !t.isContiguous()) return null;
  const d = t._data as Float32Array | Float64Array;
  const n = t.numel();
  // A parameter usually owns its whole storage: hand that over instead of allocating a view every step.
  return t.offset === 0 && d.length === n ? d : d.subarray(t.offset, t.offset + n);
}

/** Marks an in-place write to p for autograd's saved-tensor checks. */
export function bumpVersion(p: Tensor): void {
  p._version.value++;
}

/** PyTorch formats these numbers in Python; JavaScript's String(-1) is "-1" as Python's int. */
export function check(ok: boolean, message: string): void {
  if (!ok) throw new Error(message);
}

/** A value as PyTorch's message would print it (Python's str of a float, repr of a string). */
function show(v: unknown): string {
  if (typeof v === "number") return Number.isNaN(v) ? "nan" : v === Infinity ? "inf" : v === -Infinity ? "-inf" : String(v);
  if (typeof v === "string") return `'${v}'`;
  if (Array.isArray(v)) return `(${v.map(show).join(", ")})`;
  return String(v);
}

const kindOf = (v: unknown): string => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);

/**
 * A numeric option: `invalid` is PyTorch's message prefix ("Invalid learning rate"); `ok` is its range check,
 * which NaN fails (every comparison with NaN is false, as in Python). A value that is not a number says so.
 */
export function checkNumber(value: unknown, name: string, invalid: string, ok: (v: number) => boolean): void {
  if (typeof value !== "number") throw new Error(`${invalid}: ${show(value)} (${name} must be a number, got ${kindOf(value)})`);
  if (!ok(value)) throw new Error(`${invalid}: ${show(value)}`);
}

/** A boolean option (amsgrad, nesterov, ...): a string such as "false" would otherwise count as true. */
export function checkBoolean(value: unknown, name: string): void {
  if (typeof value !== "boolean") throw new Error(`Invalid ${name} value: ${show(value)} (${name} must be a boolean, got ${kindOf(value)})`);
}

/** Adam's betas: a pair of numbers in [0, 1). */
export function checkBetas(value: unknown): void {
  if (!Array.isArray(value) || value.length !== 2) {
    throw new Error(`Invalid betas value: ${show(value)} (betas must be a pair of numbers)`);
  }
  checkNumber(value[0], "betas[0]", "Invalid beta parameter at index 0", (v) => v >= 0 && v < 1);
  checkNumber(value[1], "betas[1]", "Invalid beta parameter at index 1", (v) => v >= 0 && v < 1);
}
