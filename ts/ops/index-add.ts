/** torch.index_add (out of place, with alpha): source's slices added into a copy of self at index along dim. */
import { B } from "../backend/index";
import { Tensor } from "../tensor";
import { formatShape, normalizeDim, sameShape } from "../shape";
import { gradMode } from "../autograd/grad-mode";
import { scalarTypeName } from "../dtype";
import { emptyTensor, record } from "./core";
import { argError, intArg, optionsArg, tensorArg } from "./args";
import { indexArray, indexSelect } from "./index-ops";
import { mul } from "./arithmetic";
import { reshape } from "./views";

export interface IndexAddOptions {
  alpha?: number;
}

/** A 0-d tensor counts as one element along one dim, as PyTorch's index ops treat it. */
const asVector = (t: Tensor): Tensor => (t.ndim === 0 ? reshape(t, [1]) : t);

export function indexAdd(self: Tensor, dim: number, index: Tensor, source: Tensor, opts?: IndexAddOptions): Tensor {
  tensorArg(self, "indexAdd", "input", 1);
  intArg(dim, "indexAdd", "dim", 2);
  tensorArg(index, "indexAdd", "index", 3);
  tensorArg(source, "indexAdd", "source", 4);
  const alpha = optionsArg<IndexAddOptions>(opts, "indexAdd", "options", 5)?.alpha ?? 1;
  if (typeof alpha !== "number") throw argError("indexAdd", "alpha", 5, "Number", alpha);
  const d = normalizeDim(dim, self.ndim);
  if (index.ndim > 1) {
    throw new RangeError(
      `index_add_(): Index is supposed to be a vector, but got dim: ${index.ndim} with type: ${scalarTypeName(index.dtype)} and size: ${formatShape(index.shape)}`,
    );
  }
  if (index.dtype !== "int32") throw new TypeError(`index_add_(): Expected dtype int32/int64 for index but got: ${scalarTypeName(index.dtype)}`);
  if (source.dtype !== self.dtype) {
    throw new TypeError(`index_add_(): self (${scalarTypeName(self.dtype)}) and source (${scalarTypeName(source.dtype)}) must have the same scalar type`);
  }
  const count = index.numel();
  const sourceSize = source.ndim === 0 ? 1 : source.shape[d];
  if (source.ndim > 0 && d >= source.ndim) throw new RangeError(`index_add_(): Indexing dim ${d} is out of bounds of tensor`);
  if (count !== sourceSize) {
    throw new RangeError(`index_add_(): Number of indices (${count}) should be equal to source.size(dim): (${sourceSize}), for dim: ${d}`);
  }
  const rest = (t: Tensor) => t.shape.filter((_, k) => k !== d);
  if ((self.ndim > 0 && source.ndim > 0 && !sameShape(rest(self), rest(source))) || (source.ndim === 0 && self.ndim > 1)) {
    throw new RangeError(
      `source tensor shape must match self tensor shape, excluding the specified dimension. Got self.shape = ${formatShape(self.shape)} source.shape = ${formatShape(source.shape)}`,
    );
  }
  const shape = self.ndim === 0 ? [1] : self.shape;
  const idx = indexArray(index, shape[d], "index_add_", d);
  const out = emptyTensor(self.shape, self.dtype);
  B.unary("copy", self._kv(), out._kv());
  const src = alpha === 1 ? source : mul(source.detach(), alpha);
  if (count > 0) B.indexAdd(out._data, shape, d, idx, asVector(src)._kv());
  if (gradMode.enabled && (self._requiresGrad || source._requiresGrad)) {
    const wantSelf = self._requiresGrad;
    const wantSource = source._requiresGrad;
    const sourceShape = source.shape;
    record("IndexAddBackward0", [self, source], out, [index], (g, [ix]) => {
      let gs: Tensor | null = null;
      if (wantSource) {
        gs = reshape(indexSelect(asVector(g), d, asVector(ix)), sourceShape);
        if (alpha !== 1) gs = mul(gs, alpha);
      }
      return [wantSelf ? g : null, gs];
    }, { dim: d, alpha });
  }
  return out;
}
