import type { DType, TypedArray } from "./backend/types";

export type { DType } from "./backend/types";

export const DTYPES: readonly DType[] = ["float32", "float64", "int32", "bool", "bfloat16", "float16"];

export { allocate, allocateUninit, arrayCtor } from "./backend/storage";

/** The dtype a typed array holds by default (a Uint16Array is taken as bfloat16 words: pass the dtype to mean float16). */
export function dtypeOfArray(a: TypedArray): DType {
  if (a instanceof Float32Array) return "float32";
  if (a instanceof Float64Array) return "float64";
  if (a instanceof Int32Array) return "int32";
  if (a instanceof Uint16Array) return "bfloat16";
  return "bool";
}

export function checkDType(d: unknown): DType {
  if (d === "float32" || d === "float64" || d === "int32" || d === "bool" || d === "bfloat16" || d === "float16") return d;
  if (d === "float") return "float32";
  if (d === "double") return "float64";
  if (d === "half") return "float16";
  throw new TypeError(`unknown dtype ${JSON.stringify(d)}; expected one of ${DTYPES.map((x) => `"${x}"`).join(", ")}`);
}

/** Floating point, the 16-bit floats included (they compute in float32 inside the kernels). */
export function isFloat(d: DType): d is "float32" | "float64" | "bfloat16" | "float16" {
  return d === "float32" || d === "float64" || d === "bfloat16" || d === "float16";
}

/** 0 = bool, 1 = integer, 2 = floating: PyTorch promotes across categories before within them. */
function category(d: DType): number {
  return d === "bool" ? 0 : d === "int32" ? 1 : 2;
}

function rank(d: DType): number {
  return d === "bool" ? 0 : d === "int32" ? 1 : d === "bfloat16" || d === "float16" ? 2 : d === "float32" ? 3 : 4;
}

/** PyTorch's promote_types: a lattice, not a chain — bfloat16 with float16 gives float32. */
export function promoteTypes(a: DType, b: DType): DType {
  if (a === b) return a;
  if ((a === "bfloat16" && b === "float16") || (a === "float16" && b === "bfloat16")) return "float32";
  return rank(a) >= rank(b) ? a : b;
}

/**
 * PyTorch's result_type: dimensioned tensors decide first; a 0-d tensor or a number only matters when it
 * belongs to a higher category (bool < int < float), and a Python-style number then contributes the
 * default dtype of its category.
 */
export function resultType(dims: DType | null, zeroDim: DType | null, scalar: DType | null): DType {
  let out = dims;
  if (zeroDim !== null) {
    if (out === null) out = zeroDim;
    else if (category(zeroDim) > category(out)) out = zeroDim;
  }
  if (scalar !== null) {
    if (out === null) out = scalar;
    else if (category(scalar) > category(out)) out = scalar === "float64" ? "float32" : scalar;
  }
  return out ?? "float32";
}

/** The dtype of a JS number used as an operand: integers behave as int, others as float. */
export function scalarDType(v: number | boolean): DType {
  if (typeof v === "boolean") return "bool";
  return Number.isInteger(v) ? "int32" : "float32";
}

export function canCast(from: DType, to: DType): boolean {
  return category(from) <= category(to);
}

/** PyTorch's legacy tensor type names, used in its error messages. */
export function legacyTypeName(d: DType): string {
  return {
    float32: "torch.FloatTensor",
    float64: "torch.DoubleTensor",
    int32: "torch.IntTensor",
    bool: "torch.BoolTensor",
    bfloat16: "torch.BFloat16Tensor",
    float16: "torch.HalfTensor",
  }[d];
}

export function scalarTypeName(d: DType): string {
  return { float32: "Float", float64: "Double", int32: "Int", bool: "Bool", bfloat16: "BFloat16", float16: "Half" }[d];
}
