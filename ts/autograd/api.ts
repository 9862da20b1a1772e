import { Tensor } from "../tensor";
import { formatShape, numel, sameShape } from "../shape";
import { Node, edgeOf } from "./node";
import { runBackward } from "./engine";
import { gradMode } from "./grad-mode";

export interface BackwardOptions {
  retainGraph?: boolean;
  createGraph?: boolean;
  /** Accumulate only into these leaves (torch's `inputs=`). */
  inputs?: readonly Tensor[];
}

let onesFactory: ((like: Tensor) => Tensor) | null = null;

/** The ops layer provides `onesLike` (the engine knows no op). */
export function registerOnesLike(fn: (like: Tensor) => Tensor): void {
  onesFactory = fn;
}

function rootGradient(t: Tensor, gradient: Tensor | null | undefined, what: string): Tensor {
  if (gradient === undefined || gradient === null) {
    if (numel(t.shape) !== 1) throw new Error(`grad can be implicitly created only for scalar outputs`);
    return onesFactory!(t);
  }
  if (!(gradient instanceof Tensor)) throw new TypeError(`${what}: gradient must be a Tensor`);
  if (!sameShape(gradient.shape, t.shape)) {
    throw new RangeError(
      `Mismatch in shape: grad_output[0] has a shape of ${formatShape(gradient.shape)} and output[0] has a shape of ${formatShape(t.shape)}.`,
    );
  }
  return gradient;
}

function rootNode(t: Tensor): Node {
  const node = edgeOf(t);
  if (node === null) throw new Error("element 0 of tensors does not require grad and does not have a grad_fn");
  return node;
}

/** Tensor.backward: accumulates d(t)/d(leaf) into every leaf's .grad. */
export function backward(t: Tensor, gradient?: Tensor | null, opts: BackwardOptions = {}): void {
  if (!(t instanceof Tensor)) throw new TypeError(`backward(): argument 'tensors' must be Tensor, not ${t === null ? "NoneType" : typeof t}`);
  const root = rootNode(t);
  const slots = [t._gradFn === null ? 0 : t._outputNr];
  const g = rootGradient(t, gradient, "backward");
  const createGraph = opts.createGraph ?? false;
  const retainGraph = opts.retainGraph ?? createGraph;
  if (opts.inputs !== undefined) {
    const capture = new Map<Node, Captured>();
    const leaves = opts.inputs.map((x) => {
      const n = edgeOf(x);
      if (n === null) throw new Error("One of the differentiated Tensors does not require grad");
      capture.set(n, null);
      return n;
    });
    runBackward([root], [g], { retainGraph, createGraph, capture }, slots);
    opts.inputs.forEach((x, i) => {
      const grad = capturedFor(x, capture.get(leaves[i]));
      if (grad !== null && grad !== undefined) x._grad = x._grad === null ? grad : accumulate(x._grad, grad);
    });
    return;
  }
  runBackward([root], [g], { retainGraph, createGraph }, slots);
}

type Captured = Tensor | null | readonly (Tensor | null)[];

/** The gradient captured for `x`: its own output's, when its gradFn has several outputs. */
function capturedFor(x: Tensor, c: Captured | undefined): Tensor | null {
  if (c === undefined || c === null) return null;
  if (c instanceof Tensor) return c;
  return c[x._gradFn === null ? 0 : x._outputNr] ?? null;
}

let addFn: ((a: Tensor, b: Tensor) => Tensor) | null = null;

export function registerAdd(fn: (a: Tensor, b: Tensor) => Tensor): void {
  addFn = fn;
}

function accumulate(a: Tensor, b: Tensor): Tensor {
  return addFn!(a, b);
}

export interface GradOptions {
  gradOutputs?: readonly (Tensor | null)[] | Tensor | null;
  retainGraph?: boolean;
  createGraph?: boolean;
  allowUnused?: boolean;
}

/** autograd.grad: the gradients of `outputs` with respect to `inputs`, without touching any .grad. */
export function grad(
  outputs: Tensor | readonly Tensor[],
  inputs: Tensor | readonly Tensor[],
  opts: GradOptions = {},
): (Tensor | null)[] {
  const outs = outputs instanceof Tensor ? [outputs] : outputs;
  const ins = inputs instanceof Tensor ? [inputs] : inputs;
  if (!Array.isArray(outs)) throw new TypeError("grad(): argument 'outputs' must be a Tensor or an array of Tensors");
  if (!Array.isArray(ins)) throw new TypeError("grad(): argument 'inputs' must be a Tensor or an array of Tensors");
  const gradOuts = opts.gradOutputs instanceof Tensor ? [opts.gradOutputs] : (opts.gradOutputs ?? []);
  const createGraph = opts.createGraph ?? false;
  const retainGraph = opts.retainGraph ?? createGraph;
  const roots: Node[] = [];
  const seeds: Tensor[] = [];
  const slots: number[] = [];
  outs.forEach((o, i) => {
    if (!(o instanceof Tensor)) throw new TypeError(`grad(): outputs[${i}] must be a Tensor`);
    const node = edgeOf(o);
    if (node === null) throw new Error(`element ${i} of tensors does not require grad and does not have a grad_fn`);
    roots.push(node);
    slots.push(o._gradFn === null ? 0 : o._outputNr);
    seeds.push(rootGradient(o, gradOuts[i] ?? null, "grad"));
  });
  const capture = new Map<Node, Captured>();
  const targets = ins.map((x, i) => {
    if (!(x instanceof Tensor)) throw new TypeError(`grad(): inputs[${i}] must be a Tensor`);
    if (!x._requiresGrad) throw new Error("One of the differentiated Tensors does not require grad");
    const n = edgeOf(x)!;
    capture.set(n, null);
    return n;
  });
  const prev = gradMode.enabled;
  try {
    runBackward(roots, seeds, { retainGraph, createGraph, capture }, slots);
  } finally {
    gradMode.enabled = prev;
  }
  return targets.map((n, i) => {
    const g = capturedFor(ins[i], capture.get(n));
    if (g === null && !opts.allowUnused) {
      throw new Error(
        `One of the differentiated Tensors appears to not have been used in the graph. Set allowUnused: true if this is the desired behavior. (input ${i})`,
      );
    }
    return g;
  });
}
