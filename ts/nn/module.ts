import { inspect } from "node:util";
import { Tensor } from "../tensor";
import type { DType } from "../backend/types";
import { noGrad } from "../autograd/grad-mode";
import { Parameter } from "./parameter";

export type StateDict = Record<string, Tensor>;

export interface LoadStateDictResult {
  missingKeys: string[];
  unexpectedKeys: string[];
}

/** Python's type name of a value, for PyTorch's assignment errors. */
function typeName(v: unknown): string {
  if (v instanceof Tensor) return v.dtype === "float64" ? "torch.DoubleTensor" : v.dtype === "int32" ? "torch.IntTensor" : v.dtype === "bool" ? "torch.BoolTensor" : "torch.FloatTensor";
  if (v === null) return "NoneType";
  if (typeof v === "object" || typeof v === "function") return (v as object).constructor?.name ?? typeof v;
  return typeof v;
}

/** PyTorch's _addindent: every line after the first is indented. */
function addIndent(s: string, n: number): string {
  const lines = s.split("\n");
  if (lines.length === 1) return s;
  const pad = " ".repeat(n);
  return [lines[0], ...lines.slice(1).map((l) => pad + l)].join("\n");
}

/**
 * Module's calling convention: instances are callable, `model(x)` being `model.forward(x)`.
 * `In` / `Out` type the call; subclasses with other signatures pass them, e.g. `Module<[Tensor, Tensor]>`.
 */
export interface Module<In extends unknown[] = Tensor[], Out = Tensor> {
  (...args: In): Out;
}

/**
 * Base class of all layers and models (torch.nn.Module). Submodules, Parameters and buffers register when
 * assigned as properties, in assignment order. The instance is a Proxy around a function object, so that it
 * can be called, and so that its defineProperty hook sees every assignment (including class fields).
 */
export class Module<In extends unknown[] = Tensor[], Out = Tensor> {
  /** @internal */ declare _parameters: Map<string, Parameter | null>;
  /** @internal */ declare _buffers: Map<string, Tensor | null>;
  /** @internal */ declare _modules: Map<string, Module<never[], unknown> | null>;
  declare training: boolean;

  constructor() {
    // The target must be callable; an arrow function has no own `prototype`, and we drop `name`/`length`
    // so user properties of those names can be assigned.
    const target = ((...args: unknown[]) => (proxy as unknown as { forward(...a: unknown[]): unknown }).forward(...args)) as unknown as object;
    delete (target as { name?: string }).name;
    delete (target as { length?: number }).length;
    Object.setPrototypeOf(target, new.target.prototype);
    const hidden = (k: string, v: unknown) => Object.defineProperty(target, k, { value: v, writable: true, configurable: true, enumerable: false });
    hidden("_parameters", new Map());
    hidden("_buffers", new Map());
    hidden("_modules", new Map());
    Object.defineProperty(target, "training", { value: true, writable: true, configurable: true, enumerable: true });
    const proxy: object = new Proxy(target, {
      defineProperty: (t, key, desc) => {
        if (typeof key === "string" && "value" in desc) register(t as Module<never[], unknown>, key, desc.value);
        return Reflect.defineProperty(t, key, desc);
      },
      deleteProperty: (t, key) => {
        if (typeof key === "string") {
          const m = t as Module<never[], unknown>;
          m._parameters.delete(key);
          m._buffers.delete(key);
          m._modules.delete(key);
        }
        return Reflect.deleteProperty(t, key);
      },
    });
    return proxy as this;
  }

  /** Subclasses implement the computation. */
  forward(...args: In): Out {
    void args;
    throw new Error(`Module [${this.constructor.name}] is missing the required "forward" function`);
  }

  registerParameter(name: string, param: Parameter | null): void {
    if (param !== null && !(param instanceof Parameter)) {
      throw new TypeError(`cannot assign '${typeName(param)}' object to parameter '${name}' (torch.nn.Parameter or None required)`);
    }
    (this as unknown as Record<string, unknown>)[name] = param;
    this._parameters.set(name, param);
  }

  registerBuffer(name: string, tensor: Tensor | null): void {
    if (tensor !== null && !(tensor instanceof Tensor)) {
      throw new TypeError(`cannot assign '${typeName(tensor)}' object to buffer '${name}' (torch Tensor or None required)`);
    }
    this._buffers.set(name, tensor);
    Reflect.defineProperty(this, name, { value: tensor, writable: true, configurable: true, enumerable: true });
    this._buffers.set(name, tensor);
  }

  addModule(name: string, module: Module<never[], unknown> | null): void {
    (this as unknown as Record<string, unknown>)[name] = module;
    this._modules.set(name, module);
  }

  *_namedMembers<T>(get: (m: Module<never[], unknown>) => Map<string, T | null>, prefix = "", recurse = true): Generator<[string, T]> {
    const memo = new Set<T>();
    const mods: [string, Module<never[], unknown>][] = recurse ? this.namedModules(undefined, prefix) : [[prefix, this as unknown as Module<never[], unknown>]];
    for (const [modPrefix, mod] of mods) {
      for (const [k, v] of get(mod)) {
        if (v === null || memo.has(v)) continue;
        memo.add(v);
        yield [modPrefix + (modPrefix ? "." : "") + k, v];
      }
    }
  }

  namedParameters(prefix = "", recurse = true): [string, Parameter][] {
    return [...this._namedMembers((m) => m._parameters, prefix, recurse)];
  }

  parameters(recurse = true): Parameter[] {
    return this.namedParameters("", recurse).map(([, p]) => p);
  }

  namedBuffers(prefix = "", recurse = true): [string, Tensor][] {
    return [...this._namedMembers((m) => m._buffers, prefix, recurse)];
  }

  buffers(recurse = true): Tensor[] {
    return this.namedBuffers("", recurse).map(([, b]) => b);
  }

  namedChildren(): [string, Module<never[], unknown>][] {
    const out: [string, Module<never[], unknown>][] = [];
    const memo = new Set<Module<never[], unknown>>();
    for (const [k, m] of this._modules) {
      if (m !== null && !memo.has(m)) {
        memo.add(m);
        out.push([k, m]);
      }
    }
    return out;
  }

  children(): Module<never[], unknown>[] {
    return this.namedChildren().map(([, m]) => m);
  }

  namedModules(memo?: Set<Module<never[], unknown>>, prefix = ""): [string, Module<never[], unknown>][] {
    const seen = memo ?? new Set<Module<never[], unknown>>();
    const self = this as unknown as Module<never[], unknown>;
    if (seen.has(self)) return [];
    seen.add(self);
    const out: [string, Module<never[], unknown>][] = [[prefix, self]];
    for (const [k, m] of this._modules) {
      if (m === null) continue;
      out.push(...m.namedModules(seen, prefix + (prefix ? "." : "") + k));
    }
    return out;
  }

  modules(): Module<never[], unknown>[] {
    return this.namedModules().map(([, m]) => m);
  }

  /** Sets training mode on this module and its descendants (returns this). */
  train(mode = true): this {
    if (typeof mode !== "boolean") throw new TypeError("training mode is expected to be boolean");
    this.training = mode;
    for (const m of this.children()) m.train(mode);
    return this;
  }

  eval(): this {
    return this.train(false);
  }

  /** setToNone (default, as PyTorch 2.x) drops the gradients; otherwise they are zeroed in place. */
  zeroGrad(setToNone = true): void {
    for (const p of this.parameters()) {
      if (p.grad === null) continue;
      if (setToNone) p.grad = null;
      else {
        const g = p.grad.gradFn !== null ? p.grad.detach_() : p.grad.requiresGrad_(false);
        noGrad(() => g.zero_());
      }
    }
  }

  requiresGrad_(flag = true): this {
    for (const p of this.parameters()) p.requiresGrad_(flag);
    return this;
  }

  /** Calls fn on every submodule (children first) and then on this module. */
  apply(fn: (m: Module<never[], unknown>) => void): this {
    for (const m of this.children()) m.apply(fn);
    fn(this as unknown as Module<never[], unknown>);
    return this;
  }

  /** Converts floating-point parameters and buffers in place (the module keeps its Parameter objects). */
  to(target: DType | "cpu" | { dtype?: DType; device?: string }): this {
    const dtype = typeof target === "string" ? (target === "cpu" ? undefined : target) : target.dtype;
    if (typeof target === "object" && target.device !== undefined && target.device !== "cpu") {
      throw new Error(`Expected one of cpu device type at start of device string: ${target.device}`);
    }
    if (dtype === undefined) return this;
    if (dtype !== "float32" && dtype !== "float64") {
      throw new TypeError(`nn.Module.to only accepts floating point dtypes, but got desired dtype=${dtype}`);
    }
    for (const m of this.modules()) {
      for (const [, p] of m._parameters) {
        if (p === null || (p.dtype !== "float32" && p.dtype !== "float64")) continue;
        noGrad(() => {
          p.data = p.data.to(dtype);
          if (p.grad !== null) p.grad = p.grad.to(dtype);
        });
      }
      for (const [k, b] of m._buffers) {
        if (b !== null && (b.dtype === "float32" || b.dtype === "float64")) m.registerBuffer(k, b.to(dtype));
      }
    }
    return this;
  }

  float(): this {
    return this.to("float32");
  }

  double(): this {
    return this.to("float64");
  }

  /** Parameters and buffers by dotted name, detached, in PyTorch's order (each module's own, then its children). */
  stateDict(prefix = ""): StateDict {
    const out: StateDict = {};
    for (const [modPrefix, m] of this.namedModules(undefined, prefix)) {
      const p = modPrefix ? modPrefix + "." : "";
      for (const [k, v] of m._parameters) if (v !== null) out[p + k] = v.detach();
      for (const [k, v] of m._buffers) if (v !== null) out[p + k] = v.detach();
    }
    return out;
  }

  /** Copies tensors from a state dict into this module's parameters and buffers (shapes must match). */
  loadStateDict(stateDict: Record<string, Tensor>, opts: { strict?: boolean } = {}): LoadStateDictResult {
    const strict = opts.strict ?? true;
    const own = new Map<string, Tensor>();
    for (const [modPrefix, m] of this.namedModules()) {
      const p = modPrefix ? modPrefix + "." : "";
      for (const [k, v] of m._parameters) if (v !== null) own.set(p + k, v);
      for (const [k, v] of m._buffers) if (v !== null) own.set(p + k, v);
    }
    const missingKeys = [...own.keys()].filter((k) => !(k in stateDict));
    const unexpectedKeys = Object.keys(stateDict).filter((k) => !own.has(k));
    const errors: string[] = [];
    for (const [k, target] of own) {
      const src = stateDict[k];
      if (src === undefined) continue;
      if (!(src instanceof Tensor)) {
        errors.push(`While copying the parameter named "${k}", expected torch.Tensor or Tensor-like object from checkpoint but received ${typeName(src)}`);
        continue;
      }
      if (src.shape.length !== target.shape.length || src.shape.some((d, i) => d !== target.shape[i])) {
        errors.push(
          `size mismatch for ${k}: copying a param with shape torch.Size([${src.shape.join(", ")}]) from checkpoint, the shape in current model is torch.Size([${target.shape.join(", ")}]).`,
        );
        continue;
      }
      noGrad(() => target.copy_(src));
    }
    if (strict) {
      if (unexpectedKeys.length > 0) errors.unshift(`Unexpected key(s) in state_dict: ${unexpectedKeys.map((k) => `"${k}"`).join(", ")}. `);
      if (missingKeys.length > 0) errors.unshift(`Missing key(s) in state_dict: ${missingKeys.map((k) => `"${k}"`).join(", ")}. `);
    }
    if (errors.length > 0) {
      throw new Error(`Error(s) in loading state_dict for ${this.constructor.name}:\n\t${errors.join("\n\t")}`);
    }
    return { missingKeys, unexpectedKeys };
  }

  /** The one-line description inside the parentheses of toString (e.g. Linear's sizes). */
  extraRepr(): string {
    return "";
  }

  toString(): string {
    const extra = this.extraRepr();
    const extraLines = extra ? extra.split("\n") : [];
    const childLines: string[] = [];
    for (const [k, m] of this._modules) childLines.push(`(${k}): ${addIndent(m === null ? "None" : m.toString(), 2)}`);
    const lines = [...extraLines, ...childLines];
    let s = this.constructor.name + "(";
    if (lines.length > 0) {
      if (extraLines.length === 1 && childLines.length === 0) s += extraLines[0];
      else s += "\n  " + lines.join("\n  ") + "\n";
    }
    return s + ")";
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

/** The registration rules PyTorch's Module.__setattr__ applies. */
function register(m: Module<never[], unknown>, key: string, v: unknown): void {
  if (v instanceof Parameter) {
    m._modules.delete(key);
    m._buffers.delete(key);
    m._parameters.set(key, v);
  } else if (v instanceof Module) {
    m._parameters.delete(key);
    m._buffers.delete(key);
    m._modules.set(key, v as Module<never[], unknown>);
  } else if (m._parameters.has(key)) {
    if (v !== null && v !== undefined) {
      throw new TypeError(`cannot assign '${typeName(v)}' as parameter '${key}' (torch.nn.Parameter or None expected)`);
    }
    m._parameters.set(key, null);
  } else if (m._modules.has(key)) {
    if (v !== null && v !== undefined) {
      throw new TypeError(`cannot assign '${typeName(v)}' as child module '${key}' (torch.nn.Module or None expected)`);
    }
    m._modules.set(key, null);
  } else if (m._buffers.has(key)) {
    if (v !== null && v !== undefined && !(v instanceof Tensor)) {
      throw new TypeError(`cannot assign '${typeName(v)}' as buffer '${key}' (torch.Tensor or None expected)`);
    }
    m._buffers.set(key, (v as Tensor | null | undefined) ?? null);
  }
}
