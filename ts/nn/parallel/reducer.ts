/**
 * DistributedDataParallel's gradient reducer (PyTorch's Reducer): parameters grouped into buckets in
 * reverse registration order (the order backward produces their gradients), the first bucket small so
 * that communication starts early. A parameter's post-accumulate-grad hook marks it ready; when a bucket's
 * last gradient is in, its gradients are packed into the bucket's flat buffer and an asynchronous average
 * over the ranks starts, while backward goes on. Buckets start in index order on every rank (MPI needs the
 * same collectives in the same order everywhere). A callback queued on the backward pass waits for all
 * buckets and writes the averages back into .grad before backward returns.
 */
import { Tensor } from "../../tensor";
import type { DType, TypedArray } from "../../backend/types";
import { allocate } from "../../backend/storage";
import { queueCallback } from "../../autograd/engine";
import { noGrad } from "../../autograd/grad-mode";
import type { RemovableHandle } from "../../autograd/hooks";
import { allReduce, type Work } from "../../distributed/collectives";
import type { Parameter } from "../parameter";

/** PyTorch's dist._DEFAULT_FIRST_BUCKET_BYTES: the first bucket is kept small to start communicating early. */
const FIRST_BUCKET_BYTES = 1024 * 1024;

const ITEM_BYTES: Record<DType, number> = { float32: 4, float64: 8, int32: 4, bool: 1 };

interface Bucket {
  readonly params: Parameter[];
  /** Element offset of each parameter's gradient in `flat`. */
  readonly offsets: number[];
  readonly flat: Tensor;
  readonly ready: boolean[];
  pending: number;
  work: Work | null;
}

/** Timings of the last synchronized backward, for tests and benchmarks (wall-clock ms). */
export interface ReducerStats {
  /** Per bucket, in launch order: [queued, started, finished] on the communication thread. */
  buckets: (readonly [number, number, number])[];
  /** When the backward pass's nodes were all done (the final callback began). */
  backwardEndMs: number;
  /** When the final callback had all averages back in .grad. */
  syncedMs: number;
}

/** Groups parameters (reverse order, by dtype) into buckets of at most the limits' bytes, the first limit first. */
export function assignBuckets(params: readonly Parameter[], capBytes: number): Parameter[][] {
  const done: Parameter[][] = [];
  const open = new Map<DType, { params: Parameter[]; bytes: number; limit: number }>();
  for (const p of [...params].reverse()) {
    let b = open.get(p.dtype);
    if (b === undefined) {
      b = { params: [], bytes: 0, limit: done.length === 0 && open.size === 0 ? Math.min(FIRST_BUCKET_BYTES, capBytes) : capBytes };
      open.set(p.dtype, b);
    }
    b.params.push(p);
    b.bytes += p.numel() * ITEM_BYTES[p.dtype];
    if (b.bytes >= b.limit) {
      done.push(b.params);
      open.delete(p.dtype);
    }
  }
  for (const b of open.values()) done.push(b.params);
  return done;
}

function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

export class Reducer {
  private readonly buckets: Bucket[];
  private readonly where = new Map<Parameter, [number, number]>();
  private readonly hooks: RemovableHandle[] = [];
  private nextBucket = 0;
  private armed = false;
  private callbackQueued = false;
  private launched: Bucket[] = [];
  private backwardEndMs = 0;
  /** @internal */ lastStats: ReducerStats | null = null;

  constructor(params: readonly Parameter[], capBytes: number) {
    this.buckets = assignBuckets(params, capBytes).map((ps, bi) => {
      const offsets: number[] = [];
      let n = 0;
      ps.forEach((p, i) => {
        offsets.push(n);
        n += p.numel();
        this.where.set(p, [bi, i]);
      });
      const dtype = ps[0].dtype;
      return { params: ps, offsets, flat: new Tensor(allocate(dtype, n), [n], dtype), ready: ps.map(() => false), pending: ps.length, work: null };
    });
    for (const p of params) this.hooks.push(p.registerPostAccumulateGradHook((q) => this.onGradReady(q as Parameter)));
  }

  /** The bucket sizes in elements, in order (for tests). */
  get bucketSizes(): number[] {
    return this.buckets.map((b) => b.flat.numel());
  }

  /** The next backward averages gradients (DDP's forward calls it unless in noSync or without grad mode). */
  prepareForBackward(): void {
    this.armed = true;
  }

  private onGradReady(p: Parameter): void {
    if (!this.armed) return;
    if (!this.callbackQueued) {
      this.callbackQueued = true;
      queueCallback(() => this.finish());
    }
    const [bi, i] = this.where.get(p)!;
    const b = this.buckets[bi];
    if (b.ready[i]) return;
    b.ready[i] = true;
    if (--b.pending === 0) this.launchReady();
  }

  private launchReady(): void {
    while (this.nextBucket < this.buckets.length && this.buckets[this.nextBucket].pending === 0) {
      this.launch(this.buckets[this.nextBucket++]);
    }
  }

  private launch(b: Bucket): void {
    const flat = b.flat._data as TypedArray;
    b.params.forEach((p, i) => {
      const g = p._grad;
      const n = p.numel();
      if (g === null) flat.fill(0, b.offsets[i], b.offsets[i] + n);
      else {
        const c = g.isContiguous() ? g : g.contiguous();
        flat.set((c._data as TypedArray).subarray(c.offset, c.offset + n), b.offsets[i]);
      }
    });
    b.work = allReduce(b.flat, "avg", { asyncOp: true });
    this.launched.push(b);
  }

  /**
   * End of backward: parameters whose gradients never came (unused in this forward) count as zeros, so
   * every rank launches every bucket; then all averages are waited for and copied back into .grad.
   */
  private finish(): void {
    this.backwardEndMs = nowMs();
    for (const b of this.buckets) {
      b.ready.fill(true);
      b.pending = 0;
    }
    this.launchReady();
    const times: (readonly [number, number, number])[] = [];
    noGrad(() => {
      for (const b of this.launched) {
        b.work!.wait();
        times.push(b.work!._times!);
        this.unpack(b);
      }
    });
    this.lastStats = { buckets: times, backwardEndMs: this.backwardEndMs, syncedMs: nowMs() };
    this.reset();
  }

  private unpack(b: Bucket): void {
    const flat = b.flat._data as TypedArray;
    b.params.forEach((p, i) => {
      const n = p.numel();
      const avg = flat.subarray(b.offsets[i], b.offsets[i] + n);
      const g = p._grad;
      if (g === null) {
        p._grad = new Tensor(avg.slice(), p.shape, p.dtype);
      } else if (g.isContiguous()) {
        (g._data as TypedArray).set(avg, g.offset);
        g._version.value++;
      } else {
        g.copy_(new Tensor(avg.slice(), p.shape, p.dtype));
      }
    });
  }

  private reset(): void {
    this.armed = false;
    this.callbackQueued = false;
    this.nextBucket = 0;
    this.launched = [];
    for (const b of this.buckets) {
      b.ready.fill(false);
      b.pending = b.params.length;
      b.work = null;
    }
  }
}
