/**
 * compile(fn): the first call with a signature runs fn eagerly through the recorder; later calls with that
 * signature, whose guards hold, replay the plan. See docs/COMPILE.md for what is read at each replay and what
 * is part of the signature.
 */
import { getBackend, getNumThreads } from "../backend/index";
import { gradMode } from "../autograd/grad-mode";
import { Tensor } from "../tensor";
import { Plan, type OutputSpec, type PlanStats } from "./plan";
import { CompileError, Recorder } from "./recorder";
import type { ArrayCtor, GuardSet, GuardedModule, ModuleGuard } from "./recording";

/** How many recordings a compiled function keeps; the least recently used goes first. */
export const MAX_RECORDINGS = 8;

export interface CompileStats {
  /** Calls that ran the function eagerly and recorded it. */
  readonly recordings: number;
  /** Calls that replayed a recording. */
  readonly replays: number;
}

export type CompiledFunction<A extends unknown[], R> = ((...args: A) => R) & { readonly stats: CompileStats };

/** A returned value's shape: tensors become output indices. */
type OutShape = { t: number } | { a: OutShape[] } | { o: [string, OutShape][] } | { v: null | undefined };

interface Entry {
  readonly backend: string;
  readonly threads: number;
  readonly grad: boolean;
  readonly args: readonly ArgSig[];
  readonly guards: GuardSet;
  readonly plan: Plan;
  readonly shape: OutShape;
  lastUse: number;
}

/** One argument as the signature sees it. */
type ArgSig =
  | { readonly tensor: true; readonly dtype: string; readonly shape: readonly number[]; readonly strides: readonly number[]; readonly offset: number; readonly length: number; readonly byteOffset: number; readonly alias: number }
  | { readonly tensor: false; readonly value: unknown };

function argSig(a: unknown, i: number, args: readonly unknown[]): ArgSig {
  if (a instanceof Tensor) {
    if (a.requiresGrad) throw new CompileError(`compile: argument ${i} requires grad; compiled functions take inputs that do not (parameters are read from the modules and tensors fn uses)`);
    const alias = args.findIndex((b) => b instanceof Tensor && b._data.buffer === a._data.buffer);
    return { tensor: true, dtype: a.dtype, shape: a.shape.slice(), strides: a.strides.slice(), offset: a.offset, length: a._data.length, byteOffset: a._data.byteOffset, alias };
  }
  if (a === undefined || a === null || typeof a === "number" || typeof a === "string" || typeof a === "boolean") return { tensor: false, value: a };
  throw new CompileError(`compile: argument ${i} is a ${typeof a === "object" ? (a as object).constructor?.name ?? "object" : typeof a}; compiled functions take tensors, numbers, strings and booleans`);
}

const sameList = (a: readonly number[], b: readonly number[]): boolean => {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
};

/** Whether the arguments have this signature (checked without building anything: it runs at every call). */
function argsMatch(sig: readonly ArgSig[], args: readonly unknown[]): boolean {
  if (sig.length !== args.length) return false;
  for (let i = 0; i < sig.length; i++) {
    const s = sig[i], a = args[i];
    if (!s.tensor) {
      if (a instanceof Tensor || !Object.is(a, s.value)) return false;
      continue;
    }
    if (!(a instanceof Tensor) || a.dtype !== s.dtype || a.offset !== s.offset || a._requiresGrad) return false;
    const d = a._data;
    if (d.length !== s.length || d.byteOffset !== s.byteOffset || !sameList(a.shape, s.shape) || !sameList(a.strides, s.strides)) return false;
    for (let j = 0; j < i; j++) {
      const b = args[j];
      if (b instanceof Tensor && b._data.buffer === d.buffer) {
        if (s.alias !== j) return false;
        break;
      }
    }
    if (s.alias !== i && (args[s.alias] as Tensor)._data.buffer !== d.buffer) return false;
  }
  return true;
}

/** Whether a module still has the training flag, parameters and buffers (and their storages) it was recorded with. */
function moduleHolds(m: GuardedModule, g: ModuleGuard): boolean {
  if (m.training !== g.training) return false;
  let i = 0;
  for (const members of [m._parameters, m._buffers]) {
    for (const t of members.values()) {
      if (t !== g.tensors[i] || (t !== null && t._data !== g.storages[i])) return false;
      i++;
    }
  }
  return i === g.tensors.length;
}

function guardsHold(g: GuardSet): boolean {
  for (const [m, mg] of g.modules) if (!moduleHolds(m, mg)) return false;
  for (const [t, grad] of g.grads) if (t._grad !== grad) return false;
  for (const [t, data] of g.leafStorages) if (t._data !== data) return false;
  return true;
}

function outShapeOf(x: unknown, tensors: Tensor[]): OutShape {
  if (x instanceof Tensor) {
    tensors.push(x);
    return { t: tensors.length - 1 };
  }
  if (x === null || x === undefined) return { v: x };
  if (Array.isArray(x)) return { a: x.map((e) => outShapeOf(e, tensors)) };
  if (typeof x === "object" && Object.getPrototypeOf(x) === Object.prototype) {
    return { o: Object.entries(x as Record<string, unknown>).map(([k, v]) => [k, outShapeOf(v, tensors)]) };
  }
  throw new CompileError(`compile: the function returned a ${typeof x}; a compiled function returns tensors (or arrays or plain objects of tensors)`);
}

function rebuild(s: OutShape, tensors: readonly Tensor[]): unknown {
  if ("t" in s) return tensors[s.t];
  if ("v" in s) return s.v;
  if ("a" in s) return s.a.map((e) => rebuild(e, tensors));
  return Object.fromEntries(s.o.map(([k, v]) => [k, rebuild(v, tensors)]));
}

/**
 * Records `fn` on its first call with a signature and replays the recording on later calls: same values, bit
 * for bit, as running fn eagerly on the same backend, without its per-op overhead or temporary allocations.
 */
export function compile<A extends unknown[], R>(fn: (...args: A) => R): CompiledFunction<A, R> {
  if (typeof fn !== "function") throw new TypeError(`compile(): argument 'fn' must be a function, not ${typeof fn}`);
  const entries: Entry[] = [];
  const stats = { recordings: 0, replays: 0 };
  let clock = 0;

  const record = (args: A, inputs: (Tensor | null)[]): R => {
    const sig = args.map((a, i) => argSig(a, i, args));
    const backend = getBackend(), threads = getNumThreads(), grad = gradMode.enabled;
    const rec = new Recorder(inputs);
    rec.start();
    let result: R;
    try {
      result = fn(...args);
    } finally {
      rec.stop();
    }
    const tensors: Tensor[] = [];
    const shape = outShapeOf(result, tensors);
    const recording = rec.finish();
    const outputs: OutputSpec[] = tensors.map((t) => {
      const d = t._data;
      return {
        buf: rec.bufferOf(d), byteOffset: d.byteOffset, length: d.length, ctor: d.constructor as ArrayCtor,
        shape: t.shape.slice(), strides: t.strides.slice(), offset: t.offset, dtype: t.dtype, array: d,
      };
    });
    if (entries.length >= MAX_RECORDINGS) {
      let oldest = 0;
      for (let i = 1; i < entries.length; i++) if (entries[i].lastUse < entries[oldest].lastUse) oldest = i;
      entries.splice(oldest, 1);
    }
    entries.push({ backend, threads, grad, args: sig, guards: recording.guards, plan: new Plan(recording, outputs), shape, lastUse: ++clock });
    stats.recordings++;
    return result;
  };

  const compiled = (...args: A): R => {
    const inputs = args.map((a) => (a instanceof Tensor ? a : null));
    const backend = getBackend(), threads = getNumThreads(), grad = gradMode.enabled;
    for (const e of entries) {
      if (e.backend !== backend || e.threads !== threads || e.grad !== grad || !argsMatch(e.args, args) || !guardsHold(e.guards)) continue;
      e.lastUse = ++clock;
      const out = e.plan.run(inputs);
      stats.replays++;
      return rebuild(e.shape, out) as R;
    }
    return record(args, inputs);
  };
  Object.defineProperty(compiled, "stats", { get: (): CompileStats => ({ ...stats }), enumerable: true });
  // @internal The kept plans' sizes (steps, dropped steps, arena bytes), for tests and the bench's notes.
  Object.defineProperty(compiled, "_plans", { get: (): PlanStats[] => entries.map((e) => e.plan.stats), enumerable: false });
  return compiled as CompiledFunction<A, R>;
}
