import { isHalf, roundedTo, widened } from "./half";
import { B } from "../backend/index";
import type { Tensor } from "../tensor";
import type { FloatArray } from "../backend/types";
import { isFloat } from "../dtype";
import { normalizeDim } from "../shape";
import { castTo, emptyTensor, needsGrad, record } from "./core";
import { mul, sub } from "./arithmetic";
import { exp } from "./math";
import { sum } from "./reduce";
import { contiguous } from "./views";
import { intArg, tensorArg } from "./args";

function softmaxRaw(x: Tensor, dim: number, log: boolean): Tensor {
  const src = contiguous(isFloat(x.dtype) ? x : castTo(x, "float32"));
  const d = x.ndim === 0 ? 0 : normalizeDim(dim, x.ndim);
  const shape = src.shape;
  let outer = 1;
  let inner = 1;
  for (let i = 0; i < d; i++) outer *= shape[i];
  for (let i = d + 1; i < shape.length; i++) inner *= shape[i];
  const size = shape.length === 0 ? 1 : shape[d];
  const out = emptyTensor(shape, src.dtype);
  B.softmax(src._data as FloatArray, src.offset, outer, size, inner, log, out._data as FloatArray);
  return out;
}

export function softmax(x: Tensor, dim: number): Tensor {
  if (isHalf(x?.dtype)) return roundedTo(softmax(widened(x), dim), x.dtype);
  tensorArg(x, "softmax", "input", 1);
  intArg(dim, "softmax", "dim", 2);
  const out = softmaxRaw(x, dim, false);
  if (needsGrad(x)) {
    const d = x.ndim === 0 ? 0 : normalizeDim(dim, x.ndim);
    record("SoftmaxBackward0", [x], out, [out], (g, [y]) => [mul(y, sub(g, x.ndim === 0 ? mul(g, y) : sum(mul(g, y), d, true)))], { dim: d });
  }
  return out;
}

export function logSoftmax(x: Tensor, dim: number): Tensor {
  if (isHalf(x?.dtype)) return roundedTo(logSoftmax(widened(x), dim), x.dtype);
  tensorArg(x, "logSoftmax", "input", 1);
  intArg(dim, "logSoftmax", "dim", 2);
  const out = softmaxRaw(x, dim, true);
  if (needsGrad(x)) {
    const d = x.ndim === 0 ? 0 : normalizeDim(dim, x.ndim);
    record("LogSoftmaxBackward0", [x], out, [out], (g, [y]) => [sub(g, mul(exp(y), x.ndim === 0 ? g : sum(g, d, true)))], { dim: d });
  }
  return out;
}
