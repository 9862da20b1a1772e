import { RemovableHandle } from "../autograd/hooks";
import {
  type ForwardHook,
  type ForwardPreHook,
  type FullBackwardHook,
  type HookedModule,
  type ModuleHooks,
  addHook,
  callModule,
} from "./module-hooks";
import { inspectCustom } from "../inspect-symbol";
import { Tensor } from "../tensor";
import type { DType } from "../backend/types";
import { checkDType, isFloat, legacyTypeName } from "../dtype";
import { noGrad } from "../autograd/grad-mode";
import { Parameter } from "./parameter";

export type StateDict = Record<string, Tensor>;

export interface LoadStateDictResult {
  missingKeys: string[];
  unexpectedKeys: string[];
}

/** Python's type name of a value, for PyTorch's assignment errors. */
function typeName(v: unknown): string {
  if (v instanceof Tensor) return legacyTypeName(v.dtype);
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

type AnyModule = Module<never[], unknown>;

/** PyTorch's checks on a parameter/buffer/module name (its KeyErrors, as Errors): "." would make dotted names ambiguous. */
function checkName(kind: "parameter" | "buffer" | "module", name: unknown): void {
  if (typeof name !== "string") throw new TypeError(`${kind} name should be a string. Got ${typeof name}`);
  if (name.includes(".")) throw new Error(kind === "module" ? `module name can't contain ".", got: ${name}` : `${kind} name can't contain "."`);
  if (name === "") throw new Error(`${kind} name can't be empty string ""`);
}

/** A module's non-null children in registration order; `once` drops repeats of one module (as children() does). */
function childrenOf(m: AnyModule, once: boolean): [string, AnyModule][] {
  const out: [string, AnyModule][] = [];
  const seen = once ? new Set<AnyModule>() : undefined;
  for (const [k, c] of m._modules) {
    if (c === null || seen?.has(c)) continue;
    seen?.add(c);
    out.push([k, c]);
  }
  return out;
}

const join = (prefix: string, name: string): string => (prefix ? `${prefix}.${name}` : name);

/**
 * Walks the module tree depth-first with an explicit stack (PyTorch recurses; a tree thousands deep would
 * overflow JavaScript's stack), visiting modules in PyTorch's order: `pre` before a module's children, `post`
 * after them. `pre` returning false skips the module's subtree and its `post`. Every path is walked (a module
 * under two names is visited twice, as PyTorch's recursive methods do); a cycle is an error, not endless work.
 */
function walk(
  root: AnyModule,
  prefix: string,
  once: boolean,
  pre: ((name: string, m: AnyModule) => boolean | void) | undefined,
  post?: (name: string, m: AnyModule) => void,
): void {
  type Frame = { name: string; m: AnyModule; kids: [string, AnyModule][]; i: number };
  const onPath = new Set<AnyModule>();
  const frames: Frame[] = [];
  const enter = (name: string, m: AnyModule): void => {
    if (onPath.has(m)) throw new Error(`the module tree has a cycle: ${name || "the root"} contains itself`);
    if (pre?.(name, m) === false) return;
    onPath.add(m);
    frames.push({ name, m, kids: childrenOf(m, once), i: 0 });
  };
  enter(prefix, root);
  while (frames.length > 0) {
    const top = frames[frames.length - 1];
    if (top.i < top.kids.length) {
      const [k, c] = top.kids[top.i++];
      enter(join(top.name, k), c);
    } else {
      frames.pop();
      onPath.delete(top.m);
      post?.(top.name, top.m);
    }
  }
}

/**
 * Module's calling convention: instances are callable, `model(x)` being `model.forward(x)`. The call is typed
 * from the instance's own `forward` (through `this`), so a subclass that only writes `forward(x: Tensor)` gets
 * `net(x): Tensor` and `net(a, b)` is a compile error, with no generics to write. `In` / `Out` type the base
 * `forward` (a forward taking or returning other than tensors names them, e.g. `Module<[Tensor, Tensor]>`),
 * and so the call of a value typed `Module<[Tensor], Tensor>`. Inside a function generic over
 * `M extends Module<[Tensor], Tensor>`, `this` is the unresolved `M`: call it through a `Module<[Tensor], Tensor>`.
 */
export interface Module<In extends unknown[] = Tensor[], Out = Tensor> {
  (...args: Parameters<this["forward"]>): ReturnType<this["forward"]>;
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
    const target = ((...args: unknown[]) => {
      const m = proxy as unknown as HookedModule & { _hooks?: ModuleHooks };
      return callModule(m, m._hooks, args);
    }) as unknown as object;
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

  /** Runs `hook(module, args)` before each forward; an array it returns replaces the arguments. */
  registerForwardPreHook(hook: ForwardPreHook<this>): RemovableHandle {
    return addHook(this._hookLists().forwardPre, hook as ForwardPreHook, "register_forward_pre_hook");
  }

  /** Runs `hook(module, args, output)` after each forward; a value it returns replaces the output. */
  registerForwardHook(hook: ForwardHook<this>): RemovableHandle {
    return addHook(this._hookLists().forward, hook as ForwardHook, "register_forward_hook");
  }

  /**
   * Runs `hook(module, gradInput, gradOutput)` when the gradients of the module's inputs are computed; an
   * array it returns replaces gradInput (PyTorch's register_full_backward_hook).
   */
  registerFullBackwardHook(hook: FullBackwardHook<this>): RemovableHandle {
    return addHook(this._hookLists().backward, hook as FullBackwardHook, "register_full_backward_hook");
  }

  /** @internal */
  _hookLists(): ModuleHooks {
    const self = this as unknown as { _hooks?: ModuleHooks };
    if (self._hooks === undefined) {
      Object.defineProperty(this, "_hooks", { value: { forwardPre: [], forward: [], backward: [] }, writable: true, configurable: true, enumerable: false });
    }
    return self._hooks!;
  }

  /** Subclasses implement the computation. */
  forward(...args: In): Out {
    void args;
    throw new Error(`Module [${this.constructor.name}] is missing the required "forward" function`);
  }

  registerParameter(name: string, param: Parameter | null): void {
    checkName("parameter", name);
    if (param !== null && !(param instanceof Parameter)) {
      throw new TypeError(`cannot assign '${typeName(param)}' object to parameter '${name}' (torch.nn.Parameter or None required)`);
    }
    (this as unknown as Record<string, unknown>)[name] = param;
    this._parameters.set(name, param);
  }

  /**
   * Registers a tensor that is state but not a parameter (running statistics): in buffers(), moved by to(),
   * and in stateDict() unless `persistent` is false.
   */
  registerBuffer(name: string, tensor: Tensor | null, opts: { persistent?: boolean } = {}): void {
    checkName("buffer", name);
    const persistent = opts.persistent ?? true;
    if (typeof persistent !== "boolean") throw new TypeError(`registerBuffer(): persistent must be a boolean, got ${typeof persistent}`);
    const self = this as unknown as { _nonPersistent?: Set<string> };
    if (!persistent) {
      if (self._nonPersistent === undefined) {
        Object.defineProperty(this, "_nonPersistent", { value: new Set<string>(), writable: true, configurable: true, enumerable: false });
      }
      self._nonPersistent!.add(name);
    } else {
      self._nonPersistent?.delete(name);
    }
    if (tensor !== null && !(tensor instanceof Tensor)) {
      throw new TypeError(`cannot assign '${typeName(tensor)}' object to buffer '${name}' (torch Tensor or None required)`);
    }
    this._buffers.set(name, tensor);
    Reflect.defineProperty(this, name, { value: tensor, writable: true, configurable: true, enumerable: true });
    this._buffers.set(name, tensor);
  }

  addModule(name: string, module: Module<never[], unknown> | null): void {
    checkName("module", name);
    if (module !== null && !(module instanceof Module)) throw new TypeError(`${typeName(module)} is not a Module subclass`);
    (this as unknown as Record<string, unknown>)[name] = module;
    this._modules.set(name, module);
  }

  /** @internal Named members of this module and (with recurse) its descendants, each once (PyTorch's _named_members). */
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
    const out: [string, Module<never[], unknown>][] = [];
    // Pre-order with an explicit stack; checking `seen` when a module is taken off the stack gives exactly the
    // order (and the names) of PyTorch's recursive named_modules with its memo.
    const stack: [string, Module<never[], unknown>][] = [[prefix, this as unknown as Module<never[], unknown>]];
    while (stack.length > 0) {
      const [name, m] = stack.pop() as [string, Module<never[], unknown>];
      if (seen.has(m)) continue;
      seen.add(m);
      out.push([name, m]);
      const kids = childrenOf(m, false);
      for (let i = kids.length - 1; i >= 0; i--) stack.push([join(name, kids[i][0]), kids[i][1]]);
    }
    return out;
  }

  modules(): Module<never[], unknown>[] {
    return this.namedModules().map(([, m]) => m);
  }

  /** Sets training mode on this module and its descendants (returns this). */
  train(mode = true): this {
    if (typeof mode !== "boolean") throw new TypeError("training mode is expected to be boolean");
    const root = this as unknown as AnyModule;
    walk(root, "", true, (_name, m) => {
      // A subclass that overrides train() gets called, as PyTorch's recursion would call it, and handles its subtree.
      if (m !== root && m.train !== Module.prototype.train) {
        m.train(mode);
        return false;
      }
      m.training = mode;
    });
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
    const root = this as unknown as AnyModule;
    walk(
      root,
      "",
      true,
      (_name, m) => {
        if (m !== root && m.apply !== Module.prototype.apply) {
          m.apply(fn); // an override handles its own subtree
          return false;
        }
      },
      (_name, m) => fn(m),
    );
    return this;
  }

  /** Converts floating-point parameters and buffers in place (the module keeps its Parameter objects). */
  to(target: DType | "cpu" | { dtype?: DType; device?: string }): this {
    const dtype = typeof target === "string" ? (target === "cpu" ? undefined : target) : target.dtype;
    if (typeof target === "object" && target.device !== undefined && target.device !== "cpu") {
      throw new Error(`Expected one of cpu device type at start of device string: ${target.device}`);
    }
    if (dtype === undefined) return this;
    if (!isFloat(checkDType(dtype))) {
      throw new TypeError(`nn.Module.to only accepts floating point dtypes, but got desired dtype=${dtype}`);
    }
    for (const m of this.modules()) {
      for (const [, p] of m._parameters) {
        if (p === null || !isFloat(p.dtype)) continue;
        noGrad(() => {
          p.data = p.data.to(dtype);
          if (p.grad !== null) p.grad = p.grad.to(dtype);
        });
      }
      for (const [k, b] of m._buffers) {
        if (b !== null && isFloat(b.dtype)) {
          m.registerBuffer(k, b.to(dtype), { persistent: !isNonPersistent(m, k) });
        }
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

  bfloat16(): this {
    return this.to("bfloat16");
  }

  half(): this {
    return this.to("float16");
  }

  /**
   * Parameters and buffers by dotted name, detached, in PyTorch's order (each module's own, then its children).
   * As in PyTorch, a module registered under two names appears under both.
   */
  stateDict(prefix = ""): StateDict {
    const out: StateDict = {};
    const put = (k: string, v: Tensor) => Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
    walk(this as unknown as AnyModule, prefix, false, (modPrefix, m) => {
      for (const [k, v] of m._parameters) if (v !== null) put(join(modPrefix, k), v.detach());
      for (const [k, v] of m._buffers) if (v !== null && !isNonPersistent(m, k)) put(join(modPrefix, k), v.detach());
    });
    return out;
  }

  /** Copies tensors from a state dict into this module's parameters and buffers (shapes must match). */
  loadStateDict(stateDict: Record<string, Tensor>, opts: { strict?: boolean } = {}): LoadStateDictResult {
    const strict = opts.strict ?? true;
    const own = new Map<string, Tensor>();
    walk(this as unknown as AnyModule, "", false, (modPrefix, m) => {
      for (const [k, v] of m._parameters) if (v !== null) own.set(join(modPrefix, k), v);
      for (const [k, v] of m._buffers) if (v !== null && !isNonPersistent(m, k)) own.set(join(modPrefix, k), v);
    });
    const has = (k: string) => Object.prototype.hasOwnProperty.call(stateDict, k);
    const missingKeys = [...own.keys()].filter((k) => !has(k));
    const unexpectedKeys = Object.keys(stateDict).filter((k) => !own.has(k));
    const errors: string[] = [];
    for (const [k, target] of own) {
      if (!has(k)) continue;
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

  /**
   * PyTorch's repr. Built line by line with an explicit stack rather than by recursion and re-indentation, so a
   * tree thousands deep neither overflows the stack nor costs time quadratic in its depth; a submodule that
   * overrides toString() is asked for its own text, indented as PyTorch's _addindent does.
   */
  toString(): string {
    const lines: string[] = [];
    type Task = { m: AnyModule | null; indent: number; head: string } | { line: string; leave?: AnyModule };
    const onPath = new Set<AnyModule>();
    const tasks: Task[] = [{ m: this as unknown as AnyModule, indent: 0, head: "" }];
    while (tasks.length > 0) {
      const t = tasks.pop() as Task;
      if ("line" in t) {
        lines.push(t.line);
        if (t.leave) onPath.delete(t.leave);
        continue;
      }
      const { m, indent, head } = t;
      const pad = " ".repeat(indent);
      if (m === null) {
        lines.push(`${pad}${head}None`);
        continue;
      }
      if (m !== (this as unknown as AnyModule) && m.toString !== Module.prototype.toString) {
        lines.push(pad + head + addIndent(m.toString(), indent));
        continue;
      }
      if (onPath.has(m)) throw new Error(`the module tree has a cycle: ${m.constructor.name} contains itself`);
      const extra = m.extraRepr();
      const extraLines = extra ? extra.split("\n") : [];
      const name = m.constructor.name;
      if (m._modules.size === 0 && extraLines.length <= 1) {
        lines.push(`${pad}${head}${name}(${extraLines[0] ?? ""})`);
        continue;
      }
      onPath.add(m);
      lines.push(`${pad}${head}${name}(`);
      const inner = " ".repeat(indent + 2);
      for (const l of extraLines) lines.push(inner + l);
      tasks.push({ line: `${pad})`, leave: m });
      const kids = [...m._modules];
      for (let i = kids.length - 1; i >= 0; i--) tasks.push({ m: kids[i][1], indent: indent + 2, head: `(${kids[i][0]}): ` });
    }
    return lines.join("\n");
  }

  [inspectCustom](): string {
    return this.toString();
  }
}

/** The registration rules PyTorch's Module.__setattr__ applies. */
function isNonPersistent(m: Module<never[], unknown>, key: string): boolean {
  return (m as unknown as { _nonPersistent?: Set<string> })._nonPersistent?.has(key) ?? false;
}

function register(m: Module<never[], unknown>, key: string, v: unknown): void {
  if (v instanceof Parameter) {
    checkName("parameter", key);
    m._modules.delete(key);
    m._buffers.delete(key);
    m._parameters.set(key, v);
  } else if (v instanceof Module) {
    checkName("module", key);
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
