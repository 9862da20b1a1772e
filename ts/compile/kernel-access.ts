/**
 * What each kernel writes, for compile's planner: `pure` arguments are overwritten without being read (an
 * output), `update` arguments are read and written (accumulators, in-place optimizer updates); every other
 * typed array is only read. A kernel missing here (a family added later) is recorded all the same, with
 * every typed array it is handed counted as read and written: correct, only planned less tightly.
 */
import type { GemmArgs, TypedArray, View } from "../backend/types";

export type Written = TypedArray | View;

export interface KernelAccess {
  readonly pure: readonly Written[];
  readonly update: readonly Written[];
}

type AccessOf = (a: readonly unknown[]) => KernelAccess;

const pure = (...xs: unknown[]): KernelAccess => ({ pure: xs.filter((x) => x != null) as Written[], update: [] });
const update = (...xs: unknown[]): KernelAccess => ({ pure: [], update: xs.filter((x) => x != null) as Written[] });

/** gemm's C is an output only when beta is 0 and the product covers all of C's storage. */
function gemmAccess(a: readonly unknown[]): KernelAccess {
  const g = a[0] as GemmArgs;
  if (g.beta !== 0) return update(g.c);
  const covers = g.cOffset === 0 && g.ldc === g.n && (g.batch === 1 || g.strideC === g.m * g.n) && g.batch * g.m * g.n === g.c.length;
  return covers ? pure(g.c) : update(g.c);
}

export const KERNEL_ACCESS: Readonly<Record<string, AccessOf>> = {
  unary: (a) => pure(a[2]),
  binary: (a) => pure(a[3]),
  where: (a) => pure(a[3]),
  reduce: (a) => pure(a[3]),
  argReduce: (a) => pure(a[2], a[3]),
  softmax: (a) => pure(a[6]),
  gemm: gemmAccess,
  indexSelect: (a) => pure(a[3]),
  indexAdd: (a) => update(a[0]),
  gather: (a) => pure(a[3]),
  scatterAdd: (a) => update(a[0]),
  fill: (a) => pure(a[0]),
  sgdStep: (a) => update(a[0], a[2]),
  adamStep: (a) => update(a[0], a[2], a[3], a[4]),
  im2col: (a) => pure(a[3]),
  col2im: (a) => update(a[2]),
  maxPool2d: (a) => pure(a[3], a[4]),
  nllLoss: (a) => pure(a[5], a[6], a[7]),
  nllLossMask: (a) => pure(a[4]),
  batchNormStats: (a) => pure(a[5]),
  batchNormApply: (a) => pure(a[6]),
  batchNormBackward: (a) => pure(a[9], a[10]),
  batchNormLoadStats: (a) => pure(a[3]),
  batchNormCoefficients: (a) => pure(a[5], a[6]),
  batchNormUpdateRunning: (a) => update(a[4], a[5]),
  channelsToView: (a) => pure(a[2]),
  convBiasFill: (a) => pure(a[4]),
};
