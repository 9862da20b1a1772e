/**
 * Every public method and free function, called with wrong-typed arguments one slot at a time, must throw a
 * TypeError/RangeError that names the function and the argument (PyTorch's wording where it has one) —
 * never an internal message from deep inside the library.
 */
import { afterAll, describe, expect, it } from "vitest";
import * as tg from "../../ts/index";
import { tensorMethods } from "../../ts/tensor-methods";

type Kind =
  | "tensor" // required Tensor
  | "optTensor" // Tensor, or None (undefined/null)
  | "operand" // Tensor or number (bool counts as a number)
  | "int" // required integer
  | "optInt" // integer or None (undefined/null)
  | "maybeInt" // integer, or left out (undefined)
  | "number" // required number
  | "maybeNumber" // number, or left out
  | "optNumber" // number or None
  | "bool" // boolean, or left out
  | "dims" // None, an integer or an array of integers
  | "ints" // an integer or an array of integers, required
  | "sizes" // sizes as varargs or one array
  | "tensors" // array of tensors
  | "options" // options object, or left out
  | "target" // to(): dtype or device name, or { dtype, device }
  | "data" // tensor(): number, bool, (nested) array, typed array, Tensor
  | "seed" // integer or bigint
  | "str" // a string (its value may still be refused, with a message naming the function)
  | "optStr"; // a string, or None (undefined/null)

interface Slot {
  /** The argument's name; the error must contain it (or one of `alt`). */
  name: string;
  kind: Kind;
  valid: unknown;
  alt?: string[];
}

const BAD: [string, unknown][] = [
  ["object", { a: 1 }],
  ["array of strings", ["a"]],
  ["string", "a"],
  ["boolean", true],
  ["null", null],
  ["undefined", undefined],
  ["symbol", Symbol("s")],
  ["bigint", 1n],
  ["NaN", NaN],
  ["fraction", 1.5],
  ["function", () => 0],
];

/** Which of the BAD values a kind of argument legitimately takes (those are not error cases). */
function accepts(kind: Kind, v: unknown): boolean {
  const none = v === undefined || v === null;
  const isNum = typeof v === "number" || typeof v === "boolean";
  switch (kind) {
    case "tensor":
    case "int":
    case "tensors":
      return false;
    case "optTensor":
    case "optInt":
      return none;
    case "maybeInt":
      return v === undefined;
    case "operand":
    case "number":
      return isNum;
    case "maybeNumber":
      return isNum || v === undefined;
    case "optNumber":
      return isNum || none;
    case "bool":
      return v === undefined || typeof v === "boolean";
    case "dims":
      return none;
    case "sizes":
    case "ints":
      return false;
    case "options":
      return v === undefined || (typeof v === "object" && v !== null && !Array.isArray(v));
    case "target":
      return typeof v === "object" && v !== null && !Array.isArray(v);
    case "data":
      return typeof v === "number" || typeof v === "boolean";
    case "seed":
      return typeof v === "bigint";
    case "str":
      return typeof v === "string";
    case "optStr":
      return typeof v === "string" || none;
  }
}

const T = (...s: number[]) => tg.ones(s);
const I = (v: number[] | number[][]) => tg.tensor(v, { dtype: "int32" });
const mask = () => T(2, 3).gt(0);

const s = (name: string, kind: Kind, valid: unknown, alt?: string[]): Slot => ({ name, kind, valid, alt });
const other = (kind: Kind = "operand", valid: unknown = 2) => [s("other", kind, valid)];
const reduction = [s("dim", "dims", 1), s("keepdim", "bool", false)];
const argReduction = [s("dim", "optInt", 1), s("keepdim", "bool", false)];

/** Arguments of each Tensor method after self, and the self it is called on (default ones(2, 3)). */
const METHODS: Record<string, { slots: Slot[]; self?: () => tg.Tensor }> = {
  add: { slots: other() },
  sub: { slots: other() },
  mul: { slots: other() },
  div: { slots: other() },
  pow: { slots: [s("exponent", "operand", 2)] },
  leakyRelu: { slots: [s("negative_slope", "maybeNumber", 0.1)] },
  elu: { slots: [s("alpha", "maybeNumber", 1)] },
  clamp: { slots: [s("min", "optNumber", 0), s("max", "optNumber", 1)] },
  clip: { slots: [s("min", "optNumber", 0), s("max", "optNumber", 1)] },
  atan2: { slots: other("tensor", T(2, 3)) },
  remainder: { slots: other() },
  flip: { slots: [s("dims", "ints", 0)] },
  roll: { slots: [s("shifts", "ints", 1), s("dims", "dims", 0)] },
  repeat: { slots: [s("repeats", "sizes", [1, 2])] },
  tile: { slots: [s("dims", "sizes", [2, 1])] },
  split: { slots: [s("split_size_or_sections", "ints", 1), s("dim", "maybeInt", 0)] },
  chunk: { slots: [s("chunks", "int", 2), s("dim", "maybeInt", 0)] },
  tril: { slots: [s("diagonal", "maybeInt", 0)] },
  triu: { slots: [s("diagonal", "maybeInt", 0)] },
  maskedFill: { slots: [s("mask", "tensor", mask()), s("value", "operand", 0)] },
  outer: { slots: [s("vec2", "tensor", T(3))], self: () => T(2) },
  sort: { slots: [s("dim", "maybeInt", 1), s("descending", "bool", false)] },
  argsort: { slots: [s("dim", "maybeInt", 1), s("descending", "bool", false)] },
  topk: { slots: [s("k", "int", 1), s("dim", "maybeInt", 1), s("largest", "bool", true), s("sorted", "bool", true)] },
  cumsum: { slots: [s("dim", "int", 1)] },
  cumprod: { slots: [s("dim", "int", 1)] },
  any: { slots: [s("dim", "maybeInt", 1), s("keepdim", "bool", false)] },
  all: { slots: [s("dim", "maybeInt", 1), s("keepdim", "bool", false)] },
  norm: { slots: [s("p", "maybeNumber", 2), s("dim", "dims", 1), s("keepdim", "bool", false)] },
  multinomial: { slots: [s("num_samples", "int", 1), s("replacement", "bool", false), s("options", "options", undefined)] },
  maximum: { slots: other("tensor", T(2, 3)) },
  minimum: { slots: other("tensor", T(2, 3)) },
  eq: { slots: other() },
  ne: { slots: other() },
  gt: { slots: other() },
  lt: { slots: other() },
  ge: { slots: other() },
  le: { slots: other() },
  where: { slots: [s("condition", "tensor", mask()), s("other", "operand", 0)] },
  sum: { slots: reduction },
  mean: { slots: reduction },
  std: { slots: reduction },
  var: { slots: reduction },
  logsumexp: { slots: reduction },
  max: { slots: argReduction },
  min: { slots: argReduction },
  argmax: { slots: argReduction },
  argmin: { slots: argReduction },
  softmax: { slots: [s("dim", "int", 1)] },
  logSoftmax: { slots: [s("dim", "int", 1)] },
  matmul: { slots: other("tensor", T(3, 2)) },
  mm: { slots: [s("mat2", "tensor", T(3, 2))] },
  mv: { slots: [s("vec", "tensor", T(3))] },
  dot: { slots: [s("tensor", "tensor", T(3))], self: () => T(3) },
  transpose: { slots: [s("dim0", "int", 0), s("dim1", "int", 1)] },
  reshape: { slots: [s("shape", "sizes", [3, 2])] },
  view: { slots: [s("size", "sizes", [3, 2])] },
  viewAs: { slots: other("tensor", T(3, 2)) },
  expand: { slots: [s("size", "sizes", [2, 3])] },
  expandAs: { slots: other("tensor", T(2, 3)) },
  permute: { slots: [s("dims", "sizes", [1, 0])] },
  unsqueeze: { slots: [s("dim", "int", 0)] },
  squeeze: { slots: [s("dim", "dims", 0)] },
  flatten: { slots: [s("start_dim", "maybeInt", 0), s("end_dim", "maybeInt", -1)] },
  at: { slots: [s("indices", "int", 0)] },
  select: { slots: [s("dim", "int", 0), s("index", "int", 1)] },
  narrow: { slots: [s("dim", "int", 0), s("start", "int", 0), s("length", "int", 1)] },
  indexSelect: { slots: [s("dim", "int", 0), s("index", "tensor", I([0]))] },
  gather: { slots: [s("dim", "int", 0), s("index", "tensor", I([[0, 0, 0]]))] },
  scatter: { slots: [s("dim", "int", 0), s("index", "tensor", I([[0, 1, 0]])), s("src", "operand", 1), s("reduce", "optStr", undefined)] },
  scatter_: { slots: [s("dim", "int", 0), s("index", "tensor", I([[0, 1, 0]])), s("src", "operand", 1), s("reduce", "optStr", undefined)] },
  scatterAdd: { slots: [s("dim", "int", 0), s("index", "tensor", I([[0, 1, 0]])), s("src", "tensor", T(1, 3))] },
  indexAdd: { slots: [s("dim", "int", 0), s("index", "tensor", I([1, 0])), s("source", "tensor", T(2, 3)), s("options", "options", undefined)] },
  index: { slots: [s("indices", "tensors", [I([1, 0])])] },
  indexPut: { slots: [s("indices", "tensors", [I([1, 0])]), s("values", "tensor", T(3)), s("accumulate", "bool", false)] },
  indexPut_: { slots: [s("indices", "tensors", [I([1, 0])]), s("values", "tensor", T(3)), s("accumulate", "bool", false)] },
  maskedSelect: { slots: [s("mask", "tensor", mask())] },
  to: { slots: [s("dtype", "target", "float64")] },
  requiresGrad_: { slots: [s("requires_grad", "bool", true)] },
  backward: {
    slots: [s("gradient", "optTensor", undefined), s("options", "options", undefined)],
    self: () => tg.ones(2, { requiresGrad: true }).sum(),
  },
  add_: { slots: other() },
  sub_: { slots: other() },
  mul_: { slots: other() },
  div_: { slots: other() },
  fill_: { slots: [s("value", "number", 1)] },
  copy_: { slots: [s("src", "tensor", T(2, 3))] },
  clamp_: { slots: [s("min", "optNumber", 0), s("max", "optNumber", 1)] },
  uniform_: { slots: [s("from", "maybeNumber", 0), s("to", "maybeNumber", 1)] },
  normal_: { slots: [s("mean", "maybeNumber", 0), s("std", "maybeNumber", 1)] },
};
/** Methods without arguments (after self): nothing to get wrong but self, which a method call always has. */
const NO_ARGS = [
  "neg", "abs", "sign", "exp", "log", "sqrt", "rsqrt", "reciprocal", "square", "sin", "cos", "tanh", "sigmoid", "relu",
  "logicalNot", "t", "contiguous", "item", "tolist", "toArray", "clone", "float", "double", "int", "bool", "detach",
  "detach_", "zero_", "log1p", "expm1", "floor", "ceil", "round", "trunc", "isnan", "isinf", "erf",
];

const opts = s("options", "options", undefined);
const input = (valid: unknown = T(2, 3)) => s("input", "tensor", valid);
/** Free functions beyond the methods' free forms: creation, joins, seeding, nn.functional. */
const FREE: Record<string, { fn: (...a: unknown[]) => unknown; slots: Slot[] }> = {};
const F = tg.nn.functional as unknown as Record<string, (...a: unknown[]) => unknown>;
const G = tg as unknown as Record<string, (...a: unknown[]) => unknown>;
const free = (name: string, slots: Slot[], fn = G[name]) => (FREE[name] = { fn, slots });
free("tensor", [s("data", "data", [1, 2]), opts]);
for (const n of ["zeros", "ones", "empty", "rand", "randn"]) free(n, [s("size", "sizes", [2, 3]), s("options", "options", undefined, ["size"])]);
free("full", [s("size", "sizes", [2]), s("fill_value", "number", 1), opts]);
// randint(high, size) is an overload: an array in the high slot is read as the size.
free("randint", [s("low", "int", 0), s("high", "int", 5, ["size"]), s("size", "sizes", [3]), opts]);
free("randperm", [s("n", "int", 3), opts]);
free("linspace", [s("start", "number", 0), s("end", "number", 1), s("steps", "int", 3), opts]);
free("arange", [s("start", "number", 0), s("end", "maybeNumber", 5, ["options"]), s("step", "maybeNumber", 1, ["options"]), opts]);
free("eye", [s("n", "int", 2), s("m", "maybeInt", 3, ["options"]), opts]);
for (const n of ["zerosLike", "onesLike", "emptyLike", "randnLike", "randLike"]) free(n, [input(), opts]);
free("fullLike", [input(), s("fill_value", "number", 1), opts]);
free("cat", [s("tensors", "tensors", [T(2), T(3)]), s("dim", "maybeInt", 0)]);
free("stack", [s("tensors", "tensors", [T(2), T(2)]), s("dim", "maybeInt", 0)]);
free("manualSeed", [s("seed", "seed", 1)]);
const logp = () => tg.logSoftmax(T(2, 3), 1);
const lossSlots = (x: unknown, y: unknown) => [s("input", "tensor", x), s("target", "tensor", y), opts];
for (const n of ["relu", "tanh", "sigmoid"]) free(`F.${n}`, [input()], F[n]);
free("F.leakyRelu", [input(), s("negative_slope", "maybeNumber", 0.1)], F.leakyRelu);
free("F.elu", [input(), s("alpha", "maybeNumber", 1)], F.elu);
free("F.softmax", [input(), s("dim", "int", 1)], F.softmax);
free("F.logSoftmax", [input(), s("dim", "int", 1)], F.logSoftmax);
free("F.linear", [input(), s("weight", "tensor", T(4, 3)), s("bias", "optTensor", T(4))], F.linear);
free("F.dropout", [input(), s("p", "maybeNumber", 0.5), s("training", "bool", true)], F.dropout);
free("F.mseLoss", lossSlots(T(2, 3), T(2, 3)), F.mseLoss);
free("F.l1Loss", lossSlots(T(2, 3), T(2, 3)), F.l1Loss);
free("F.binaryCrossEntropy", lossSlots(T(2, 3).mul(0.5), T(2, 3)), F.binaryCrossEntropy);
free("F.binaryCrossEntropyWithLogits", lossSlots(T(2, 3), T(2, 3)), F.binaryCrossEntropyWithLogits);
free("F.nllLoss", lossSlots(logp(), I([0, 2])), F.nllLoss);
free("F.crossEntropy", lossSlots(T(2, 3), I([0, 2])), F.crossEntropy);
free("F.oneHot", [s("tensor", "tensor", I([0, 2])), s("num_classes", "maybeInt", 3)], F.oneHot);
free("F.pad", [input(T(1, 2, 3)), s("pad", "ints", [1, 1]), s("mode", "optStr", "reflect"), s("value", "optNumber", 0)], F.pad);
free("einsum", [s("equation", "str", "ij->ji"), s("operands", "tensor", T(2, 3))]);

/** Free forms of methods: `tg.add(input, other)`; where is where(condition, input, other). */
for (const [name, spec] of Object.entries(METHODS)) {
  if (typeof G[name] !== "function") continue;
  const self = spec.self ?? (() => T(2, 3));
  if (name === "where") {
    free(name, [s("condition", "tensor", mask()), s("input", "operand", self()), s("other", "operand", 0)]);
  } else {
    free(name, [input(self()), ...spec.slots]);
  }
}
for (const name of NO_ARGS) if (typeof G[name] === "function") free(name, [input()]);

/** Free functions that are another's alias: their messages name the function they alias. */
const ALIAS: Record<string, string> = { clip: "clamp" };
const messageName = (fnName: string): string => ALIAS[fnName] ?? fnName.replace(/^F\./, "");

/** Messages that come from deep inside, never from an argument check. */
const INTERNAL = /is not a function|Cannot read prop|Cannot mix BigInt|Cannot convert|Invalid typed array length|Maximum call stack|is not iterable|undefined \(reading|Cannot set prop|\._kv|\.map is/;

const stats = { cases: 0, clear: 0, acceptedCalls: 0 };

function callWith(name: string, call: (args: unknown[]) => unknown, slots: Slot[], at: number, v: unknown): unknown {
  const args = slots.map((sl) => sl.valid);
  args[at] = v;
  // Trailing left-out arguments are not passed at all (so a varargs function sees no extra undefined).
  while (args.length > 0 && args[args.length - 1] === undefined && at < args.length - 1) args.pop();
  return call(args);
}

function errorOf(f: () => unknown): Error | null {
  try {
    f();
    return null;
  } catch (e) {
    return e as Error;
  }
}

function checkAll(label: string, fnName: string, call: (args: unknown[]) => unknown, slots: Slot[], msgName: string): void {
  it(`${label}: valid arguments work`, () => {
    expect(errorOf(() => callWith(fnName, call, slots, 0, slots[0]?.valid))).toBeNull();
  });
  slots.forEach((slot, at) => {
    for (const [what, v] of BAD) {
      if (accepts(slot.kind, v)) {
        // A value of the right kind: it may be refused for its value, but only with a clear message.
        it(`${label}: ${slot.name} = ${what} (a value of the right kind) never fails internally`, () => {
          stats.acceptedCalls++;
          const e = errorOf(() => callWith(fnName, call, slots, at, v));
          if (e !== null) {
            expect(e.message).not.toMatch(INTERNAL);
            expect(e.message).toContain(msgName);
          }
        });
        continue;
      }
      it(`${label}: ${slot.name} = ${what} is a clear error`, () => {
        stats.cases++;
        const e = errorOf(() => callWith(fnName, call, slots, at, v));
        expect(e, "must throw").not.toBeNull();
        expect([TypeError, RangeError].some((c) => e instanceof c), `${e?.constructor.name}: ${e?.message}`).toBe(true);
        expect(e!.message).not.toMatch(INTERNAL);
        expect(e!.message).toContain(`${msgName}(`);
        const names = [slot.name, ...(slot.alt ?? [])];
        expect(names.some((n) => e!.message.includes(`'${n}'`) || e!.message.includes(n)), e!.message).toBe(true);
        const pos = /\(position (\d+)\)/.exec(e!.message);
        if (pos !== null && e!.message.includes(`'${slot.name}'`)) expect(Number(pos[1])).toBe(at + 1);
        stats.clear++;
      });
    }
  });
}

describe("argument checks at every public entry point", () => {
  it("every method of the Tensor table has a spec here (or takes no arguments)", () => {
    const missing = Object.keys(tensorMethods).filter((m) => !(m in METHODS) && !NO_ARGS.includes(m));
    // A method without a spec is still probed generically below; listing it here makes its checks exact.
    expect(missing.filter((m) => !GENERIC.has(m))).toEqual([]);
  });

  for (const [name, spec] of Object.entries(METHODS)) {
    const self = spec.self ?? (() => T(2, 3));
    checkAll(`x.${name}`, name, (args) => (self() as unknown as Record<string, (...a: unknown[]) => unknown>)[name](...args), spec.slots, name);
  }
  for (const [name, spec] of Object.entries(FREE)) {
    const label = name.startsWith("F.") ? `nn.functional.${name.slice(2)}` : `tg.${name}`;
    checkAll(label, name, (args) => spec.fn(...args), spec.slots, messageName(name));
  }

  it("methods without a spec (added later) at least never fail internally on a bad first argument", () => {
    for (const m of GENERIC) {
      for (const [, v] of BAD) {
        const e = errorOf(() => (T(2, 3) as unknown as Record<string, (...a: unknown[]) => unknown>)[m](v));
        if (e !== null) expect(e.message, `${m}: ${e.message}`).not.toMatch(INTERNAL);
      }
    }
  });

  afterAll(() => {
    // The count the reliability report quotes: every wrong-typed case gave a clear error.
    console.log(`argument checks: ${stats.clear}/${stats.cases} wrong-typed cases gave a clear error; ${stats.acceptedCalls} right-kind values probed`);
  });
});

/** Methods of the table that this file has no spec for (e.g. added by a later change). */
const GENERIC = new Set(Object.keys(tensorMethods).filter((m) => !(m in METHODS) && !NO_ARGS.includes(m)));

describe("shapes too large for a typed array", () => {
  it("are an Error naming the shape and its exact size, not V8's message", () => {
    for (const f of [() => tg.zeros(2 ** 31, 2 ** 31), () => tg.ones([2 ** 33]), () => tg.full([2 ** 40], 1), () => tg.randn(2 ** 31, 2 ** 31)]) {
      const e = errorOf(f);
      expect(e).toBeInstanceOf(RangeError);
      expect(e!.message).not.toMatch(/Invalid typed array length/);
    }
    expect(() => tg.zeros(2 ** 31, 2 ** 31)).toThrow("shape [2147483648, 2147483648] (4611686018427387904 elements of float32)");
    expect(() => tg.zeros(1).expand(2 ** 31, 2 ** 31).contiguous()).toThrow("[2147483648, 2147483648]");
  });
});

describe("manualSeed", () => {
  it("wrong types are TypeErrors naming manualSeed and seed", () => {
    expect(() => tg.manualSeed("abc" as unknown as number)).toThrow("manualSeed(): argument 'seed' (position 1) must be int, not str");
    expect(() => tg.manualSeed(1.5)).toThrow("manualSeed(): argument 'seed' (position 1) must be int, not float");
    expect(tg.manualSeed(3n).initialSeed()).toBe(3n);
  });
});
