/**
 * The safetensors format (https://github.com/huggingface/safetensors), independent of the Tensor class:
 * an 8-byte little-endian header length N, N bytes of UTF-8 JSON (space-padded so data is 8-aligned),
 * then one byte buffer that the tensors' data_offsets tile exactly.
 *
 * encode lays files out as the reference (Rust/Python) library does — tensors sorted by descending
 * dtype rank then by name, compact JSON with "__metadata__" first — so equal inputs give equal bytes.
 * decode trusts nothing: every inconsistency is an Error naming the tensor, and nothing is allocated
 * beyond a small multiple of the input's size. Tensors come back in data order, as Python's load_file
 * gives them (for files written by the reference library or by us, that is also the header's order).
 */
import type { DType, TypedArray } from "../backend/types";
import { JsonObject, parseStrictJson, type JsonValue } from "./strict-json";
import {
  bytesToStorage,
  ConversionError,
  FILE_DTYPE_OF,
  HOST_IS_LITTLE_ENDIAN,
  isFileDType,
  isKnownUnsupported,
  ITEM_SIZE,
  LAYOUT_RANK,
  type FileDType,
} from "./safetensors-dtypes";

export type RawTensor = { dtype: DType; shape: number[]; data: TypedArray };
export type DecodedSafetensors = { tensors: Record<string, RawTensor>; metadata: Record<string, string> };

/** The reference library's limit: a larger header is refused before anything is read. */
export const MAX_HEADER_BYTES = 100_000_000;

const METADATA_KEY = "__metadata__";

function fail(message: string): never {
  throw new Error(`safetensors: ${message}`);
}

const quote = (name: string): string => JSON.stringify(name);
const showShape = (shape: readonly number[]): string => `[${shape.join(", ")}]`;

const ARRAY_TYPE: Readonly<Record<DType, new (n: number) => TypedArray>> = {
  float32: Float32Array,
  float64: Float64Array,
  int32: Int32Array,
  bool: Uint8Array,
};

// ---------------------------------------------------------------------------------------------- encode

/** Rust compares names as UTF-8 bytes, which is code point order (not JS's UTF-16 unit order). */
function compareCodePoints(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done || y.done) return (x.done ? 0 : 1) - (y.done ? 0 : 1);
    const d = (x.value.codePointAt(0) ?? 0) - (y.value.codePointAt(0) ?? 0);
    if (d !== 0) return d;
  }
}

/** JSON.stringify escapes as serde_json does, except that it writes lone surrogates, which UTF-8 cannot hold. */
function jsonString(s: string, what: string): string {
  if (/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s)) {
    fail(`${what} ${quote(s)} contains a lone surrogate and cannot be written as UTF-8`);
  }
  return JSON.stringify(s);
}

function checkedNumel(name: string, shape: readonly number[]): number {
  let numel = 1;
  for (const d of shape) {
    if (!Number.isSafeInteger(d) || d < 0) fail(`tensor ${quote(name)} has invalid shape ${showShape(shape)}`);
    numel *= d;
  }
  return numel;
}

function validateForEncode(name: string, t: RawTensor): void {
  if (name === METADATA_KEY) fail(`a tensor cannot be named ${quote(METADATA_KEY)}`);
  if (!Object.prototype.hasOwnProperty.call(FILE_DTYPE_OF, t.dtype)) fail(`tensor ${quote(name)} has unknown dtype ${quote(String(t.dtype))}`);
  if (!Array.isArray(t.shape)) fail(`tensor ${quote(name)} has no shape array`);
  const numel = checkedNumel(name, t.shape);
  if (!(t.data instanceof ARRAY_TYPE[t.dtype])) fail(`tensor ${quote(name)} of dtype ${t.dtype} must hold a ${ARRAY_TYPE[t.dtype].name}`);
  if (t.data.length !== numel) {
    fail(`tensor ${quote(name)} has shape ${showShape(t.shape)} (${numel} elements) but ${t.data.length} values`);
  }
}

/** The tensor's elements as little-endian bytes. */
function littleEndianBytes(t: RawTensor): Uint8Array {
  if (t.dtype === "bool") return Uint8Array.from(t.data, (v) => (v !== 0 ? 1 : 0));
  const view = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
  if (HOST_IS_LITTLE_ENDIAN) return view;
  const copy = view.slice();
  const size = t.data.BYTES_PER_ELEMENT;
  for (let i = 0; i < copy.length; i += size) copy.subarray(i, i + size).reverse();
  return copy;
}

export function encodeSafetensors(tensors: Record<string, RawTensor>, metadata?: Record<string, string>): Uint8Array {
  const names = Object.keys(tensors);
  for (const name of names) validateForEncode(name, tensors[name]);
  names.sort((a, b) => {
    const r = LAYOUT_RANK[FILE_DTYPE_OF[tensors[b].dtype]] - LAYOUT_RANK[FILE_DTYPE_OF[tensors[a].dtype]];
    return r !== 0 ? r : compareCodePoints(a, b);
  });

  const parts: string[] = [];
  if (metadata !== undefined) {
    const entries = Object.keys(metadata).map((k) => {
      const v = metadata[k];
      if (typeof v !== "string") fail(`metadata value for key ${quote(k)} must be a string`);
      return `${jsonString(k, "metadata key")}:${jsonString(v, "metadata value")}`;
    });
    parts.push(`${quote(METADATA_KEY)}:{${entries.join(",")}}`);
  }
  let offset = 0;
  for (const name of names) {
    const t = tensors[name];
    const end = offset + t.data.length * ITEM_SIZE[FILE_DTYPE_OF[t.dtype]];
    parts.push(
      `${jsonString(name, "tensor name")}:{"dtype":"${FILE_DTYPE_OF[t.dtype]}","shape":[${t.shape.join(",")}],"data_offsets":[${offset},${end}]}`,
    );
    offset = end;
  }
  let header = new TextEncoder().encode(`{${parts.join(",")}}`);
  const padded = Math.ceil(header.length / 8) * 8;
  if (padded > MAX_HEADER_BYTES) fail(`header of ${padded} bytes exceeds the ${MAX_HEADER_BYTES}-byte limit`);
  if (padded !== header.length) {
    const p = new Uint8Array(padded).fill(0x20);
    p.set(header);
    header = p;
  }

  const out = new Uint8Array(8 + header.length + offset);
  const dv = new DataView(out.buffer);
  dv.setBigUint64(0, BigInt(header.length), true);
  out.set(header, 8);
  let pos = 8 + header.length;
  for (const name of names) {
    const bytes = littleEndianBytes(tensors[name]);
    out.set(bytes, pos);
    pos += bytes.length;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------- decode

type Entry = { name: string; dtype: FileDType; shape: number[]; begin: number; end: number };

function readHeader(bytes: Uint8Array): { header: JsonObject; dataStart: number } {
  if (!(bytes instanceof Uint8Array)) fail("input must be a Uint8Array");
  if (bytes.length < 8) fail(`file is ${bytes.length} bytes, too short for the 8-byte header length`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = dv.getBigUint64(0, true);
  if (n > BigInt(MAX_HEADER_BYTES)) fail(`header length ${n} exceeds the ${MAX_HEADER_BYTES}-byte limit`);
  const headerLength = Number(n);
  if (8 + headerLength > bytes.length) {
    fail(`header length ${headerLength} runs past the end of the file (${bytes.length} bytes)`);
  }
  let text: string;
  try {
    // ignoreBOM keeps a BOM in the text, where the JSON parser rejects it (as the reference does).
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes.subarray(8, 8 + headerLength));
  } catch {
    fail("header is not valid UTF-8");
  }
  let parsed: JsonValue;
  try {
    parsed = parseStrictJson(text);
  } catch (e) {
    fail(`header is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!(parsed instanceof JsonObject)) fail("header is not a JSON object");
  return { header: parsed, dataStart: 8 + headerLength };
}

function readMetadata(value: JsonValue): Record<string, string> {
  const out: Record<string, string> = {};
  if (value === null) return out; // the reference library reads null as "no metadata"
  if (!(value instanceof JsonObject)) fail(`${quote(METADATA_KEY)} is not an object`);
  for (const [k, v] of value.entries) {
    if (typeof v !== "string") fail(`${quote(METADATA_KEY)} value for key ${quote(k)} is not a string`);
    Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function readOffset(name: string, v: JsonValue): number {
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) {
    fail(`tensor ${quote(name)} has data_offsets that are not non-negative integers`);
  }
  return v;
}

function readEntry(name: string, value: JsonValue, dataLength: number): Entry {
  const t = quote(name);
  if (!(value instanceof JsonObject)) fail(`tensor ${t} is not described by an object`);
  const dtype = value.get("dtype");
  const shape = value.get("shape");
  const offsets = value.get("data_offsets");
  if (typeof dtype !== "string") fail(`tensor ${t} has no dtype string`);
  if (!isFileDType(dtype)) {
    fail(isKnownUnsupported(dtype) ? `tensor ${t} has dtype ${dtype}, which tensorgrad cannot read` : `tensor ${t} has unknown dtype ${quote(dtype)}`);
  }
  if (!Array.isArray(shape)) fail(`tensor ${t} has no shape array`);
  for (const d of shape) {
    if (typeof d !== "number" || !Number.isSafeInteger(d) || d < 0) {
      fail(`tensor ${t} has shape entry ${JSON.stringify(d)}, not a non-negative integer`);
    }
  }
  const dims = shape as number[];
  if (!Array.isArray(offsets) || offsets.length !== 2) fail(`tensor ${t} has data_offsets that are not a [begin, end] pair`);
  const begin = readOffset(name, offsets[0]);
  const end = readOffset(name, offsets[1]);
  if (begin > end) fail(`tensor ${t} has data_offsets [${begin}, ${end}] with begin after end`);
  if (end > dataLength) fail(`tensor ${t} has data_offsets [${begin}, ${end}] beyond the ${dataLength}-byte data buffer`);

  // Byte count without overflow: a zero dim wins; past 2^53 the count is no longer exact, and no file is that big.
  const size = ITEM_SIZE[dtype];
  let nbytes = dims.includes(0) ? 0 : size;
  for (const d of dims) {
    nbytes *= d;
    if (nbytes > Number.MAX_SAFE_INTEGER) fail(`tensor ${t} has shape ${showShape(dims)}, too many elements for any file`);
  }
  if (nbytes !== end - begin) {
    fail(`tensor ${t} has data_offsets [${begin}, ${end}] but shape ${showShape(dims)} of ${dtype} needs ${nbytes} bytes`);
  }
  return { name, dtype, shape: dims.map((d) => d + 0), begin, end }; // + 0 turns -0 into 0
}

/**
 * The spec forbids holes and overlaps: sorted by offsets, each tensor starts where the last ended.
 * Returns that order, which is the order Python's load_file yields (offset_keys); the sort is stable,
 * so empty tensors at one offset keep their header order.
 */
function sortAndCheckCoverage(entries: readonly Entry[], dataLength: number): Entry[] {
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let cursor = 0;
  let previous: Entry | undefined;
  for (const e of sorted) {
    if (e.begin < cursor && previous) {
      fail(`tensor ${quote(e.name)} at [${e.begin}, ${e.end}] overlaps tensor ${quote(previous.name)} at [${previous.begin}, ${previous.end}]`);
    }
    if (e.begin > cursor) fail(`bytes [${cursor}, ${e.begin}) of the data buffer belong to no tensor (before tensor ${quote(e.name)})`);
    cursor = e.end;
    previous = e;
  }
  if (cursor !== dataLength) fail(`the data buffer has ${dataLength} bytes but the tensors cover only ${cursor}`);
  return sorted;
}

export function decodeSafetensors(bytes: Uint8Array): DecodedSafetensors {
  const { header, dataStart } = readHeader(bytes);
  const dataLength = bytes.length - dataStart;
  let metadata: Record<string, string> = {};
  const entries: Entry[] = [];
  for (const [name, value] of header.entries) {
    if (name === METADATA_KEY) metadata = readMetadata(value);
    else entries.push(readEntry(name, value, dataLength));
  }
  const tensors: Record<string, RawTensor> = {};
  for (const e of sortAndCheckCoverage(entries, dataLength)) {
    let storage: { dtype: DType; data: TypedArray };
    try {
      storage = bytesToStorage(e.dtype, bytes.subarray(dataStart + e.begin, dataStart + e.end));
    } catch (err) {
      if (err instanceof ConversionError) fail(`tensor ${quote(e.name)} ${err.message}`);
      throw err;
    }
    // defineProperty: a tensor named "__proto__" must become a key, not a prototype.
    Object.defineProperty(tensors, e.name, {
      value: { dtype: storage.dtype, shape: e.shape, data: storage.data },
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return { tensors, metadata };
}
