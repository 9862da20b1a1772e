import type { DType } from "../backend/types";
import type { Tensor, VersionCounter } from "../tensor";
import { legacyTypeName } from "../dtype";
import { formatShape, sameShape } from "../shape";

/**
 * Computes the gradients of an op's inputs from the gradient of its output. `saved` holds the tensors the
 * op chose to keep, already checked against in-place modification. Written in tensor operations, so that
 * running it with grad mode on (createGraph) records the graph of the gradient itself.
 */
export type BackwardFn = (grad: Tensor, saved: readonly Tensor[]) => readonly (Tensor | null)[];

/** What the engine needs from the ops layer, registered by ts/ops at import (the engine knows no op). */
export interface GradientOps {
  /** Sums a broadcast gradient back to an input's shape. */
  sumToShape(g: Tensor, shape: readonly number[]): Tensor;
  add(a: Tensor, b: Tensor): Tensor;
  cast(g: Tensor, dtype: DType): Tensor;
  clone(g: Tensor): Tensor;
  addInPlace(target: Tensor, g: Tensor): void;
  hasNonFinite(g: Tensor): boolean;
}

let gradientOps: GradientOps | null = null;

export function registerGradientOps(ops: GradientOps): void {
  gradientOps = ops;
}

export function gradOps(): GradientOps {
  if (gradientOps === null) throw new Error("tensorgrad: the ops layer was not loaded");
  return gradientOps;
}

/** An op attribute as data: what the op was called with besides its tensor inputs. */
export type AttrValue = number | boolean | string | null | readonly number[];
export type NodeAttrs = Readonly<Record<string, AttrValue>>;

const NO_ATTRS: NodeAttrs = Object.freeze({});

let sequence = 0;

const FREED_MESSAGE =
  "Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). Specify retainGraph: true if you need to backward through the graph a second time or if you need to access saved tensors after calling backward.";

/** A node of the backward graph (a tensor's gradFn). */
export class Node {
  readonly name: string;
  /** Where each input's gradient goes: the input's gradFn, its AccumulateGrad, or null. */
  readonly next: (Node | null)[];
  /** Which output of `next[i]` input i is (null: output 0 for every input, the common case). */
  readonly nextSlots: number[] | null;
  /** How many outputs this node's op produced (several only for custom Functions). */
  readonly numOutputs: number;
  readonly inputShapes: (readonly number[])[];
  readonly inputDTypes: DType[];
  /** @internal */ saved: Tensor[] | null;
  /** @internal */ savedVersions: number[] | null;
  /** @internal */ savedCounters: VersionCounter[] | null;
  /** @internal */ freed: boolean;
  /** @internal */ readonly backwardFn: BackwardFn | null;
  /** @internal A non-leaf output whose gradient the user asked to keep (retainGrad). */
  retained: Tensor | null;
  /** @internal The same for a node with several outputs, by output index. */
  retainedOutputs: (Tensor | null)[] | null = null;
  /** @internal Creation order; later nodes run first when both are ready. */
  readonly seq: number;
  /**
   * The op's non-tensor arguments as data (dims, exponent, slope, ...), so the graph can be read without
   * running its closures (makeDot's showAttrs, a trace-and-replay compiler).
   */
  readonly attrs: NodeAttrs;
  /** @internal Engine bookkeeping, reset on every pass. */
  _epoch = 0;
  /** @internal */ _deps = 0;
  /** @internal */ _buf: Tensor | null = null;
  /** @internal Tensor hooks by output slot (Tensor.registerHook), run when that gradient is complete. */
  tensorHooks: ((grad: Tensor) => Tensor | null | undefined | void)[][] | null = null;
  /** @internal Per-output gradient buffers of a node with several outputs. */
  _bufs: (Tensor | null)[] | null = null;
  /** @internal */ _needed = false;

  constructor(
    name: string,
    inputs: readonly Tensor[],
    saved: Tensor[],
    backwardFn: BackwardFn | null,
    attrs: NodeAttrs = NO_ATTRS,
    numOutputs = 1,
  ) {
    this.name = name;
    this.attrs = attrs;
    this.numOutputs = numOutputs;
    const n = inputs.length;
    let slots: number[] | null = null;
    for (let i = 0; i < n; i++) {
      const k = inputs[i]._outputNr;
      if (k !== 0 && inputs[i]._gradFn !== null) (slots ??= new Array<number>(n).fill(0))[i] = k;
    }
    this.nextSlots = slots;
    this.next = new Array<Node | null>(n);
    this.inputShapes = new Array<readonly number[]>(n);
    this.inputDTypes = new Array<DType>(n);
    for (let i = 0; i < n; i++) {
      const x = inputs[i];
      this.next[i] = edgeOf(x);
      this.inputShapes[i] = x.shape;
      this.inputDTypes[i] = x.dtype;
    }
    this.saved = saved;
    if (saved.length > 0) {
      this.savedVersions = saved.map((t) => t._version.value);
      this.savedCounters = saved.map((t) => t._version);
    } else {
      this.savedVersions = null;
      this.savedCounters = null;
    }
    this.freed = false;
    this.backwardFn = backwardFn;
    this.retained = null;
    this.seq = ++sequence;
  }

  /** PyTorch's next_functions: [node, outputIndex] pairs. */
  get nextFunctions(): [Node | null, number][] {
    return this.next.map((n, i) => [n, this.nextSlots === null ? 0 : this.nextSlots[i]]);
  }

  /** The saved tensors, checked for in-place modification since they were saved. */
  savedTensors(): readonly Tensor[] {
    const saved = this.saved;
    if (saved === null || this.freed) throw new Error(FREED_MESSAGE);
    const versions = this.savedVersions;
    if (versions !== null) {
      for (let i = 0; i < saved.length; i++) {
        const now = this.savedCounters![i].value;
        if (now !== versions[i]) {
          const t = saved[i];
          const owner = t._gradFn !== null ? `, which is output ${t._outputNr} of ${t._gradFn.name},` : "";
          throw new Error(
            `one of the variables needed for gradient computation has been modified by an inplace operation: [${legacyTypeName(t.dtype)} ${formatShape(t.shape)}]${owner} is at version ${now}; expected version ${versions[i]} instead. Hint: enable anomaly detection to find the operation that failed to compute its gradient, with autograd.setDetectAnomaly(true).`,
          );
        }
      }
    }
    return saved;
  }

  /** Input gradients for an output gradient: runs the op's rule, then fits each to its input's shape and dtype. */
  apply(grad: Tensor): (Tensor | null)[] {
    return this.fitInputGrads(this.backwardFn!(grad, this.savedTensors()));
  }

  /** Input gradients for the gradients of every output (null: none arrived); nodes with several outputs override it. */
  applyAll(grads: readonly (Tensor | null)[]): (Tensor | null)[] {
    return this.apply(grads[0]!);
  }

  /** Fits each raw input gradient to its input's shape (summing broadcast dims) and dtype, or throws. */
  protected fitInputGrads(raw: readonly (Tensor | null)[]): (Tensor | null)[] {
    const n = this.next.length;
    const out = new Array<Tensor | null>(n);
    for (let i = 0; i < n; i++) {
      let g = i < raw.length ? raw[i] : null;
      if (g !== null && this.next[i] !== null) {
        const shape = this.inputShapes[i];
        if (!sameShape(g.shape, shape)) {
          if (!broadcastsTo(shape, g.shape)) {
            throw new Error(
              `Function ${this.name} returned an invalid gradient at index ${i} - got ${formatShape(g.shape)} but expected shape compatible with ${formatShape(shape)}`,
            );
          }
          g = gradOps().sumToShape(g, shape);
        }
        if (g.dtype !== this.inputDTypes[i]) g = gradOps().cast(g, this.inputDTypes[i]);
      }
      out[i] = g;
    }
    return out;
  }

  /** Drops the saved tensors after a backward pass that did not retain the graph. */
  release(): void {
    if (this.saved !== null && this.saved.length > 0) this.freed = true;
    this.saved = null;
  }

  toString(): string {
    return `<${this.name} object>`;
  }
}

/** The sink of a leaf that requires grad: accumulates into `.grad`. */
export class AccumulateGrad extends Node {
  readonly variable: Tensor;
  /** @internal Hooks run after the gradient was accumulated into `.grad`. */
  postAccumulateHooks: ((param: Tensor) => void)[] | null = null;

  constructor(variable: Tensor) {
    super("AccumulateGrad", [], [], null);
    this.variable = variable;
  }
}

/** Where gradients for `x` should flow. */
export function edgeOf(x: Tensor): Node | null {
  if (x._gradFn !== null) return x._gradFn;
  if (!x._requiresGrad) return null;
  if (x._accNode === null) x._accNode = new AccumulateGrad(x);
  return x._accNode;
}

/** Whether `small` can be obtained from `big` by summing broadcast dims. */
function broadcastsTo(small: readonly number[], big: readonly number[]): boolean {
  if (small.length > big.length) {
    for (let i = 0; i < small.length - big.length; i++) if (small[i] !== 1) return false;
    small = small.slice(small.length - big.length);
  }
  const lead = big.length - small.length;
  for (let i = 0; i < small.length; i++) {
    if (small[i] !== 1 && small[i] !== big[lead + i]) return false;
  }
  return true;
}
