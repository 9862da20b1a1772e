/**
 * The public save/load: Tensors ↔ safetensors files. Files are laid out as Python's safetensors lays
 * them out (so equal tensors give equal bytes); load returns tensors in the file's data order, as
 * Python's load_file does. Writes are atomic: a failed save leaves any previous file untouched.
 */
import type { DType, TypedArray } from "../backend/types";
import { checkDType, isFloat } from "../dtype";
import { toDType } from "../ops/convert";
import { Tensor } from "../tensor";
import { readSafetensorsFile, readSafetensorsFileSync, writeFileAtomic, writeFileAtomicSync } from "./checkpoint-file";
import { type DecodedSafetensors, encodeSafetensorsParts, type RawTensor, SafetensorsError } from "./safetensors-codec";

/** The logical values of a (possibly strided, offset or expanded) tensor, contiguous, in row-major order. */
function logicalValues(t: Tensor): TypedArray {
  const n = t.numel();
  const src = t._data;
  if (t.isContiguous()) return src.subarray(t.offset, t.offset + n);
  const out = new (src.constructor as new (n: number) => TypedArray)(n);
  const { shape, strides } = t;
  const nd = shape.length;
  const index = new Array<number>(nd).fill(0);
  let pos = t.offset;
  for (let i = 0; i < n; i++) {
    out[i] = src[pos];
    // Odometer increment over the multi-index, moving pos by the strides.
    for (let d = nd - 1; d >= 0; d--) {
      if (++index[d] < shape[d]) {
        pos += strides[d];
        break;
      }
      index[d] = 0;
      pos -= strides[d] * (shape[d] - 1);
    }
  }
  return out;
}

/** `snapshot`: copy storage that logicalValues would only view, for writes that finish after the call returns. */
function toRaw(tensors: Record<string, Tensor>, snapshot: boolean): Record<string, RawTensor> {
  if (tensors === null || typeof tensors !== "object") throw new TypeError("save expects an object of named tensors");
  const raw: Record<string, RawTensor> = {};
  for (const name of Object.keys(tensors)) {
    const t = tensors[name];
    if (!(t instanceof Tensor)) throw new TypeError(`save: the value for ${JSON.stringify(name)} is not a Tensor`);
    Object.defineProperty(raw, name, {
      // An async save must hold the values as of the call even if training continues while it writes.
      value: { dtype: t.dtype, shape: [...t.shape], data: snapshot && t.isContiguous() ? logicalValues(t).slice() : logicalValues(t) },
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return raw;
}

function named(e: unknown, path: string): unknown {
  return e instanceof SafetensorsError ? new Error(`${e.message} (in "${path}")`, { cause: e }) : e;
}

export interface LoadOptions {
  /** Converts every floating-point tensor to this dtype as it is loaded (e.g. BF16 weights to "float32"); others keep theirs. */
  dtype?: DType;
}

function checkLoadOptions(opts: LoadOptions | undefined, fn: string): DType | undefined {
  if (opts === undefined) return undefined;
  if (opts === null || typeof opts !== "object") throw new TypeError(`${fn}(): options must be an object`);
  for (const k of Object.keys(opts)) {
    if (k !== "dtype") throw new TypeError(`${fn}() got an unexpected keyword argument '${k}' (accepted options: dtype)`);
  }
  if (opts.dtype === undefined) return undefined;
  const d = checkDType(opts.dtype);
  if (!isFloat(d)) throw new TypeError(`${fn}(): dtype must be a floating point dtype, but got ${d}`);
  return d;
}

function toTensors(decoded: DecodedSafetensors, dtype: DType | undefined): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  for (const [name, r] of Object.entries(decoded.tensors)) {
    const t = new Tensor(r.data, r.shape, r.dtype);
    Object.defineProperty(out, name, {
      value: dtype !== undefined && isFloat(t.dtype) && t.dtype !== dtype ? toDType(t, dtype) : t,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

/** Saves tensors to a safetensors file, atomically. Non-contiguous tensors are saved by their values. */
function checkPath(path: unknown, fn: string): void {
  if (typeof path !== "string") throw new TypeError(`${fn}(): argument 'path' must be str, not ${path === null ? "NoneType" : typeof path}`);
}

export async function save(tensors: Record<string, Tensor>, path: string): Promise<void> {
  checkPath(path, "save");
  await writeFileAtomic(path, encodeSafetensorsParts(toRaw(tensors, true)));
}

export function saveSync(tensors: Record<string, Tensor>, path: string): void {
  checkPath(path, "saveSync");
  writeFileAtomicSync(path, encodeSafetensorsParts(toRaw(tensors, false)));
}

/**
 * Loads a safetensors file (from tensorgrad or PyTorch). BF16/F16 load as bfloat16/float16 bit for bit;
 * int64/uint8/... as int32. `opts.dtype` converts the floating-point tensors on load.
 */
export async function load(path: string, opts?: LoadOptions): Promise<Record<string, Tensor>> {
  checkPath(path, "load");
  const dtype = checkLoadOptions(opts, "load");
  try {
    return toTensors(await readSafetensorsFile(path), dtype);
  } catch (e) {
    throw named(e, path);
  }
}

export function loadSync(path: string, opts?: LoadOptions): Record<string, Tensor> {
  checkPath(path, "loadSync");
  const dtype = checkLoadOptions(opts, "loadSync");
  try {
    return toTensors(readSafetensorsFileSync(path), dtype);
  } catch (e) {
    throw named(e, path);
  }
}
