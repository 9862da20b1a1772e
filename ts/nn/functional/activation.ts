import type { Tensor } from "../../tensor";
import * as ops from "../../ops/index";

export function relu(x: Tensor): Tensor {
  return ops.relu(x);
}
export function tanh(x: Tensor): Tensor {
  return ops.tanh(x);
}
export function sigmoid(x: Tensor): Tensor {
  return ops.sigmoid(x);
}
export function leakyRelu(x: Tensor, negativeSlope = 0.01): Tensor {
  return ops.leakyRelu(x, negativeSlope);
}
export function elu(x: Tensor, alpha = 1.0): Tensor {
  return ops.elu(x, alpha);
}
/** dim is required here: PyTorch's implicit-dim choice is deprecated. */
export function softmax(x: Tensor, dim: number): Tensor {
  return ops.softmax(x, dim);
}
export function logSoftmax(x: Tensor, dim: number): Tensor {
  return ops.logSoftmax(x, dim);
}
export function linear(x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  return ops.linear(x, weight, bias);
}
