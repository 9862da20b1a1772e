/**
 * From a recording to a replayable plan: each buffer gets a role (an input, kept as it is, a fresh output per
 * call, or a temporary placed in one arena by liveness), work whose results nobody reads is dropped, and every
 * kernel's arguments are built once — only the slots over inputs and outputs are rebound at each replay.
 */
import type { DType, TypedArray } from "../backend/types";
import { Tensor } from "../tensor";
import type { ArrayCtor, BufferInfo, Recording, Step } from "./recording";
import { Slot } from "./recording";

type Role = "input" | "keep" | "output" | "temp";

/** Byte alignment of each temporary in the arena (a cache line; enough for every element type). */
const ALIGN = 64;

/** A returned tensor, as the plan rebuilds it. */
export interface OutputSpec {
  readonly buf: BufferInfo;
  readonly byteOffset: number;
  readonly length: number;
  readonly ctor: ArrayCtor;
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly offset: number;
  readonly dtype: DType;
  /** The storage as recorded (for outputs that alias kept state, copied out at each replay). */
  readonly array: TypedArray;
}

/** Where each dynamic slot is written in the prebuilt arguments. */
interface Patch {
  readonly slot: Slot;
  readonly holder: Record<string | number, unknown>;
  readonly key: string | number;
}

export interface PlanStats {
  readonly steps: number;
  readonly dropped: number;
  readonly arenaBytes: number;
  readonly temporaryBytes: number;
}

export class Plan {
  private readonly ops: (() => void)[] = [];
  private readonly patches: Patch[] = [];
  private readonly outputBufs: BufferInfo[] = [];
  /** Per replay: the fresh buffer of each output, by buffer id. */
  private readonly current = new Map<number, ArrayBuffer>();
  private inputs: readonly (Tensor | null)[] = [];
  readonly stats: PlanStats;

  /** Each leaf's .grad as the recording left it (the plan keeps nothing else of the recording). */
  private readonly endGrads: Recording["endGrads"];

  constructor(
    rec: Recording,
    private readonly outputs: readonly OutputSpec[],
  ) {
    this.endGrads = rec.endGrads;
    const outputSet = new Set(outputs.map((o) => o.buf));
    const role = new Map<BufferInfo, Role>();
    for (const b of rec.buffers) role.set(b, roleOf(b, outputSet.has(b)));
    const keep = liveSteps(rec.steps, role);

    // Liveness of temporaries over the kept steps, then first-fit placement in one arena.
    const first = new Map<BufferInfo, number>();
    const last = new Map<BufferInfo, number>();
    rec.steps.forEach((s, i) => {
      if (!keep[i]) return;
      for (const b of touched(s)) {
        if (!first.has(b)) first.set(b, i);
        last.set(b, i);
      }
    });
    const temps = [...first.keys()].filter((b) => role.get(b) === "temp").sort((a, b) => first.get(a)! - first.get(b)!);
    const place = new Map<BufferInfo, number>();
    const placed: { start: number; end: number; lastUse: number }[] = [];
    let arenaBytes = 0;
    let temporaryBytes = 0;
    for (const t of temps) {
      const size = Math.ceil(t.buffer.byteLength / ALIGN) * ALIGN;
      temporaryBytes += size;
      const live = placed.filter((p) => p.lastUse >= first.get(t)!).sort((a, b) => a.start - b.start);
      let at = 0;
      for (const p of live) {
        if (p.start - at >= size) break;
        at = Math.max(at, p.end);
      }
      place.set(t, at);
      placed.push({ start: at, end: at + size, lastUse: last.get(t)! });
      arenaBytes = Math.max(arenaBytes, at + size);
    }
    const arena = new ArrayBuffer(arenaBytes);

    const views = new Map<string, TypedArray>();
    const resolve = (slot: Slot): TypedArray => {
      const r = role.get(slot.buf)!;
      if (r === "keep") return slot.array;
      if (r !== "temp") return slot.array; // patched per replay
      const key = `${slot.buf.id}:${slot.byteOffset}:${slot.length}:${slot.ctor.name}`;
      let v = views.get(key);
      if (v === undefined) {
        v = new slot.ctor(arena, place.get(slot.buf)! + slot.byteOffset, slot.length);
        views.set(key, v);
      }
      return v;
    };
    const build = (x: unknown, holder: Record<string | number, unknown> | null, key: string | number): unknown => {
      if (x instanceof Slot) {
        const r = role.get(x.buf)!;
        if ((r === "input" || r === "output") && holder !== null) this.patches.push({ slot: x, holder, key });
        return resolve(x);
      }
      if (Array.isArray(x)) {
        const a: unknown[] = [];
        x.forEach((e, i) => (a[i] = build(e, a as unknown as Record<number, unknown>, i)));
        return a;
      }
      if (x !== null && typeof x === "object") {
        // A view built as an object literal, as Tensor._kv builds it, so kernels see one object shape.
        const o: Record<string, unknown> = isView(x) ? { data: null, dtype: null, offset: 0, shape: null, strides: null } : {};
        for (const [k, v] of Object.entries(x)) o[k] = build(v, o, k);
        return o;
      }
      return x;
    };

    const inited = new Set<BufferInfo>();
    let dropped = 0;
    rec.steps.forEach((s, i) => {
      if (!keep[i]) {
        dropped++;
        return;
      }
      // A buffer whose first use read bytes written in JavaScript (a scalar operand, zeros) gets them back first.
      for (const b of touched(s)) {
        if (inited.has(b)) continue;
        inited.add(b);
        const r = role.get(b)!;
        // Kept storages made in the call (a .grad assigned inside it) are reused by replays: they get them back too.
        if (b.initBytes !== null && b.origin === "call" && (r !== "keep" || b.written)) this.ops.push(this.initOp(b, r, r === "temp" ? place.get(b)! : 0, arena));
      }
      this.ops.push(this.stepOp(s, build));
    });
    for (const b of rec.buffers) if (role.get(b) === "output") this.outputBufs.push(b);
    this.stats = { steps: this.ops.length, dropped, arenaBytes, temporaryBytes };
  }

  private initOp(b: BufferInfo, r: Role, at: number, arena: ArrayBuffer): () => void {
    const bytes = b.initBytes!;
    if (r === "temp") {
      const dst = new Uint8Array(arena, at, bytes.length);
      return () => dst.set(bytes);
    }
    if (r === "keep") {
      const dst = new Uint8Array(b.buffer);
      return () => dst.set(bytes);
    }
    return () => new Uint8Array(this.current.get(b.id)!).set(bytes);
  }

  private stepOp(s: Step, build: (x: unknown, holder: Record<string | number, unknown> | null, key: string | number) => unknown): () => void {
    if (s.kind === "kernel") {
      const args = build(s.args, null, 0) as unknown[];
      const { fn, self } = s;
      return () => void fn.apply(self, args);
    }
    if (s.kind === "random") {
      const holder: Record<string, unknown> = {};
      holder.out = build(s.out, holder, "out");
      const draw = s.draw;
      return () => draw(holder.out as TypedArray);
    }
    const { run, grads } = s;
    return () => {
      for (const [p, g] of grads) p._grad = g;
      run();
    };
  }

  /** The typed array a slot over an input or output stands for in this replay. */
  private bind(slot: Slot): TypedArray {
    const b = slot.buf;
    if (b.origin === "input") {
      const now = this.inputs[b.inputIndex]!._data;
      if (slot.array === b.inputData) return now;
      return new slot.ctor(now.buffer, now.byteOffset + (slot.byteOffset - b.inputData!.byteOffset), slot.length);
    }
    return new slot.ctor(this.current.get(b.id)!, slot.byteOffset, slot.length);
  }

  /** Runs the plan on these inputs; returns the fresh output tensors, in the order of the specs. */
  run(inputs: readonly (Tensor | null)[]): Tensor[] {
    this.inputs = inputs;
    this.current.clear();
    for (const b of this.outputBufs) this.current.set(b.id, new ArrayBuffer(b.buffer.byteLength));
    try {
      for (const p of this.patches) p.holder[p.key] = this.bind(p.slot);
      const ops = this.ops;
      for (let i = 0; i < ops.length; i++) ops[i]();
      for (const [t, g] of this.endGrads) t._grad = g;
      return this.outputs.map((o) => this.outputTensor(o));
    } finally {
      this.inputs = [];
    }
  }

  private outputTensor(o: OutputSpec): Tensor {
    let data: TypedArray;
    if (this.current.has(o.buf.id)) data = new o.ctor(this.current.get(o.buf.id)!, o.byteOffset, o.length);
    else {
      // A returned tensor over kept state or an input: a copy, so the caller owns it.
      const src = o.buf.origin === "input" ? this.bind(new Slot(o.buf, o.byteOffset, o.length, o.ctor, o.array)) : o.array;
      data = src.slice();
    }
    return new Tensor(data, o.shape, o.dtype, o.strides, o.offset);
  }
}

const VIEW_KEYS = "data,dtype,offset,shape,strides";
const isView = (x: object): boolean => Object.keys(x).join(",") === VIEW_KEYS;

function roleOf(b: BufferInfo, isOutput: boolean): Role {
  if (b.origin === "input") return "input";
  if (b.origin === "before" || b.pinned) return "keep";
  if (isOutput) return "output";
  // Written only in JavaScript (a scalar operand, a constant tensor made inside the function): a constant.
  if (!b.written && b.initBytes !== null) return "keep";
  return "temp";
}

function touched(s: Step): Iterable<BufferInfo> {
  if (s.kind === "kernel") return new Set([...s.reads, ...s.writes]);
  if (s.kind === "random") return [s.out.buf];
  return [];
}

/** Which steps a replay runs: a step that writes only temporaries nobody reads later is dead. */
function liveSteps(steps: readonly Step[], role: ReadonlyMap<BufferInfo, Role>): boolean[] {
  const keep = new Array<boolean>(steps.length).fill(true);
  const needed = new Set<BufferInfo>();
  for (let i = steps.length - 1; i >= 0; i--) {
    const s = steps[i];
    if (s.kind !== "kernel") continue;
    let live = false;
    for (const b of s.writes) if (role.get(b) !== "temp" || needed.has(b)) live = true;
    keep[i] = live;
    if (live) for (const b of s.reads) if (role.get(b) === "temp") needed.add(b);
  }
  return keep;
}
