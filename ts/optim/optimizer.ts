import { Tensor } from "../tensor";
import { noGrad } from "../autograd/grad-mode";

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
    this.paramGroups.push(full);
  }

  /** Checks one group's hyper-parameters, with PyTorch's messages. */
  protected abstract validate(group: O): void;

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
    const groups = sd.paramGroups;
    if (groups.length !== this.paramGroups.length) throw new Error("loaded state dict has a different number of parameter groups");
    groups.forEach((g, i) => {
      if (g.params.length !== this.paramGroups[i].params.length) {
        throw new Error("loaded state dict contains a parameter group that doesn't match the size of optimizer's group");
      }
    });
    this.state = new Map();
    groups.forEach((g, gi) => {
      const own = this.paramGroups[gi];
      g.params.forEach((id, j) => {
        const p = own.params[j];
        const s = sd.state[id];
        if (s === undefined) return;
        const copy: ParamState = {};
        for (const [k, v] of Object.entries(s)) {
          // Floating state follows the parameter's dtype, as PyTorch casts it; the step count stays as is.
          copy[k] = v instanceof Tensor ? (v.dtype === "float32" || v.dtype === "float64" ? v.to(p.dtype).clone() : v.clone()) : v;
        }
        this.state.set(p, copy);
      });
      const { params, ...opts } = g;
      void params;
      this.paramGroups[gi] = { ...(opts as unknown as O), params: own.params } as ParamGroup<O>;
    });
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
