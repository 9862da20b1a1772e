import { Tensor } from "../tensor";
import { legacyTypeName } from "../dtype";
import { Module } from "./module";
import { Parameter } from "./parameter";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyModule = Module<never[], unknown>;

/** Runs its modules in order, each one's output being the next one's input (torch.nn.Sequential). */
export class Sequential extends Module<[Tensor], Tensor> {
  constructor(...modules: AnyModule[]) {
    super();
    modules.forEach((m, i) => {
      if (!(m instanceof Module)) throw new TypeError(`${typeof m} is not a Module subclass`);
      this.addModule(String(i), m);
    });
  }

  override forward(input: Tensor): Tensor {
    let x: unknown = input;
    for (const m of this._modules.values()) {
      if (m !== null) x = (m as unknown as (a: unknown) => unknown)(x);
    }
    return x as Tensor;
  }

  override get length(): number {
    return this._modules.size;
  }

  /** The module at index i (negative counts from the end). */
  at(i: number): AnyModule {
    const n = this._modules.size;
    const k = i < 0 ? i + n : i;
    if (!Number.isInteger(k) || k < 0 || k >= n) throw new RangeError(`index ${i} is out of range`);
    return [...this._modules.values()][k] as AnyModule;
  }

  append(m: AnyModule): this {
    this.addModule(String(this._modules.size), m);
    return this;
  }

  *[Symbol.iterator](): Iterator<AnyModule> {
    for (const m of this._modules.values()) if (m !== null) yield m;
  }
}

function indexOf(i: number, n: number): number {
  const k = i < 0 ? i + n : i;
  if (!Number.isInteger(k) || k < 0 || k >= n) throw new RangeError(`index ${i} is out of range`);
  return k;
}

/** Holds submodules in a list (torch.nn.ModuleList): registered as "0", "1", ...; no forward of its own. */
export class ModuleList extends Module<never[], unknown> {
  constructor(modules: Iterable<AnyModule> = []) {
    super();
    this.extend(modules);
  }

  override get length(): number {
    return this._modules.size;
  }

  /** The module at index i (negative counts from the end). */
  at(i: number): AnyModule {
    return [...this._modules.values()][indexOf(i, this._modules.size)] as AnyModule;
  }

  /** Replaces the module at index i. */
  set(i: number, m: AnyModule): void {
    this.addModule(String(indexOf(i, this._modules.size)), m);
  }

  append(m: AnyModule): this {
    this.addModule(String(this._modules.size), m);
    return this;
  }

  extend(modules: Iterable<AnyModule>): this {
    for (const m of modules) this.append(m);
    return this;
  }

  /** Inserts before index i, renumbering the modules after it as PyTorch does. */
  insert(i: number, m: AnyModule): void {
    const n = this._modules.size;
    const k = i < 0 ? Math.max(0, i + n) : Math.min(i, n);
    const all = [...this._modules.values()] as AnyModule[];
    all.splice(k, 0, m);
    for (const key of [...this._modules.keys()]) delete (this as unknown as Record<string, unknown>)[key];
    all.forEach((x, j) => this.addModule(String(j), x));
  }

  *[Symbol.iterator](): Iterator<AnyModule> {
    for (const m of this._modules.values()) if (m !== null) yield m;
  }
}

/** Holds submodules by name (torch.nn.ModuleDict), in insertion order. */
export class ModuleDict extends Module<never[], unknown> {
  constructor(modules: Record<string, AnyModule> | Iterable<[string, AnyModule]> = {}) {
    super();
    this.update(modules);
  }

  override get length(): number {
    return this._modules.size;
  }

  get(key: string): AnyModule {
    const m = this._modules.get(key);
    if (m === undefined) throw new RangeError(`ModuleDict has no key ${JSON.stringify(key)}`);
    return m as AnyModule;
  }

  set(key: string, m: AnyModule): void {
    this.addModule(key, m);
  }

  has(key: string): boolean {
    return this._modules.has(key);
  }

  /** Removes and returns the module under key. */
  pop(key: string): AnyModule {
    const m = this.get(key);
    delete (this as unknown as Record<string, unknown>)[key];
    return m;
  }

  keys(): string[] {
    return [...this._modules.keys()];
  }

  values(): AnyModule[] {
    return [...this._modules.values()] as AnyModule[];
  }

  items(): [string, AnyModule][] {
    return [...this._modules] as [string, AnyModule][];
  }

  update(modules: Record<string, AnyModule> | Iterable<[string, AnyModule]>): void {
    const entries = Symbol.iterator in Object(modules) ? (modules as Iterable<[string, AnyModule]>) : Object.entries(modules);
    for (const [k, m] of entries) this.addModule(k, m);
  }

  *[Symbol.iterator](): Iterator<string> {
    yield* this._modules.keys();
  }
}

function asParameter(p: Tensor): Parameter {
  if (p instanceof Parameter) return p;
  if (!(p instanceof Tensor)) throw new TypeError(`cannot assign '${typeof p}' object to a parameter (torch.nn.Parameter or Tensor required)`);
  return new Parameter(p);
}

function sizeString(p: Tensor): string {
  return p.shape.join("x");
}

/** Holds parameters in a list (torch.nn.ParameterList): registered as "0", "1", ...; tensors become Parameters. */
export class ParameterList extends Module<never[], unknown> {
  constructor(params: Iterable<Tensor> = []) {
    super();
    this.extend(params);
  }

  override get length(): number {
    return this._parameters.size;
  }

  at(i: number): Parameter {
    return [...this._parameters.values()][indexOf(i, this._parameters.size)] as Parameter;
  }

  set(i: number, p: Tensor): void {
    this.registerParameter(String(indexOf(i, this._parameters.size)), asParameter(p));
  }

  append(p: Tensor): this {
    this.registerParameter(String(this._parameters.size), asParameter(p));
    return this;
  }

  extend(params: Iterable<Tensor>): this {
    for (const p of params) this.append(p);
    return this;
  }

  *[Symbol.iterator](): Iterator<Parameter> {
    for (const p of this._parameters.values()) if (p !== null) yield p;
  }

  override extraRepr(): string {
    return [...this._parameters].map(([k, p]) => `  (${k}): Parameter containing: [${p === null ? "None" : `torch.${p.dtype} of size ${sizeString(p)}`}]`).join("\n");
  }
}

/** Holds parameters by name (torch.nn.ParameterDict), in insertion order. */
export class ParameterDict extends Module<never[], unknown> {
  constructor(params: Record<string, Tensor> | Iterable<[string, Tensor]> = {}) {
    super();
    this.update(params);
  }

  override get length(): number {
    return this._parameters.size;
  }

  get(key: string): Parameter {
    const p = this._parameters.get(key);
    if (p === undefined || p === null) throw new RangeError(`ParameterDict has no key ${JSON.stringify(key)}`);
    return p;
  }

  set(key: string, p: Tensor): void {
    this.registerParameter(key, asParameter(p));
  }

  has(key: string): boolean {
    return this._parameters.has(key);
  }

  pop(key: string): Parameter {
    const p = this.get(key);
    delete (this as unknown as Record<string, unknown>)[key];
    return p;
  }

  keys(): string[] {
    return [...this._parameters.keys()];
  }

  values(): Parameter[] {
    return [...this._parameters.values()] as Parameter[];
  }

  items(): [string, Parameter][] {
    return [...this._parameters] as [string, Parameter][];
  }

  update(params: Record<string, Tensor> | Iterable<[string, Tensor]>): void {
    const entries = Symbol.iterator in Object(params) ? (params as Iterable<[string, Tensor]>) : Object.entries(params);
    for (const [k, p] of entries) this.set(k, p);
  }

  *[Symbol.iterator](): Iterator<string> {
    yield* this._parameters.keys();
  }

  // PyTorch 1.13 names the legacy tensor type here ("torch.FloatTensor"), unlike ParameterList.
  override extraRepr(): string {
    return [...this._parameters].map(([k, p]) => `  (${k}): Parameter containing: [${p === null ? "None" : `${legacyTypeName(p.dtype)} of size ${sizeString(p)}`}]`).join("\n");
  }
}
