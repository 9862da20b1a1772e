import type { Tensor } from "../tensor";
import { AccumulateGrad, Node, gradOps } from "./node";
import { anomalyMode, gradMode } from "./grad-mode";
import { checkNoInternalOverlap } from "../memory-overlap";
import { runTensorHooks } from "./hooks";

export interface EngineOptions {
  retainGraph: boolean;
  createGraph: boolean;
  /**
   * autograd.grad: collect the gradient arriving at these nodes instead of accumulating into leaves (for a
   * node with several outputs, the array of its outputs' gradients).
   */
  capture?: Map<Node, Tensor | null | readonly (Tensor | null)[]>;
}

let epochCounter = 0;

/** The callbacks queued by the running backward pass (null when none runs); nested passes stack them. */
let finalCallbacks: (() => void)[] | null = null;

/**
 * Runs `fn` once the running backward pass has finished all its nodes (torch's
 * Variable._execution_engine.queue_callback): how a hook learns that every gradient of this pass is in,
 * without the engine knowing what the hook is for. A callback may queue more.
 */
export function queueCallback(fn: () => void): void {
  if (typeof fn !== "function") throw new TypeError("queueCallback: expected a function");
  if (finalCallbacks === null) throw new Error("Final callbacks can only be installed during backward pass.");
  finalCallbacks.push(fn);
}

/**
 * Runs the backward pass from `roots` (seeded with `rootGrads`) without recursion: counts each node's
 * incoming edges, runs a node once all its gradients have arrived (summed in its buffer), and frees the
 * saved tensors behind it unless the graph is retained.
 */
export function runBackward(
  roots: readonly Node[],
  rootGrads: readonly Tensor[],
  opts: EngineOptions,
  rootSlots?: readonly number[],
): void {
  const epoch = ++epochCounter;
  const capture = opts.capture;
  const stack: Node[] = [];
  const visited: Node[] = [];
  for (const r of roots) visit(r, epoch, stack, visited);
  while (stack.length > 0) {
    const n = stack.pop()!;
    const next = n.next;
    for (let i = 0; i < next.length; i++) {
      const e = next[i];
      if (e === null) continue;
      visit(e, epoch, stack, visited);
      e._deps++;
    }
  }
  if (capture !== undefined) markNeeded(visited, capture);

  for (let i = 0; i < roots.length; i++) accumulate(roots[i], rootGrads[i], rootSlots === undefined ? 0 : rootSlots[i]);

  const prevMode = gradMode.enabled;
  const prevCallbacks = finalCallbacks;
  const callbacks: (() => void)[] = [];
  finalCallbacks = callbacks;
  gradMode.enabled = opts.createGraph;
  try {
    const ready = new ReadyHeap();
    const queued = new Set<Node>();
    for (const r of roots) {
      if (r._deps === 0 && !queued.has(r)) {
        queued.add(r);
        ready.push(r);
      }
    }
    while (ready.size > 0) {
      const node = ready.pop();
      let grad = node._buf;
      node._buf = null;
      const bufs = node._bufs;
      node._bufs = null;
      if (node.tensorHooks !== null) {
        if (bufs === null) {
          if (grad !== null) grad = runTensorHooks(node, 0, grad);
        } else {
          for (let k = 0; k < bufs.length; k++) if (bufs[k] !== null) bufs[k] = runTensorHooks(node, k, bufs[k]!);
        }
      }
      // A node with several outputs runs when any of them received a gradient; `grad` stands for "some did".
      if (bufs !== null) grad = bufs.find((b) => b !== null) ?? null;
      let inputGrads: (Tensor | null)[] | null = null;
      if (grad !== null) {
        if (capture !== undefined && capture.has(node)) capture.set(node, bufs ?? grad);
        if (node instanceof AccumulateGrad) {
          if (capture === undefined) {
            accumulateIntoLeaf(node.variable, grad, opts.createGraph);
            const post = node.postAccumulateHooks;
            if (post !== null) for (const h of post.slice()) h(node.variable);
          }
        } else if (capture === undefined || node._needed) {
          if (capture === undefined) {
            if (node.retained !== null) storeRetained(node.retained, grad, opts.createGraph);
            const kept = node.retainedOutputs;
            if (kept !== null && bufs !== null) {
              for (let k = 0; k < kept.length; k++) {
                const t = kept[k], g = bufs[k];
                if (t !== null && t !== undefined && g !== null) storeRetained(t, g, opts.createGraph);
              }
            }
          }
          inputGrads = bufs === null ? node.apply(grad) : node.applyAll(bufs);
          if (anomalyMode.enabled) checkAnomaly(node, inputGrads);
        }
      }
      if (!opts.retainGraph && !(node instanceof AccumulateGrad) && (capture === undefined || node._needed)) {
        node.release();
      }
      const next = node.next;
      const slots = node.nextSlots;
      for (let i = 0; i < next.length; i++) {
        const e = next[i];
        if (e === null) continue;
        const g = inputGrads === null ? null : inputGrads[i];
        if (g !== null) accumulate(e, g, slots === null ? 0 : slots[i]);
        if (--e._deps === 0) ready.push(e);
      }
    }
    for (let i = 0; i < callbacks.length; i++) callbacks[i]();
  } finally {
    finalCallbacks = prevCallbacks;
    gradMode.enabled = prevMode;
    for (const n of visited) {
      n._buf = null;
      n._bufs = null;
    }
  }
}

function visit(n: Node, epoch: number, stack: Node[], visited: Node[]): void {
  if (n._epoch === epoch) return;
  n._epoch = epoch;
  n._deps = 0;
  n._buf = null;
  n._needed = false;
  stack.push(n);
  visited.push(n);
}

/**
 * The nodes whose gradients have all arrived, popped latest-created first (highest seq), as PyTorch runs
 * them. A binary heap: one node with N inputs (stacking N per-step results) makes N nodes ready at once,
 * and a linear scan per pop made that backward O(N²).
 */
export class ReadyHeap {
  private readonly a: Node[] = [];

  get size(): number {
    return this.a.length;
  }

  push(n: Node): void {
    const a = this.a;
    let i = a.length;
    a.push(n);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (a[parent].seq >= n.seq) break;
      a[i] = a[parent];
      i = parent;
    }
    a[i] = n;
  }

  pop(): Node {
    const a = this.a;
    const top = a[0];
    const last = a.pop()!;
    const len = a.length;
    if (len > 0) {
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= len) break;
        if (c + 1 < len && a[c + 1].seq > a[c].seq) c++;
        if (a[c].seq <= last.seq) break;
        a[i] = a[c];
        i = c;
      }
      a[i] = last;
    }
    return top;
  }
}

function accumulate(n: Node, g: Tensor, slot: number): void {
  if (n.numOutputs === 1) {
    n._buf = n._buf === null ? g : gradOps().add(n._buf, g);
    return;
  }
  const bufs = (n._bufs ??= new Array<Tensor | null>(n.numOutputs).fill(null));
  bufs[slot] = bufs[slot] === null ? g : gradOps().add(bufs[slot]!, g);
}

/** A node is needed by autograd.grad when some captured node is reachable from it. */
function markNeeded(visited: readonly Node[], capture: ReadonlyMap<Node, unknown>): void {
  // `visited` is in discovery order, so every edge points to a node discovered later or earlier;
  // iterate to a fixed point, which is quick for the graph sizes autograd.grad sees.
  for (const n of visited) if (capture.has(n)) n._needed = true;
  let changed = true;
  while (changed) {
    changed = false;
    for (let i = visited.length - 1; i >= 0; i--) {
      const n = visited[i];
      if (n._needed) continue;
      for (const e of n.next) {
        if (e !== null && e._needed) {
          n._needed = true;
          changed = true;
          break;
        }
      }
    }
  }
}

function accumulateIntoLeaf(leaf: Tensor, g: Tensor, createGraph: boolean): void {
  const ops = gradOps();
  const cur = leaf._grad;
  if (cur === null) {
    // A copy, as PyTorch's AccumulateGrad: g may be an expanded view or shared with another leaf's grad, and
    // a later backward adds into .grad in place. A g that requires grad is kept: it is only added to out of place.
    leaf._grad = createGraph && g._requiresGrad ? g : ops.clone(g);
  } else if (createGraph || cur._requiresGrad) {
    leaf._grad = ops.add(cur, g);
  } else {
    // PyTorch's `grad += new_grad` refuses a .grad whose elements share memory (say a user-assigned
    // expand): writing through it would sum several elements into one.
    checkNoInternalOverlap(cur);
    ops.addInPlace(cur, g);
  }
}

function storeRetained(t: Tensor, g: Tensor, createGraph: boolean): void {
  const ops = gradOps();
  if (t._grad === null) t._grad = createGraph ? g : ops.clone(g);
  else t._grad = ops.add(t._grad, g);
}

function checkAnomaly(node: Node, grads: readonly (Tensor | null)[]): void {
  for (let i = 0; i < grads.length; i++) {
    const g = grads[i];
    if (g !== null && gradOps().hasNonFinite(g)) {
      throw new Error(`Function '${node.name}' returned nan or inf values in its ${i}th output.`);
    }
  }
}
