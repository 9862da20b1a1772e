import { Tensor } from "../../tensor";
import * as ops from "../../ops/index";
import { allocate } from "../../dtype";
import { bernoulli, defaultGenerator } from "../../random/index";
import { noGrad } from "../../autograd/grad-mode";
import { randomFill } from "../../compile/hooks";
import { numberArg, optBoolArg, tensorArg } from "../../ops/args";

/**
 * PyTorch's CPU dropout: noise = bernoulli_(1 − p) of the input's shape, noise /= 1 − p, out = input · noise
 * (so the gradient node is MulBackward0 and the masks match PyTorch's for a seed).
 */
export function dropout(x: Tensor, p = 0.5, training = true): Tensor {
  tensorArg(x, "dropout", "input", 1);
  numberArg(p, "dropout", "p", 2);
  optBoolArg(training, "dropout", "training", 3);
  if (!(p >= 0 && p <= 1)) throw new RangeError(`dropout probability has to be between 0 and 1, but got ${p}`);
  if (!training || p === 0) return x;
  if (p === 1) return ops.mul(x, 0);
  if (x.dtype !== "float32" && x.dtype !== "float64") throw new TypeError(`dropout: expected a floating point tensor, got ${x.dtype}`);
  const buf = allocate(x.dtype, x.numel()) as Float32Array | Float64Array;
  randomFill(buf, (o) => bernoulli(defaultGenerator, o, 1 - p));
  const noise = new Tensor(buf, x.shape.slice(), x.dtype);
  noGrad(() => noise.div_(1 - p));
  return ops.mul(x, noise);
}
