/**
 * torch.utils.data.DistributedSampler: each of numReplicas ranks gets a disjoint share of the dataset's
 * indices, the same shuffled order on every rank (a generator seeded with seed + epoch), padded by
 * repeating indices from the start so that every rank has as many (or, with dropLast, the tail dropped).
 */
import { Generator, randperm } from "../random/index";
import { getRank, getWorldSize } from "../distributed/process-group";
import { checkedLength } from "./dataset";
import { checkOptions } from "./options";
import { Sampler, type Sized } from "./sampler";

export interface DistributedSamplerOptions {
  /** Number of ranks sharing the data; default the process group's world size. */
  numReplicas?: number;
  /** This rank's share; default the process group's rank. */
  rank?: number;
  shuffle?: boolean;
  /** Must be the same on every rank. */
  seed?: number;
  /** Drop the tail that does not divide evenly instead of padding. */
  dropLast?: boolean;
}

export class DistributedSampler extends Sampler<number> {
  readonly dataset: Sized;
  readonly numReplicas: number;
  readonly rank: number;
  readonly shuffle: boolean;
  readonly seed: number;
  readonly dropLast: boolean;
  /** Indices per rank. */
  readonly numSamples: number;
  readonly totalSize: number;
  epoch = 0;

  constructor(dataset: Sized, opts: DistributedSamplerOptions = {}) {
    super();
    checkOptions("DistributedSampler", opts, ["numReplicas", "rank", "shuffle", "seed", "dropLast"]);
    const numReplicas = opts.numReplicas ?? getWorldSize();
    const rank = opts.rank ?? getRank();
    if (!Number.isInteger(numReplicas) || numReplicas < 1) throw new RangeError(`numReplicas should be a positive integer, got ${String(numReplicas)}`);
    if (!Number.isInteger(rank) || rank >= numReplicas || rank < 0) {
      throw new RangeError(`Invalid rank ${String(rank)}, rank should be in the interval [0, ${numReplicas - 1}]`);
    }
    const seed = opts.seed ?? 0;
    if (!Number.isInteger(seed)) throw new TypeError(`seed should be an integer, got ${String(seed)}`);
    this.dataset = dataset;
    this.numReplicas = numReplicas;
    this.rank = rank;
    this.shuffle = opts.shuffle ?? true;
    this.seed = seed;
    this.dropLast = opts.dropLast ?? false;
    const n = checkedLength(dataset);
    this.numSamples =
      this.dropLast && n % numReplicas !== 0 ? Math.max(0, Math.ceil((n - numReplicas) / numReplicas)) : Math.ceil(n / numReplicas);
    this.totalSize = this.numSamples * numReplicas;
  }

  /** Sets the epoch, which reseeds the shuffle: call it before each epoch, or every epoch has one order. */
  setEpoch(epoch: number): void {
    if (!Number.isInteger(epoch)) throw new TypeError(`epoch should be an integer, got ${String(epoch)}`);
    this.epoch = epoch;
  }

  *[Symbol.iterator](): Iterator<number> {
    const n = checkedLength(this.dataset);
    let indices: number[];
    if (this.shuffle) indices = Array.from(randperm(new Generator(this.seed + this.epoch), n));
    else indices = Array.from({ length: n }, (_, i) => i);
    if (!this.dropLast) {
      const padding = this.totalSize - indices.length;
      if (padding <= indices.length) indices = indices.concat(indices.slice(0, padding));
      else {
        const repeated: number[] = [];
        for (let k = 0; k < Math.ceil(padding / indices.length); k++) repeated.push(...indices);
        indices = indices.concat(repeated.slice(0, padding));
      }
    } else {
      indices = indices.slice(0, this.totalSize);
    }
    for (let i = this.rank; i < this.totalSize; i += this.numReplicas) yield indices[i];
  }

  get length(): number {
    return this.numSamples;
  }
}
