import type { DType } from "../types.js";

/**
 * How a value computed in double must be converted before it is stored in the output:
 * None — storing into the typed array already does the right thing; Bool — x != 0 (NaN is true);
 * Int — float to int32 truncates toward zero, NaN and out-of-range give INT_MIN as PyTorch does on x86.
 */
export const Cast = { None: 0, Bool: 1, Int: 2 } as const;
export type Cast = (typeof Cast)[keyof typeof Cast];

export function castFor(src: DType, dst: DType): Cast {
  if (dst === "bool") return src === "bool" ? Cast.None : Cast.Bool;
  if (dst === "int32" && (src === "float32" || src === "float64")) return Cast.Int;
  return Cast.None;
}

export function toBool(v: number): number {
  return v !== 0 ? 1 : 0;
}

export function toInt32(v: number): number {
  return v < 2147483648 && v > -2147483649 ? v : -2147483648;
}

export function castValue(cast: Cast, v: number): number {
  return cast === Cast.Bool ? toBool(v) : cast === Cast.Int ? toInt32(v) : v;
}
