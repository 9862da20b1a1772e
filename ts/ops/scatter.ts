/**
 * torch.scatter (a tensor src or a number, with reduce "add"/"multiply"), its in-place form scatter_, and
 * scatter_add. Checks follow PyTorch 1.13's order: dim, index dtype, src dtype, shapes, then index values,
 * all before any kernel writes.
 */
import { B } from "../backend/index";
import type { ScatterMode } from "../backend/js/scatter";
import { Tensor } from "../tensor";
import type { TypedArray } from "../backend/types";
import { formatShape, normalizeDim } from "../shape";
import { gradMode, noGrad } from "../autograd/grad-mode";
import { emptyTensor, record, scalarTensor, storageOf } from "./core";
import { argError, intArg, tensorArg } from "./args";
import { gather, indexArray } from "./index-ops";
import { checkInplaceTarget, bump, rebase } from "./inplace";
import { expand, narrow } from "./views";
import { constantPad } from "./pad";

export type ScatterReduce = "add" | "multiply";

/** The reduce argument (None, "add" or "multiply"); `pos` is its argument position. */
export function scatterReduceArg(reduce: unknown, op: string, pos: number): ScatterReduce | undefined {
  if (reduce === undefined || reduce === null) return undefined;
  if (typeof reduce !== "string") throw argError(op, "reduce", pos, "str", reduce);
  if (reduce !== "add" && reduce !== "multiply") throw new RangeError(`${op}(): reduce argument must be either add or multiply.`);
  return reduce;
}

/** ensure_nonempty_dim / ensure_nonempty_size: a 0-d tensor counts as one element along one dim. */
const rank = (t: Tensor): number => Math.max(t.ndim, 1);
const sizeAt = (t: Tensor, d: number): number => (t.ndim === 0 ? 1 : t.shape[d]);

function checkShapes(self: Tensor, d: number, index: Tensor, src: Tensor | null): void {
  if (index.numel() === 0) return;
  if (rank(self) !== rank(index)) throw new RangeError("Index tensor must have the same number of dimensions as self tensor");
  let wrong = false;
  for (let i = 0; i < rank(self) && !wrong; i++) if (i !== d && sizeAt(index, i) > sizeAt(self, i)) wrong = true;
  if (!wrong && src !== null) for (let i = 0; i < rank(self) && !wrong; i++) if (sizeAt(index, i) > sizeAt(src, i)) wrong = true;
  if (src !== null) {
    if (rank(src) !== rank(index)) throw new RangeError("Index tensor must have the same number of dimensions as src tensor");
    if (wrong) {
      throw new RangeError(
        `Expected index ${formatShape(index.shape)} to be smaller than self ${formatShape(self.shape)} apart from dimension ${d} and to be smaller size than src ${formatShape(src.shape)}`,
      );
    }
  } else if (wrong) {
    throw new RangeError(`Expected index ${formatShape(index.shape)} to be smaller than self ${formatShape(self.shape)} apart from dimension ${d}`);
  }
}

function checkIndexDType(index: Tensor, op: string): void {
  if (index.dtype !== "int32") throw new TypeError(`${op}(): Expected dtype int32 for index, but got ${index.dtype}`);
}

/** src as the kernel reads it: index's shape (src may be larger), a number broadcast to it. */
function sourceView(src: Tensor | number, index: Tensor, dtype: Tensor["dtype"]): Tensor {
  if (typeof src === "number") return expand(scalarTensor(src, dtype), index.shape);
  let v = src;
  for (let i = 0; i < index.ndim; i++) if (v.shape[i] !== index.shape[i]) v = narrow(v, i, 0, index.shape[i]);
  return v;
}

/** Applies the scatter to `out`, a contiguous buffer holding self's values (no graph). */
function scatterInto(out: TypedArray, self: Tensor, d: number, index: Tensor, src: Tensor | number, reduce: ScatterReduce | undefined): void {
  if (index.numel() === 0) return;
  const idx = indexArray(index, sizeAt(self, d), "scatter", d);
  const s = noGrad(() => sourceView(src, index, self.dtype));
  const shape = self.ndim === 0 ? [1] : self.shape;
  const sv = s.ndim === 0 ? { data: s._data, dtype: s.dtype, offset: s.offset, shape: [1], strides: [0] } : s._kv();
  if (reduce === "add") B.scatterAdd(out, shape, d, idx, sv);
  else B.scatter(out, shape, d, idx, sv, reduce === "multiply" ? "multiply" : ("set" satisfies ScatterMode));
}

/** A contiguous copy of self with the scatter applied (no graph). */
function scatterRaw(self: Tensor, d: number, index: Tensor, src: Tensor | number, reduce: ScatterReduce | undefined): Tensor {
  const out = emptyTensor(self.shape, self.dtype);
  B.unary("copy", self._kv(), out._kv());
  scatterInto(out._data, self, d, index, src, reduce);
  return out;
}

/** `op` names the function in argument errors, `torchOp` in PyTorch's value errors. */
function checkedArgs(op: string, torchOp: string, self: Tensor, dim: unknown, index: unknown, src: unknown): { d: number; index: Tensor; src: Tensor | number } {
  intArg(dim, op, "dim", 2);
  tensorArg(index, op, "index", 3);
  if (!(src instanceof Tensor) && typeof src !== "number" && typeof src !== "boolean") throw argError(op, "src", 4, "Tensor", src);
  const d = normalizeDim(dim as number, self.ndim);
  const ix = index as Tensor;
  checkIndexDType(ix, torchOp);
  const s = typeof src === "boolean" ? Number(src) : (src as Tensor | number);
  if (s instanceof Tensor && s.dtype !== self.dtype) throw new TypeError(`${torchOp}(): Expected self.dtype to be equal to src.dtype`);
  checkShapes(self, d, ix, s instanceof Tensor ? s : null);
  return { d, index: ix, src: s };
}

/** grad w.r.t. src: g gathered at index, zero-padded to src's shape where src is larger than index. */
function srcGrad(g: Tensor, d: number, index: Tensor, srcShape: readonly number[]): Tensor {
  const part = gather(g, d, index);
  if (index.ndim === 0 || srcShape.every((n, i) => n === index.shape[i])) return part;
  const pads: number[] = [];
  for (let i = srcShape.length - 1; i >= 0; i--) pads.push(0, srcShape[i] - index.shape[i]);
  return constantPad(part, pads, 0);
}

function scatterOp(self: Tensor, d: number, index: Tensor, src: Tensor | number, reduce: ScatterReduce | undefined): Tensor {
  const out = scatterRaw(self, d, index, src, reduce);
  const srcTensor = src instanceof Tensor ? src : null;
  const tracked = gradMode.enabled && (self._requiresGrad || (srcTensor !== null && srcTensor._requiresGrad));
  if (!tracked) return out;
  if (reduce !== undefined) {
    // PyTorch 1.13 has no derivative for scatter with reduce.
    return record("NotImplemented", srcTensor === null ? [self] : [self, srcTensor], out, [], () => {
      throw new Error("derivative for aten::scatter is not implemented");
    });
  }
  if (srcTensor === null) {
    return record("ScatterBackward1", [self], out, [index], (g, [ix]) => [scatter(g, d, ix, 0)], { dim: d, value: src as number });
  }
  const srcShape = srcTensor.shape;
  const wantSelf = self._requiresGrad;
  const wantSrc = srcTensor._requiresGrad;
  return record("ScatterBackward0", [self, srcTensor], out, [index], (g, [ix]) => [
    wantSelf ? scatter(g, d, ix, 0) : null,
    wantSrc ? srcGrad(g, d, ix, srcShape) : null,
  ], { dim: d });
}

/** torch.scatter: a copy of self with src's values (or the number) written at index along dim. */
export function scatter(self: Tensor, dim: number, index: Tensor, src: Tensor | number, reduce?: ScatterReduce): Tensor {
  tensorArg(self, "scatter", "input", 1);
  const a = checkedArgs("scatter", "scatter", self, dim, index, src);
  return scatterOp(self, a.d, a.index, a.src, scatterReduceArg(reduce, "scatter", 5));
}

/** Tensor.scatter_: scatter written into self. */
export function scatter_(self: Tensor, dim: number, index: Tensor, src: Tensor | number, reduce?: ScatterReduce): Tensor {
  const a = checkedArgs("scatter_", "scatter", self, dim, index, src);
  const mode = scatterReduceArg(reduce, "scatter_", 5);
  checkInplaceTarget(self);
  if (gradMode.enabled && (self._requiresGrad || (a.src instanceof Tensor && a.src._requiresGrad))) {
    return rebase(self, (snap) => scatterOp(snap, a.d, a.index, a.src, mode));
  }
  const direct = storageOf(self, [a.index, a.src]);
  if (direct !== null) scatterInto(direct, self, a.d, a.index, a.src, mode);
  else B.unary("copy", scatterRaw(self, a.d, a.index, a.src, mode)._kv(), self._kv());
  bump(self);
  return self;
}

/** torch.scatter_add: a copy of self with src's values added at index along dim. */
export function scatterAdd(self: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  tensorArg(self, "scatterAdd", "input", 1);
  if (!(src instanceof Tensor)) throw argError("scatterAdd", "src", 4, "Tensor", src);
  const a = checkedArgs("scatterAdd", "scatter_add", self, dim, index, src);
  const out = scatterRaw(self, a.d, a.index, src, "add");
  if (gradMode.enabled && (self._requiresGrad || src._requiresGrad)) {
    const srcShape = src.shape;
    record("ScatterAddBackward0", [self, src], out, [a.index], (g, [ix]) => [g, srcGrad(g, a.d, ix, srcShape)], { dim: a.d });
  }
  return out;
}
