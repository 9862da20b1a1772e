/**
 * Gradient hooks on tensors (torch's Tensor.register_hook and register_post_accumulate_grad_hook): stored on
 * the node that produces the tensor's gradient, run by the engine when that gradient is complete.
 */
import type { Tensor } from "../tensor";
import { formatShape, sameShape } from "../shape";
import { AccumulateGrad, type Node, edgeOf } from "./node";

/** Called with a tensor's gradient; a returned tensor replaces it. */
export type TensorHook = (grad: Tensor) => Tensor | null | undefined | void;
/** Called with a leaf after its `.grad` was accumulated (data-parallel training starts reducing it here). */
export type PostAccumulateGradHook = (param: Tensor) => void;

/** What every register*Hook returns: `remove()` unregisters the hook (idempotent). */
export class RemovableHandle {
  private static next = 0;
  readonly id = RemovableHandle.next++;
  constructor(private readonly detach: () => void) {}
  remove(): void {
    this.detach();
  }
}

function removable<T>(list: T[], item: T): RemovableHandle {
  list.push(item);
  return new RemovableHandle(() => {
    const i = list.indexOf(item);
    if (i >= 0) list.splice(i, 1);
  });
}

export function registerTensorHook(t: Tensor, hook: TensorHook): RemovableHandle {
  if (typeof hook !== "function") throw new TypeError("register_hook(): hook must be callable");
  if (!t._requiresGrad) throw new Error("cannot register a hook on a tensor that doesn't require gradient");
  const node = edgeOf(t)!;
  const slot = t._gradFn === null ? 0 : t._outputNr;
  const lists = (node.tensorHooks ??= []);
  return removable((lists[slot] ??= []), hook);
}

export function registerPostAccumulateGradHook(t: Tensor, hook: PostAccumulateGradHook): RemovableHandle {
  if (typeof hook !== "function") throw new TypeError("register_post_accumulate_grad_hook(): hook must be callable");
  if (!t._requiresGrad) throw new Error("cannot register a hook on a tensor that doesn't require gradient");
  if (t._gradFn !== null) throw new Error("post accumulate grad hooks cannot be registered on non-leaf tensors");
  const node = edgeOf(t) as AccumulateGrad;
  return removable((node.postAccumulateHooks ??= []), hook);
}

/** Runs a node's tensor hooks on the gradient of output `slot`, in registration order. */
export function runTensorHooks(node: Node, slot: number, grad: Tensor): Tensor {
  const hooks = node.tensorHooks?.[slot];
  if (hooks === undefined || hooks.length === 0) return grad;
  let g = grad;
  for (const h of hooks.slice()) {
    const r = h(g);
    if (r === undefined || r === null) continue;
    if (!sameShape(r.shape, g.shape)) {
      throw new Error(`hook '${h.name || "hook"}' has changed the size of value: expected ${formatShape(g.shape)}, got ${formatShape(r.shape)}`);
    }
    if (r.dtype !== g.dtype) throw new TypeError(`hook '${h.name || "hook"}' has changed the type of value (was ${g.dtype} got ${r.dtype})`);
    g = r;
  }
  return g;
}
