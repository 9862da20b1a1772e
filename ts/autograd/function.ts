/**
 * Custom differentiable operations, as torch.autograd.Function: a subclass defines static `forward(ctx, ...)`
 * and `backward(ctx, ...grads)`, and `Fn.apply(...)` runs forward without recording and gives its outputs a
 * `<Name>Backward` node that calls backward. The engine treats that node like any other (several outputs
 * included), so createGraph, hooks and gradcheck work with it.
 */
import { Tensor } from "../tensor";
import type { VersionCounter } from "../tensor";
import { gradMode } from "./grad-mode";
import { Node } from "./node";
import { allocate } from "../backend/storage";
import { numel } from "../shape";

/** What forward and backward share: saved tensors, which inputs need a gradient, and anything else set on it. */
export class AutogradFunctionCtx {
  /** Whether each forward argument is a tensor whose gradient is needed (false for non-tensors). */
  needsInputGrad: readonly boolean[] = [];
  /** Values backward needs besides tensors: `ctx.k = 3` in forward, read in backward. */
  [key: string]: unknown;
  /** @internal */ _toSave: (Tensor | null)[] | null = null;
  /** @internal */ _node: FunctionNode | null = null;
  /** @internal */ _nonDifferentiable: Set<Tensor> | null = null;
  /** @internal */ _materializeGrads = true;

  /** Keeps tensors for backward (inputs or outputs); checked against in-place changes when read back. */
  saveForBackward(...tensors: (Tensor | null | undefined)[]): void {
    for (const [i, t] of tensors.entries()) {
      if (t !== null && t !== undefined && !(t instanceof Tensor)) {
        throw new TypeError(`save_for_backward can only save variables, but argument ${i} is not a Variable`);
      }
    }
    this._toSave = tensors.map((t) => t ?? null);
  }

  /** The tensors given to saveForBackward (null where null was saved). */
  get savedTensors(): (Tensor | null)[] {
    const node = this._node;
    if (node === null) throw new Error("savedTensors is only available in backward (nothing was saved in a forward that recorded no graph)");
    const saved = node.savedTensors();
    return node.savedSlots.map((k) => (k < 0 ? null : saved[k]));
  }

  /** Marks outputs as not differentiable: they do not require grad, and their gradients arrive as zeros. */
  markNonDifferentiable(...outputs: Tensor[]): void {
    this._nonDifferentiable ??= new Set();
    for (const t of outputs) this._nonDifferentiable.add(t);
  }

  /** With false, gradients of outputs that received none arrive as null instead of zeros (PyTorch's set_materialize_grads). */
  setMaterializeGrads(flag: boolean): void {
    this._materializeGrads = flag;
  }
}

type Grad = Tensor | null;
type Outputs = Tensor | readonly Tensor[];

/** A Function subclass as `apply` sees it. */
export interface FunctionClass {
  readonly name: string;
  forward(ctx: AutogradFunctionCtx, ...args: never[]): Outputs;
  backward(ctx: AutogradFunctionCtx, ...grads: never[]): Grad | undefined | readonly (Grad | undefined)[];
}

type ForwardArgs<C> = C extends { forward(ctx: AutogradFunctionCtx, ...args: infer A): unknown } ? A : never;
type ForwardResult<C> = C extends { forward(ctx: AutogradFunctionCtx, ...args: never[]): infer R } ? R : never;

/** The backward node of one Function call: one output gradient per forward output. */
class FunctionNode extends Node {
  /** For each saveForBackward argument, its index in `saved` (−1: null was saved). */
  savedSlots: number[] = [];

  constructor(
    name: string,
    inputs: readonly Tensor[],
    saved: Tensor[],
    private readonly cls: FunctionClass,
    private readonly ctx: AutogradFunctionCtx,
    /** Which forward argument each recorded input is. */
    private readonly argIndex: readonly number[],
    private readonly nArgs: number,
    private readonly outputs: readonly { shape: readonly number[]; like: Tensor }[],
    numOutputs: number,
  ) {
    super(name, inputs, saved, null, undefined, numOutputs);
  }

  override apply(grad: Tensor): (Tensor | null)[] {
    return this.applyAll([grad]);
  }

  override applyAll(grads: readonly (Tensor | null)[]): (Tensor | null)[] {
    this.savedTensors();
    const gs: Grad[] = this.outputs.map((o, k) => {
      const g = grads[k] ?? null;
      return g === null && this.ctx._materializeGrads ? zerosLike(o.like) : g;
    });
    const raw = (this.cls.backward as (ctx: AutogradFunctionCtx, ...g: Grad[]) => unknown)(this.ctx, ...gs);
    const list = (Array.isArray(raw) ? raw : [raw]) as unknown[];
    if (list.length !== this.nArgs) {
      throw new Error(`function ${this.name} returned an incorrect number of gradients (expected ${this.nArgs}, got ${list.length})`);
    }
    for (let i = 0; i < list.length; i++) {
      const g = list[i];
      if (g !== null && g !== undefined && !(g instanceof Tensor)) {
        throw new TypeError(`function ${this.name} returned a gradient at index ${i} that is not a Tensor or null, but ${typeof g}`);
      }
      if (g instanceof Tensor && !this.argIndex.includes(i)) {
        throw new Error(`function ${this.name} returned a gradient different than None at position ${i + 1}, but the corresponding forward input was not a Variable`);
      }
    }
    return this.fitInputGrads(this.argIndex.map((a) => (list[a] as Tensor | null | undefined) ?? null));
  }
}

function zerosLike(t: Tensor): Tensor {
  return new Tensor(allocate(t.dtype, numel(t.shape)), t.shape, t.dtype);
}

/** An output that is also an input (or another output) becomes a fresh tensor over the same storage. */
function aliasOf(t: Tensor, version: VersionCounter): Tensor {
  return new Tensor(t._data, t.shape, t.dtype, t.strides, t.offset, version, t._base ?? t);
}

function runFunction(cls: FunctionClass, args: unknown[]): Outputs {
  const ctx = new AutogradFunctionCtx();
  const record = gradMode.enabled;
  ctx.needsInputGrad = args.map((a) => record && a instanceof Tensor && a._requiresGrad);
  const prev = gradMode.enabled;
  gradMode.enabled = false;
  let raw: unknown;
  try {
    raw = (cls.forward as (ctx: AutogradFunctionCtx, ...a: unknown[]) => unknown)(ctx, ...args);
  } finally {
    gradMode.enabled = prev;
  }
  const single = raw instanceof Tensor;
  const outs = (single ? [raw] : raw) as unknown[];
  if (!Array.isArray(outs) || outs.length === 0 || outs.some((o) => !(o instanceof Tensor))) {
    throw new TypeError(`${cls.name}.forward must return a Tensor or an array of Tensors`);
  }
  const tensors = outs as Tensor[];
  const argIndex: number[] = [];
  const inputs: Tensor[] = [];
  args.forEach((a, i) => {
    if (a instanceof Tensor) {
      argIndex.push(i);
      inputs.push(a);
    }
  });
  const differentiable = record && inputs.some((t) => t._requiresGrad);
  const seen = new Set<Tensor>(inputs);
  const results = tensors.map((t) => {
    const out = seen.has(t) ? aliasOf(t, t._version) : t;
    seen.add(out);
    return out;
  });
  if (differentiable) {
    const toSave = ctx._toSave ?? [];
    const saved: Tensor[] = [];
    const slots = toSave.map((t) => (t === null ? -1 : saved.push(t) - 1));
    const node = new FunctionNode(
      `${cls.name}Backward`,
      inputs,
      saved,
      cls,
      ctx,
      argIndex,
      args.length,
      results.map((t) => ({ shape: t.shape, like: t })),
      results.length,
    );
    node.savedSlots = slots;
    ctx._node = node;
    results.forEach((t, k) => {
      if (ctx._nonDifferentiable?.has(tensors[k])) return;
      t._gradFn = node;
      t._outputNr = k;
      t._requiresGrad = true;
    });
  }
  return single ? results[0] : results;
}

/**
 * The base class of custom differentiable functions (torch.autograd.Function). `apply` is a getter that
 * returns a function bound to the subclass, so `const P3 = Legendre3.apply; P3(x)` works as in PyTorch.
 */
export class AutogradFunction {
  static forward(_ctx: AutogradFunctionCtx, ..._args: never[]): Outputs {
    throw new Error("You must implement the forward function for custom autograd.Function.");
  }

  static backward(_ctx: AutogradFunctionCtx, ..._grads: never[]): Grad | readonly Grad[] {
    throw new Error("You must implement either the backward or vjp method for your custom autograd.Function to use it with backward mode AD.");
  }

  /**
   * Runs the Function: `Fn.apply(x, y, 3)`, typed from forward. Detached (`const P3 = Fn.apply; P3(x)`) it
   * runs the same, typed as returning a Tensor or Tensors.
   */
  declare static apply: {
    <C extends FunctionClass>(this: C, ...args: ForwardArgs<C>): ForwardResult<C>;
    (this: void, ...args: unknown[]): Outputs;
  };
}

Object.defineProperty(AutogradFunction, "apply", {
  get(this: FunctionClass) {
    const cls = this;
    return (...args: unknown[]) => runFunction(cls, args);
  },
  configurable: true,
});
