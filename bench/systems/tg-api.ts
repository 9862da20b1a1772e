// The slice of tensorgrad's public API (as /work/shared/API.md defines it) that the bench uses.
// Typed locally so the bench compiles and reports "not available" while ts/index.ts is still being
// written; the child checks at run time that each member it needs exists.
export type DType = "float32" | "float64" | "int32" | "bool";
export interface TensorOpts { shape?: number[]; dtype?: DType; requiresGrad?: boolean }

export interface TgTensor {
  readonly shape: readonly number[];
  grad: TgTensor | null;
  add(other: TgTensor | number): TgTensor;
  sub(other: TgTensor | number): TgTensor;
  mul(other: TgTensor | number): TgTensor;
  pow(exponent: number): TgTensor;
  sum(dim?: number | number[], keepdim?: boolean): TgTensor;
  mean(dim?: number | number[], keepdim?: boolean): TgTensor;
  sigmoid(): TgTensor;
  tanh(): TgTensor;
  relu(): TgTensor;
  clamp(min?: number, max?: number): TgTensor;
  mm(other: TgTensor): TgTensor;
  matmul(other: TgTensor): TgTensor;
  backward(): void;
  item(): number;
  sub_(other: TgTensor | number): TgTensor;
  zero_(): TgTensor;
  copy_(src: TgTensor): TgTensor;
}

export interface TgModule { parameters(): TgTensor[]; zeroGrad(setToNone?: boolean): void }
/** Modules are callable, `model(x)` being `model.forward(x)`. */
export type Callable<M> = M & ((x: TgTensor) => TgTensor);
export interface TgLinear extends TgModule { weight: TgTensor; bias: TgTensor | null }
export type TgLoss = (input: TgTensor, target: TgTensor) => TgTensor;
export interface TgOptimizer { step(): void; zeroGrad(setToNone?: boolean): void }
type Reduction = { reduction?: "mean" | "sum" | "none" };

export interface TgApi {
  tensor(data: Float32Array | Int32Array | number[], opts?: TensorOpts): TgTensor;
  ones(shape: number[], opts?: TensorOpts): TgTensor;
  zeros(shape: number[], opts?: TensorOpts): TgTensor;
  randn(shape: number[], opts?: TensorOpts): TgTensor;
  noGrad<T>(fn: () => T): T;
  setBackend(name: "native" | "js"): void;
  getBackend(): string;
  setNumThreads(n: number): void;
  getNumThreads(): number;
  nn: {
    Linear: new (inFeatures: number, outFeatures: number, opts?: { bias?: boolean }) => Callable<TgLinear>;
    Sequential: new (...modules: TgModule[]) => Callable<TgModule>;
    Tanh: new () => TgModule;
    ReLU: new () => TgModule;
    MSELoss: new (opts?: Reduction) => TgLoss;
    CrossEntropyLoss: new (opts?: Reduction) => TgLoss;
  };
  optim: {
    SGD: new (params: TgTensor[], opts: { lr: number; momentum?: number }) => TgOptimizer;
    Adam: new (params: TgTensor[], opts?: { lr?: number; betas?: [number, number]; eps?: number }) => TgOptimizer;
  };
}

/** Throws "not available (...)" naming the first missing member, e.g. "nn.Linear". */
export function requireMembers(tg: unknown, paths: readonly string[]): void {
  for (const p of paths) {
    let cur: unknown = tg;
    for (const key of p.split(".")) {
      cur = cur !== null && (typeof cur === "object" || typeof cur === "function") ? (cur as Record<string, unknown>)[key] : undefined;
    }
    if (cur === undefined) throw new Error(`not available (tensorgrad has no ${p} yet)`);
  }
}
