/**
 * The recording layer: while compile runs a function eagerly for the first time with a signature, every kernel
 * call goes through a wrapper of the backend (generic over the kernel registry), every storage allocation
 * through the allocator's hook, and the hooks of ./hooks.ts report value reads, random fills, host steps
 * (optimizer and scheduler steps), gradient assignments and module calls.
 */
import { B, swapBackend } from "../backend/index";
import { setAllocationHook } from "../backend/storage";
import type { Backend, TypedArray, View } from "../backend/types";
import { defaultGenerator, type GeneratorState } from "../random/index";
import type { Tensor } from "../tensor";
import { compileHooks, type RecorderHooks } from "./hooks";
import { KERNEL_ACCESS, type Written } from "./kernel-access";
import { type ArrayCtor, type BufferInfo, type GuardedModule, type HostStep, type KernelStep, type ModuleGuard, type Origin, type Recording, Slot, type Step } from "./recording";

const isTypedArray = (x: unknown): x is TypedArray => ArrayBuffer.isView(x) && !(x instanceof DataView);

const bytesOf = (buffer: ArrayBufferLike): Uint8Array => new Uint8Array(buffer);

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Whether a write through `w` overwrites its whole buffer (so nothing written before it can be read after). */
function coversBuffer(w: Written): boolean {
  const arr = isTypedArray(w) ? w : w.data;
  if (arr.byteOffset !== 0 || arr.byteLength !== arr.buffer.byteLength) return false;
  if (isTypedArray(w)) return true;
  const v = w as View;
  if (v.offset !== 0) return false;
  let expected = 1;
  for (let d = v.shape.length - 1; d >= 0; d--) {
    if (v.shape[d] !== 1 && v.strides[d] !== expected) return false;
    expected *= v.shape[d];
  }
  return expected === arr.length;
}

const arrayOf = (w: Written): TypedArray => (isTypedArray(w) ? w : w.data);

function sameGeneratorState(a: GeneratorState, b: GeneratorState): boolean {
  if (a.left !== b.left || a.next !== b.next) return false;
  for (let i = 0; i < a.mt.length; i++) if (a.mt[i] !== b.mt[i]) return false;
  return true;
}

export class CompileError extends Error {}

export class Recorder implements RecorderHooks {
  readonly steps: Step[] = [];
  private readonly infos = new Map<ArrayBufferLike, BufferInfo>();
  private readonly allocated = new Set<ArrayBufferLike>();
  private readonly pinnedAllocs = new Set<ArrayBufferLike>();
  private hostDepth = 0;
  private readonly modules = new Map<GuardedModule, ModuleGuard>();
  private readonly gradGuards = new Map<Tensor, Tensor | null>();
  private readonly gradAssignedInCall = new Set<Tensor>();
  private readonly leaves = new Set<Tensor>();
  private genState: GeneratorState;
  private real: Backend | null = null;
  private prevAlloc: ReturnType<typeof setAllocationHook> = null;

  constructor(inputs: readonly (Tensor | null)[]) {
    inputs.forEach((t, i) => {
      if (t !== null && !this.infos.has(t._data.buffer)) this.register(t._data.buffer, "input", i, t._data);
    });
    this.genState = defaultGenerator.getState();
  }

  /** Starts listening: the backend wrapped, the allocator hooked, the hooks pointed here. */
  start(): void {
    if (compileHooks.recorder !== null) throw new CompileError("compile: a compiled function cannot be called while another one is being recorded");
    this.real = B;
    swapBackend(this.wrap(B));
    this.prevAlloc = setAllocationHook((data) => {
      this.allocated.add(data.buffer);
      if (this.hostDepth > 0) this.pinnedAllocs.add(data.buffer);
    });
    compileHooks.recorder = this;
  }

  stop(): void {
    compileHooks.recorder = null;
    setAllocationHook(this.prevAlloc);
    if (this.real !== null) swapBackend(this.real);
  }

  private wrap(real: Backend): Backend {
    const w: Record<string, unknown> = { ...real };
    for (const [name, v] of Object.entries(real)) {
      if (typeof v !== "function" || name === "setNumThreads" || name === "getNumThreads") continue;
      const fn = v as (...a: unknown[]) => unknown;
      w[name] = (...args: unknown[]) => this.kernel(name, fn, real, args);
    }
    return w as unknown as Backend;
  }

  private register(buffer: ArrayBufferLike, origin: Origin, inputIndex = -1, inputData: TypedArray | null = null): BufferInfo {
    const info: BufferInfo = {
      id: this.infos.size, buffer, origin, inputIndex, inputData,
      pinned: this.pinnedAllocs.has(buffer), firstTouch: -1, lastTouch: -1, initBytes: null, written: false, lastBytes: null,
    };
    this.infos.set(buffer, info);
    return info;
  }

  private infoOf(arr: TypedArray): BufferInfo {
    return this.infos.get(arr.buffer) ?? this.register(arr.buffer, this.allocated.has(arr.buffer) ? "call" : "before");
  }

  private pin(arr: TypedArray): void {
    const info = this.infoOf(arr);
    info.pinned = true;
    info.lastBytes = null;
  }

  /** The argument tree with typed arrays replaced by slots; `found` collects the typed arrays. */
  private template(x: unknown, found: TypedArray[]): unknown {
    if (isTypedArray(x)) {
      found.push(x);
      const info = this.infoOf(x);
      return new Slot(info, x.byteOffset, x.length, x.constructor as ArrayCtor, x);
    }
    if (Array.isArray(x)) return x.map((e) => this.template(e, found));
    if (x !== null && typeof x === "object") {
      const proto = Object.getPrototypeOf(x) as unknown;
      if (proto !== Object.prototype && proto !== null) {
        throw new CompileError(`compile: a kernel was handed a ${(x as object).constructor.name}, which compile cannot record`);
      }
      const o: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(x)) o[k] = this.template(v, found);
      return o;
    }
    if (typeof x === "function") throw new CompileError("compile: a kernel was handed a function, which compile cannot record");
    return x;
  }

  /** Before a step reads (or partly writes) a buffer: keep the bytes JavaScript put there, check none came since. */
  private beforeRead(info: BufferInfo, stepName: string): void {
    if (info.origin !== "call" || info.pinned) return;
    if (info.firstTouch === -1) {
      info.initBytes = bytesOf(info.buffer).slice();
      return;
    }
    if (info.lastBytes !== null && !sameBytes(info.lastBytes, bytesOf(info.buffer))) {
      throw new CompileError(
        `compile: a tensor's storage was changed in JavaScript, outside the kernels, before the kernel ${stepName}; compile cannot record that write`,
      );
    }
  }

  private touch(info: BufferInfo, step: number): void {
    if (info.firstTouch === -1) info.firstTouch = step;
    info.lastTouch = step;
  }

  private afterWrite(info: BufferInfo): void {
    info.written = true;
    if (info.origin === "call" && !info.pinned) info.lastBytes = bytesOf(info.buffer).slice();
  }

  kernel(name: string, fn: (...a: unknown[]) => unknown, self: object, args: unknown[]): unknown {
    if (this.hostDepth > 0) {
      const found: TypedArray[] = [];
      this.template(args, found);
      for (const a of found) this.pin(a);
      return fn.apply(self, args);
    }
    const found: TypedArray[] = [];
    const tmpl = this.template(args, found) as unknown[];
    const access = KERNEL_ACCESS[name]?.(args) ?? null;
    const written = new Set<BufferInfo>();
    if (access === null) for (const a of found) written.add(this.infoOf(a));
    else {
      for (const w of access.update) written.add(this.infoOf(arrayOf(w)));
      for (const w of access.pure) {
        written.add(this.infoOf(arrayOf(w)));
      }
    }
    // Read: every typed array not handed as an output, and outputs that do not cover their buffer (the rest of
    // it keeps what was there). An array handed both as an output and as an input (in-place) is read.
    const reads = new Set<BufferInfo>();
    const pureCount = new Map<TypedArray, number>();
    if (access !== null) {
      for (const w of access.pure) {
        pureCount.set(arrayOf(w), (pureCount.get(arrayOf(w)) ?? 0) + 1);
        if (!coversBuffer(w)) reads.add(this.infoOf(arrayOf(w)));
      }
    }
    const seen = new Map<TypedArray, number>();
    for (const a of found) seen.set(a, (seen.get(a) ?? 0) + 1);
    for (const [a, n] of seen) if (n > (pureCount.get(a) ?? 0)) reads.add(this.infoOf(a));
    const index = this.steps.length;
    for (const info of reads) this.beforeRead(info, name);
    for (const a of found) this.touch(this.infoOf(a), index);
    const result = fn.apply(self, args);
    for (const info of written) this.afterWrite(info);
    const step: KernelStep = { kind: "kernel", name, fn, self, args: tmpl, reads, writes: written };
    this.steps.push(step);
    return result;
  }

  valueRead(what: string): void {
    if (this.hostDepth > 0) return;
    throw new CompileError(
      `compile: ${what} reads a tensor's value while compile() records the function. Control flow may not depend on tensor values: return the tensor from the compiled function and read it there instead.`,
    );
  }

  gradAssigned(t: object): void {
    this.gradAssignedInCall.add(t as Tensor);
    this.leaves.add(t as Tensor);
  }

  /** The first use of a leaf's .grad in the call, if nothing reassigned it before: a guard on that .grad. */
  private useGrad(t: Tensor): void {
    this.leaves.add(t);
    if (!this.gradAssignedInCall.has(t) && !this.gradGuards.has(t)) this.gradGuards.set(t, t._grad);
  }

  leafAccumulate(t: object): void {
    if (this.hostDepth > 0) return;
    this.useGrad(t as Tensor);
    this.gradAssignedInCall.add(t as Tensor);
  }

  moduleCalled(m: object): void {
    const mod = m as GuardedModule;
    if (this.modules.has(mod)) return;
    const tensors = [...mod._parameters.values(), ...mod._buffers.values()];
    this.modules.set(mod, { training: mod.training, tensors, storages: tensors.map((t) => (t === null ? null : t._data)) });
  }

  hostStep(owner: object, run: () => void): void {
    if (this.hostDepth > 0) return run();
    const grads: [Tensor, Tensor | null][] = [];
    // An optimizer's step reads its parameters' .grad: restored before it runs at replay.
    const groups = (owner as { paramGroups?: unknown }).paramGroups;
    if (Array.isArray(groups) && (owner as { state?: unknown }).state instanceof Map) {
      for (const g of groups as { params: Tensor[] }[]) {
        for (const p of g.params) {
          this.useGrad(p);
          grads.push([p, p._grad]);
          if (p._grad !== null) this.pin(p._grad._data);
        }
      }
    }
    this.hostDepth++;
    try {
      run();
    } finally {
      this.hostDepth--;
    }
    const step: HostStep = { kind: "host", run, grads };
    this.steps.push(step);
  }

  randomFill(out: TypedArray, draw: (out: TypedArray) => void): void {
    if (this.hostDepth > 0) {
      this.pin(out);
      return draw(out);
    }
    if (!sameGeneratorState(this.genState, defaultGenerator.getState())) throw this.unrecordedDraw();
    const info = this.infoOf(out);
    const slot = new Slot(info, out.byteOffset, out.length, out.constructor as ArrayCtor, out);
    const index = this.steps.length;
    if (!coversBuffer(out)) this.beforeRead(info, "random fill");
    this.touch(info, index);
    draw(out);
    this.afterWrite(info);
    this.genState = defaultGenerator.getState();
    this.steps.push({ kind: "random", out: slot, draw });
  }

  private unrecordedDraw(): CompileError {
    return new CompileError(
      "compile: the function drew random numbers from the global generator through an operation compile cannot record (a replay would not draw them)",
    );
  }

  /** The recording, once fn has returned `outputs`' tensors. */
  finish(): Recording {
    if (!sameGeneratorState(this.genState, defaultGenerator.getState())) throw this.unrecordedDraw();
    const endGrads: [Tensor, Tensor | null][] = [];
    for (const t of this.leaves) {
      endGrads.push([t, t._grad]);
      if (t._grad !== null) this.pin(t._grad._data);
    }
    for (const info of this.infos.values()) info.lastBytes = null;
    return {
      steps: this.steps,
      buffers: [...this.infos.values()],
      guards: { modules: this.modules, grads: this.gradGuards, leafStorages: new Map([...this.leaves].map((t) => [t, t._data])) },
      endGrads,
    };
  }

  /** The buffer record of a returned tensor's storage. */
  bufferOf(arr: TypedArray): BufferInfo {
    return this.infoOf(arr);
  }
}
