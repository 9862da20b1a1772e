/**
 * The entries of an index as Python writes them (x[0, 1:3, ..., idx, mask]): their types, their checks, and
 * basicIndex, which applies the numbers, slices and "..." as views and turns masks into index tensors.
 */
import { Tensor } from "../tensor";
import { formatShape } from "../shape";
import { argError } from "./args";
import { pyType } from "./pytype";
import { select, unsqueeze } from "./views";
import { slice } from "./diagonal";
import { toArray } from "./convert";

/** Python's slice start:stop:step (step > 0), for one dim. */
export interface SliceIndex {
  start?: number | null;
  stop?: number | null;
  step?: number;
}

/** Nested arrays of integers (an index list, Python's x[[0, 2]]) or of booleans (a mask). */
export type IndexList = readonly (number | boolean | IndexList)[];

/**
 * One entry of an index: an int32 tensor (advanced index) or bool tensor (mask), a nested array of integers
 * or booleans (taken as such a tensor), null for a whole dim (Python's `:`, aten's None), a number
 * (selects, dropping the dim), a slice, or "..." (Ellipsis).
 */
export type IndexItem = Tensor | IndexList | null | number | SliceIndex | "...";

/** A nested array of integers or of booleans as an int32 / bool tensor; null when it is neither. */
function listTensor(list: readonly unknown[]): Tensor | null {
  const shape: number[] = [];
  for (let v: unknown = list; Array.isArray(v); v = v[0]) shape.push(v.length);
  const values: (number | boolean)[] = [];
  const walk = (v: unknown, depth: number): boolean => {
    if (depth === shape.length) {
      if (typeof v === "boolean" || (typeof v === "number" && Number.isInteger(v))) {
        values.push(v);
        return true;
      }
      return false;
    }
    return Array.isArray(v) && v.length === shape[depth] && v.every((e) => walk(e, depth + 1));
  };
  if (!walk(list, 0)) return null;
  const bool = values.length > 0 && typeof values[0] === "boolean";
  if (values.some((v) => (typeof v === "boolean") !== bool)) return null;
  const data = bool ? Uint8Array.from(values, Number) : Int32Array.from(values, Number);
  return new Tensor(data, shape, bool ? "bool" : "int32");
}


function isSlice(v: unknown): v is SliceIndex {
  return typeof v === "object" && v !== null && !(v instanceof Tensor) && !Array.isArray(v);
}

function checkItem(v: unknown, op: string, pos: number): void {
  if (Array.isArray(v)) {
    if (listTensor(v) === null) throw argError(op, "indices", pos, "a tuple of Tensor, int, slice, None or '...'", v);
    return;
  }
  if (v === null || v === "..." || typeof v === "number" || v instanceof Tensor) {
    if (typeof v === "number" && !Number.isInteger(v)) throw argError(op, "indices", pos, "a tuple of Tensor, int, slice, None or '...'", v);
    return;
  }
  if (isSlice(v)) {
    for (const k of Object.keys(v)) {
      if (k !== "start" && k !== "stop" && k !== "step") throw new TypeError(`${op}(): a slice takes start, stop and step, not '${k}'`);
    }
    for (const k of ["start", "stop", "step"] as const) {
      const s: unknown = v[k];
      if (s !== undefined && s !== null && !(typeof s === "number" && Number.isInteger(s))) {
        throw new TypeError(`${op}(): slice indices must be integers or None, but ${k} is ${pyType(s)}`);
      }
    }
    return;
  }
  throw argError(op, "indices", pos, "a tuple of Tensor, int, slice, None or '...'", v);
}

function checkIndexTensor(t: Tensor): void {
  if (t.dtype !== "int32" && t.dtype !== "bool") throw new TypeError("tensors used as indices must be long, int, byte or bool tensors");
}

/** Positions where a bool tensor is true, one int32 tensor per dim (torch.nonzero, transposed). */
function nonzeroColumns(mask: Tensor): Tensor[] {
  const m = toArray(mask);
  const shape = mask.shape;
  let count = 0;
  for (let i = 0; i < m.length; i++) if (m[i]) count++;
  const cols = shape.map(() => new Int32Array(count));
  let k = 0;
  for (let i = 0; i < m.length; i++) {
    if (!m[i]) continue;
    let rem = i;
    for (let d = shape.length - 1; d >= 0; d--) {
      cols[d][k] = rem % shape[d];
      rem = Math.floor(rem / shape[d]);
    }
    k++;
  }
  return cols.map((c) => new Tensor(c, [count], "int32"));
}

/**
 * Applies the numbers, slices and "..." (views, recorded as usual) and turns masks into index tensors:
 * the basic-indexed view and one entry per dim of it (an index tensor or null).
 */
export function basicIndex(x: Tensor, given: readonly IndexItem[], op: string): { v: Tensor; adv: (Tensor | null)[] } {
  given.forEach((it) => checkItem(it, op, 1));
  const items = given.map((it) => (Array.isArray(it) ? (listTensor(it) as Tensor) : it)) as (Tensor | null | number | SliceIndex | "...")[];
  let consumed = 0;
  let ellipses = 0;
  items.forEach((it) => {
    if (it === "...") ellipses++;
    else if (it instanceof Tensor) {
      checkIndexTensor(it);
      consumed += it.dtype === "bool" ? it.ndim : 1;
    } else consumed++;
  });
  if (ellipses > 1) throw new RangeError("an index can only have a single ellipsis ('...')");
  if (consumed > x.ndim) throw new RangeError(`too many indices for tensor of dimension ${x.ndim}`);
  let v = x;
  const adv: (Tensor | null)[] = [];
  let d = 0;
  for (const it of items) {
    if (it === "...") {
      for (let k = 0; k < x.ndim - consumed; k++) adv[d++] = null;
    } else if (it === null) {
      // A whole-dim slice, recorded as PyTorch records `:` (a SliceBackward0 view when nothing follows).
      v = slice(v, d, null, null, 1);
      adv[d++] = null;
    } else if (typeof it === "number") {
      v = select(v, d, it);
    } else if (it instanceof Tensor) {
      if (it.dtype !== "bool" && it.ndim === 0) {
        v = select(v, d, it.item());
      } else if (it.dtype === "bool" && it.ndim === 0) {
        v = unsqueeze(v, d);
        adv[d++] = new Tensor(new Int32Array(it.item() ? 1 : 0), [it.item() ? 1 : 0], "int32");
      } else if (it.dtype === "bool") {
        for (let j = 0; j < it.ndim; j++) {
          if (it.shape[j] !== v.shape[d + j]) {
            throw new RangeError(
              `The shape of the mask ${formatShape(it.shape)} at index ${j} does not match the shape of the indexed tensor ${formatShape(v.shape)} at index ${d + j}`,
            );
          }
        }
        for (const c of nonzeroColumns(it)) adv[d++] = c;
      } else {
        adv[d++] = it;
      }
    } else {
      v = slice(v, d, it.start ?? null, it.stop ?? null, it.step ?? 1);
      adv[d++] = null;
    }
  }
  return { v, adv };
}
