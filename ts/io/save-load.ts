/**
 * The public save/load: Tensors ↔ safetensors files. Files are laid out as Python's safetensors lays
 * them out (so equal tensors give equal bytes); load returns tensors in the file's data order, as
 * Python's load_file does. Writes are atomic: a failed save leaves any previous file untouched.
 */
import type { TypedArray } from "../backend/types";
import { Tensor } from "../tensor";
import { readFileBytes, readFileBytesSync, writeFileAtomic, writeFileAtomicSync } from "./checkpoint-file";
import { decodeSafetensors, encodeSafetensors, type RawTensor } from "./safetensors-codec";

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

function toRaw(tensors: Record<string, Tensor>): Record<string, RawTensor> {
  if (tensors === null || typeof tensors !== "object") throw new TypeError("save expects an object of named tensors");
  const raw: Record<string, RawTensor> = {};
  for (const name of Object.keys(tensors)) {
    const t = tensors[name];
    if (!(t instanceof Tensor)) throw new TypeError(`save: the value for ${JSON.stringify(name)} is not a Tensor`);
    Object.defineProperty(raw, name, {
      value: { dtype: t.dtype, shape: [...t.shape], data: logicalValues(t) },
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return raw;
}

function fromBytes(bytes: Uint8Array, path: string): Record<string, Tensor> {
  let decoded: ReturnType<typeof decodeSafetensors>;
  try {
    decoded = decodeSafetensors(bytes);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    throw new Error(`${message} (in "${path}")`, { cause: e });
  }
  const out: Record<string, Tensor> = {};
  for (const [name, r] of Object.entries(decoded.tensors)) {
    Object.defineProperty(out, name, {
      value: new Tensor(r.data, r.shape, r.dtype),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

/** Saves tensors to a safetensors file, atomically. Non-contiguous tensors are saved by their values. */
export async function save(tensors: Record<string, Tensor>, path: string): Promise<void> {
  await writeFileAtomic(path, encodeSafetensors(toRaw(tensors)));
}

export function saveSync(tensors: Record<string, Tensor>, path: string): void {
  writeFileAtomicSync(path, encodeSafetensors(toRaw(tensors)));
}

/** Loads a safetensors file (from tensorgrad or PyTorch); int64/float16/bfloat16/... are converted. */
export async function load(path: string): Promise<Record<string, Tensor>> {
  return fromBytes(await readFileBytes(path), path);
}

export function loadSync(path: string): Record<string, Tensor> {
  return fromBytes(readFileBytesSync(path), path);
}
