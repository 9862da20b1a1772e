/**
 * torch.einsum. Each operand first loses its repeated subscripts (diagonals) and the subscripts no one else
 * needs (sums); then operands are contracted left to right, each pair as one batched GEMM: the shared
 * subscripts still needed become the batch, the others are permuted and reshaped into [batch, M, K] ×
 * [batch, K, N]. "..." covers broadcast dims (aligned from the right). Everything is composed of
 * differentiable ops, so the gradient comes from them.
 */
import { Tensor } from "../tensor";
import { argError } from "./args";
import { pyType } from "./pytype";
import { diagonal } from "./diagonal";
import { sum } from "./reduce";
import { bmm } from "./linalg";
import { expand, permute, reshape, transpose } from "./views";

/** Letters are their char codes; the k-th dim covered by "..." is −1 − k (of the broadcast ellipsis). */
type Label = number;

interface Term {
  labels: Label[];
  /** Where "..." stands among the labels (−1 without one). */
  ellipsisAt: number;
}

const isLetter = (c: string): boolean => /^[a-zA-Z]$/.test(c);

function parseTerm(s: string, base: number, who: string): Term {
  const labels: Label[] = [];
  let ellipsisAt = -1;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === ".") {
      if (ellipsisAt >= 0) throw new RangeError(`einsum(): found '.' for ${who} for which an ellipsis was already found`);
      if (s.slice(i, i + 3) !== "...") throw new RangeError(`einsum(): found '.' for ${who} that is not part of any ellipsis`);
      ellipsisAt = labels.length;
      i += 2;
    } else if (isLetter(c)) {
      labels.push(c.charCodeAt(0));
    } else if (c !== " ") {
      throw new RangeError(`einsum(): invalid subscript given at index ${base + i} in the equation string, subscripts must be in [a-zA-Z]`);
    }
  }
  return { labels, ellipsisAt };
}

const name = (l: Label): string => String.fromCharCode(l);

/** An operand with one label per dim, all distinct. */
interface Operand {
  t: Tensor;
  labels: Label[];
}

/** The operand's labels per dim, its ellipsis dims labelled −1 − k from the right of the broadcast ellipsis. */
function labelDims(term: Term, t: Tensor, ellNdim: number): Label[] {
  const nEll = t.ndim - term.labels.length;
  if (term.ellipsisAt < 0) return term.labels.slice();
  const ell = Array.from({ length: nEll }, (_, k) => -1 - (ellNdim - nEll + k));
  return [...term.labels.slice(0, term.ellipsisAt), ...ell, ...term.labels.slice(term.ellipsisAt)];
}

/** Takes diagonals until no label repeats within the operand. */
function takeDiagonals(t: Tensor, labels: Label[], i: number): Operand {
  for (;;) {
    let a = -1;
    let b = -1;
    for (let x = 0; x < labels.length && a < 0; x++) {
      for (let y = x + 1; y < labels.length; y++) {
        if (labels[x] === labels[y]) {
          a = x;
          b = y;
          break;
        }
      }
    }
    if (a < 0) return { t, labels };
    if (t.shape[a] !== t.shape[b]) {
      throw new RangeError(`einsum(): subscript ${name(labels[a])} is repeated for operand ${i} but the sizes don't match, ${t.shape[b]} != ${t.shape[a]}`);
    }
    t = diagonal(t, 0, a, b);
    labels = [...labels.filter((_, k) => k !== a && k !== b), labels[a]];
  }
}

/** Sums the dims whose labels are not in `keep`. */
function sumUnneeded(op: Operand, keep: ReadonlySet<Label>): Operand {
  const dims = op.labels.map((l, d) => (keep.has(l) ? -1 : d)).filter((d) => d >= 0);
  if (dims.length === 0) return op;
  return { t: sum(op.t, dims), labels: op.labels.filter((l) => keep.has(l)) };
}

function sizeOf(op: Operand, l: Label): number {
  return op.t.shape[op.labels.indexOf(l)];
}

/** Expands op's size-1 dims to the sizes the other operand has for the same labels. */
function broadcastTo(op: Operand, other: Operand): Operand {
  const shape = op.labels.map((l, d) => {
    const j = other.labels.indexOf(l);
    return j >= 0 && op.t.shape[d] === 1 ? other.t.shape[j] : op.t.shape[d];
  });
  return shape.every((n, d) => n === op.t.shape[d]) ? op : { t: expand(op.t, shape), labels: op.labels };
}

const prod = (xs: readonly number[]): number => xs.reduce((a, b) => a * b, 1);

/**
 * op as the [batch, rows, cols] matrix of bmm (labels grouped so). When that permutation is not contiguous
 * but [batch, cols, rows] is (a contraction over a leading dim, as k in q·kᵀ), that view is taken and
 * transposed, which the GEMM reads without a copy.
 */
function asBatchMatrix(op: Operand, batch: Label[], rows: Label[], cols: Label[]): Tensor {
  const dims = (ls: Label[]) => ls.map((l) => op.labels.indexOf(l));
  const size = (ls: Label[]) => prod(ls.map((l) => sizeOf(op, l)));
  const [b, r, c] = [size(batch), size(rows), size(cols)];
  const direct = permute(op.t, [...dims(batch), ...dims(rows), ...dims(cols)]);
  if (!direct.isContiguous()) {
    const swapped = permute(op.t, [...dims(batch), ...dims(cols), ...dims(rows)]);
    if (swapped.isContiguous()) return transpose(reshape(swapped, [b, c, r]), 1, 2);
  }
  return reshape(direct, [b, r, c]);
}

/** One pairwise contraction through bmm; `keep` holds the labels still needed afterwards. */
function contract(a: Operand, b: Operand, keep: ReadonlySet<Label>): Operand {
  a = broadcastTo(sumUnneeded(a, new Set([...keep, ...b.labels])), b);
  b = broadcastTo(sumUnneeded(b, new Set([...keep, ...a.labels])), a);
  const batch = a.labels.filter((l) => b.labels.includes(l) && keep.has(l));
  const summed = a.labels.filter((l) => b.labels.includes(l) && !keep.has(l));
  const left = a.labels.filter((l) => !b.labels.includes(l));
  const right = b.labels.filter((l) => !a.labels.includes(l));
  const sizes = (op: Operand, ls: Label[]) => ls.map((l) => sizeOf(op, l));
  const r = bmm(asBatchMatrix(a, batch, left, summed), asBatchMatrix(b, batch, summed, right));
  return { t: reshape(r, [...sizes(a, batch), ...sizes(a, left), ...sizes(b, right)]), labels: [...batch, ...left, ...right] };
}

function checkSizes(ops: readonly Operand[]): void {
  const seen = new Map<Label, number>();
  ops.forEach((op, i) => {
    op.labels.forEach((l, d) => {
      const n = op.t.shape[d];
      const prev = seen.get(l);
      if (prev === undefined || prev === 1) seen.set(l, n);
      else if (n !== 1 && n !== prev) {
        if (l < 0) {
          throw new RangeError(
            `einsum(): dimension ${-1 - l} covered by ellipsis in operand ${i}has size ${n} which does not broadcast with previously seen ellipsis with size ${prev} for the respective dimension`,
          );
        }
        throw new RangeError(`einsum(): subscript ${name(l)} has size ${n} for operand ${i} which does not broadcast with previously seen size ${prev}`);
      }
    });
  });
}

interface Parsed {
  terms: Term[];
  output: Label[];
  ellNdim: number;
}

/** Parsed equations by equation and operand ranks: a training loop parses its einsum once. */
const parsedCache = new Map<string, Parsed>();
const PARSED_CACHE_SIZE = 256;

function parseEquation(equation: string, ndims: readonly number[]): Parsed {
  const key = `${equation}|${ndims.join(",")}`;
  const hit = parsedCache.get(key);
  if (hit !== undefined) return hit;
  const parsed = parseUncached(equation, ndims);
  if (parsedCache.size >= PARSED_CACHE_SIZE) parsedCache.delete(parsedCache.keys().next().value as string);
  parsedCache.set(key, parsed);
  return parsed;
}

function parseUncached(equation: string, ndims: readonly number[]): Parsed {
  const arrow = equation.indexOf("->");
  const lhs = arrow < 0 ? equation : equation.slice(0, arrow);
  const parts = lhs.split(",");
  if (parts.length < ndims.length) throw new RangeError("einsum(): more operands were provided than specified in the equation");
  if (parts.length > ndims.length) throw new RangeError("einsum(): fewer operands were provided than specified in the equation");
  let base = 0;
  const terms = parts.map((p, i) => {
    const term = parseTerm(p, base, `operand ${i}`);
    base += p.length + 1;
    return term;
  });
  let ellNdim = 0;
  terms.forEach((term, i) => {
    const nd = ndims[i];
    const n = term.labels.length;
    if (term.ellipsisAt < 0 && n !== nd) {
      throw new RangeError(`einsum(): the number of subscripts in the equation (${n}) does not match the number of dimensions (${nd}) for operand ${i} and no ellipsis was given`);
    }
    if (term.ellipsisAt >= 0 && n > nd) {
      throw new RangeError(`einsum(): the number of subscripts in the equation (${n}) is more than the number of dimensions (${nd}) for operand ${i}`);
    }
    if (term.ellipsisAt >= 0) ellNdim = Math.max(ellNdim, nd - n);
  });
  const ellLabels = Array.from({ length: ellNdim }, (_, k) => -1 - k);
  let output: Label[];
  if (arrow >= 0) {
    const out = parseTerm(equation.slice(arrow + 2), arrow + 2, "output");
    const all = new Set(terms.flatMap((t) => t.labels));
    out.labels.forEach((l, k) => {
      if (out.labels.indexOf(l) !== k) throw new RangeError(`einsum(): output subscript ${name(l)} appears more than once in the output`);
      if (!all.has(l)) throw new RangeError(`einsum(): output subscript ${name(l)} does not appear in the equation for any input operand`);
    });
    output = out.ellipsisAt < 0 ? out.labels : [...out.labels.slice(0, out.ellipsisAt), ...ellLabels, ...out.labels.slice(out.ellipsisAt)];
  } else {
    const count = new Map<Label, number>();
    for (const t of terms) for (const l of t.labels) count.set(l, (count.get(l) ?? 0) + 1);
    const once = [...count.keys()].filter((l) => count.get(l) === 1).sort((x, y) => x - y);
    output = [...ellLabels, ...once];
  }
  return { terms, output, ellNdim };
}

/** torch.einsum(equation, ...operands); the operands may also be given as one array. */
export function einsum(equation: string, ...operands: (Tensor | readonly Tensor[])[]): Tensor {
  if (typeof equation !== "string") throw argError("einsum", "equation", 1, "str", equation);
  const list = (operands.length === 1 && Array.isArray(operands[0]) ? operands[0] : operands) as unknown[];
  list.forEach((t, i) => {
    if (!(t instanceof Tensor)) {
      throw new TypeError(`einsum(): argument 'operands' (position 2) must be tuple of Tensors, but found element of type ${pyType(t)} at pos ${i}`);
    }
  });
  const tensors = list as Tensor[];
  if (tensors.length === 0) {
    throw new RangeError("einsum(): must specify the equation string and at least one operand, or at least one operand and its subscripts list");
  }
  const { terms, output, ellNdim } = parseEquation(equation, tensors.map((t) => t.ndim));
  let ops = terms.map((term, i) => takeDiagonals(tensors[i], labelDims(term, tensors[i], ellNdim), i));
  checkSizes(ops);
  const outSet = new Set(output);
  ops = ops.map((op, i) => {
    const others = new Set(ops.filter((_, j) => j !== i).flatMap((o) => o.labels));
    return sumUnneeded(op, new Set([...outSet, ...others]));
  });
  let cur = ops[0];
  for (let i = 1; i < ops.length; i++) {
    const later = new Set([...outSet, ...ops.slice(i + 1).flatMap((o) => o.labels)]);
    cur = contract(cur, ops[i], later);
  }
  cur = sumUnneeded(cur, outSet);
  // Output labels whose dims broadcast away (size 1 everywhere they appear) are all present by now.
  const order = output.map((l) => cur.labels.indexOf(l));
  return order.every((d, k) => d === k) ? cur.t : permute(cur.t, order);
}
