import type { Tensor } from "../tensor";

/** A map-style dataset (torch.utils.data.Dataset): subclasses give its length and item i. */
export abstract class Dataset<T> {
  abstract get length(): number;
  abstract getItem(index: number): T;
}

/**
 * A dataset's length, checked: NaN, ±Infinity, negative, fractional or non-number lengths would otherwise give an
 * empty epoch, an endless one, or indices that do not exist.
 */
export function checkedLength(dataset: { readonly length: number }): number {
  const n: unknown = dataset.length;
  if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 0) {
    const shown = typeof n === "string" ? JSON.stringify(n) : String(n);
    throw new Error(`the length of ${dataset.constructor?.name ?? "the dataset"} must be a non-negative integer, got ${shown}`);
  }
  return n;
}

/** Item i is [t0[i], t1[i], ...] for tensors sharing their first dimension. */
export class TensorDataset extends Dataset<Tensor[]> {
  readonly tensors: Tensor[];
  constructor(...tensors: Tensor[]) {
    super();
    if (tensors.length === 0) throw new Error("TensorDataset needs at least one tensor");
    const n = tensors[0].shape[0];
    if (!tensors.every((t) => t.ndim > 0 && t.shape[0] === n)) throw new Error("Size mismatch between tensors");
    this.tensors = tensors;
  }
  get length(): number {
    return this.tensors[0].shape[0];
  }
  getItem(index: number): Tensor[] {
    return this.tensors.map((t) => t.at(index));
  }
}

/**
 * An iterable-style dataset (torch.utils.data.IterableDataset). A subclass defines
 * `[Symbol.iterator]` (then DataLoader iterates it with for...of) or `[Symbol.asyncIterator]` (then with
 * for await, reading ahead a bounded number of batches). A `length` is optional, as __len__ is.
 * The base declares neither method, so subclasses implement them without `override`; the DataLoader's
 * parameter type requires one of them.
 */
export abstract class IterableDataset<T> {
  /** Marks T for inference and keeps datasets of different item types apart. @hidden */
  declare protected readonly __item?: T;
}

/** An IterableDataset that defines its iteration, sync or async. */
export type IterableDatasetOf<T> = IterableDataset<T> & (Iterable<T> | AsyncIterable<T>);
