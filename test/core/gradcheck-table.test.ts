/**
 * Every differentiable elementwise op of the op table that is a Tensor method, gradchecked in float64 with
 * broadcasting (first and second derivatives): a new op gets its gradient checked without touching this file.
 */
import { describe, expect, it } from "vitest";
import * as tg from "../../ts/index";
import { BINARY_OP_NAMES, UNARY_OPS, isComparison, testCases } from "../../ts/backend/op-table";
import { tensorMethods } from "../../ts/tensor-methods";
import { randF64 } from "../support/tensors";
import { Rng } from "../support/rng";

type T = tg.Tensor;
const methods = tensorMethods as unknown as Record<string, (this: T, ...a: unknown[]) => T>;
/** Ops whose kinks or domain need inputs of their own; they have hand-written gradchecks in gradcheck.test.ts. */
const HAND_CHECKED = new Set(["abs", "sign", "relu", "log", "sqrt", "rsqrt", "reciprocal", "maximum", "minimum", "pow", "div"]);
const NOT_DIFFERENTIABLE = new Set(["logicalNot", "isnan", "isinf"]);

describe("gradcheck over the op table (float64)", () => {
  const binary = BINARY_OP_NAMES.filter((op) => !isComparison(op) && op in methods && !HAND_CHECKED.has(op));
  for (const op of binary) {
    it(`${op}: gradients for both inputs, broadcast, and second derivatives`, () => {
      const rng = new Rng(op.length * 101);
      const a = randF64(rng, [2, 3], 0.3, 1.7).requiresGrad_();
      const b = randF64(rng, [3], -1.7, -0.3).requiresGrad_();
      const f = (x: T, y: T): T => methods[op].call(x, y);
      expect(f(a, b).requiresGrad, "the op records a gradient").toBe(true);
      expect(tg.autograd.gradcheck(f, [a, b])).toBe(true);
      // second derivatives: the gradient of a scalar function of the first gradients
      const g2 = (x: T, y: T): T => {
        const [gx, gy] = tg.autograd.grad([f(x, y).sum()], [x, y], { createGraph: true }) as T[];
        return gx.mul(x).sum().add(gy.mul(y).sum());
      };
      expect(tg.autograd.gradcheck(g2, [a, b])).toBe(true);
    });
  }
  const unary = testCases(UNARY_OPS).filter(([op]) => op in methods && !HAND_CHECKED.has(op) && !NOT_DIFFERENTIABLE.has(op));
  for (const [op, ...params] of unary) {
    it(`${op}(${params.join(", ")}): gradient`, () => {
      const x = randF64(new Rng(op.length * 7), [5], 0.3, 1.7).requiresGrad_();
      const f = (t: T): T => methods[op].call(t, ...params.map((p) => (Number.isNaN(p) ? undefined : p)));
      expect(f(x).requiresGrad, "the op records a gradient").toBe(true);
      expect(tg.autograd.gradcheck(f, [x])).toBe(true);
    });
  }
});
