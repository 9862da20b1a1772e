/**
 * The casts ops make under autocast (ts/autocast.ts), as PyTorch 1.13's AutocastCPU kernels: the
 * lower-precision ops cast floating inputs to bfloat16, the float32-list ops cast 16-bit inputs to float32.
 * Casts are differentiable (ToCopyBackward0), so gradients return to float32 parameters in float32.
 */
import { autocast, autocastCache, autocastDType } from "../autocast";
import { isFloat } from "../dtype";
import { Tensor } from "../tensor";
import { toDType } from "./convert";

/**
 * x as the autocast dtype when autocast is on and x is a floating tensor (for matmul, linear, conv, ...);
 * anything else as it is, for the op's own argument checks.
 */
export function lowered(x: Tensor): Tensor {
  const d = autocastDType();
  if (d === null || !(x instanceof Tensor) || x.dtype === d || !isFloat(x.dtype)) return x;
  // A parameter is cast once per region (until it is written to), as PyTorch's autocast cache does.
  const cache = x._requiresGrad && x._gradFn === null && x._base === null ? autocastCache() : null;
  if (cache === null) return toDType(x, d);
  const hit = cache.get(x);
  if (hit !== undefined && hit.version === x._version.value) return hit.cast as Tensor;
  const cast = toDType(x, d);
  cache.set(x, { version: x._version.value, cast });
  return cast;
}

export function loweredOpt<T extends Tensor | null | undefined>(x: T): T {
  return (x === null || x === undefined ? x : lowered(x as Tensor)) as T;
}

/** x in float32 when autocast is on and x is a 16-bit float (for the float32-list ops: the losses). */
export function widenedForAutocast(x: Tensor): Tensor {
  return autocastDType() !== null && x instanceof Tensor && (x.dtype === "bfloat16" || x.dtype === "float16") ? toDType(x, "float32") : x;
}

/** Whether autocast is on (ops skip their casts otherwise with one call). */
export function autocastOn(): boolean {
  return autocastDType() !== null;
}

/** fn with autocast off: an op that already cast its inputs runs its float32 body without casting again. */
export function withoutAutocast<T>(fn: () => T): T {
  return autocastDType() === null ? fn() : autocast("bfloat16", fn, { enabled: false });
}
