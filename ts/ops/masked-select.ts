/** torch.masked_select: the elements where a (broadcast) bool mask is true, as a 1-D tensor. */
import { B } from "../backend/index";
import { Tensor } from "../tensor";
import { broadcastShapes, numel } from "../shape";
import { noGrad } from "../autograd/grad-mode";
import { emptyTensor, needsGrad, record } from "./core";
import { tensorArg } from "./args";
import { contiguous, expand, reshape } from "./views";
import { indexAddInto } from "./index-ops";
import { sumToShape } from "./reduce";
import { toArray } from "./convert";

/** torch.masked_select: the elements of x (broadcast with mask) where mask is true, as a 1-D tensor. */
export function maskedSelect(x: Tensor, mask: Tensor): Tensor {
  tensorArg(x, "maskedSelect", "input", 1);
  tensorArg(mask, "maskedSelect", "mask", 2);
  if (mask.dtype !== "bool") throw new TypeError("masked_select: expected BoolTensor for mask");
  // PyTorch broadcasts (mask, input), in that order, and its error names them so.
  const shape = broadcastShapes(mask.shape, x.shape);
  const flatMask = toArray(noGrad(() => expand(mask, shape)));
  let count = 0;
  for (let i = 0; i < flatMask.length; i++) if (flatMask[i]) count++;
  const lin = new Int32Array(count);
  for (let i = 0, k = 0; i < flatMask.length; i++) if (flatMask[i]) lin[k++] = i;
  const linT = new Tensor(lin, [count], "int32");
  const out = emptyTensor([count], x.dtype);
  noGrad(() => {
    const flat = reshape(contiguous(expand(x, shape)), [numel(shape)]);
    B.indexSelect(flat._kv(), 0, lin, out._data);
  });
  if (needsGrad(x)) {
    const xShape = x.shape;
    record("MaskedSelectBackward0", [x], out, [mask], (g) => [sumToShape(reshape(indexAddInto([numel(shape)], 0, linT, g), shape), xShape)]);
  }
  return out;
}
