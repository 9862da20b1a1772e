import { inspect } from "node:util";
import { Tensor } from "./tensor";
import * as ops from "./ops/index";
import { formatTensor } from "./format";
import { backward } from "./autograd/api";
import { defaultGenerator, normal, uniform } from "./random/index";
import { noGrad } from "./autograd/grad-mode";
import { allocate } from "./dtype";

const P = Tensor.prototype;

P.add = function (o) { return ops.add(this, o); };
P.sub = function (o) { return ops.sub(this, o); };
P.mul = function (o) { return ops.mul(this, o); };
P.div = function (o) { return ops.div(this, o); };
P.pow = function (e) { return ops.pow(this, e); };
P.neg = function () { return ops.neg(this); };
P.abs = function () { return ops.abs(this); };
P.sign = function () { return ops.sign(this); };
P.exp = function () { return ops.exp(this); };
P.log = function () { return ops.log(this); };
P.sqrt = function () { return ops.sqrt(this); };
P.rsqrt = function () { return ops.rsqrt(this); };
P.reciprocal = function () { return ops.reciprocal(this); };
P.square = function () { return ops.square(this); };
P.sin = function () { return ops.sin(this); };
P.cos = function () { return ops.cos(this); };
P.tanh = function () { return ops.tanh(this); };
P.sigmoid = function () { return ops.sigmoid(this); };
P.relu = function () { return ops.relu(this); };
P.leakyRelu = function (s) { return ops.leakyRelu(this, s); };
P.elu = function (a) { return ops.elu(this, a); };
P.clamp = function (lo, hi) { return ops.clamp(this, lo, hi); };
P.clip = function (lo, hi) { return ops.clamp(this, lo, hi); };
P.maximum = function (o) { return ops.maximum(this, o); };
P.minimum = function (o) { return ops.minimum(this, o); };
P.eq = function (o) { return ops.eq(this, o); };
P.ne = function (o) { return ops.ne(this, o); };
P.gt = function (o) { return ops.gt(this, o); };
P.lt = function (o) { return ops.lt(this, o); };
P.ge = function (o) { return ops.ge(this, o); };
P.le = function (o) { return ops.le(this, o); };
P.logicalNot = function () { return ops.logicalNot(this); };
P.where = function (c, o) { return ops.where(c, this, o); };
P.sum = function (d, k) { return ops.sum(this, d, k); };
P.mean = function (d, k) { return ops.mean(this, d, k); };
P.max = function (this: Tensor, d?: number, k?: boolean) {
  return d === undefined ? ops.max(this) : ops.max(this, d, k);
} as Tensor["max"];
P.min = function (this: Tensor, d?: number, k?: boolean) {
  return d === undefined ? ops.min(this) : ops.min(this, d, k);
} as Tensor["min"];
P.argmax = function (d, k) { return ops.argmax(this, d, k); };
P.argmin = function (d, k) { return ops.argmin(this, d, k); };
P.std = function (d, k) { return ops.std(this, d, k); };
P.var = function (d, k) { return ops.variance(this, d, k); };
P.logsumexp = function (d, k) { return ops.logsumexp(this, d, k); };
P.softmax = function (d) { return ops.softmax(this, d); };
P.logSoftmax = function (d) { return ops.logSoftmax(this, d); };
P.matmul = function (o) { return ops.matmul(this, o); };
P.mm = function (o) { return ops.mm(this, o); };
P.mv = function (v) { return ops.mv(this, v); };
P.dot = function (o) { return ops.dot(this, o); };
P.t = function () { return ops.t(this); };
P.transpose = function (a, b) { return ops.transpose(this, a, b); };
P.reshape = function (...s) { return ops.reshape(this, ...s); };
P.view = function (...s) { return ops.view(this, ...s); };
P.viewAs = function (o) { return ops.view(this, o.shape); };
P.unsqueeze = function (d) { return ops.unsqueeze(this, d); };
P.squeeze = function (d) { return ops.squeeze(this, d); };
P.flatten = function (s, e) { return ops.flatten(this, s, e); };
P.expand = function (...s) { return ops.expand(this, ...s); };
P.expandAs = function (o) { return ops.expand(this, o.shape); };
P.permute = function (...d) { return ops.permute(this, ...d); };
P.contiguous = function () { return ops.contiguous(this); };
P.at = function (...i) { return ops.at(this, ...i); };
P.select = function (d, i) { return ops.select(this, d, i); };
P.narrow = function (d, s, l) { return ops.narrow(this, d, s, l); };
P.indexSelect = function (d, i) { return ops.indexSelect(this, d, i); };
P.gather = function (d, i) { return ops.gather(this, d, i); };
P.item = function () { return ops.item(this); };
P.tolist = function () { return ops.tolist(this); };
P.toArray = function () { return ops.toArray(this); };
P.clone = function () { return ops.clone(this); };
P.to = function (target) { return ops.to(this, target); };
P.float = function () { return ops.toDType(this, "float32"); };
P.double = function () { return ops.toDType(this, "float64"); };
P.int = function () { return ops.toDType(this, "int32"); };
P.bool = function () { return ops.toDType(this, "bool"); };
P.detach = function () { return ops.detach(this); };
P.detach_ = function () { return ops.detach_(this); };
P.requiresGrad_ = function (f) { return ops.requiresGrad_(this, f); };
P.backward = function (g, o) { backward(this, g, o); };
P.add_ = function (o) { return ops.add_(this, o); };
P.sub_ = function (o) { return ops.sub_(this, o); };
P.mul_ = function (o) { return ops.mul_(this, o); };
P.div_ = function (o) { return ops.div_(this, o); };
P.zero_ = function () { return ops.zero_(this); };
P.fill_ = function (v) { return ops.fill_(this, v); };
P.copy_ = function (s) { return ops.copy_(this, s); };
P.clamp_ = function (lo, hi) { return ops.clamp_(this, lo, hi); };

/**
 * Draws into a contiguous buffer, then writes it through self's (maybe strided) view. PyTorch's kernels
 * visit a non-contiguous tensor in memory order, so the draws are assigned by ascending storage offset.
 */
function drawInto(self: Tensor, draw: (buf: Float32Array | Float64Array) => void): Tensor {
  if (self.dtype !== "float32" && self.dtype !== "float64") {
    throw new TypeError(`random fill is not implemented for dtype ${self.dtype}`);
  }
  const n = self.numel();
  const buf = allocate(self.dtype, n) as Float32Array | Float64Array;
  draw(buf);
  if (self.isContiguous()) return ops.writeValues(self, buf);
  const offsets = logicalOffsets(self);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => offsets[a] - offsets[b]);
  const logical = allocate(self.dtype, n) as Float32Array | Float64Array;
  for (let k = 0; k < n; k++) logical[order[k]] = buf[k];
  return ops.writeValues(self, logical);
}

function logicalOffsets(t: Tensor): number[] {
  const out: number[] = [];
  const walk = (dim: number, base: number): void => {
    if (dim === t.ndim) {
      out.push(base);
      return;
    }
    for (let i = 0; i < t.shape[dim]; i++) walk(dim + 1, base + i * t.strides[dim]);
  };
  walk(0, t.offset);
  return out;
}

P.uniform_ = function (from = 0, to = 1) {
  return drawInto(this, (buf) => uniform(defaultGenerator, buf, from, to));
};
P.normal_ = function (mean = 0, std = 1) {
  const contiguous = this.isContiguous();
  return drawInto(this, (buf) => normal(defaultGenerator, buf, mean, std, { contiguous }));
};
P.toString = function () { return noGrad(() => formatTensor(this)); };
(P as unknown as Record<symbol, unknown>)[inspect.custom] = function (this: Tensor) {
  return this.toString();
};
