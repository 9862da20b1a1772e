/**
 * autocast("bfloat16", fn): torch.autocast("cpu", dtype=torch.bfloat16) for the code fn runs. The state is a
 * process-wide dtype, or the one of the async scope an async fn runs in (carried across its awaits, as
 * noGrad's flag is); ops read it through autocastDType(). Which ops cast what lives in ts/ops/autocast-cast.ts.
 */
import { AsyncLocalStorage } from "node:async_hooks";

export type AutocastDType = "bfloat16";

/**
 * Casts of parameters (leaf tensors that require grad) made in one autocast region, reused while the region
 * lasts and the parameter is not written to, as PyTorch's autocast cache does; dropped when the outermost
 * region exits.
 */
export type CastCache = WeakMap<object, { version: number; cast: unknown }>;

interface Scope {
  dtype: AutocastDType | null;
  cache: CastCache | null;
}

const asyncScope = new AsyncLocalStorage<Scope>();
let liveAsyncScopes = 0;
const processScope: Scope = { dtype: null, cache: null };

function currentScope(): Scope {
  if (liveAsyncScopes === 0) return processScope;
  return asyncScope.getStore() ?? processScope;
}

/** The dtype autocast casts to where the code runs now, or null outside autocast. */
export function autocastDType(): AutocastDType | null {
  return currentScope().dtype;
}

/** The parameter-cast cache of the region the code runs in (null outside autocast). */
export function autocastCache(): CastCache | null {
  const s = currentScope();
  return s.dtype === null ? null : s.cache;
}

/** torch.is_autocast_cpu_enabled(). */
export function isAutocastEnabled(): boolean {
  return autocastDType() !== null;
}

function isAsyncFunction(fn: unknown): boolean {
  return typeof fn === "function" && fn.constructor?.name === "AsyncFunction";
}

export interface AutocastOptions {
  /** false runs fn with autocast off (a region inside an autocast one that must stay in float32). */
  enabled?: boolean;
}

/**
 * Runs fn under CPU autocast to bfloat16 and returns its result: matmul, mm, bmm, baddbmm, linear and conv1d/2d
 * cast their floating inputs to bfloat16 (float32 accumulation) and return bfloat16; PyTorch 1.13's CPU
 * float32 list (the losses) casts to float32; other ops run in their inputs' dtype. Parameters stay float32
 * and their gradients come back in float32. An async fn keeps autocast across its awaits.
 */
export function autocast<T>(dtype: AutocastDType, fn: () => T, opts: AutocastOptions = {}): T {
  if (dtype !== "bfloat16") {
    throw new TypeError(
      `autocast(): In CPU autocast, but the target dtype is not supported. CPU Autocast only supports dtype of torch.bfloat16 currently (got ${JSON.stringify(dtype)})`,
    );
  }
  if (typeof fn !== "function") throw new TypeError(`autocast(): expected a function, got ${fn === null ? "null" : typeof fn}`);
  if (opts === null || typeof opts !== "object") throw new TypeError("autocast(): options must be an object");
  for (const k of Object.keys(opts)) {
    if (k !== "enabled") throw new TypeError(`autocast() got an unexpected keyword argument '${k}' (accepted options: enabled)`);
  }
  const target: AutocastDType | null = opts.enabled === false ? null : dtype;
  if (isAsyncFunction(fn)) {
    liveAsyncScopes++;
    const done = (): void => {
      liveAsyncScopes--;
    };
    const outer = currentScope();
    const p = asyncScope.run({ dtype: target, cache: outer.cache ?? new WeakMap() }, fn) as unknown as Promise<unknown>;
    return p.then(
      (v) => (done(), v),
      (e: unknown) => {
        done();
        throw e;
      },
    ) as T;
  }
  const scope = currentScope();
  const prev = { dtype: scope.dtype, cache: scope.cache };
  scope.dtype = target;
  scope.cache ??= new WeakMap();
  let result: T;
  try {
    result = fn();
  } finally {
    scope.dtype = prev.dtype;
    scope.cache = prev.cache;
  }
  if (result !== null && typeof result === "object" && typeof (result as { then?: unknown }).then === "function") {
    throw new TypeError(
      "autocast(dtype, fn): fn returned a promise from a non-async function, so only its synchronous part ran under autocast. Pass an async function: its whole body, awaits included, then runs under autocast.",
    );
  }
  return result;
}
