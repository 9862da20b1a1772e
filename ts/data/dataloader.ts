import { checkedLength, Dataset } from "./dataset";
import { type Collated, defaultCollate } from "./collate";
import { type Generator as RandomGenerator, defaultGenerator, randomInt64, randperm, shuffleIndices } from "../random/index";

export interface DataLoaderOptions<T, B> {
  batchSize?: number;
  shuffle?: boolean;
  dropLast?: boolean;
  /** The generator for the shuffle order (and the iterator's base seed); the global one by default. */
  generator?: RandomGenerator;
  collateFn?: (batch: T[]) => B;
}

/**
 * Iterates a dataset in batches (torch.utils.data.DataLoader, num_workers = 0). Each `for...of` is one epoch.
 * The random draws follow PyTorch: every new iterator takes a base seed from the generator, and a shuffled
 * epoch then draws its order as RandomSampler does, so orders match PyTorch's for the same seed.
 */
export class DataLoader<T, B = Collated<T>> implements Iterable<B> {
  readonly dataset: Dataset<T>;
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  readonly generator: RandomGenerator | undefined;
  readonly collateFn: (batch: T[]) => B;

  constructor(dataset: Dataset<T>, opts: DataLoaderOptions<T, B> = {}) {
    this.dataset = dataset;
    this.batchSize = opts.batchSize ?? 1;
    if (!Number.isInteger(this.batchSize) || this.batchSize <= 0) {
      throw new RangeError(`batch_size should be a positive integer value, but got batch_size=${this.batchSize}`);
    }
    this.shuffle = opts.shuffle ?? false;
    this.dropLast = opts.dropLast ?? false;
    this.generator = opts.generator;
    this.collateFn = opts.collateFn ?? ((b: T[]) => defaultCollate(b) as unknown as B);
    checkedLength(dataset);
  }

  /** The number of batches per epoch. */
  get length(): number {
    const n = checkedLength(this.dataset);
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  *[Symbol.iterator](): Iterator<B> {
    checkedLength(this.dataset); // before the base seed is drawn, so a bad length does not move the generator
    const gen = this.generator ?? defaultGenerator;
    randomInt64(gen); // _BaseDataLoaderIter's _base_seed, drawn even without workers or shuffling
    yield* this.batches(gen);
  }

  /** The sampler's index stream, drawn lazily as PyTorch's sampler generators are. */
  private *indices(gen: RandomGenerator): Generator<number> {
    const n = checkedLength(this.dataset);
    if (!this.shuffle) {
      for (let i = 0; i < n; i++) yield i;
    } else if (this.generator === undefined) {
      yield* shuffleIndices(n, gen); // RandomSampler seeds a fresh generator from the global one
    } else {
      yield* randperm(gen, n);
      // RandomSampler then yields randperm(n)[:num_samples % n]: drawn even when empty, once exhausted.
      randperm(gen, n);
    }
  }

  /** BatchSampler's grouping: a batch is emitted once full; the last partial one unless dropLast. */
  private *batches(gen: RandomGenerator): Generator<B> {
    const bs = this.batchSize;
    const fetch = (idx: number[]) => this.collateFn(idx.map((i) => this.dataset.getItem(i)));
    let idx: number[] = [];
    for (const i of this.indices(gen)) {
      idx.push(i);
      if (idx.length === bs) {
        yield fetch(idx);
        idx = [];
      }
    }
    if (idx.length > 0 && !this.dropLast) yield fetch(idx);
  }
}
