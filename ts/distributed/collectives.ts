/**
 * torch.distributed's collectives over MPI, on contiguous float32, float64 and int32 tensors, written in
 * place. Each one is queued on the binding's communication thread; the synchronous form waits for it, the
 * `{ asyncOp: true }` form returns a Work to wait on later, so computation overlaps communication. Every
 * rank must issue the same collectives in the same order (MPI's rule).
 */
import { Tensor } from "../tensor";
import type { DType, TypedArray } from "../backend/types";
import { COLLECTIVE, REDUCE_OP_CODE, type CollectiveKind } from "./binding";
import { defaultGroup } from "./process-group";

export type ReduceOpName = "sum" | "avg" | "max" | "min" | "product";

/** torch.distributed.ReduceOp's members, as the names this API takes. */
export const ReduceOp = { SUM: "sum", AVG: "avg", MAX: "max", MIN: "min", PRODUCT: "product" } as const;

export interface CollectiveOptions {
  /** Return a Work at once instead of waiting for the collective (torch's async_op=True). */
  asyncOp?: boolean;
}
/** Options of a blocking collective. */
export type Sync = CollectiveOptions & { asyncOp?: false };
/** Options of a collective that returns a Work handle. */
export type Async = CollectiveOptions & { asyncOp: true };

type CommArray = Float32Array | Float64Array | Int32Array;

/** A queued collective (torch's Work): wait() blocks until it is done; waitAsync() does not block the event loop. */
export class Work {
  private finished = false;
  private failure: unknown = null;
  private pending: Promise<void> | null = null;
  /** @internal Wall-clock ms when the communication thread queued, started and finished it (after completion). */
  _times: readonly [number, number, number] | null = null;

  /** @internal */
  constructor(
    private readonly id: number,
    private readonly onDone: (() => void) | null,
  ) {}

  /** Blocks until the collective is done, then its results are in the output tensors. */
  wait(): boolean {
    if (this.finished) return true;
    if (this.failure !== null) throw this.failure;
    // Also fine while a waitAsync() is pending: its completion, arriving later, finds the job already ended.
    this.complete(defaultGroup().binding.wait(this.id));
    return true;
  }

  /** Resolves when the collective is done (the wait runs off the event loop). */
  waitAsync(): Promise<void> {
    if (this.finished) return Promise.resolve();
    this.pending ??= defaultGroup()
      .binding.waitAsync(this.id)
      .then(
        (times) => {
          if (!this.finished) this.complete(times ?? [0, 0, 0]);
        },
        (e: unknown) => {
          this.failure = e;
          throw e;
        },
      );
    return this.pending;
  }

  /** Whether the collective has finished (its results are in place once wait() or waitAsync() returned). */
  isCompleted(): boolean {
    return this.finished || this.failure !== null || defaultGroup().binding.isCompleted(this.id);
  }

  private complete(times: [number, number, number]): void {
    this.finished = true;
    this._times = times;
    if (this.onDone !== null) this.onDone();
  }
}

const ELEMENT_DTYPES: readonly DType[] = ["float32", "float64", "int32"];

function checkTensor(fn: string, t: unknown, what = "tensor"): Tensor {
  if (!(t instanceof Tensor)) throw new TypeError(`${fn}(): argument '${what}' must be Tensor, not ${t === null ? "None" : typeof t}`);
  if (!t.isContiguous()) throw new Error("input tensor has to be contiguous");
  if (!ELEMENT_DTYPES.includes(t.dtype)) {
    throw new TypeError(`${fn}(): unsupported dtype ${t.dtype}; MPI collectives take float32, float64 and int32 tensors`);
  }
  return t;
}

function checkOp(fn: string, op: unknown, dtype: DType): number {
  if (typeof op !== "string" || !(op in REDUCE_OP_CODE)) {
    throw new TypeError(`${fn}(): op must be one of ${Object.keys(REDUCE_OP_CODE).map((o) => `"${o}"`).join(", ")}, got ${String(op)}`);
  }
  if (op === "avg" && dtype === "int32") throw new TypeError("Cannot use ReduceOp.AVG with integer tensors (int32)");
  return REDUCE_OP_CODE[op as ReduceOpName];
}

function checkOptions(fn: string, opts: unknown): boolean {
  if (opts === undefined) return false;
  if (opts === null || typeof opts !== "object") throw new TypeError(`${fn}(): options must be an object`);
  const async = (opts as CollectiveOptions).asyncOp ?? false;
  if (typeof async !== "boolean") throw new TypeError(`${fn}(): asyncOp must be a boolean`);
  return async;
}

/** The tensor's elements as a typed array over its storage (it is contiguous). */
function elementsOf(t: Tensor): CommArray {
  return (t._data as CommArray).subarray(t.offset, t.offset + t.numel());
}

function markWritten(t: Tensor): void {
  t._version.value++;
}

function launch(kind: CollectiveKind, op: number, root: number, output: CommArray | null, input: CommArray | null, onDone: (() => void) | null, async: boolean): Work | undefined {
  const g = defaultGroup();
  const work = new Work(g.binding.submit(kind, op, root, output, input), onDone);
  if (async) return work;
  work.wait();
  return undefined;
}

/** Reduces `tensor` across all ranks with `op`, in place on every rank (torch.distributed.all_reduce). */
export function allReduce(tensor: Tensor, op?: ReduceOpName, opts?: Sync): void;
export function allReduce(tensor: Tensor, op: ReduceOpName | undefined, opts: Async): Work;
export function allReduce(tensor: Tensor, op: ReduceOpName = "sum", opts?: CollectiveOptions): Work | undefined {
  const t = checkTensor("allReduce", tensor);
  const code = checkOp("allReduce", op, t.dtype);
  const async = checkOptions("allReduce", opts);
  defaultGroup();
  markWritten(t);
  return launch(COLLECTIVE.allReduce, code, 0, elementsOf(t), null, null, async);
}

/** Copies rank `src`'s `tensor` into every other rank's (torch.distributed.broadcast). */
export function broadcast(tensor: Tensor, src: number, opts?: Sync): void;
export function broadcast(tensor: Tensor, src: number, opts: Async): Work;
export function broadcast(tensor: Tensor, src: number, opts?: CollectiveOptions): Work | undefined {
  const t = checkTensor("broadcast", tensor);
  const async = checkOptions("broadcast", opts);
  const { size } = defaultGroup();
  if (!Number.isInteger(src) || src < 0 || src >= size) throw new RangeError(`broadcast: invalid root rank: ${String(src)}`);
  markWritten(t);
  return launch(COLLECTIVE.broadcast, 0, src, elementsOf(t), null, null, async);
}

function checkSameSizeAndType(fn: string, ref: Tensor, list: readonly unknown[], what: string): Tensor[] {
  return list.map((x) => {
    const t = checkTensor(fn, x, what);
    if (t.numel() !== ref.numel() || t.dtype !== ref.dtype) throw new Error("Tensors are not equal in size or data type");
    return t;
  });
}

/** Fills `tensorList[r]` with rank r's `tensor`, on every rank (torch.distributed.all_gather). */
export function allGather(tensorList: Tensor[], tensor: Tensor, opts?: Sync): void;
export function allGather(tensorList: Tensor[], tensor: Tensor, opts: Async): Work;
export function allGather(tensorList: Tensor[], tensor: Tensor, opts?: CollectiveOptions): Work | undefined {
  const t = checkTensor("allGather", tensor);
  const async = checkOptions("allGather", opts);
  const { size } = defaultGroup();
  if (!Array.isArray(tensorList)) throw new TypeError("allGather(): argument 'tensor_list' must be a list of Tensors");
  if (tensorList.length !== size) throw new Error("All gather: number of output tensors should equal to the world size");
  const outs = checkSameSizeAndType("allGather", t, tensorList, "tensor_list");
  const n = t.numel();
  const input = elementsOf(t);
  const gathered = new (input.constructor as new (n: number) => CommArray)(n * size);
  for (const o of outs) markWritten(o);
  const unpack = (): void => {
    outs.forEach((o, r) => (o._data as TypedArray).set(gathered.subarray(r * n, (r + 1) * n), o.offset));
  };
  return launch(COLLECTIVE.allGather, 0, 0, gathered, input.slice(), unpack, async);
}

/**
 * Reduces `inputList[r]` across ranks with `op` into rank r's `output` (torch.distributed.reduce_scatter):
 * each rank receives one reduced part.
 */
export function reduceScatter(output: Tensor, inputList: Tensor[], op?: ReduceOpName, opts?: Sync): void;
export function reduceScatter(output: Tensor, inputList: Tensor[], op: ReduceOpName | undefined, opts: Async): Work;
export function reduceScatter(output: Tensor, inputList: Tensor[], op: ReduceOpName = "sum", opts?: CollectiveOptions): Work | undefined {
  const out = checkTensor("reduceScatter", output, "output");
  const code = checkOp("reduceScatter", op, out.dtype);
  const async = checkOptions("reduceScatter", opts);
  const { size } = defaultGroup();
  if (!Array.isArray(inputList)) throw new TypeError("reduceScatter(): argument 'input_list' must be a list of Tensors");
  if (inputList.length !== size) throw new Error("Reduce scatter: number of input tensors should equal to the world size");
  const ins = checkSameSizeAndType("reduceScatter", out, inputList, "input_list");
  const n = out.numel();
  const target = elementsOf(out);
  const packed = new (target.constructor as new (n: number) => CommArray)(n * size);
  ins.forEach((t, r) => packed.set(elementsOf(t), r * n));
  markWritten(out);
  return launch(COLLECTIVE.reduceScatter, code, 0, target, packed, null, async);
}

/** Waits until every rank has reached it (torch.distributed.barrier). */
export function barrier(opts?: Sync): void;
export function barrier(opts: Async): Work;
export function barrier(opts?: CollectiveOptions): Work | undefined {
  const async = checkOptions("barrier", opts);
  defaultGroup();
  return launch(COLLECTIVE.barrier, 0, 0, null, null, null, async);
}
