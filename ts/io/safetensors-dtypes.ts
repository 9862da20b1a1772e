/**
 * safetensors dtype names, their sizes, and conversion of little-endian bytes into tensorgrad storage.
 * BF16 and F16 read as bfloat16 and float16 words, bit for bit. Files from PyTorch often hold dtypes
 * tensorgrad lacks (int64, uint8, ...): those read as the nearest tensorgrad dtype, and integers that do not fit int32 are an error rather than a silent wrap.
 */
import type { DType, TypedArray } from "../backend/types";

/** The dtypes we can read. */
export type FileDType = "BOOL" | "U8" | "I8" | "I16" | "U16" | "F16" | "BF16" | "I32" | "U32" | "F32" | "F64" | "I64" | "U64";

export const ITEM_SIZE: Readonly<Record<FileDType, number>> = {
  BOOL: 1, U8: 1, I8: 1, I16: 2, U16: 2, F16: 2, BF16: 2, I32: 4, U32: 4, F32: 4, F64: 8, I64: 8, U64: 8,
};

/** Dtypes the format defines that we cannot represent (sub-byte floats, fp8, complex). */
const KNOWN_UNSUPPORTED = new Set(["F8_E5M2", "F8_E4M3", "F8_E8M0", "F4", "F6_E2M3", "F6_E3M2", "C64"]);

export function isFileDType(name: string): name is FileDType {
  return Object.prototype.hasOwnProperty.call(ITEM_SIZE, name);
}

export function isKnownUnsupported(name: string): boolean {
  return KNOWN_UNSUPPORTED.has(name);
}

type WrittenDType = "F32" | "F64" | "I32" | "BOOL" | "BF16" | "F16";

/** What each tensorgrad dtype is written as. */
export const FILE_DTYPE_OF: Readonly<Record<DType, WrittenDType>> = {
  float32: "F32",
  float64: "F64",
  int32: "I32",
  bool: "BOOL",
  bfloat16: "BF16",
  float16: "F16",
};

/**
 * The position of each written dtype in the Rust library's `Dtype` enum, whose derived order is the
 * layout order (descending, then by name). Only the relative order of the written ones matters.
 */
export const LAYOUT_RANK: Readonly<Record<WrittenDType, number>> = { BOOL: 0, F16: 7, BF16: 8, I32: 9, F32: 11, F64: 12 };

export const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * An aligned buffer of the bytes in host order (swapping each itemSize-byte word on big-endian hosts):
 * `src` itself when the caller hands it over (`owned`, a whole fresh buffer), otherwise a copy.
 */
function hostOrderCopy(src: Uint8Array, itemSize: number, owned: boolean): ArrayBuffer {
  const whole = owned && src.byteOffset === 0 && src.byteLength === src.buffer.byteLength && src.buffer instanceof ArrayBuffer;
  const copy = whole ? src : src.slice();
  if (!HOST_IS_LITTLE_ENDIAN && itemSize > 1) {
    for (let i = 0; i < copy.length; i += itemSize) copy.subarray(i, i + itemSize).reverse();
  }
  return copy.buffer as ArrayBuffer;
}

/** Raised by the converters; the codec adds the tensor's name. */
export class ConversionError extends Error {}

function int32OrThrow(value: number | bigint, index: number, dtype: FileDType): number {
  if (value > 2147483647 || value < -2147483648) {
    throw new ConversionError(
      `holds ${dtype} value ${value} at element ${index}, outside int32 (tensorgrad's integer dtype)`,
    );
  }
  return Number(value);
}

/** Converts a tensor's little-endian bytes (length already checked = numel · itemSize); `owned` lets it keep them. */
export function bytesToStorage(dtype: FileDType, bytes: Uint8Array, owned = false): { dtype: DType; data: TypedArray } {
  const n = bytes.length / ITEM_SIZE[dtype];
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (dtype) {
    case "F32":
      return { dtype: "float32", data: new Float32Array(hostOrderCopy(bytes, 4, owned)) };
    case "F64":
      return { dtype: "float64", data: new Float64Array(hostOrderCopy(bytes, 8, owned)) };
    case "I32":
      return { dtype: "int32", data: new Int32Array(hostOrderCopy(bytes, 4, owned)) };
    case "BOOL": {
      // Any non-zero byte is true, as in PyTorch; storage holds exactly 0 or 1.
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = bytes[i] !== 0 ? 1 : 0;
      return { dtype: "bool", data: out };
    }
    case "F16":
      return { dtype: "float16", data: new Uint16Array(hostOrderCopy(bytes, 2, owned)) };
    case "BF16":
      return { dtype: "bfloat16", data: new Uint16Array(hostOrderCopy(bytes, 2, owned)) };
    case "U8":
      return { dtype: "int32", data: Int32Array.from(bytes) };
    case "I8":
      return { dtype: "int32", data: Int32Array.from(new Int8Array(bytes.buffer, bytes.byteOffset, n)) };
    case "I16":
    case "U16": {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = dtype === "I16" ? dv.getInt16(2 * i, true) : dv.getUint16(2 * i, true);
      return { dtype: "int32", data: out };
    }
    case "U32": {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = int32OrThrow(dv.getUint32(4 * i, true), i, dtype);
      return { dtype: "int32", data: out };
    }
    case "I64":
    case "U64": {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const lo = dv.getUint32(8 * i, true);
        const hi = dv.getInt32(8 * i + 4, true);
        // Fits int32 exactly when the high word is the sign extension of the low word.
        const fits = dtype === "I64" ? hi === (lo | 0) >> 31 : hi === 0 && lo <= 0x7fffffff;
        if (!fits) {
          const v = dtype === "I64" ? dv.getBigInt64(8 * i, true) : dv.getBigUint64(8 * i, true);
          int32OrThrow(v, i, dtype);
        }
        out[i] = lo | 0;
      }
      return { dtype: "int32", data: out };
    }
  }
}
