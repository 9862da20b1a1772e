import type { BinaryOp, DType, UnaryOp } from "../backend/types";
import { B } from "../backend/index";
import { Tensor } from "../tensor";
import { gradMode } from "../autograd/grad-mode";
import { canCast, scalarTypeName } from "../dtype";
import { broadcastShapes, formatShape, sameShape } from "../shape";
import { type Operand, emptyTensor, operandsDType, record } from "./core";
import { checkNoInternalOverlap } from "../memory-overlap";
import { argError, operandArg, optNumberArg, tensorArg } from "./args";
import { checkFitsInt32, checkInt32Values } from "./convert";
import { expandedView } from "./elementwise-kernels";
import { add, div, mul, roundScalar, sub } from "./arithmetic";
import { clamp } from "./math";
import { mul as mulOp } from "./arithmetic";
import { sumToShape } from "./reduce";

/** PyTorch refuses in-place writes that autograd could not account for. */
function checkWritable(self: Tensor): void {
  if (!gradMode.enabled || !self._requiresGrad) return;
  const base = self._base;
  if (self._gradFn === null) {
    throw new Error("a leaf Variable that requires grad is being used in an in-place operation.");
  }
  if (base !== null && base._requiresGrad && base._gradFn === null) {
    throw new Error("a view of a leaf Variable that requires grad is being used in an in-place operation.");
  }
}

/**
 * What every in-place op checks before it writes: autograd's rules, then PyTorch's refusal to write into a
 * tensor whose elements share memory (an expanded view), which would give order-dependent values.
 */
export function checkInplaceTarget(self: Tensor): void {
  checkWritable(self);
  checkNoInternalOverlap(self);
}

export function bump(self: Tensor): void {
  self._version.value++;
}

function checkResultType(dtype: DType, self: Tensor): void {
  if (!canCast(dtype, self.dtype)) {
    throw new TypeError(`result type ${scalarTypeName(dtype)} can't be cast to the desired output type ${scalarTypeName(self.dtype)}`);
  }
}

/** `other` read as self's shape; copied first when it overlaps self's storage differently. */
function operandView(self: Tensor, other: Tensor, dtype: DType) {
  const shape = broadcastShapes(self.shape, other.shape);
  if (!sameShape(shape, self.shape)) {
    throw new RangeError(`output with shape ${formatShape(self.shape)} doesn't match the broadcast shape ${formatShape(shape)}`);
  }
  let src = other;
  const aliased =
    other._data === self._data && (other.offset !== self.offset || !sameShape(other.strides, self.strides) || other.dtype !== dtype);
  if (aliased || other.dtype !== dtype) {
    src = emptyTensor(other.shape, dtype);
    B.unary("copy", other._kv(), src._kv());
  }
  return expandedView(src, self.shape);
}

/**
 * Writes an op's result into self. Untracked writes run the kernel straight into self's storage; when
 * autograd is recording, the op runs out of place on a snapshot and self takes over its gradFn.
 */
function inplace(
  name: string,
  self: Tensor,
  other: Operand,
  op: BinaryOp,
  scalarOp: UnaryOp,
  scalarArg: (v: number) => number,
  outOfPlace: (a: Tensor, b: Operand) => Tensor,
): Tensor {
  operandArg(other, name, "other", 1);
  if (typeof other === "boolean") other = Number(other);
  checkInplaceTarget(self);
  const dtype = operandsDType(self, other);
  checkResultType(dtype, self);
  const recording = gradMode.enabled && (self._requiresGrad || (other instanceof Tensor && other._requiresGrad));
  if (recording) return rebase(self, (snap) => outOfPlace(snap, other));
  const v = self._kv();
  if (typeof other === "number") {
    B.unary(scalarOp, v, v, roundScalar(scalarArg(other), self.dtype));
  } else {
    B.binary(op, v, operandView(self, other, self.dtype), v);
  }
  bump(self);
  return self;
}

/** Runs a recorded op on a snapshot of self, writes the result into self, and moves self onto the new graph node. */
export function rebase(self: Tensor, compute: (snapshot: Tensor) => Tensor): Tensor {
  if (self._base !== null && self._requiresGrad) {
    throw new Error(
      "in-place operations on a view of a tensor that requires grad are not supported by tensorgrad; use the out-of-place form (e.g. y = x.add(1))",
    );
  }
  const snapshot = emptyTensor(self.shape, self.dtype);
  B.unary("copy", self._kv(), snapshot._kv());
  snapshot._gradFn = self._gradFn;
  snapshot._requiresGrad = self._requiresGrad;
  const result = compute(snapshot);
  checkResultType(result.dtype, self);
  B.unary("copy", result._kv(), self._kv());
  bump(self);
  self._gradFn = result._gradFn;
  self._requiresGrad = result._requiresGrad;
  return self;
}

export const add_ = (self: Tensor, other: Operand): Tensor => inplace("add_", self, other, "add", "addScalar", (v) => v, add);
export const sub_ = (self: Tensor, other: Operand): Tensor => inplace("sub_", self, other, "sub", "addScalar", (v) => -v, sub);
export const mul_ = (self: Tensor, other: Operand): Tensor => inplace("mul_", self, other, "mul", "mulScalar", (v) => v, mul);

export function div_(self: Tensor, other: Operand): Tensor {
  operandArg(other, "div_", "other", 1);
  if (typeof other === "boolean") other = Number(other);
  if (self.dtype === "int32" || self.dtype === "bool") checkResultType("float32", self);
  checkInplaceTarget(self);
  const recording = gradMode.enabled && (self._requiresGrad || (other instanceof Tensor && other._requiresGrad));
  if (recording) return rebase(self, (snap) => div(snap, other));
  const v = self._kv();
  const divisor = other instanceof Tensor ? operandView(self, other, self.dtype) : scalarView(other, self);
  B.binary("div", v, divisor, v);
  bump(self);
  return self;
}

function scalarView(value: number, self: Tensor) {
  const s = emptyTensor([], self.dtype);
  s._data[0] = value;
  return expandedView(s, self.shape);
}

export function clamp_(self: Tensor, min?: number | null, max?: number | null): Tensor {
  const lo = optNumberArg(min, "clamp_", "min", 1) ?? NaN;
  const hi = optNumberArg(max, "clamp_", "max", 2) ?? NaN;
  checkInplaceTarget(self);
  if (gradMode.enabled && self._requiresGrad) return rebase(self, (snap) => clamp(snap, min, max));
  if (Number.isNaN(lo) && Number.isNaN(hi)) throw new TypeError("torch.clamp: At least one of 'min' or 'max' must not be None");
  const v = self._kv();
  B.unary("clamp", v, v, lo, hi);
  bump(self);
  return self;
}

/** Sets every element to `value`; a recorded fill cuts the gradient to what came before. */
export function fill_(self: Tensor, value: number): Tensor {
  if (typeof value !== "number" && typeof value !== "boolean") {
    if (!((value as unknown) instanceof Tensor)) throw argError("fill_", "value", 1, "Number", value);
    value = (value as Tensor).item();
  }
  // No overlap check: every element gets the same value, so PyTorch lets fill_ write through expanded views.
  checkWritable(self);
  if (self.dtype === "int32") checkInt32Values([Number(value)], "fill_()");
  if (gradMode.enabled && self._requiresGrad) {
    return rebase(self, (snap) => {
      const out = emptyTensor(snap.shape, snap.dtype);
      B.fill(out._kv(), value);
      return record(value === 0 ? "ZeroBackward0" : "FillBackward0", [snap], out, [], (g) => [mulOp(g, 0)]);
    });
  }
  B.fill(self._kv(), Number(value));
  bump(self);
  return self;
}

export const zero_ = (self: Tensor): Tensor => fill_(self, 0);

/** Copies src's values (broadcast, cast) into self. */
export function copy_(self: Tensor, src: Tensor): Tensor {
  tensorArg(src, "copy_", "src", 1);
  checkInplaceTarget(self);
  if (self.dtype === "int32") checkFitsInt32(src, "copy_()");
  if (gradMode.enabled && (self._requiresGrad || src._requiresGrad)) {
    return rebase(self, (snap) => {
      const out = emptyTensor(snap.shape, snap.dtype);
      B.unary("copy", operandView(snap, src, src.dtype), out._kv());
      const srcShape = src.shape;
      return record("CopyBackwards", [snap, src], out, [], (g) => [mulOp(g, 0), sumToShape(g, srcShape)]);
    });
  }
  B.unary("copy", operandView(self, src, src.dtype), self._kv());
  bump(self);
  return self;
}

/** Writes raw values (already drawn) into self, in self's logical order. */
export function writeValues(self: Tensor, values: Float32Array | Float64Array | Int32Array | Uint8Array): Tensor {
  checkInplaceTarget(self);
  const src = new Tensor(values, self.shape, self.dtype);
  B.unary("copy", src._kv(), self._kv());
  bump(self);
  return self;
}
