import { Tensor } from "../../tensor";
import { interpolate as interpolateOp, type InterpolateOptions } from "../../ops/upsample";
import * as ops from "../../ops/index";
import { allocate } from "../../dtype";
import { bernoulli, defaultGenerator } from "../../random/index";
import { noGrad } from "../../autograd/grad-mode";
import { checkNnOptions } from "../options";

export type { InterpolateOptions, InterpolateMode } from "../../ops/upsample";

/** F.interpolate(input, { size, scaleFactor, mode, alignCorners }) for "nearest", "linear" and "bilinear". */
export function interpolate(input: Tensor, opts: InterpolateOptions = {}): Tensor {
  return interpolateOp(input, checkNnOptions("interpolate()", opts, { size: true, scaleFactor: true, mode: true, alignCorners: true }));
}

/**
 * F.dropout2d: whole channels zeroed, as PyTorch's feature dropout: noise of shape (N, C, 1, 1) drawn with
 * bernoulli_(1 − p) and divided by 1 − p, then input · noise (the same masks as PyTorch for a seed).
 */
export function dropout2d(x: Tensor, p = 0.5, training = true): Tensor {
  if (p < 0 || p > 1) throw new RangeError(`dropout probability has to be between 0 and 1, but got ${p}`);
  if (x.ndim !== 3 && x.ndim !== 4) throw new RangeError(`dropout2d: expected 3D or 4D input, got ${x.ndim}D input`);
  if (!training || p === 0) return x;
  if (p === 1) return ops.mul(x, 0);
  if (x.dtype !== "float32" && x.dtype !== "float64") throw new TypeError(`dropout2d: expected a floating point tensor, got ${x.dtype}`);
  // A 3-D input is (N, C, L) here, as PyTorch 1.13 treats it (with a warning there).
  const shape = [x.shape[0], x.shape[1], ...new Array<number>(x.ndim - 2).fill(1)];
  const buf = allocate(x.dtype, shape[0] * shape[1]) as Float32Array | Float64Array;
  bernoulli(defaultGenerator, buf, 1 - p);
  const noise = new Tensor(buf, shape, x.dtype);
  noGrad(() => noise.div_(1 - p));
  return ops.mul(x, noise);
}
