import { describe, expect, it } from "vitest";
import * as tg from "../../ts/index";
import * as ops from "../../ts/ops/index";
import { tensorMethods } from "../../ts/tensor-methods";

/** Methods with no torch.* free function in PyTorch (or whose free form is spelled differently). */
const METHOD_ONLY = new Set([
  "viewAs", "expandAs", "contiguous", "at", "item", "tolist", "toArray", "to", "float", "double", "int", "bool",
  "detach_", "requiresGrad_", "backward", "add_", "sub_", "mul_", "div_", "zero_", "fill_", "copy_", "clamp_",
  "uniform_", "normal_", "repeat", "slice", "scatter_", "index",
]);
/** Free functions with no Tensor method. */
const FREE_ONLY = new Set(["cat", "stack", "clip", "meshgrid", "einsum"]);

const methodNames = Object.keys(tensorMethods);
const exported = tg as unknown as Record<string, unknown>;
const opsFns = ops as unknown as Record<string, unknown>;

describe("one list of the public Tensor methods", () => {
  it("every method of the table is on the prototype, and every Tensor instance has it", () => {
    const t = tg.ones(2);
    for (const name of methodNames) {
      expect(typeof (tg.Tensor.prototype as unknown as Record<string, unknown>)[name], name).toBe("function");
      expect(typeof (t as unknown as Record<string, unknown>)[name], name).toBe("function");
    }
  });

  it("methods are not enumerable (a tensor spreads and logs like data, as class methods do)", () => {
    expect(Object.keys(tg.Tensor.prototype)).toEqual([]);
  });

  it("every method that has a free function in the ops layer is exported as tg.<name>, unless PyTorch has none", () => {
    const missing = methodNames.filter((m) => typeof opsFns[m] === "function" && !METHOD_ONLY.has(m) && typeof exported[m] !== "function");
    expect(missing).toEqual([]);
  });

  it("every exported op function is a Tensor method too (or one of PyTorch's free-only functions)", () => {
    const opNames = new Set(Object.keys(opsFns).filter((k) => typeof opsFns[k] === "function"));
    const stray = Object.keys(exported).filter(
      (k) => typeof exported[k] === "function" && (opNames.has(k) || exported[k] === opsFns[k]) && !methodNames.includes(k) && !FREE_ONLY.has(k),
    );
    expect(stray).toEqual([]);
  });

  it("the exceptions lists name real methods and functions only", () => {
    for (const m of METHOD_ONLY) {
      expect(methodNames, m).toContain(m);
      expect(typeof exported[m], `${m} is exported after all: drop it from METHOD_ONLY`).toBe("undefined");
    }
    for (const f of FREE_ONLY) expect(typeof exported[f], f).toBe("function");
  });
});
