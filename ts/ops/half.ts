/**
 * bfloat16/float16 inputs of ops whose kernels take float32/float64 arrays (softmax, conv, pooling, sorting,
 * ...): the op runs on a float32 copy and its result is rounded back, as PyTorch's CPU kernels compute these
 * dtypes in float32. Both conversions are differentiable, so gradients flow back in the input's dtype.
 */
import { isHalf } from "../backend/half";
import type { HalfDType } from "../backend/types";
import type { Tensor } from "../tensor";
import { toDType } from "./convert";

export { isHalf };

/** x as float32 when it is 16-bit (recorded for autograd). */
export function widened(x: Tensor): Tensor {
  return isHalf(x.dtype) ? toDType(x, "float32") : x;
}

/** x as float32 when it is 16-bit; null and undefined stay as they are. */
export function widenedOpt<T extends Tensor | null | undefined>(x: T): T {
  return (x instanceof Object && isHalf((x as Tensor).dtype) ? toDType(x as Tensor, "float32") : x) as T;
}

/** A float32 result rounded to the 16-bit dtype `d`. */
export function roundedTo(y: Tensor, d: HalfDType): Tensor {
  return toDType(y, d);
}

/** The values of a (values, indices) result rounded to `d`. */
export function roundedValues<R extends { values: Tensor; indices: Tensor }>(r: R, d: HalfDType): R {
  return { ...r, values: toDType(r.values, d) };
}
