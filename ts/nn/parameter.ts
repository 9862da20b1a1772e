import { Tensor } from "../tensor";
import "../tensor-methods";

/**
 * A Tensor that a Module registers as a learnable parameter when assigned as a property.
 * It shares the given tensor's storage and version counter (as torch.nn.Parameter does).
 */
export class Parameter extends Tensor {
  constructor(data?: Tensor, requiresGrad = true) {
    const src = data ?? new Tensor(new Float32Array(0), [0], "float32");
    if (!(src instanceof Tensor)) throw new TypeError("Parameter(): data must be a Tensor");
    super(src._data, src.shape, src.dtype, src.strides, src.offset, src._version, null);
    if (requiresGrad) this.requiresGrad = true;
  }

  override toString(): string {
    return "Parameter containing:\n" + Tensor.prototype.toString.call(this);
  }
}
