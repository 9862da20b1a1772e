/** nn.functional.oneHot and nn.functional.pad (the op itself is in ts/ops/pad.ts). */
import { Tensor } from "../../tensor";
import { intArg, tensorArg } from "../../ops/args";
import { scatter } from "../../ops/scatter";
import { unsqueeze } from "../../ops/views";
import { zerosTensor } from "../../ops/core";
import { toArray } from "../../ops/convert";

export { pad } from "../../ops/pad";
export type { PadMode } from "../../ops/pad";

/**
 * torch.nn.functional.one_hot: a trailing dim of numClasses (−1: max + 1) with a 1 at each class index.
 * The result is int32, tensorgrad's integer dtype (PyTorch's is int64).
 */
export function oneHot(tensor: Tensor, numClasses = -1): Tensor {
  tensorArg(tensor, "oneHot", "tensor", 1);
  intArg(numClasses, "oneHot", "num_classes", 2);
  if (tensor.dtype !== "int32") throw new TypeError("one_hot is only applicable to index tensor.");
  const shape = [...tensor.shape];
  if (tensor.numel() === 0) {
    if (numClasses <= 0) throw new RangeError("Can not infer total number of classes from empty tensor.");
    return zerosTensor([...shape, numClasses], "int32");
  }
  const values = toArray(tensor);
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    lo = Math.min(lo, values[i]);
    hi = Math.max(hi, values[i]);
  }
  if (lo < 0) throw new RangeError("Class values must be non-negative.");
  if (numClasses === -1) numClasses = hi + 1;
  else if (hi >= numClasses) throw new RangeError("Class values must be smaller than num_classes.");
  return scatter(zerosTensor([...shape, numClasses], "int32"), -1, unsqueeze(tensor, -1), 1);
}
