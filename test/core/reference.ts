/**
 * PyTorch's reference for the core suites: load test/reference/ops.json (made by gen_ops.py), build
 * tensors from it, run a recorded call through tensorgrad's public API, and compare with tolerances.
 * Only the public API ("../../ts/index") is used.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import * as tg from "../../ts/index";
import { expectClose, type Tolerance } from "../support/close";
import { flat, nest } from "../support/tensors";

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
 * The tolerance of a comparison with the reference values `exp`: |got - exp| <= rtol·|exp| +
 * rtol·max(1, max|exp|) elementwise (the second term absorbs rounding of values near zero that come from
 * sums of larger terms). rtol 0 → exact.
 */
function refTol(exp: readonly number[], rtol: number): Tolerance {
  const scale = exp.reduce((m, v) => (Number.isFinite(v) ? Math.max(m, Math.abs(v)) : m), 1);
  return { rtol, atol: rtol * scale };
}

/** Asserts `got` is close to the reference values `exp` within refTol(exp, rtol). */
export function expectRef(got: readonly number[], exp: readonly number[], rtol: number, what = "values"): void {
  expectClose(got, exp, refTol(exp, rtol), what);
}

/** Shape, dtype and values of `t` against an encoded reference. */
export function expectTensor(t: T, e: Encoded, rtol: number, what = "output"): void {
  expect([...t.shape], `${what} shape`).toEqual(e.shape);
  expect(t.dtype, `${what} dtype`).toBe(e.dtype);
  expectRef(flat(t), e.values.map(num), rtol, `${what} values`);
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
