import { checkedLength, Dataset, IterableDataset, type IterableDatasetOf } from "./dataset";
import { type Collated, defaultCollate } from "./collate";
import { type Generator as RandomGenerator, defaultGenerator, randomInt64 } from "../random/index";
import { BatchSampler, RandomSampler, SequentialSampler, type Sized, samplerLength } from "./sampler";
import { bool, checkOptions, positiveInt, typeName } from "./options";
import { PrefetchIterator } from "./prefetch";

export interface DataLoaderOptions<T, B> {
  /** Items per batch (default 1); not with batchSampler. */
  batchSize?: number;
  /** A RandomSampler over the dataset instead of the sequential order; not with sampler. */
  shuffle?: boolean;
  /** The index order: a Sampler or any iterable of indices (an array, say). */
  sampler?: Iterable<number> & Partial<Sized>;
  /** Yields whole batches of indices; replaces batchSize, shuffle, sampler and dropLast. */
  batchSampler?: Iterable<readonly number[]> & Partial<Sized>;
  dropLast?: boolean;
  /** The generator for the shuffle order (and the iterator's base seed); the global one by default. */
  generator?: RandomGenerator;
  collateFn?: (batch: T[]) => B;
  /**
   * For an async IterableDataset: how many batches may be read and collated ahead of the consumer
   * (default 2, as PyTorch's per-worker prefetch_factor; PyTorch needs workers for it, here the
   * read-ahead runs on the event loop while the consumer awaits). Other datasets ignore it.
   */
  prefetchFactor?: number;
}

const ACCEPTED = ["batchSize", "shuffle", "sampler", "batchSampler", "dropLast", "generator", "collateFn", "prefetchFactor"] as const;

/** Either kind of dataset a DataLoader takes: map-style (length, getItem) or iterable-style. */
export type AnyDataset<T> = Dataset<T> | IterableDatasetOf<T>;

/**
 * Iterates a dataset in batches (torch.utils.data.DataLoader, num_workers = 0). Each `for...of` (or
 * `for await`) is one epoch. The random draws follow PyTorch: every new iterator takes a base seed from
 * the loader's generator, then the sampler draws its order lazily, so orders match PyTorch's.
 * A dataset with `[Symbol.asyncIterator]` is read with `for await`, batches being prepared ahead.
 */
export class DataLoader<T, B = Collated<T>> implements Iterable<B>, AsyncIterable<B> {
  readonly dataset: AnyDataset<T>;
  /** null when a batchSampler gives the batches, as PyTorch's batch_size. */
  readonly batchSize: number | null;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  readonly generator: RandomGenerator | undefined;
  readonly collateFn: (batch: T[]) => B;
  readonly prefetchFactor: number;
  /** The index sampler (null for an iterable dataset); made from shuffle when not given. */
  readonly sampler: (Iterable<number> & Partial<Sized>) | null;
  /** The batch sampler (null for an iterable dataset); BatchSampler(sampler, batchSize, dropLast) when not given. */
  readonly batchSampler: (Iterable<readonly number[]> & Partial<Sized>) | null;

  constructor(dataset: AnyDataset<T>, opts: DataLoaderOptions<T, B> = {}) {
    checkOptions("DataLoader", opts, ACCEPTED);
    this.dataset = dataset;
    const iterable = isIterableDataset(dataset);
    let batchSize: number | null = opts.batchSize ?? 1;
    let dropLast = opts.dropLast ?? false;
    this.shuffle = opts.shuffle ?? false;
    this.generator = opts.generator;
    this.collateFn = opts.collateFn ?? ((b: T[]) => defaultCollate(b) as unknown as B);
    this.prefetchFactor = opts.prefetchFactor ?? 2;
    if (!Number.isSafeInteger(this.prefetchFactor) || this.prefetchFactor <= 0) {
      throw new RangeError(`prefetch_factor should be a positive integer, but got prefetch_factor=${String(opts.prefetchFactor)}`);
    }
    if (iterable) {
      if (this.shuffle) throw new Error(`DataLoader with IterableDataset: expected unspecified shuffle option, but got shuffle=${String(opts.shuffle)}`);
      if (opts.sampler !== undefined) throw new Error(`DataLoader with IterableDataset: expected unspecified sampler option, but got sampler=${typeName(opts.sampler)}`);
      if (opts.batchSampler !== undefined) {
        throw new Error(`DataLoader with IterableDataset: expected unspecified batch_sampler option, but got batch_sampler=${typeName(opts.batchSampler)}`);
      }
    }
    if (opts.sampler !== undefined && this.shuffle) throw new Error("sampler option is mutually exclusive with shuffle");
    let batchSampler = opts.batchSampler ?? null;
    if (batchSampler !== null) {
      if (batchSize !== 1 || this.shuffle || opts.sampler !== undefined || dropLast) {
        throw new Error("batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, and drop_last");
      }
      batchSize = null;
      dropLast = false;
    } else {
      // Checked here, after the exclusions, as PyTorch's BatchSampler constructor does (for iterable datasets too).
      positiveInt("batch_size", batchSize);
      bool("drop_last", dropLast, RangeError);
    }
    this.batchSize = batchSize;
    this.dropLast = dropLast;
    if (iterable) {
      this.sampler = null;
    } else {
      const mapped = dataset as Dataset<T>;
      checkedLength(mapped);
      this.sampler = opts.sampler ?? (this.shuffle ? new RandomSampler(mapped, { generator: this.generator }) : new SequentialSampler(mapped));
      if (batchSampler === null && batchSize !== null) batchSampler = new BatchSampler(this.sampler, batchSize, dropLast);
    }
    this.batchSampler = batchSampler;
  }

  /** The number of batches per epoch: the batch sampler's length, or for an iterable dataset its length in batches. */
  get length(): number {
    if (this.batchSampler !== null) return samplerLength(this.batchSampler);
    const n = samplerLength(this.dataset as Partial<Sized> & Iterable<unknown>);
    const bs = this.batchSize as number;
    return this.dropLast ? Math.floor(n / bs) : Math.ceil(n / bs);
  }

  *[Symbol.iterator](): Iterator<B> {
    const ds = this.dataset;
    if (isIterableDataset(ds)) {
      const iterate = ds[Symbol.iterator];
      if (iterate === undefined) {
        throw new TypeError(`the dataset ${ds.constructor.name} is async (it has only [Symbol.asyncIterator]): iterate the DataLoader with for await`);
      }
      this.drawBaseSeed();
      yield* this.batchesOf(iterate.call(ds));
      return;
    }
    const mapped = ds as Dataset<T>;
    checkedLength(mapped); // before the base seed is drawn, so a bad length does not move the generator
    this.drawBaseSeed();
    const batches = this.batchSampler as Iterable<readonly number[]>;
    for (const idx of batches) yield this.collateFn(idx.map((i) => mapped.getItem(i)));
  }

  /**
   * `for await`: an async IterableDataset is read with at most prefetchFactor batches ahead of the
   * consumer; any other dataset gives its synchronous batches.
   */
  [Symbol.asyncIterator](): AsyncIterator<B> {
    const ds = this.dataset;
    const iterate = isIterableDataset(ds) ? ds[Symbol.asyncIterator] : undefined;
    if (iterate !== undefined) {
      this.drawBaseSeed();
      const source = iterate.call(ds);
      return new PrefetchIterator(source, this.batchSize as number, this.dropLast, this.collateFn, this.prefetchFactor);
    }
    const sync = this[Symbol.iterator]();
    return {
      next: async () => sync.next(),
      return: async () => sync.return?.() ?? { value: undefined, done: true },
    };
  }

  /** _BaseDataLoaderIter's _base_seed: drawn for each epoch even without workers or shuffling. */
  private drawBaseSeed(): void {
    randomInt64(this.generator ?? defaultGenerator);
  }

  /** Consecutive items of an iterable dataset, batchSize at a time; the last partial one unless dropLast. */
  private *batchesOf(it: Iterator<T>): Generator<B> {
    const bs = this.batchSize as number;
    let items: T[] = [];
    let exhausted = false;
    try {
      for (let r = it.next(); !(exhausted = r.done === true); r = it.next()) {
        items.push(r.value);
        if (items.length === bs) {
          yield this.collateFn(items);
          items = [];
        }
      }
      if (items.length > 0 && !this.dropLast) yield this.collateFn(items);
    } finally {
      if (!exhausted) it.return?.(); // an early exit (or an error) closes the dataset's iterator, as for...of would
    }
  }
}

function isIterableDataset<T>(ds: AnyDataset<T>): ds is IterableDatasetOf<T> & Partial<Iterable<T>> & Partial<AsyncIterable<T>> {
  return ds instanceof IterableDataset;
}
