/**
 * What a recording holds: the buffers a step touched (by storage identity) and the steps themselves, with
 * every typed array in a kernel's arguments replaced by a slot (buffer + byte offset + length + type).
 */
import type { Tensor } from "../tensor";
import type { TypedArray } from "../backend/types";

export type ArrayCtor = new (buffer: ArrayBufferLike, byteOffset: number, length: number) => TypedArray;

/** Where a buffer came from during the recorded call. */
export type Origin = "input" | "before" | "call";

export interface BufferInfo {
  readonly id: number;
  readonly buffer: ArrayBufferLike;
  readonly origin: Origin;
  /** For inputs: which argument, and its storage as recorded (slots are placed relative to it). */
  readonly inputIndex: number;
  readonly inputData: TypedArray | null;
  /** Kept as it is across replays: touched by a host step, a leaf's .grad, or allocated inside a host step. */
  pinned: boolean;
  /** The first recorded step that touched it, and the last. */
  firstTouch: number;
  lastTouch: number;
  /** Its bytes when its first touch read them (data written in JavaScript: a scalar operand, zeros). */
  initBytes: Uint8Array | null;
  /** Whether any recorded step wrote it. */
  written: boolean;
  /** Its bytes after the last recorded write, to catch writes made in JavaScript between kernels. */
  lastBytes: Uint8Array | null;
}

/** A typed array argument: a range of one buffer. */
export class Slot {
  constructor(
    readonly buf: BufferInfo,
    readonly byteOffset: number,
    readonly length: number,
    readonly ctor: ArrayCtor,
    /** The typed array the kernel was handed (kept for buffers that replays use as they are). */
    readonly array: TypedArray,
  ) {}
}

export interface KernelStep {
  readonly kind: "kernel";
  readonly name: string;
  readonly fn: (...args: unknown[]) => unknown;
  readonly self: object;
  /** The arguments, deep-copied, typed arrays replaced by slots. */
  readonly args: unknown[];
  readonly reads: ReadonlySet<BufferInfo>;
  readonly writes: ReadonlySet<BufferInfo>;
}

export interface RandomStep {
  readonly kind: "random";
  readonly out: Slot;
  readonly draw: (out: TypedArray) => void;
}

export interface HostStep {
  readonly kind: "host";
  readonly run: () => void;
  /** Each parameter's .grad when the step ran, restored before it runs at replay. */
  readonly grads: readonly (readonly [Tensor, Tensor | null])[];
}

export type Step = KernelStep | RandomStep | HostStep;

/** The parts of a module a recording depends on (the structural view of nn.Module that compile needs). */
export interface GuardedModule {
  readonly training: boolean;
  readonly _parameters: ReadonlyMap<string, Tensor | null>;
  readonly _buffers: ReadonlyMap<string, Tensor | null>;
}

export interface ModuleGuard {
  readonly training: boolean;
  /** Its own parameters then buffers, and each one's storage, as recorded (a rebound parameter records again). */
  readonly tensors: readonly (Tensor | null)[];
  readonly storages: readonly (TypedArray | null)[];
}

export interface GuardSet {
  /** Modules called, with their `training` flag and members. */
  readonly modules: ReadonlyMap<GuardedModule, ModuleGuard>;
  /** Leaves whose .grad the step used before reassigning it, and that .grad (identity). */
  readonly grads: ReadonlyMap<Tensor, Tensor | null>;
  /** Every leaf the step accumulated into or read the .grad of, and its storage (`p.data = t` records again). */
  readonly leafStorages: ReadonlyMap<Tensor, TypedArray>;
}

export interface Recording {
  readonly steps: readonly Step[];
  readonly buffers: readonly BufferInfo[];
  readonly guards: GuardSet;
  /** Each leaf's .grad when the call ended, set again after each replay. */
  readonly endGrads: readonly (readonly [Tensor, Tensor | null])[];
}
