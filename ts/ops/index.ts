import type { Tensor } from "../tensor";
import { B } from "../backend/index";
import { registerGradientOps } from "../autograd/node";
import { registerAdd, registerOnesLike } from "../autograd/api";
import { add } from "./arithmetic";
import { add_ } from "./inplace";
import { castTo, emptyTensor } from "./core";
import { sumToShape } from "./reduce";
import { toArray } from "./convert";
import { noGrad } from "../autograd/grad-mode";

export * from "./arithmetic";
export * from "./math";
export * from "./selection";
export * from "./views";
export * from "./reduce";
export * from "./softmax";
export * from "./linalg";
export * from "./join";
export * from "./index-ops";
export * from "./inplace";
export * from "./convert";
export * from "./rearrange";
export * from "./order";
export * from "./sampling";
export * from "./diagonal";
export * from "./scatter";
export * from "./advanced-index";
export * from "./masked-select";
export type { IndexItem, IndexList, SliceIndex } from "./index-items";
export * from "./einsum";
export * from "./index-add";

function hasNonFinite(g: Tensor): boolean {
  const d = toArray(g);
  for (let i = 0; i < d.length; i++) if (!Number.isFinite(d[i])) return true;
  return false;
}

registerGradientOps({
  sumToShape,
  add,
  cast: (g, dtype) => castTo(g, dtype),
  clone: (g) => {
    const out = emptyTensor(g.shape, g.dtype);
    B.unary("copy", g._kv(), out._kv());
    return out;
  },
  addInPlace: (target, g) => {
    noGrad(() => add_(target, g));
  },
  hasNonFinite,
});

registerOnesLike((like) => {
  const out = emptyTensor(like.shape, like.dtype);
  out._data.fill(1);
  return out;
});
registerAdd(add);
