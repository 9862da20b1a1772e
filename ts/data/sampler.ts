/**
 * torch.utils.data's samplers: iterables of dataset indices (or of index batches, BatchSampler), each
 * drawing its random numbers as PyTorch 1.13 does, lazily, when iteration reaches them, so that orders
 * match PyTorch's for the same seed even when other draws interleave.
 */
import { Tensor } from "../tensor";
import { tensor } from "../creation";
import { type Generator as RandomGenerator, Generator as RandomGeneratorClass, defaultGenerator, randint, randomInt64, randperm } from "../random/index";
import { checkedLength } from "./dataset";
import { multinomial } from "../random/multinomial";
import { bool, checkOptions, positiveInt, typeName } from "./options";

/** Anything with a length, as PyTorch's Sized (a dataset, an array). */
export interface Sized {
  readonly length: number;
}

/** The base of samplers (torch.utils.data.Sampler): an iterable with a length. */
export abstract class Sampler<T = number> implements Iterable<T> {
  abstract [Symbol.iterator](): Iterator<T>;
  abstract get length(): number;
}

/** Yields 0, 1, …, n − 1 for the data source's length at iteration time. */
export class SequentialSampler extends Sampler<number> {
  constructor(readonly dataSource: Sized) {
    super();
  }
  *[Symbol.iterator](): Iterator<number> {
    const n = checkedLength(this.dataSource);
    for (let i = 0; i < n; i++) yield i;
  }
  get length(): number {
    return checkedLength(this.dataSource);
  }
}

export interface RandomSamplerOptions {
  replacement?: boolean;
  numSamples?: number;
  generator?: RandomGenerator;
}

/**
 * Random indices into the data source: permutations (the last one cut to numSamples) or, with
 * replacement, randint draws in chunks of 32. Without a generator, each pass seeds a fresh one from
 * the global generator.
 */
export class RandomSampler extends Sampler<number> {
  readonly dataSource: Sized;
  readonly replacement: boolean;
  readonly generator: RandomGenerator | undefined;
  private readonly numSamplesOpt: number | undefined;

  constructor(dataSource: Sized, opts: RandomSamplerOptions = {}) {
    super();
    checkOptions("RandomSampler", opts, ["replacement", "numSamples", "generator"]);
    this.dataSource = dataSource;
    this.replacement = opts.replacement ?? false;
    this.numSamplesOpt = opts.numSamples;
    this.generator = opts.generator;
    if (typeof this.replacement !== "boolean") {
      throw new TypeError(`replacement should be a boolean value, but got replacement=${String(this.replacement)}`);
    }
    positiveInt("num_samples", this.numSamples);
  }

  /** numSamples if given, else the data source's current length (it may change between epochs). */
  get numSamples(): number {
    return this.numSamplesOpt ?? checkedLength(this.dataSource);
  }

  get length(): number {
    return this.numSamples;
  }

  *[Symbol.iterator](): Iterator<number> {
    const n = checkedLength(this.dataSource);
    const gen = this.generator ?? new RandomGeneratorClass(randomInt64(defaultGenerator));
    const total = this.numSamples;
    if (this.replacement) {
      const chunk = new Int32Array(32);
      for (let c = 0; c < Math.floor(total / 32); c++) {
        randint(gen, chunk, 0, n);
        yield* chunk;
      }
      const rest = new Int32Array(total % 32);
      randint(gen, rest, 0, n);
      yield* rest;
    } else {
      for (let c = 0; c < Math.floor(total / n); c++) yield* randperm(gen, n);
      // PyTorch draws this last permutation whole, even when it keeps none of it.
      yield* randperm(gen, n).subarray(0, total % n);
    }
  }
}

/** The given indices in a random order: indices[randperm(len)[k]], drawn from `generator` or the global one. */
export class SubsetRandomSampler extends Sampler<number> {
  readonly indices: readonly number[];
  readonly generator: RandomGenerator | undefined;
  constructor(indices: ArrayLike<number>, opts: { generator?: RandomGenerator } = {}) {
    super();
    checkOptions("SubsetRandomSampler", opts, ["generator"]);
    this.indices = Array.from(indices);
    this.generator = opts.generator;
  }
  *[Symbol.iterator](): Iterator<number> {
    for (const i of randperm(this.generator ?? defaultGenerator, this.indices.length)) yield this.indices[i];
  }
  get length(): number {
    return this.indices.length;
  }
}

/**
 * Indices drawn with probability proportional to `weights` (torch.multinomial on float64 weights).
 * Both of PyTorch 1.13's CPU paths are reproduced: with replacement, a binary search of one uniform
 * double per sample in the normalized cumulative weights; without, the top numSamples of
 * w / Exp(1) (exponential draws −log(1 − u), one per weight).
 */
export class WeightedRandomSampler extends Sampler<number> {
  /** The weights as a float64 tensor, as PyTorch keeps them. */
  readonly weights: Tensor;
  readonly numSamples: number;
  readonly replacement: boolean;
  readonly generator: RandomGenerator | undefined;

  constructor(weights: ArrayLike<number> | Tensor, numSamples: number, opts: { replacement?: boolean; generator?: RandomGenerator } = {}) {
    super();
    checkOptions("WeightedRandomSampler", opts, ["replacement", "generator"]);
    this.numSamples = positiveInt("num_samples", numSamples);
    this.replacement = bool("replacement", opts.replacement ?? true, RangeError);
    this.weights = weights instanceof Tensor ? weights.to("float64") : tensor(Float64Array.from(weights));
    if (this.weights.ndim !== 1) {
      throw new RangeError(`weights should be a 1d sequence but given weights have shape (${this.weights.shape.join(", ")})`);
    }
    this.generator = opts.generator;
  }

  *[Symbol.iterator](): Iterator<number> {
    yield* multinomial(this.weights.toArray() as Float64Array, this.numSamples, this.replacement, this.generator ?? defaultGenerator);
  }

  get length(): number {
    return this.numSamples;
  }
}

/** Groups a sampler's indices into arrays of batchSize; the last, shorter one is kept unless dropLast. */
export class BatchSampler extends Sampler<number[]> {
  readonly sampler: Iterable<number> & Partial<Sized>;
  readonly batchSize: number;
  readonly dropLast: boolean;

  constructor(sampler: Iterable<number> & Partial<Sized>, batchSize: number, dropLast: boolean) {
    super();
    this.sampler = sampler;
    this.batchSize = positiveInt("batch_size", batchSize);
    this.dropLast = bool("drop_last", dropLast, RangeError);
  }

  *[Symbol.iterator](): Iterator<number[]> {
    let batch: number[] = [];
    for (const i of this.sampler) {
      batch.push(i);
      if (batch.length === this.batchSize) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0 && !this.dropLast) yield batch;
  }

  get length(): number {
    const n = samplerLength(this.sampler);
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }
}

/** len(sampler): samplers and arrays have one; a bare iterable does not, as in Python. */
export function samplerLength(s: Iterable<unknown> & Partial<Sized>): number {
  if (s.length === undefined) throw new TypeError(`object of type '${typeName(s)}' has no len()`);
  return checkedLength(s as Sized);
}
