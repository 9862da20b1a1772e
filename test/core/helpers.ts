/**
 * Shared helpers for the core suites: load PyTorch's reference JSON (test/reference/ops.json, made by
 * gen_ops.py), build tensors from it, run a recorded call through tensorgrad's public API, and compare
 * with tolerances. Only the public API ("../../ts/index") is used.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import * as tg from "../../ts/index";

export type DTypeName = "float32" | "float64" | "int32" | "bool";
export interface Encoded {
  values: (number | string)[];
  shape: number[];
  dtype: DTypeName;
}
export interface Grad {
  values: number[];
  shape: number[];
}
export type Arg = number | boolean | null | Arg[] | { t: number } | { gt0: number } | { tT: number };
export interface OpCase {
  name: string;
  call: { kind: "method" | "fn"; name: string; args: Arg[] };
  inputs: (Encoded & { requiresGrad: boolean })[];
  pick?: "values" | "indices";
  free?: boolean;
  out: Encoded;
  g: Grad | null;
  grads: (Grad | null)[];
}
export interface LectureRef {
  X: number[][];
  y: number[];
  scale: number;
  yPred: number[];
  yPredStr: string;
  loss: number;
  lossStr: string;
  WGrad: number[];
  bGrad: number[];
  lossEvery100: number[];
  WAfter1000: number[];
  bAfter1000: number[];
}
export interface Reference {
  torch: string;
  cases: OpCase[];
  creation: Record<string, Encoded>;
  printing: Record<string, Partial<Encoded> & { str: string }>;
  errors: Record<string, string>;
  gradFn: Record<string, string>;
  lecture: { slides: LectureRef; datasetClass: LectureRef };
}

export const ref: Reference = JSON.parse(
  readFileSync(fileURLToPath(new URL("../reference/ops.json", import.meta.url)), "utf8"),
) as Reference;

export type T = tg.Tensor;
// Dynamic dispatch by the recorded op name (the JSON names the camelCase API).
type AnyFn = (...a: unknown[]) => unknown;

/** Nested arrays from flat values and a shape (a number for shape []). */
export function nest(values: readonly number[], shape: readonly number[]): unknown {
  if (shape.length === 0) return values[0];
  const [n, ...rest] = shape;
  const step = rest.reduce((a, b) => a * b, 1);
  const out: unknown[] = [];
  for (let i = 0; i < n!; i++) out.push(nest(values.slice(i * step, (i + 1) * step), rest));
  return out;
}

function num(v: number | string): number {
  if (v === "NaN") return NaN;
  if (v === "Infinity") return Infinity;
  if (v === "-Infinity") return -Infinity;
  return v as number;
}

/** A tensor from an encoded reference entry, via tensor(nested, opts) and reshape for empty shapes. */
export function fromEncoded(e: Encoded, requiresGrad = false): T {
  const vals = e.values.map(num);
  const n = e.shape.reduce((a, b) => a * b, 1);
  if (n === 0) return tg.tensor([], { dtype: e.dtype }).reshape(...e.shape);
  const t = tg.tensor(nest(vals, e.shape) as number[], { dtype: e.dtype, requiresGrad });
  return t;
}

/** All elements in row-major order, as numbers (bools → 0/1), read through tolist(). */
export function flat(t: T): number[] {
  const out: number[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else out.push(Number(v));
  };
  walk(t.tolist());
  return out;
}

const TRANSCENDENTAL = new Set([
  "exp", "log", "sqrt", "sin", "cos", "tanh", "sigmoid", "elu", "pow", "div",
  "softmax", "logSoftmax", "logsumexp", "std", "var", "mean",
]);

/** Relative tolerance for an op in a dtype: float32 ~1e-6 (transcendentals 2e-6), float64 1e-12. */
export function rtolFor(op: string, dtype: string): number {
  if (dtype === "float64") return 1e-12;
  if (dtype === "float32") return TRANSCENDENTAL.has(op) ? 2e-6 : 1e-6;
  return 0;
}

/**
 * |got - exp| <= rtol·|exp| + rtol·max(1, max|exp|) elementwise (the second term absorbs rounding of
 * values near zero that come from sums of larger terms). rtol 0 → exact.
 */
export function expectClose(got: readonly number[], exp: readonly number[], rtol: number, what = ""): void {
  expect(got.length, `${what} length`).toBe(exp.length);
  const scale = Math.max(1, ...exp.map((v) => (Number.isFinite(v) ? Math.abs(v) : 0)));
  const bad: string[] = [];
  for (let i = 0; i < exp.length; i++) {
    const e = exp[i]!;
    const g = got[i]!;
    if (Number.isNaN(e) ? Number.isNaN(g) : g === e) continue;
    if (Math.abs(g - e) <= rtol * Math.abs(e) + rtol * scale) continue;
    bad.push(`[${i}] expected ${e}, got ${g}`);
  }
  expect(bad.slice(0, 5).join("; "), `${what} values (rtol ${rtol})`).toBe("");
}

/** Shape, dtype and values of `t` against an encoded reference. */
export function expectTensor(t: T, e: Encoded, rtol: number, what = "output"): void {
  expect([...t.shape], `${what} shape`).toEqual(e.shape);
  expect(t.dtype, `${what} dtype`).toBe(e.dtype);
  expectClose(flat(t), e.values.map(num), rtol, what);
}

/** Inputs of a case as fresh tensors (leaves), with their recorded requiresGrad. */
export function buildInputs(c: OpCase): T[] {
  return c.inputs.map((e) => fromEncoded(e, e.requiresGrad));
}

function resolve(a: Arg, xs: T[]): unknown {
  if (a === null) return undefined;
  if (Array.isArray(a)) return a.map((v) => resolve(v, xs));
  if (typeof a === "object") {
    if ("t" in a) return xs[a.t];
    if ("gt0" in a) return xs[a.gt0]!.gt(0);
    if ("tT" in a) return xs[a.tT]!.t();
  }
  return a;
}

/** Runs the recorded call: a method on args[0] or, with `free`, tg.<name>(...args). */
export function runCase(c: OpCase, xs: T[], asFree = false): T {
  const args = c.call.args.map((a) => resolve(a, xs));
  let out: unknown;
  if (c.call.kind === "fn" || asFree) {
    const fn = (tg as unknown as Record<string, AnyFn>)[c.call.name];
    if (typeof fn !== "function") throw new Error(`tg.${c.call.name} is not a function`);
    out = fn(...args);
  } else {
    const self = args[0] as Record<string, AnyFn>;
    const method = self[c.call.name];
    if (typeof method !== "function") throw new Error(`Tensor.${c.call.name} is not a method`);
    out = method.apply(self, args.slice(1));
  }
  if (c.pick) out = (out as Record<string, unknown>)[c.pick];
  return out as T;
}

/** Forward check: values, shape, dtype, and whether the result requires grad (as PyTorch). */
export function checkForward(c: OpCase, asFree = false): void {
  const xs = buildInputs(c);
  const out = runCase(c, xs, asFree);
  expectTensor(out, c.out, rtolFor(c.call.name, c.out.dtype));
  expect(out.requiresGrad, "output requiresGrad").toBe(c.g !== null);
}

/** Backward check: out.backward(g) gives PyTorch's gradient for every input that requires grad. */
export function checkBackward(c: OpCase): void {
  if (c.g === null) return;
  const xs = buildInputs(c);
  const out = runCase(c, xs);
  const g = fromEncoded({ values: c.g.values, shape: c.g.shape, dtype: c.out.dtype });
  out.backward(g);
  c.grads.forEach((gr, i) => {
    if (gr === null) {
      expect(xs[i]!.grad, `grad of input ${i}`).toBeNull();
      return;
    }
    const got = xs[i]!.grad;
    expect(got, `grad of input ${i}`).not.toBeNull();
    expectTensor(got!, { values: gr.values, shape: gr.shape, dtype: c.inputs[i]!.dtype }, 2 * rtolFor(c.call.name, c.inputs[i]!.dtype), `grad of input ${i}`);
  });
}

/** Cases whose op is one of `ops` (optionally filtered by a name predicate). */
export function casesOf(ops: readonly string[], keep: (c: OpCase) => boolean = () => true): OpCase[] {
  return ref.cases.filter((c) => ops.includes(c.call.name) && keep(c));
}

/** Tiny deterministic LCG (same constants as gen_ops.py) for inputs that need no reference. */
export function lcg(seed: number): (lo?: number, hi?: number) => number {
  let s = seed & 0x7fffffff;
  return (lo = -1, hi = 1) => {
    s = Number((1103515245n * BigInt(s) + 12345n) & 0x7fffffffn);
    return lo + ((hi - lo) * s) / 0x80000000;
  };
}

/** A float64 tensor of `shape` with LCG values in [lo, hi], requiring grad. */
export function randF64(rand: ReturnType<typeof lcg>, shape: number[], lo = -1, hi = 1): T {
  const n = shape.reduce((a, b) => a * b, 1);
  const vals = Array.from({ length: n }, () => rand(lo, hi));
  return tg.tensor(nest(vals, shape) as number[], { dtype: "float64", requiresGrad: true });
}
