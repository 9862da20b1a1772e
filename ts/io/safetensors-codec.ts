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
import zlib from "node:zlib";
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

/** A file that is not valid safetensors (as opposed to one that cannot be read at all). */
export class SafetensorsError extends Error {}

function fail(message: string): never {
  throw new SafetensorsError(`safetensors: ${message}`);
}

const quote = (name: string): string => JSON.stringify(name);
const showShape = (shape: readonly number[]): string => `[${shape.join(", ")}]`;

const ARRAY_TYPE: Readonly<Record<DType, new (n: number) => TypedArray>> = {
  float32: Float32Array,
  float64: Float64Array,
  int32: Int32Array,
  bool: Uint8Array,
  bfloat16: Uint16Array,
  float16: Uint16Array,
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

/** Where tensorgrad stores the CRC-32 of the data buffer (8 hex digits), so that a file changed while being read is caught. */
export const CHECKSUM_KEY = "tensorgrad.crc32";

/**
 * The file as a list of byte runs: the 8-byte length and padded header, then each tensor's data (views of the
 * tensors' own storage where the host is little-endian, so a large file is never copied into one buffer).
 * With `checksum`, the CRC-32 of the data buffer goes into the metadata under CHECKSUM_KEY.
 */
export function encodeSafetensorsParts(
  tensors: Record<string, RawTensor>,
  metadata?: Record<string, string>,
  opts: { checksum?: boolean } = {},
): Uint8Array[] {
  const names = Object.keys(tensors);
  for (const name of names) validateForEncode(name, tensors[name]);
  names.sort((a, b) => {
    const r = LAYOUT_RANK[FILE_DTYPE_OF[tensors[b].dtype]] - LAYOUT_RANK[FILE_DTYPE_OF[tensors[a].dtype]];
    return r !== 0 ? r : compareCodePoints(a, b);
  });
  const data = names.map((name) => littleEndianBytes(tensors[name]));

  let meta = metadata;
  if (opts.checksum) {
    let crc = 0;
    for (const d of data) crc = crc32(d, crc);
    meta = { ...(metadata ?? {}) };
    Object.defineProperty(meta, CHECKSUM_KEY, { value: crcHex(crc), enumerable: true, writable: true, configurable: true });
  }
  const parts: string[] = [];
  if (meta !== undefined) {
    const m = meta;
    const entries = Object.keys(m).map((k) => {
      const v = m[k];
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
  const header = new TextEncoder().encode(`{${parts.join(",")}}`);
  const padded = Math.ceil(header.length / 8) * 8;
  if (padded > MAX_HEADER_BYTES) fail(`header of ${padded} bytes exceeds the ${MAX_HEADER_BYTES}-byte limit`);
  const head = new Uint8Array(8 + padded).fill(0x20, 8);
  new DataView(head.buffer).setBigUint64(0, BigInt(padded), true);
  head.set(header, 8);
  return [head, ...data.filter((d) => d.length > 0)];
}

/** The whole file in one buffer. */
export function encodeSafetensors(tensors: Record<string, RawTensor>, metadata?: Record<string, string>, opts: { checksum?: boolean } = {}): Uint8Array {
  const parts = encodeSafetensorsParts(tensors, metadata, opts);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let pos = 0;
  for (const p of parts) {
    out.set(p, pos);
    pos += p.length;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------- checksum

let crcTable: Uint32Array | undefined;
type Crc32Fn = (data: Uint8Array, value?: number) => number;
/** zlib's CRC-32 where Node has it (20.15+), a table-driven one otherwise; both are the same function. */
const nativeCrc32 = (zlib as unknown as { crc32?: Crc32Fn }).crc32;

export function crc32(data: Uint8Array, previous = 0): number {
  if (nativeCrc32 !== undefined) return nativeCrc32(data, previous);
  if (crcTable === undefined) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  const table = crcTable;
  let c = ~previous >>> 0;
  for (let i = 0; i < data.length; i++) c = table[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

const crcHex = (crc: number): string => (crc >>> 0).toString(16).padStart(8, "0");

// ---------------------------------------------------------------------------------------------- decode

type Entry = { name: string; dtype: FileDType; shape: number[]; begin: number; end: number };

/** Checks the 8-byte prefix against the file's length and returns the header length. */
function headerLengthOf(prefix: Uint8Array, fileLength: number): number {
  if (fileLength < 8) fail(`file is ${fileLength} bytes, too short for the 8-byte header length`);
  const n = new DataView(prefix.buffer, prefix.byteOffset, prefix.byteLength).getBigUint64(0, true);
  if (n > BigInt(MAX_HEADER_BYTES)) fail(`header length ${n} exceeds the ${MAX_HEADER_BYTES}-byte limit`);
  const headerLength = Number(n);
  if (8 + headerLength > fileLength) {
    fail(`header length ${headerLength} runs past the end of the file (${fileLength} bytes)`);
  }
  return headerLength;
}

function parseHeader(bytes: Uint8Array): JsonObject {
  let text: string;
  try {
    // ignoreBOM keeps a BOM in the text, where the JSON parser rejects it (as the reference does).
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
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
  return parsed;
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

/** A request of the read plan: fill `buf` with the file's bytes from position `pos`. */
export type ReadRequest = { buf: Uint8Array; pos: number };

/**
 * Decoding as a plan of reads, so that a file is read piece by piece (header first, then each tensor into its
 * own buffer) and everything about sizes is checked against the file's length before the data is read:
 * no read is ever larger than the file says, and no single buffer holds the whole file. The driver answers
 * each yielded request by filling its buffer completely (or throws).
 */
export function* safetensorsReadPlan(fileLength: number): Generator<ReadRequest, DecodedSafetensors, void> {
  const prefix = new Uint8Array(8);
  if (fileLength >= 8) yield { buf: prefix, pos: 0 };
  const headerLength = headerLengthOf(prefix, fileLength);
  const headerBytes = new Uint8Array(headerLength);
  yield { buf: headerBytes, pos: 8 };
  const header = parseHeader(headerBytes);
  const dataStart = 8 + headerLength;
  const dataLength = fileLength - dataStart;
  let metadata: Record<string, string> = {};
  const entries: Entry[] = [];
  for (const [name, value] of header.entries) {
    if (name === METADATA_KEY) metadata = readMetadata(value);
    else entries.push(readEntry(name, value, dataLength));
  }
  const sorted = sortAndCheckCoverage(entries, dataLength);
  const expected = Object.prototype.hasOwnProperty.call(metadata, CHECKSUM_KEY) ? metadata[CHECKSUM_KEY] : undefined;
  if (expected !== undefined && !/^[0-9a-f]{8}$/.test(expected)) fail(`metadata ${quote(CHECKSUM_KEY)} is not 8 hex digits`);
  let crc = 0;
  const tensors: Record<string, RawTensor> = {};
  for (const e of sorted) {
    const bytes = new Uint8Array(e.end - e.begin);
    if (bytes.length > 0) yield { buf: bytes, pos: dataStart + e.begin };
    if (expected !== undefined) crc = crc32(bytes, crc);
    let storage: { dtype: DType; data: TypedArray };
    try {
      storage = bytesToStorage(e.dtype, bytes, true);
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
  if (expected !== undefined && crcHex(crc) !== expected) {
    fail(`the data does not match its checksum (CRC-32 ${crcHex(crc)}, the header says ${expected}): the file was changed while being read, or is damaged`);
  }
  return { tensors, metadata };
}

export function decodeSafetensors(bytes: Uint8Array): DecodedSafetensors {
  if (!(bytes instanceof Uint8Array)) fail("input must be a Uint8Array");
  const plan = safetensorsReadPlan(bytes.length);
  for (let step = plan.next(); ; ) {
    if (step.done) return step.value;
    const { buf, pos } = step.value;
    buf.set(bytes.subarray(pos, pos + buf.length));
    step = plan.next();
  }
}
