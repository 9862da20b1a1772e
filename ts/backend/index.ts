import type { Backend } from "./types";
import { jsBackend } from "./js/index";
import { loadNativeBackend } from "./native";
import { checkCpuEnv } from "./native/addon";

export type BackendName = "native" | "js";

let nativeResult: { backend: Backend } | { error: string } | null = null;

function native(): { backend: Backend } | { error: string } {
  if (nativeResult === null) nativeResult = loadNativeBackend();
  return nativeResult;
}

/** The backend every op calls; swapped by setBackend. */
export let B: Backend = jsBackend;

/** @internal Makes `b` the backend every op calls (compile's recorder wraps the current one); returns the previous. */
export function swapBackend(b: Backend): Backend {
  const prev = B;
  B = b;
  return prev;
}

export function getBackend(): BackendName {
  return B.name;
}

export function setBackend(name: BackendName): void {
  if (name === "js") {
    B = jsBackend;
    return;
  }
  if (name !== "native") {
    throw new TypeError(`unknown backend ${JSON.stringify(name)}; available backends: "native", "js"`);
  }
  const r = native();
  if ("error" in r) throw new Error(`tensorgrad: the native backend cannot be used: ${r.error}`);
  B = r.backend;
}

/** Why the native backend is unavailable, or null when it loads. */
export function nativeUnavailableReason(): string | null {
  const r = native();
  return "error" in r ? r.error : null;
}

export function setNumThreads(n: number): void {
  if (typeof n !== "number") throw new TypeError(`setNumThreads(): argument 'n' must be int, not ${n === null ? "NoneType" : typeof n}`);
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`setNumThreads expects a positive integer, but got ${n}`);
  const r = native();
  if ("backend" in r) r.backend.setNumThreads(n);
  jsBackend.setNumThreads(n);
}

export function getNumThreads(): number {
  return B.getNumThreads();
}

function initialBackend(): void {
  checkCpuEnv();
  const requested = typeof process !== "undefined" ? process.env.TENSORGRAD_BACKEND : undefined;
  if (requested === "js" || requested === "native") {
    setBackend(requested);
    return;
  }
  if (requested !== undefined && requested !== "") {
    throw new TypeError(`TENSORGRAD_BACKEND=${requested} is not a backend; use "native" or "js"`);
  }
  const r = native();
  if ("backend" in r) {
    B = r.backend;
  } else {
    process.emitWarning(
      `tensorgrad: the native addon did not load (${r.error.replace(/\s+/g, " ").trim()}); using the pure-TypeScript backend. ` +
        "To get native speed: 1) reinstall so the prebuilt binary for your platform is fetched from the package, " +
        "or 2) install a C++ toolchain (python3, make, g++) and run `npm rebuild tensorgrad`. " +
        'Set TENSORGRAD_BACKEND=js to silence this notice.',
      "TensorgradNotice",
    );
  }
}

initialBackend();
