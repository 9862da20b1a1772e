/** Reduction codes of the addon (native/elementwise/ops.h); elementwise codes come from the op table. */
import type { ReduceOp } from "../types";

export const REDUCE_CODE: Readonly<Record<ReduceOp, number>> = { sum: 0, prod: 1, max: 2, min: 3 };
