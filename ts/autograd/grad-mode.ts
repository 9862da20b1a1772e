import { AsyncLocalStorage } from "node:async_hooks";

/**
 * Grad mode of the async scopes that noGrad/enableGrad opened around async functions: each carries its
 * own flag across awaits. Consulted only while such a scope is alive, so synchronous code pays one
 * counter test per op.
 */
const asyncMode = new AsyncLocalStorage<{ enabled: boolean }>();
let liveAsyncScopes = 0;
let processMode = true;

/** Whether operations record the graph: a process-wide flag, or the flag of the async scope the code runs in. */
export const gradMode = {
  get enabled(): boolean {
    if (liveAsyncScopes === 0) return processMode;
    const scope = asyncMode.getStore();
    return scope === undefined ? processMode : scope.enabled;
  },
  set enabled(flag: boolean) {
    const scope = liveAsyncScopes === 0 ? undefined : asyncMode.getStore();
    if (scope !== undefined) scope.enabled = flag;
    else processMode = flag;
  },
};

export function isGradEnabled(): boolean {
  return gradMode.enabled;
}

export function setGradEnabled(flag: boolean): void {
  gradMode.enabled = !!flag;
}

function isAsyncFunction(fn: unknown): boolean {
  return typeof fn === "function" && fn.constructor?.name === "AsyncFunction";
}

function runWith<T>(flag: boolean, fn: () => T, what: string): T {
  if (typeof fn !== "function") throw new TypeError(`${what}(): expected a function, got ${fn === null ? "null" : typeof fn}`);
  if (isAsyncFunction(fn)) {
    // The whole async body, across its awaits, runs in a scope of its own; code outside it is unaffected.
    liveAsyncScopes++;
    const done = (): void => {
      liveAsyncScopes--;
    };
    const p = asyncMode.run({ enabled: flag }, fn) as unknown as Promise<unknown>;
    return p.then(
      (v) => (done(), v),
      (e: unknown) => {
        done();
        throw e;
      },
    ) as T;
  }
  const prev = gradMode.enabled;
  gradMode.enabled = flag;
  let result: T;
  try {
    result = fn();
  } finally {
    gradMode.enabled = prev;
  }
  if (result !== null && typeof result === "object" && typeof (result as { then?: unknown }).then === "function") {
    throw new TypeError(
      `${what}(fn): fn returned a promise from a non-async function, so only its synchronous part ran with grad mode ${flag ? "on" : "off"}. Pass an async function (${what}(async () => { ... })): its whole body, awaits included, then runs in that mode.`,
    );
  }
  return result;
}

/**
 * Runs `fn` with recording off and returns its result (torch.no_grad). An async `fn` runs entirely, across
 * its awaits, without recording, while code outside it keeps its own mode.
 */
export function noGrad<T>(fn: () => T): T {
  return runWith(false, fn, "noGrad");
}

/** Runs `fn` with recording on, e.g. inside a noGrad block (torch.enable_grad). */
export function enableGrad<T>(fn: () => T): T {
  return runWith(true, fn, "enableGrad");
}

/** Opt-in check that names the op whose backward produced NaN or Inf (torch.autograd.set_detect_anomaly). */
export const anomalyMode = { enabled: false };

export function setDetectAnomaly(flag: boolean): void {
  anomalyMode.enabled = !!flag;
}

export function isAnomalyEnabled(): boolean {
  return anomalyMode.enabled;
}

export function detectAnomaly<T>(fn: () => T): T {
  const prev = anomalyMode.enabled;
  anomalyMode.enabled = true;
  try {
    return fn();
  } finally {
    anomalyMode.enabled = prev;
  }
}
