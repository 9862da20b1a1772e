/** Native elementwise kernels (unary, binary, where, fill) on float32/float64; other dtypes and small work go to TypeScript. */
import { BINARY_CODE, UNARY_CODE, isCostlyUnary } from "../op-table";
import type { BinaryOp, Kernels, UnaryOp, View } from "../types";
import type { NativeAddon } from "./addon";
import type { FamilyContext } from "./crossover";
import { MAX_DIMS, MetaPacker, numel } from "./pack";
import { nativeHalfConverter } from "./half-copy";
import { halfAware } from "../js/half-kernels";

function isFloatView(v: View): boolean {
  return v.dtype === "float32" || v.dtype === "float64";
}

export function nativeElementwise(ctx: FamilyContext<NativeAddon>): Pick<Kernels, "unary" | "binary" | "where" | "fill"> {
  const { addon, js } = ctx;
  const c = ctx.crossover;
  const p = new MetaPacker();
  // 16-bit views: converted on the addon, computed by the float32 kernels below, rounded back on the addon.
  return halfAware({
    unary(op: UnaryOp, x: View, out: View, p0?: number, p1?: number): void {
      if (
        !isFloatView(x) || !isFloatView(out) || (op !== "copy" && x.dtype !== out.dtype) || out.shape.length > MAX_DIMS ||
        (c !== null && numel(out.shape) < (isCostlyUnary(op) ? c.unaryCostly : c.unaryCheap))
      ) {
        js.unary(op, x, out, p0, p1);
        return;
      }
      addon.unary(UNARY_CODE[op], x.data, out.data, p.views(out.shape, x, out), p0 ?? NaN, p1 ?? NaN);
    },

    binary(op: BinaryOp, a: View, b: View, out: View, p0?: number): void {
      if (
        !isFloatView(a) || a.dtype !== b.dtype || out.shape.length > MAX_DIMS ||
        !(a.dtype === out.dtype || out.dtype === "bool") || (c !== null && numel(out.shape) < c.binary)
      ) {
        js.binary(op, a, b, out, p0);
        return;
      }
      addon.binary(BINARY_CODE[op], a.data, b.data, out.data, p.views(out.shape, a, b, out), p0 ?? NaN);
    },

    where(cond: View, a: View, b: View, out: View): void {
      if (
        !isFloatView(out) || a.dtype !== out.dtype || b.dtype !== out.dtype || cond.dtype !== "bool" ||
        out.shape.length > MAX_DIMS || (c !== null && numel(out.shape) < c.where)
      ) {
        js.where(cond, a, b, out);
        return;
      }
      addon.where(cond.data, a.data, b.data, out.data, p.views(out.shape, cond, a, b, out));
    },

    fill(out: View, value: number): void {
      if (!isFloatView(out) || out.shape.length > MAX_DIMS || (c !== null && numel(out.shape) < c.fill)) {
        js.fill(out, value);
        return;
      }
      addon.fill(out.data, p.views(out.shape, out), value);
    },
  }, nativeHalfConverter(addon, c === null ? 0 : c.unaryCheap));
}