/**
 * Training checkpoints: a model's state dict, an optimizer's state dict, the step count and any extra JSON,
 * in one safetensors file, written atomically (a failed save leaves the previous checkpoint in place).
 *
 * Layout (docs/CHECKPOINTS.md): tensors `model.<name>` (model.stateDict()) and `optimizer.state.<index>.<key>` (the
 * optimizer's tensor state under PyTorch's names, e.g. `optimizer.state.0.momentum_buffer`,
 * `optimizer.state.3.exp_avg_sq`); everything else as JSON under the `__metadata__` key `tensorgrad.checkpoint`:
 * the training step, `extra`, and the optimizer's state dict as torch.optim spells it — `param_groups` with
 * PyTorch's option names and parameter indices, `state` with each tensor replaced by the name of the entry that
 * holds it — so that PyTorch can write and read these files with a few lines of Python.
 */
import type { TypedArray } from "../backend/types";
import { hasInternalOverlap } from "../memory-overlap";
import type { Module } from "../nn/module";
import type { Optimizer, OptimizerStateDict, ParamState } from "../optim/optimizer";
import { PYTORCH_OFF_ONLY_GROUP_KEYS, PYTORCH_ONLY_GROUP_KEYS, pytorchName, renameKeys, tensorgradName, withPyTorchNames } from "../optim/pytorch-names";
import { Tensor } from "../tensor";
import { readSafetensorsFile, readSafetensorsFileSync, writeFileAtomic, writeFileAtomicSync } from "./checkpoint-file";
import { type DecodedSafetensors, encodeSafetensorsParts, type RawTensor, SafetensorsError } from "./safetensors-codec";

const META_KEY = "tensorgrad.checkpoint";
/**
 * 3: PyTorch's names for the optimizer state dict, tensors referenced by name from `state`.
 * 2: exact JSON (tagged numbers, undefined and escaped "$" keys), camelCase names. 1 and 2 are still read.
 */
const FORMAT_VERSION = 3;

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

/** What version 3 writes under META_KEY (before exact-JSON encoding of param_groups, state and extra). */
interface CheckpointMetaV3 {
  version: 3;
  has_model: boolean;
  step?: number;
  extra?: unknown;
  optimizer?: { state: Record<string, Record<string, unknown>>; param_groups: unknown[] };
}

/** A state value as read from any version: a number, null, or the name of the tensor entry holding it. */
type StateRef = number | null | { tensor: string };

/** Any version's metadata, in tensorgrad's in-memory names. */
interface CheckpointMeta {
  version: number;
  step?: number;
  extra?: unknown;
  hasModel: boolean;
  optimizer?: { paramGroups: unknown[]; state: Record<string, Record<string, StateRef>> };
}

function defineKey<T>(obj: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

// ---------------------------------------------------------------------------------------------- exact JSON

/**
 * JSON that gives back exactly what was saved: NaN, ±Infinity and -0 travel as {"$num": "..."}, undefined as
 * {"$undef": 1}, and an object key that starts with "$" gets one more "$", so no saved object can be taken for a
 * tag. Anything JSON would change (Dates, Maps, class instances, functions, bigints, sparse arrays, cycles) is
 * refused with an error saying where it is.
 */
const MAX_DEPTH = 1000;

function keyPath(path: string, key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

function describeValue(v: unknown): string {
  if (typeof v === "bigint") return "a bigint";
  if (typeof v === "function") return "a function";
  if (typeof v === "symbol") return "a symbol";
  const name = (v as object).constructor?.name;
  return name ? `a ${name}` : "an object with a prototype";
}

function encodeExact(v: unknown, path: string, what: string, ancestors: Set<object>, depth = 0): unknown {
  const refuse = (why: string): never => {
    throw new TypeError(
      `saveCheckpoint: ${what}${path} is ${why}, which a checkpoint cannot hold exactly ` +
        "(plain objects, arrays, strings, numbers, booleans, null and undefined can be saved)",
    );
  };
  if (v === null || typeof v === "string" || typeof v === "boolean") return v;
  if (v === undefined) return { $undef: 1 };
  if (typeof v === "number") return Number.isFinite(v) && !Object.is(v, -0) ? v : { $num: Object.is(v, -0) ? "-0" : String(v) };
  if (typeof v !== "object") return refuse(describeValue(v));
  if (depth >= MAX_DEPTH) return refuse(`nested more than ${MAX_DEPTH} deep`);
  if (ancestors.has(v)) return refuse("a reference to itself (a cycle)");
  if (Object.getOwnPropertySymbols(v).length > 0) return refuse("an object with symbol keys");
  ancestors.add(v);
  try {
    if (Array.isArray(v)) {
      if (Object.keys(v).length !== v.length) {
        for (let i = 0; i < v.length; i++) if (!(i in v)) refuse(`a sparse array (no element ${i})`);
        refuse("an array with extra properties");
      }
      return v.map((x, i) => encodeExact(x, `${path}[${i}]`, what, ancestors, depth + 1));
    }
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) return refuse(describeValue(v));
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) {
      defineKey(out, k.startsWith("$") ? "$" + k : k, encodeExact((v as Record<string, unknown>)[k], keyPath(path, k), what, ancestors, depth + 1));
    }
    return out;
  } finally {
    ancestors.delete(v);
  }
}

const TAGGED_NUMBERS: Record<string, number> = { NaN: NaN, Infinity: Infinity, "-Infinity": -Infinity, "-0": -0 };

/** The inverse of encodeExact; a tree it could not have made is an Error (the caller reports the file as damaged). */
function decodeExact(v: unknown, depth = 0): unknown {
  if (v === null || typeof v !== "object") return v;
  if (depth > MAX_DEPTH + 8) throw new Error("its metadata is nested too deep");
  if (Array.isArray(v)) return v.map((x) => decodeExact(x, depth + 1));
  const keys = Object.keys(v);
  const o = v as Record<string, unknown>;
  if (keys.length === 1 && keys[0] === "$num") {
    if (typeof o.$num !== "string" || !Object.prototype.hasOwnProperty.call(TAGGED_NUMBERS, o.$num)) {
      throw new Error(`its metadata has an invalid number tag ${JSON.stringify(o.$num)}`);
    }
    return TAGGED_NUMBERS[o.$num];
  }
  if (keys.length === 1 && keys[0] === "$undef" && o.$undef === 1) return undefined;
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    if (k.startsWith("$") && !k.startsWith("$$")) throw new Error(`its metadata has an unknown tag ${JSON.stringify(k)}`);
    defineKey(out, k.startsWith("$") ? k.slice(1) : k, decodeExact(o[k], depth + 1));
  }
  return out;
}

/** Version 1 files: only non-finite numbers were tagged. */
function reviveV1(_k: string, v: unknown): unknown {
  if (v !== null && typeof v === "object" && !Array.isArray(v)) {
    const keys = Object.keys(v);
    if (keys.length === 1 && keys[0] === "$num" && typeof (v as { $num: unknown }).$num === "string") {
      return Number((v as { $num: string }).$num);
    }
  }
  return v;
}

// ---------------------------------------------------------------------------------------------- save

function rawOf(t: Tensor): RawTensor {
  const c = t.isContiguous() ? t : t.contiguous();
  const n = c.numel();
  // A copy: the file must hold the values as of the call even if training continues during an async write.
  const data = c._data.slice(c.offset, c.offset + n) as TypedArray;
  return { dtype: c.dtype, shape: [...c.shape], data };
}

function encodeCheckpoint(contents: CheckpointContents): Uint8Array[] {
  if (contents === null || typeof contents !== "object") throw new TypeError("saveCheckpoint expects { model, optimizer, step, extra }");
  const { model, optimizer, step, extra } = contents;
  if (step !== undefined && (typeof step !== "number" || !Number.isFinite(step))) {
    throw new TypeError(`saveCheckpoint: step must be a finite number, got ${String(step)}`);
  }
  const tensors: Record<string, RawTensor> = {};
  const meta: CheckpointMetaV3 = { version: FORMAT_VERSION, has_model: model !== undefined };
  if (step !== undefined) meta.step = step;
  if (extra !== undefined) meta.extra = encodeExact(extra, "", "extra", new Set());
  if (model !== undefined) {
    const sd = model.stateDict();
    for (const [k, t] of Object.entries(sd)) defineKey(tensors, `model.${k}`, rawOf(t));
  }
  if (optimizer !== undefined) {
    const sd = optimizer.stateDict() as OptimizerStateDict<object>;
    const state: Record<string, Record<string, unknown>> = {};
    for (const [idx, s] of Object.entries(sd.state as Record<string, ParamState>)) {
      const js: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(renameKeys(s, pytorchName, `saveCheckpoint: optimizer state ${idx}`))) {
        if (v instanceof Tensor) {
          const name = `optimizer.state.${idx}.${k}`;
          defineKey(tensors, name, rawOf(v));
          defineKey<unknown>(js, k, name);
        } else if (v === null || typeof v === "number") {
          defineKey<unknown>(js, k, v);
        } else {
          throw new TypeError(`saveCheckpoint: optimizer state ${idx}.${k} is neither a tensor, a number nor null`);
        }
      }
      defineKey(state, idx, js);
    }
    const groups = sd.paramGroups.map((g, i) => renameKeys(g as Record<string, unknown>, pytorchName, `saveCheckpoint: the optimizer's paramGroups[${i}]`));
    meta.optimizer = {
      state: encodeExact(state, "", "the optimizer's state", new Set()) as Record<string, Record<string, unknown>>,
      param_groups: encodeExact(groups, "", "the optimizer's paramGroups", new Set()) as unknown[],
    };
  }
  return encodeSafetensorsParts(tensors, { format: "pt", [META_KEY]: JSON.stringify(meta) }, { checksum: true });
}

// ---------------------------------------------------------------------------------------------- load

function fail(path: string, message: string): never {
  throw new Error(`tensorgrad checkpoint "${path}": ${message}`);
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

function parseMeta(json: string, path: string): CheckpointMeta {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (e) {
    fail(path, `its metadata is not valid JSON (${errorText(e)})`);
  }
  const version = isObject(raw) ? raw.version : undefined;
  if (version !== 1 && version !== 2 && version !== FORMAT_VERSION) fail(path, `unsupported checkpoint format version ${JSON.stringify(version)}`);
  let meta: unknown;
  try {
    meta = version === 1 ? JSON.parse(json, reviveV1) : decodeExact(raw);
  } catch (e) {
    fail(path, `is damaged: ${errorText(e)}`);
  }
  const m = meta as Record<string, unknown>;
  // Everything the loader relies on is checked here, so nothing later meets a value of the wrong type.
  const hasModel = version === FORMAT_VERSION ? m.has_model : m.hasModel;
  if (typeof hasModel !== "boolean") fail(path, `is damaged: its metadata has no ${version === FORMAT_VERSION ? "has_model" : "hasModel"} flag`);
  if (m.step !== undefined && (typeof m.step !== "number" || !Number.isFinite(m.step))) {
    fail(path, `is damaged: its step is ${JSON.stringify(m.step)}, not a number`);
  }
  const out: CheckpointMeta = { version, hasModel, step: m.step as number | undefined, extra: m.extra };
  if (m.optimizer !== undefined) {
    out.optimizer = version === FORMAT_VERSION ? optimizerV3(m.optimizer, path) : optimizerV2(m.optimizer, path);
  }
  return out;
}

/** Versions 1 and 2: camelCase names, tensor state listed in tensorKeys. */
function optimizerV2(o: unknown, path: string): NonNullable<CheckpointMeta["optimizer"]> {
  if (!isObject(o) || !Array.isArray(o.paramGroups) || !isObject(o.state) || !isObject(o.tensorKeys)) {
    fail(path, "is damaged: its optimizer section is malformed");
  }
  const state: Record<string, Record<string, StateRef>> = {};
  for (const [idx, keys] of Object.entries(o.tensorKeys)) {
    if (!Array.isArray(keys) || keys.some((k) => typeof k !== "string")) fail(path, `is damaged: tensor keys of optimizer state ${idx} are malformed`);
  }
  for (const [idx, js] of Object.entries(o.state)) {
    if (!isObject(js)) fail(path, `is damaged: optimizer state ${idx} is not an object`);
    const s: Record<string, StateRef> = {};
    for (const [k, v] of Object.entries(js)) {
      if (v !== null && typeof v !== "number") fail(path, `is damaged: optimizer state ${idx}.${k} is not a number`);
      defineKey<StateRef>(s, k, v);
    }
    const tk = Object.prototype.hasOwnProperty.call(o.tensorKeys, idx) ? (o.tensorKeys[idx] as string[]) : [];
    for (const k of tk) defineKey<StateRef>(s, k, { tensor: `optimizer.state.${idx}.${k}` });
    defineKey(state, idx, s);
  }
  return { paramGroups: o.paramGroups, state };
}

/** Version 3: PyTorch's state dict, each tensor replaced by the name of its entry; renamed to tensorgrad's keys. */
function optimizerV3(o: unknown, path: string): NonNullable<CheckpointMeta["optimizer"]> {
  if (!isObject(o) || !Array.isArray(o.param_groups) || !isObject(o.state)) fail(path, "is damaged: its optimizer section is malformed");
  const rename = <V>(obj: Record<string, V>, where: string): Record<string, V> => {
    try {
      return renameKeys(obj, tensorgradName, where);
    } catch (e) {
      return fail(path, `is damaged: ${errorText(e)}`);
    }
  };
  const paramGroups = o.param_groups.map((g, i) => {
    if (!isObject(g)) return g;
    const own: Record<string, unknown> = {};
    for (const k of Object.keys(g)) {
      if (Object.prototype.hasOwnProperty.call(PYTORCH_OFF_ONLY_GROUP_KEYS, k)) {
        if (g[k] !== PYTORCH_OFF_ONLY_GROUP_KEYS[k]) {
          fail(path, `its optimizer's param_groups[${i}] has ${k}=${JSON.stringify(g[k])}, which tensorgrad does not implement`);
        }
      } else if (!PYTORCH_ONLY_GROUP_KEYS.includes(k)) defineKey(own, k, g[k]);
    }
    return rename(own, `its optimizer's param_groups[${i}]`);
  });
  const state: Record<string, Record<string, StateRef>> = {};
  for (const [idx, js] of Object.entries(o.state)) {
    if (!isObject(js)) fail(path, `is damaged: optimizer state ${idx} is not an object`);
    const s: Record<string, StateRef> = {};
    for (const [k, v] of Object.entries(js)) {
      if (typeof v === "string") {
        // Only optimizer entries: a reference to a model tensor would alias the model's storage.
        if (!v.startsWith("optimizer.")) fail(path, `is damaged: optimizer state ${idx}.${k} names the tensor ${JSON.stringify(v)}, not an optimizer entry`);
        defineKey<StateRef>(s, k, { tensor: v });
      }
      else if (v === null || typeof v === "number") defineKey<StateRef>(s, k, v);
      else fail(path, `is damaged: optimizer state ${idx}.${k} is neither a number, null nor the name of a tensor`);
    }
    defineKey(state, idx, rename(s, `its optimizer state ${idx}`));
  }
  return { paramGroups, state };
}

/** Format errors become "is damaged"; file errors (missing, not a regular file, ...) pass through. */
function damaged(e: unknown, path: string): unknown {
  return e instanceof SafetensorsError ? new Error(`tensorgrad checkpoint "${path}" is damaged: ${e.message}`, { cause: e }) : e;
}

function restore(decoded: DecodedSafetensors, path: string, into: CheckpointContents): LoadedCheckpoint {
  const metaJson = Object.prototype.hasOwnProperty.call(decoded.metadata, META_KEY) ? decoded.metadata[META_KEY] : undefined;
  if (metaJson === undefined) fail(path, `not a tensorgrad checkpoint (no "${META_KEY}" entry in its metadata)`);
  const meta = parseMeta(metaJson, path);
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
  // Everything is decoded and checked before anything is changed, so a checkpoint that does not fit (or is
  // damaged in any section) leaves model and optimizer as they were.
  if (model !== undefined) {
    if (!meta.hasModel) fail(path, "it holds no model state");
    const own = model.stateDict();
    const has = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);
    const problems: string[] = [];
    const missing = Object.keys(own).filter((k) => !has(modelState, k));
    const unexpected = Object.keys(modelState).filter((k) => !has(own, k));
    if (missing.length > 0) problems.push(`missing keys ${missing.map((k) => JSON.stringify(k)).join(", ")}`);
    if (unexpected.length > 0) problems.push(`unexpected keys ${unexpected.map((k) => JSON.stringify(k)).join(", ")}`);
    for (const [k, t] of Object.entries(own)) {
      const src = has(modelState, k) ? modelState[k] : undefined;
      if (src !== undefined && (src.shape.length !== t.shape.length || src.shape.some((d, i) => d !== t.shape[i]))) {
        problems.push(`size mismatch for ${k}: [${src.shape.join(", ")}] in the checkpoint, [${t.shape.join(", ")}] in the model`);
      }
      if (hasInternalOverlap(t.shape, t.strides)) problems.push(`${k} cannot be written in place (its elements share memory)`);
    }
    if (problems.length > 0) fail(path, `it does not fit the model: ${problems.join("; ")}`);
  }
  let commitOptimizer: (() => void) | undefined;
  if (optimizer !== undefined) {
    const o = meta.optimizer;
    if (o === undefined) fail(path, "it holds no optimizer state");
    const groups = o.paramGroups as { params?: unknown }[];
    const ownGroups = optimizer.paramGroups;
    if (groups.length !== ownGroups.length || groups.some((g, i) => !Array.isArray(g?.params) || g.params.length !== ownGroups[i].params.length)) {
      fail(
        path,
        `its optimizer has ${groups.length} parameter group(s) of sizes [${groups.map((g) => (Array.isArray(g?.params) ? g.params.length : "?")).join(", ")}], ` +
          `this optimizer [${ownGroups.map((g) => g.params.length).join(", ")}]`,
      );
    }
    const state: Record<number, ParamState> = {};
    const used = new Set<string>();
    for (const [idx, refs] of Object.entries(o.state)) {
      const s: ParamState = {};
      for (const [k, v] of Object.entries(refs)) {
        if (v === null || typeof v === "number") {
          defineKey<unknown>(s, k, v);
          continue;
        }
        const t = byName(v.tensor);
        if (t === undefined) fail(path, `tensor ${JSON.stringify(v.tensor)} is missing`);
        used.add(v.tensor);
        // torch.optim keeps step counts (and NAdam's mu_product) as 0-d tensors; tensorgrad as numbers.
        const scalar = (k === "step" || k === "muProduct") && t.shape.length === 0;
        defineKey<unknown>(s, k, scalar ? t.item() : t);
      }
      defineKey(state as Record<string, ParamState>, idx, s);
    }
    const stray = Object.keys(decoded.tensors).find((n) => n.startsWith("optimizer.") && !used.has(n));
    if (stray !== undefined) fail(path, `is damaged: tensor ${JSON.stringify(stray)} belongs to no optimizer state`);
    try {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      commitOptimizer = optimizer._prepareLoad({ state, paramGroups: o.paramGroups } as OptimizerStateDict<any>);
    } catch (e) {
      const why = meta.version === FORMAT_VERSION ? withPyTorchNames(errorText(e)) : errorText(e);
      fail(path, `its optimizer state does not fit: ${why}`);
    }
  }
  if (model !== undefined) model.loadStateDict(modelState);
  commitOptimizer?.();
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
  let decoded: DecodedSafetensors;
  try {
    decoded = await readSafetensorsFile(path);
  } catch (e) {
    throw damaged(e, path);
  }
  return restore(decoded, path, into);
}

export function loadCheckpointSync(path: string, into: CheckpointContents = {}): LoadedCheckpoint {
  let decoded: DecodedSafetensors;
  try {
    decoded = readSafetensorsFileSync(path);
  } catch (e) {
    throw damaged(e, path);
  }
  return restore(decoded, path, into);
}
