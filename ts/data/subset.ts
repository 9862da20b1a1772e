/** Datasets made of other datasets: Subset, ConcatDataset, and randomSplit into Subsets. */
import { Tensor } from "../tensor";
import { type Generator as RandomGenerator, defaultGenerator, randperm } from "../random/index";
import { checkedLength, Dataset, IterableDataset } from "./dataset";
import { checkOptions } from "./options";

/** Python's list indexing: negative from the end; outside the list is an IndexError. */
function listIndex(index: number, n: number): number {
  if (!Number.isInteger(index)) throw new TypeError(`list indices must be integers, not ${String(index)}`);
  const i = index < 0 ? index + n : index;
  if (i < 0 || i >= n) throw new RangeError("list index out of range");
  return i;
}

/** The items of `dataset` at `indices`, in that order (torch.utils.data.Subset). */
export class Subset<T> extends Dataset<T> {
  readonly dataset: Dataset<T>;
  readonly indices: readonly number[];
  constructor(dataset: Dataset<T>, indices: ArrayLike<number> | Iterable<number> | Tensor) {
    super();
    this.dataset = dataset;
    this.indices = Array.from((indices instanceof Tensor ? indices.toArray() : indices) as ArrayLike<number>);
  }
  get length(): number {
    return this.indices.length;
  }
  getItem(index: number): T {
    return this.dataset.getItem(this.indices[listIndex(index, this.indices.length)]);
  }
}

/** Datasets one after another (torch.utils.data.ConcatDataset); lengths are read once, at construction. */
export class ConcatDataset<T> extends Dataset<T> {
  readonly datasets: readonly Dataset<T>[];
  /** cumulativeSizes[k] is the total length of datasets 0…k. */
  readonly cumulativeSizes: readonly number[];
  constructor(datasets: Iterable<Dataset<T>>) {
    super();
    this.datasets = Array.from(datasets);
    if (this.datasets.length === 0) throw new Error("datasets should not be an empty iterable");
    let total = 0;
    this.cumulativeSizes = this.datasets.map((d) => {
      if ((d as unknown) instanceof IterableDataset) throw new Error("ConcatDataset does not support IterableDataset");
      return (total += checkedLength(d));
    });
  }
  get length(): number {
    return this.cumulativeSizes[this.cumulativeSizes.length - 1];
  }
  getItem(index: number): T {
    let idx = index;
    if (idx < 0) {
      if (-idx > this.length) throw new RangeError("absolute value of index should not exceed dataset length");
      idx += this.length;
    }
    // bisect_right: the first dataset whose cumulative size exceeds idx (skips empty datasets).
    const sizes = this.cumulativeSizes;
    let lo = 0;
    let hi = sizes.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (idx < sizes[mid]) hi = mid;
      else lo = mid + 1;
    }
    if (lo === this.datasets.length) throw new RangeError("list index out of range");
    return this.datasets[lo].getItem(lo === 0 ? idx : idx - sizes[lo - 1]);
  }
}

/** Python's math.isclose(a, b) with its default rel_tol = 1e-9 and abs_tol = 0. */
function isClose(a: number, b: number): boolean {
  return a === b || Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
}

/**
 * Splits a dataset into non-overlapping Subsets of the given lengths, through randperm(total) drawn
 * from `generator` (the global one by default), as torch.utils.data.random_split. Lengths may be
 * fractions summing to 1: each becomes floor(n · fraction), and the remainder is handed out one by
 * one, round-robin, from the first split.
 */
export function randomSplit<T>(dataset: Dataset<T>, lengths: readonly number[], opts: { generator?: RandomGenerator } = {}): Subset<T>[] {
  checkOptions("randomSplit", opts, ["generator"]);
  const n = checkedLength(dataset);
  // Python's sum(): left to right (PyTorch 1.13's Pythons, before 3.12's compensated sum).
  const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
  let counts = lengths.slice();
  if (isClose(sum(lengths), 1) && sum(lengths) <= 1) {
    counts = lengths.map((frac, i) => {
      if (frac < 0 || frac > 1) throw new RangeError(`Fraction at index ${i} is not between 0 and 1`);
      return Math.floor(n * frac);
    });
    const remainder = n - sum(counts);
    for (let i = 0; i < remainder; i++) counts[i % counts.length] += 1;
    counts.forEach((c, i) => {
      if (c === 0) process.emitWarning(`Length of split at index ${i} is 0. This might result in an empty dataset.`, "UserWarning");
    });
  }
  if (sum(counts) !== n) throw new RangeError("Sum of input lengths does not equal the length of the input dataset!");
  for (const c of counts) {
    if (!Number.isSafeInteger(c) || c < 0) throw new RangeError(`randomSplit: lengths must be non-negative integers or fractions summing to 1, got ${String(c)}`);
  }
  const perm = Array.from(randperm(opts.generator ?? defaultGenerator, n));
  let offset = 0;
  return counts.map((c) => new Subset(dataset, perm.slice(offset, (offset += c))));
}
