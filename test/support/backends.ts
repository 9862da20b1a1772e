/** The backends kernel tests compare: the TypeScript kernels and the native addon, with and without dispatch. */
import { jsBackend } from "../../ts/backend/js/index";
import { loadNativeBackend, loadRawNativeBackend } from "../../ts/backend/native";
import type { Backend, FloatDType } from "../../ts/backend/types";
import type { Tolerance } from "./close";

export const js: Backend = jsBackend;

const raw = loadRawNativeBackend();
/** The native kernels with no small-size dispatch: every float kernel runs in C++ (null when the addon did not build). */
export const native: Backend | null = "backend" in raw ? raw.backend : null;

const dispatching = loadNativeBackend();
/** The native backend as the library uses it: small work goes to the TS kernels below the crossovers (null without the addon). */
export const nativeDispatching: Backend | null = "backend" in dispatching ? dispatching.backend : null;

export const noAddon = native === null;

/** Default tolerance between native and js results of the same elementwise or reduction kernel. */
export const PARITY_TOL: Record<FloatDType, Tolerance> = {
  float32: { rtol: 4.8e-7, atol: 1e-37 }, // 4 ulp
  float64: { rtol: 1e-14, atol: 1e-300 },
};
