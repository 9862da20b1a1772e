/**
 * Module hooks (forward pre-hooks, forward hooks, full backward hooks) and the module call that runs them.
 * Full backward hooks work as PyTorch's: the module's tensor inputs and outputs pass through identity
 * Functions (BackwardHookFunction) whose backward sees the gradients of the outputs, then of the inputs.
 */
import { compileHooks } from "../compile/hooks";
import { Tensor } from "../tensor";
import { gradMode } from "../autograd/grad-mode";
import { AutogradFunction, type AutogradFunctionCtx } from "../autograd/function";
import { RemovableHandle } from "../autograd/hooks";

// Hooks see the module through a structural type, so this file need not import module.ts (which imports it).
export interface HookedModule {
  readonly constructor: { readonly name: string };
  forward(...args: unknown[]): unknown;
}

export type ForwardPreHook<M = HookedModule> = (module: M, args: unknown[]) => unknown[] | unknown | undefined | void;
export type ForwardHook<M = HookedModule> = (module: M, args: unknown[], output: unknown) => unknown;
export type FullBackwardHook<M = HookedModule> = (
  module: M,
  gradInput: (Tensor | null)[],
  gradOutput: (Tensor | null)[],
) => (Tensor | null)[] | undefined | void;

/** The hooks of one module, in registration order. */
export interface ModuleHooks {
  forwardPre: ForwardPreHook[];
  forward: ForwardHook[];
  backward: FullBackwardHook[];
}

export function addHook<T>(list: T[], hook: T, what: string): RemovableHandle {
  if (typeof hook !== "function") throw new TypeError(`${what}: hook must be a function`);
  list.push(hook);
  return new RemovableHandle(() => {
    const i = list.indexOf(hook);
    if (i >= 0) list.splice(i, 1);
  });
}

interface CallState {
  module: HookedModule;
  hooks: FullBackwardHook[];
  nArgs: number;
  /** For each forward argument, its position among the wrapped tensors (−1: not wrapped). */
  wrapped: number[];
  gradOutput: (Tensor | null)[] | null;
  inputsRequireGrad: boolean;
}

function callBackwardHooks(state: CallState, gradInput: (Tensor | null)[]): (Tensor | null)[] {
  let gi = gradInput;
  for (const hook of state.hooks.slice()) {
    const r = hook(state.module, gi, state.gradOutput ?? []);
    if (r === undefined || r === null) continue;
    if (!Array.isArray(r) || r.length !== gi.length) {
      throw new Error(`backward hook returned an invalid number of grad_input, got ${Array.isArray(r) ? r.length : typeof r}, but expected ${gi.length}`);
    }
    gi = r;
  }
  return gi;
}

class BackwardHookFunction extends AutogradFunction {
  static override forward(ctx: AutogradFunctionCtx, state: CallState, side: "input" | "output", ...tensors: Tensor[]): Tensor[] {
    ctx.state = state;
    ctx.side = side;
    ctx.setMaterializeGrads(false);
    return tensors;
  }

  static override backward(ctx: AutogradFunctionCtx, ...grads: (Tensor | null)[]): (Tensor | null)[] {
    const state = ctx.state as CallState;
    if (ctx.side === "output") {
      state.gradOutput = grads;
      if (!state.inputsRequireGrad) callBackwardHooks(state, new Array<Tensor | null>(state.nArgs).fill(null));
      return [null, null, ...grads];
    }
    const gradInput = state.wrapped.map((j) => (j < 0 ? null : grads[j]));
    const replaced = callBackwardHooks(state, gradInput);
    return [null, null, ...state.wrapped.flatMap((j, i) => (j < 0 ? [] : [replaced[i]]))];
  }
}

function tensorsOf(out: unknown): Tensor[] | null {
  if (out instanceof Tensor) return [out];
  if (Array.isArray(out) && out.length > 0 && out.every((o) => o instanceof Tensor)) return out as Tensor[];
  return null;
}

/** `module(...args)`: forward pre-hooks, forward (inputs/outputs wrapped for backward hooks), forward hooks. */
export function callModule(module: HookedModule, hooks: ModuleHooks | undefined, args: unknown[]): unknown {
  const forward = module.forward as (...a: unknown[]) => unknown;
  const r = compileHooks.recorder;
  if (r !== null) r.moduleCalled(module);
  if (hooks === undefined) return runForward(module, forward, args);
  for (const h of hooks.forwardPre.slice()) {
    const r = h(module, args);
    if (r !== undefined) args = Array.isArray(r) ? r : [r];
  }
  let state: CallState | null = null;
  if (hooks.backward.length > 0 && gradMode.enabled) {
    const wrapped: number[] = [];
    const toWrap: Tensor[] = [];
    args.forEach((a) => {
      if (a instanceof Tensor && a.requiresGrad) wrapped.push(toWrap.push(a) - 1);
      else wrapped.push(-1);
    });
    state = { module, hooks: hooks.backward, nArgs: args.length, wrapped, gradOutput: null, inputsRequireGrad: toWrap.length > 0 };
    if (toWrap.length > 0) {
      const aliased = BackwardHookFunction.apply(state, "input", ...toWrap);
      args = args.map((a, i) => (wrapped[i] < 0 ? a : aliased[wrapped[i]]));
    }
  }
  let out = runForward(module, forward, args);
  if (state !== null) {
    const outs = tensorsOf(out);
    if (outs !== null && outs.some((t) => t.requiresGrad)) {
      const wrappedOut = BackwardHookFunction.apply(state, "output", ...outs);
      out = out instanceof Tensor ? wrappedOut[0] : wrappedOut;
    }
  }
  for (const h of hooks.forward.slice()) {
    const r = h(module, args, out);
    if (r !== undefined) out = r;
  }
  return out;
}

/**
 * Runs forward. When it fails after being given fewer arguments than it declares, the error names the module
 * and the missing arguments instead of whatever broke inside forward (optional arguments that forward
 * handles itself never get here).
 */
function runForward(module: HookedModule, forward: (...a: unknown[]) => unknown, args: unknown[]): unknown {
  try {
    return forward.apply(module, args);
  } catch (e) {
    const declared = forward.length;
    if (args.length < declared && e instanceof TypeError) {
      const missing = declared - args.length;
      throw new TypeError(
        `${module.constructor.name}.forward() missing ${missing} required positional argument${missing === 1 ? "" : "s"} (it takes ${declared}, got ${args.length})`,
        { cause: e },
      );
    }
    throw e;
  }
}
