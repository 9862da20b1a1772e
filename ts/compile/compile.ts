/**
 * compile(fn): the first call with a signature runs fn eagerly through the recorder; later calls with that
 * signature, whose guards hold, replay the plan. See docs/COMPILE.md for what is read at each replay and what
 * is part of the signature.
 */
import { getBackend, getNumThreads } from "../backend/index";
import { gradMode } from "../autograd/grad-mode";
import { Tensor } from "../tensor";
import { Plan, type OutputSpec, type PlanStats } from "./plan";
import { CompileError, Recorder, optimizerFingerprint } from "./recorder";
import type { ArrayCtor, GuardSet } from "./recording";

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
  readonly key: string;
  readonly guards: GuardSet;
  readonly plan: Plan;
  readonly shape: OutShape;
  lastUse: number;
}

function argKey(a: unknown, i: number, seen: Map<ArrayBufferLike, number>): string {
  if (a instanceof Tensor) {
    if (a.requiresGrad) throw new CompileError(`compile: argument ${i} requires grad; compiled functions take inputs that do not (parameters are read from the modules and tensors fn uses)`);
    const alias = seen.get(a._data.buffer);
    if (alias === undefined) seen.set(a._data.buffer, i);
    return `T${a.dtype}[${a.shape.join(",")}]s${a.strides.join(",")}o${a.offset}n${a._data.length}b${a._data.byteOffset}${alias === undefined ? "" : `=${alias}`}`;
  }
  if (a === undefined || a === null || typeof a === "number" || typeof a === "string" || typeof a === "boolean") return `${typeof a}:${String(a)}`;
  throw new CompileError(`compile: argument ${i} is a ${typeof a === "object" ? (a as object).constructor?.name ?? "object" : typeof a}; compiled functions take tensors, numbers, strings and booleans`);
}

function guardsHold(g: GuardSet): boolean {
  for (const [m, training] of g.modules) if ((m as { training: boolean }).training !== training) return false;
  for (const [t, grad] of g.grads) if (t._grad !== grad) return false;
  for (const [o, fp] of g.optimizers) if (optimizerFingerprint(o) !== fp) return false;
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

  const record = (key: string, args: A, inputs: (Tensor | null)[]): R => {
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
    entries.push({ key, guards: recording.guards, plan: new Plan(recording, outputs), shape, lastUse: ++clock });
    stats.recordings++;
    return result;
  };

  const compiled = (...args: A): R => {
    const seen = new Map<ArrayBufferLike, number>();
    const key = [getBackend(), getNumThreads(), gradMode.enabled ? "grad" : "nograd", ...args.map((a, i) => argKey(a, i, seen))].join("|");
    const inputs = args.map((a) => (a instanceof Tensor ? a : null));
    for (const e of entries) {
      if (e.key !== key || !guardsHold(e.guards)) continue;
      e.lastUse = ++clock;
      const out = e.plan.run(inputs);
      stats.replays++;
      return rebuild(e.shape, out) as R;
    }
    return record(key, args, inputs);
  };
  Object.defineProperty(compiled, "stats", { get: (): CompileStats => ({ ...stats }), enumerable: true });
  // @internal The kept plans' sizes (steps, dropped steps, arena bytes), for tests and the bench's notes.
  Object.defineProperty(compiled, "_plans", { get: (): PlanStats[] => entries.map((e) => e.plan.stats), enumerable: false });
  return compiled as CompiledFunction<A, R>;
}
