/**
 * Training checkpoints: a model's state dict, an optimizer's state dict, the step count and any extra JSON,
 * in one safetensors file, written atomically (a failed save leaves the previous checkpoint in place).
 *
 * Layout: tensors `model.<name>` (model.stateDict()) and `optimizer.state.<index>.<key>` (the optimizer's
 * tensor state, e.g. `optimizer.state.0.momentumBuffer`, `optimizer.state.3.expAvgSq`); everything else —
 * param groups (hyper-parameters and parameter indices), non-tensor state such as Adam's step counts, the
 * training step and `extra` — as JSON under the `__metadata__` key `tensorgrad.checkpoint`.
 */
import type { TypedArray } from "../backend/types";
import type { Module } from "../nn/module";
import type { Optimizer, OptimizerStateDict, ParamState } from "../optim/optimizer";
import { Tensor } from "../tensor";
import { readFileBytes, readFileBytesSync, writeFileAtomic, writeFileAtomicSync } from "./checkpoint-file";
import { decodeSafetensors, encodeSafetensors, type RawTensor } from "./safetensors-codec";

const META_KEY = "tensorgrad.checkpoint";
const FORMAT_VERSION = 1;

export interface CheckpointContents {
  model?: Module;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  optimizer?: Optimizer<any>;
  step?: number;
  extra?: unknown;
}

export interface LoadedCheckpoint {
  step: number | undefined;
  extra: unknown;
  /** The raw model tensors (without the `model.` prefix), for callers that pass no model. */
  modelState: Record<string, Tensor>;
}

type JsonState = Record<string, number | null | string | { $num: string }>;
interface CheckpointMeta {
  version: number;
  step?: number;
  extra?: unknown;
  hasModel: boolean;
  optimizer?: { paramGroups: unknown[]; state: Record<string, JsonState>; tensorKeys: Record<string, string[]> };
}

/** JSON cannot hold NaN or ±Infinity; they travel as {"$num": "..."}. */
function encodeNumber(v: number): number | { $num: string } {
  return Number.isFinite(v) ? v : { $num: String(v) };
}
function jsonReplacer(_k: string, v: unknown): unknown {
  return typeof v === "number" ? encodeNumber(v) : v;
}
function jsonReviver(_k: string, v: unknown): unknown {
  if (v !== null && typeof v === "object" && !Array.isArray(v)) {
    const keys = Object.keys(v);
    if (keys.length === 1 && keys[0] === "$num" && typeof (v as { $num: unknown }).$num === "string") {
      return Number((v as { $num: string }).$num);
    }
  }
  return v;
}

function defineKey<T>(obj: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

function rawOf(t: Tensor): RawTensor {
  const c = t.isContiguous() ? t : t.contiguous();
  const n = c.numel();
  // A copy: the file must hold the values as of the call even if training continues during an async write.
  const data = c._data.slice(c.offset, c.offset + n) as TypedArray;
  return { dtype: c.dtype, shape: [...c.shape], data };
}

function encodeCheckpoint(contents: CheckpointContents): Uint8Array {
  if (contents === null || typeof contents !== "object") throw new TypeError("saveCheckpoint expects { model, optimizer, step, extra }");
  const { model, optimizer, step, extra } = contents;
  if (step !== undefined && (typeof step !== "number" || !Number.isFinite(step))) {
    throw new TypeError(`saveCheckpoint: step must be a finite number, got ${String(step)}`);
  }
  const tensors: Record<string, RawTensor> = {};
  const meta: CheckpointMeta = { version: FORMAT_VERSION, hasModel: model !== undefined };
  if (step !== undefined) meta.step = step;
  if (extra !== undefined) meta.extra = extra;
  if (model !== undefined) {
    const sd = model.stateDict();
    for (const [k, t] of Object.entries(sd)) defineKey(tensors, `model.${k}`, rawOf(t));
  }
  if (optimizer !== undefined) {
    const sd = optimizer.stateDict() as OptimizerStateDict<object>;
    const state: Record<string, JsonState> = {};
    const tensorKeys: Record<string, string[]> = {};
    for (const [idx, s] of Object.entries(sd.state as Record<string, ParamState>)) {
      const js: JsonState = {};
      const tk: string[] = [];
      for (const [k, v] of Object.entries(s)) {
        if (v instanceof Tensor) {
          defineKey(tensors, `optimizer.state.${idx}.${k}`, rawOf(v));
          tk.push(k);
        } else if (v === null || typeof v === "number") {
          js[k] = v === null ? null : encodeNumber(v);
        } else {
          throw new TypeError(`saveCheckpoint: optimizer state ${idx}.${k} is neither a tensor, a number nor null`);
        }
      }
      state[idx] = js;
      tensorKeys[idx] = tk;
    }
    meta.optimizer = { paramGroups: sd.paramGroups, state, tensorKeys };
  }
  let json: string;
  try {
    json = JSON.stringify(meta, jsonReplacer);
  } catch (e) {
    throw new TypeError(`saveCheckpoint: extra is not JSON-serializable (${e instanceof Error ? e.message : String(e)})`);
  }
  return encodeSafetensors(tensors, { format: "pt", [META_KEY]: json });
}

function fail(path: string, message: string): never {
  throw new Error(`tensorgrad checkpoint "${path}": ${message}`);
}

function decodeCheckpoint(bytes: Uint8Array, path: string, into: CheckpointContents): LoadedCheckpoint {
  let decoded: ReturnType<typeof decodeSafetensors>;
  try {
    decoded = decodeSafetensors(bytes);
  } catch (e) {
    throw new Error(`tensorgrad checkpoint "${path}" is damaged: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  const metaJson = decoded.metadata[META_KEY];
  if (metaJson === undefined) fail(path, `not a tensorgrad checkpoint (no "${META_KEY}" entry in its metadata)`);
  let meta: CheckpointMeta;
  try {
    meta = JSON.parse(metaJson, jsonReviver) as CheckpointMeta;
  } catch (e) {
    fail(path, `its metadata is not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (meta === null || typeof meta !== "object" || meta.version !== FORMAT_VERSION) {
    fail(path, `unsupported checkpoint format version ${JSON.stringify((meta as { version?: unknown } | null)?.version)}`);
  }
  const byName = (name: string): Tensor | undefined => {
    if (!Object.prototype.hasOwnProperty.call(decoded.tensors, name)) return undefined;
    const r = decoded.tensors[name];
    return new Tensor(r.data, r.shape, r.dtype);
  };
  const modelState: Record<string, Tensor> = {};
  for (const name of Object.keys(decoded.tensors)) {
    if (name.startsWith("model.")) defineKey(modelState, name.slice("model.".length), byName(name) as Tensor);
  }
  const { model, optimizer } = into ?? {};
  // Everything is checked before anything is changed, so a checkpoint that does not fit leaves model and
  // optimizer as they were.
  if (model !== undefined) {
    if (!meta.hasModel) fail(path, "it holds no model state");
    const own = model.stateDict();
    const problems: string[] = [];
    const missing = Object.keys(own).filter((k) => !(k in modelState));
    const unexpected = Object.keys(modelState).filter((k) => !(k in own));
    if (missing.length > 0) problems.push(`missing keys ${missing.map((k) => JSON.stringify(k)).join(", ")}`);
    if (unexpected.length > 0) problems.push(`unexpected keys ${unexpected.map((k) => JSON.stringify(k)).join(", ")}`);
    for (const [k, t] of Object.entries(own)) {
      const src = modelState[k];
      if (src !== undefined && (src.shape.length !== t.shape.length || src.shape.some((d, i) => d !== t.shape[i]))) {
        problems.push(`size mismatch for ${k}: [${src.shape.join(", ")}] in the checkpoint, [${t.shape.join(", ")}] in the model`);
      }
    }
    if (problems.length > 0) fail(path, `it does not fit the model: ${problems.join("; ")}`);
  }
  if (optimizer !== undefined) {
    const o = meta.optimizer;
    if (o === undefined || !Array.isArray(o.paramGroups)) fail(path, "it holds no optimizer state");
    const groups = o.paramGroups as { params?: unknown }[];
    const ownGroups = optimizer.paramGroups;
    if (groups.length !== ownGroups.length || groups.some((g, i) => !Array.isArray(g?.params) || g.params.length !== ownGroups[i].params.length)) {
      fail(
        path,
        `its optimizer has ${groups.length} parameter group(s) of sizes [${groups.map((g) => (Array.isArray(g?.params) ? g.params.length : "?")).join(", ")}], ` +
          `this optimizer [${ownGroups.map((g) => g.params.length).join(", ")}]`,
      );
    }
  }
  if (model !== undefined) model.loadStateDict(modelState);
  if (optimizer !== undefined) {
    const o = meta.optimizer;
    if (o === undefined || !Array.isArray(o.paramGroups) || o.state === null || typeof o.state !== "object") {
      fail(path, "it holds no optimizer state");
    }
    const state: Record<number, ParamState> = {};
    for (const [idx, js] of Object.entries(o.state)) {
      const s: ParamState = {};
      for (const [k, v] of Object.entries(js)) {
        if (v !== null && typeof v !== "number") fail(path, `optimizer state ${idx}.${k} is not a number`);
        s[k] = v as number | null;
      }
      for (const k of o.tensorKeys?.[idx] ?? []) {
        const t = byName(`optimizer.state.${idx}.${k}`);
        if (t === undefined) fail(path, `tensor "optimizer.state.${idx}.${k}" is missing`);
        s[k] = t;
      }
      state[Number(idx)] = s;
    }
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    optimizer.loadStateDict({ state, paramGroups: o.paramGroups } as OptimizerStateDict<any>);
  }
  return { step: meta.step, extra: meta.extra, modelState };
}

/** Saves model, optimizer, step and extra JSON to one safetensors file, atomically. */
export async function saveCheckpoint(path: string, contents: CheckpointContents): Promise<void> {
  await writeFileAtomic(path, encodeCheckpoint(contents));
}

export function saveCheckpointSync(path: string, contents: CheckpointContents): void {
  writeFileAtomicSync(path, encodeCheckpoint(contents));
}

/** Restores model and optimizer (those given) from a checkpoint; returns its step and extra. */
export async function loadCheckpoint(path: string, into: CheckpointContents = {}): Promise<LoadedCheckpoint> {
  return decodeCheckpoint(await readFileBytes(path), path, into);
}

export function loadCheckpointSync(path: string, into: CheckpointContents = {}): LoadedCheckpoint {
  return decodeCheckpoint(readFileBytesSync(path), path, into);
}
