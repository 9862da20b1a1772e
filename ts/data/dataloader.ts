import { Dataset } from "./dataset";
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
  }

  /** The number of batches per epoch. */
  get length(): number {
    const n = this.dataset.length;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  *[Symbol.iterator](): Iterator<B> {
    const gen = this.generator ?? defaultGenerator;
    randomInt64(gen); // _BaseDataLoaderIter's _base_seed, drawn even without workers or shuffling
    yield* this.batches(gen);
  }

  private *batches(gen: RandomGenerator): Generator<B> {
    const n = this.dataset.length;
    // Lazily, as PyTorch's sampler generator: the order is drawn at the first batch.
    const order = this.shuffle ? (this.generator ? randperm(gen, n) : shuffleIndices(n, gen)) : null;
    const bs = this.batchSize;
    for (let start = 0; start < n; start += bs) {
      const end = Math.min(start + bs, n);
      if (end - start < bs && this.dropLast) break;
      const items: T[] = [];
      for (let i = start; i < end; i++) items.push(this.dataset.getItem(order === null ? i : order[i]));
      yield this.collateFn(items);
    }
  }
}
