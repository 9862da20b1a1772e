import { Tensor } from "../tensor";
import { stack } from "../ops/index";
import { tensor } from "../creation";

/** What the default collate makes of a batch of T (tensors and numbers become tensors). */
export type Collated<T> = T extends Tensor
  ? Tensor
  : T extends number | boolean
    ? Tensor
    : T extends readonly unknown[]
      ? { [K in keyof T]: Collated<T[K]> }
      : T extends string
        ? string[]
        : T extends object
          ? { [K in keyof T]: Collated<T[K]> }
          : T[];

/**
 * torch's default_collate: stacks tensors along a new first dim, turns numbers into a float32 tensor
 * (JavaScript cannot tell 1 from 1.0) and booleans into a bool tensor, and recurses into arrays
 * (position by position) and plain objects (key by key). Strings stay as arrays.
 */
export function defaultCollate<T>(batch: readonly T[]): Collated<T> {
  if (batch.length === 0) throw new Error("default_collate: the batch is empty");
  const first = batch[0] as unknown;
  if (first instanceof Tensor) return stack(batch as unknown as Tensor[]) as Collated<T>;
  if (typeof first === "number") return tensor(batch as unknown as number[]) as Collated<T>;
  if (typeof first === "boolean") return tensor((batch as unknown as boolean[]).map(Number), { dtype: "bool" }) as Collated<T>;
  if (typeof first === "string") return batch.slice() as Collated<T>;
  if (Array.isArray(first)) {
    const n = first.length;
    if (!batch.every((b) => Array.isArray(b) && b.length === n)) throw new Error("each element in list of batch should be of equal size");
    return Array.from({ length: n }, (_, i) => defaultCollate((batch as unknown as unknown[][]).map((b) => b[i]))) as Collated<T>;
  }
  if (first !== null && typeof first === "object" && Object.getPrototypeOf(first) === Object.prototype) {
    const out: Record<string, unknown> = {};
    const items = batch as unknown as Record<string, unknown>[];
    for (const k of Object.keys(first)) {
      const values = items.map((b, i) => {
        // Own keys only: b["__proto__"] of an item without that key would be Object.prototype.
        if (b === null || typeof b !== "object" || !Object.prototype.hasOwnProperty.call(b, k)) {
          throw new Error(`default_collate: element ${i} of the batch has no key ${JSON.stringify(k)}`);
        }
        return b[k];
      });
      // defineProperty: an item key "__proto__" must become a key of the batch, not its prototype.
      Object.defineProperty(out, k, { value: defaultCollate(values), enumerable: true, writable: true, configurable: true });
    }
    return out as Collated<T>;
  }
  throw new TypeError(`default_collate: batch must contain tensors, numbers, booleans, strings, arrays or plain objects; found ${typeof first}`);
}
