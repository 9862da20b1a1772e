/**
 * torch.nn.parallel.DistributedDataParallel over MPI: every rank holds a replica of the module; at
 * construction rank 0's parameters and buffers are copied to all; in each backward the gradients are
 * averaged over the ranks, bucket by bucket while backward goes on (see ./reducer.ts), so after backward
 * every replica holds the same .grad and the same optimizer step keeps them equal.
 */
import type { Tensor } from "../../tensor";
import { Module } from "../module";
import { gradMode } from "../../autograd/grad-mode";
import { broadcast } from "../../distributed/collectives";
import { getWorldSize } from "../../distributed/process-group";
import { Reducer, type ReducerStats } from "./reducer";

export interface DistributedDataParallelOptions {
  /** Bucket size in MiB (the first bucket is 1 MiB at most, as PyTorch's). Default 25. */
  bucketCapMB?: number;
  /** Copy rank 0's buffers (BatchNorm's running statistics...) to every rank at each forward. Default true. */
  broadcastBuffers?: boolean;
}

const COMMUNICABLE = new Set(["float32", "float64", "int32"]);

type AnyModule = Module<never[], unknown>;
/** The call signature of a module type: what DDP's forward takes and returns. */
type InOf<M> = M extends Module<infer I, unknown> ? I : never;
type OutOf<M> = M extends Module<never[], infer O> ? O : never;

export class DistributedDataParallel<M extends AnyModule = Module> extends Module<InOf<M>, OutOf<M>> {
  /** The wrapped module (its stateDict keys get the "module." prefix here, as PyTorch's). */
  declare module: M;
  declare readonly bucketCapMB: number;
  declare readonly broadcastBuffers: boolean;
  /** @internal */ declare _reducer: Reducer;
  /** @internal */ declare _requireBackwardGradSync: boolean;

  constructor(module: M, opts: DistributedDataParallelOptions = {}) {
    super();
    if (!(module instanceof Module)) throw new TypeError("DistributedDataParallel: module must be an nn.Module");
    const known = ["bucketCapMB", "broadcastBuffers"];
    for (const k of Object.keys(opts)) if (!known.includes(k)) throw new TypeError(`DistributedDataParallel: unknown option '${k}'`);
    const bucketCapMB = opts.bucketCapMB ?? 25;
    if (typeof bucketCapMB !== "number" || !(bucketCapMB > 0)) throw new RangeError(`bucketCapMB must be a positive number, got ${String(bucketCapMB)}`);
    const params = module.parameters().filter((p) => p.requiresGrad);
    if (params.length === 0) {
      throw new Error("DistributedDataParallel is not needed when a module doesn't have any parameter that requires a gradient.");
    }
    for (const p of params) {
      if (!COMMUNICABLE.has(p.dtype)) throw new TypeError(`DistributedDataParallel: parameters of dtype ${p.dtype} cannot be communicated`);
    }
    getWorldSize();
    this.module = module;
    const hidden = (k: string, v: unknown): void => {
      Object.defineProperty(this, k, { value: v, writable: true, configurable: true, enumerable: false });
    };
    hidden("bucketCapMB", bucketCapMB);
    hidden("broadcastBuffers", opts.broadcastBuffers ?? true);
    hidden("_requireBackwardGradSync", true);
    this.syncModuleStates([...module.parameters(), ...module.buffers()]);
    hidden("_reducer", new Reducer(params, Math.round(bucketCapMB * 1024 * 1024)));
  }

  /** Broadcasts the buffers (when broadcastBuffers) and runs the module; its backward will average gradients. */
  override forward(...args: InOf<M>): OutOf<M> {
    if (this.broadcastBuffers) this.syncModuleStates(this.module.buffers());
    if (gradMode.enabled && this._requireBackwardGradSync) this._reducer.prepareForBackward();
    return (this.module as unknown as (...a: InOf<M>) => OutOf<M>)(...args);
  }

  /**
   * Runs `fn` with gradient averaging off (torch's `with ddp.no_sync():`): backward passes of forwards run
   * inside only accumulate into .grad locally; the first backward after leaving averages the sum.
   * An async `fn` keeps it off until its promise settles.
   */
  noSync<T>(fn: () => T): T {
    if (typeof fn !== "function") throw new TypeError("noSync(): expected a function");
    const prev = this._requireBackwardGradSync;
    this._requireBackwardGradSync = false;
    let result: T;
    try {
      result = fn();
    } catch (e) {
      this._requireBackwardGradSync = prev;
      throw e;
    }
    if (result instanceof Promise) {
      return result.finally(() => {
        this._requireBackwardGradSync = prev;
      }) as T;
    }
    this._requireBackwardGradSync = prev;
    return result;
  }

  /** @internal Timings of the last averaged backward (bucket launches vs the end of backward). */
  get _lastSyncStats(): ReducerStats | null {
    return this._reducer.lastStats;
  }

  private syncModuleStates(tensors: Tensor[]): void {
    if (getWorldSize() === 1) return;
    for (const t of tensors) {
      if (!COMMUNICABLE.has(t.dtype)) continue;
      if (t.isContiguous()) broadcast(t.data, 0);
      else {
        const c = t.contiguous();
        broadcast(c, 0);
        t.data.copy_(c);
      }
    }
  }
}
