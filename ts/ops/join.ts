import { B } from "../backend/index";
import type { Tensor } from "../tensor";
import { formatShape, normalizeDim } from "../shape";
import { promoteTypes } from "../dtype";
import { castTo, emptyTensor, record } from "./core";
import { intArg, tensorsArg } from "./args";
import { gradMode } from "../autograd/grad-mode";
import { aliasOf, narrow, unsqueeze } from "./views";

/** Concatenates along `dim`; 1-D empty tensors are skipped, as in PyTorch. */
export function cat(tensors: readonly Tensor[], dim = 0): Tensor {
  tensorsArg(tensors, "cat", "tensors", 1);
  intArg(dim, "cat", "dim", 2);
  if (tensors.length === 0) throw new RangeError("torch.cat(): expected a non-empty list of Tensors");
  const parts = tensors.filter((x) => !(x.ndim === 1 && x.shape[0] === 0));
  if (parts.length === 0) return castTo(tensors[0], tensors.map((x) => x.dtype).reduce(promoteTypes));
  const ref = parts[0];
  if (ref.ndim === 0) throw new RangeError("zero-dimensional tensor (at position 0) cannot be concatenated");
  const d = normalizeDim(dim, ref.ndim);
  let total = 0;
  let dtype = ref.dtype;
  parts.forEach((x, i) => {
    if (x.ndim !== ref.ndim) {
      throw new RangeError(`Tensors must have same number of dimensions: got ${ref.ndim} and ${x.ndim}`);
    }
    for (let j = 0; j < x.ndim; j++) {
      if (j !== d && x.shape[j] !== ref.shape[j]) {
        throw new RangeError(
          `Sizes of tensors must match except in dimension ${d}. Expected size ${ref.shape[j]} but got size ${x.shape[j]} for tensor number ${i} in the list.`,
        );
      }
    }
    total += x.shape[d];
    dtype = promoteTypes(dtype, x.dtype);
  });
  const shape = ref.shape.slice();
  shape[d] = total;
  const out = emptyTensor(shape, dtype);
  const base = aliasOf(out, out.shape, out.strides, 0);
  let at = 0;
  const sizes: number[] = [];
  for (const x of parts) {
    const region = narrow(base, d, at, x.shape[d]);
    B.unary("copy", castTo(x, dtype)._kv(), region._kv());
    sizes.push(x.shape[d]);
    at += x.shape[d];
  }
  if (gradMode.enabled && parts.some((x) => x._requiresGrad)) {
    record("CatBackward0", parts, out, [], (g) => {
      let s = 0;
      return sizes.map((n) => {
        const piece = narrow(g, d, s, n);
        s += n;
        return piece;
      });
    });
  }
  return out;
}

/** Stacks equally shaped tensors along a new dim. */
export function stack(tensors: readonly Tensor[], dim = 0): Tensor {
  tensorsArg(tensors, "stack", "tensors", 1);
  intArg(dim, "stack", "dim", 2);
  if (tensors.length === 0) throw new RangeError("stack expects a non-empty TensorList");
  const ref = tensors[0];
  tensors.forEach((x, i) => {
    if (x.ndim !== ref.ndim || x.shape.some((s: number, j: number) => s !== ref.shape[j])) {
      throw new RangeError(
        `stack expects each tensor to be equal size, but got ${formatShape(ref.shape)} at entry 0 and ${formatShape(x.shape)} at entry ${i}`,
      );
    }
  });
  const d = normalizeDim(dim, ref.ndim + 1);
  const out = cat(tensors.map((x) => unsqueeze(x, d)), d);
  if (out._gradFn !== null) (out._gradFn as { name: string }).name = "StackBackward0";
  return out;
}
