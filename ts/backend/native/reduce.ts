/** Native reductions (sum/prod/max/min, argmax/argmin, softmax) on float32/float64. */
import { REDUCE_CODE } from "../op-table";
import type { ArgReduceOp, FloatArray, Kernels, ReduceOp, TypedArray, View } from "../types";
import type { NativeAddon } from "./addon";
import type { FamilyContext } from "./crossover";
import { MAX_DIMS, MetaPacker, numel } from "./pack";
import { nativeHalfConverter } from "./half-copy";
import { halfAware } from "../js/half-kernels";

function isFloatView(v: View): boolean {
  return v.dtype === "float32" || v.dtype === "float64";
}

function sameKind(a: TypedArray, b: TypedArray): boolean {
  return a.constructor === b.constructor;
}

export function nativeReduce(ctx: FamilyContext<NativeAddon>): Pick<Kernels, "reduce" | "argReduce" | "softmax"> {
  const { addon, js } = ctx;
  const c = ctx.crossover;
  const p = new MetaPacker();
  const conv = nativeHalfConverter(addon, c === null ? 0 : c.unaryCheap);
  // 16-bit views: converted on the addon, reduced by the float32 kernels below, rounded back on the addon.
  const { reduce, argReduce } = halfAware({
    reduce(op: ReduceOp, x: View, nReduced: number, out: TypedArray): void {
      if (!isFloatView(x) || !sameKind(x.data, out) || x.shape.length > MAX_DIMS || (c !== null && numel(x.shape) < c.reduce)) {
        js.reduce(op, x, nReduced, out);
        return;
      }
      addon.reduce(REDUCE_CODE[op], x.data, p.views(x.shape, x), nReduced, out);
    },

    argReduce(op: ArgReduceOp, x: View, indices: Int32Array, values: TypedArray | null): void {
      if (
        !isFloatView(x) || (values !== null && !sameKind(x.data, values)) || x.shape.length > MAX_DIMS ||
        x.shape.length === 0 || (c !== null && numel(x.shape) < c.argReduce)
      ) {
        js.argReduce(op, x, indices, values);
        return;
      }
      addon.argReduce(op === "argmax", x.data, p.views(x.shape, x), indices, values);
    },
  }, conv);
  return {
    reduce,
    argReduce,

    softmax(x: FloatArray, xOffset: number, outer: number, dim: number, inner: number, log: boolean, out: FloatArray): void {
      if (!sameKind(x, out) || (c !== null && outer * dim * inner < c.softmax)) {
        js.softmax(x, xOffset, outer, dim, inner, log, out);
        return;
      }
      addon.softmax(x, xOffset, outer, dim, inner, log, out);
    },
  };
}
