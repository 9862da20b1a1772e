import { describe, expect, it } from "vitest";
import * as tg from "../../ts/index";
import { autograd, type Tensor } from "../../ts/index";
import reference from "../reference/function.json";

/** PyTorch's "Learning PyTorch with Examples" LegendrePolynomial3, line by line. */
class LegendrePolynomial3 extends autograd.Function {
  static override forward(ctx: autograd.FunctionCtx, input: Tensor): Tensor {
    ctx.saveForBackward(input);
    return input.pow(3).mul(5).sub(input.mul(3)).mul(0.5);
  }
  static override backward(ctx: autograd.FunctionCtx, gradOutput: Tensor): Tensor {
    const [input] = ctx.savedTensors as Tensor[];
    return gradOutput.mul(1.5).mul(input.pow(2).mul(5).sub(1));
  }
}

/** Two outputs, a non-tensor argument and a non-differentiable output. */
class ScaledSplit extends autograd.Function {
  static override forward(ctx: autograd.FunctionCtx, x: Tensor, y: Tensor, k: number): Tensor[] {
    ctx.saveForBackward(x, y);
    ctx.k = k;
    const mask = x.gt(0);
    ctx.markNonDifferentiable(mask);
    return [x.mul(y).mul(k), x.add(y), mask];
  }
  static override backward(ctx: autograd.FunctionCtx, gProd: Tensor, gSum: Tensor, gMask: Tensor): (Tensor | null)[] {
    const [x, y] = ctx.savedTensors as Tensor[];
    const k = ctx.k as number;
    expect(gMask.sum().item()).toBe(0);
    return [ctx.needsInputGrad[0] ? gProd.mul(y).mul(k).add(gSum) : null, ctx.needsInputGrad[1] ? gProd.mul(x).mul(k).add(gSum) : null, null];
  }
}

describe("autograd.Function", () => {
  it("ports LegendrePolynomial3: forward, gradFn name, backward, detached apply", () => {
    const x = tg.tensor([0.5, -1.2, 2], { requiresGrad: true });
    const P3 = LegendrePolynomial3.apply;
    const y = P3(x) as Tensor;
    expect(y.gradFn!.name).toBe("LegendrePolynomial3Backward");
    y.sum().backward();
    const want = [0.5, -1.2, 2].map((v) => 1.5 * (5 * v * v - 1));
    (x.grad!.tolist() as number[]).forEach((g, i) => expect(g).toBeCloseTo(want[i], 5));
    expect((y.tolist() as number[])[2]).toBeCloseTo(0.5 * (5 * 8 - 6), 5);
  });

  it("trains the tutorial's a + b·P3(c + d·x) fit on sin(x) with PyTorch's losses", () => {
    const x = tg.linspace(-Math.PI, Math.PI, 2000), y = x.sin();
    const p = (v: number) => tg.full([], v, { requiresGrad: true });
    const [a, b, c, d] = [p(0), p(-1), p(0), p(0.3)];
    const lr = 5e-6;
    for (let t = 0; t < 2000; t++) {
      const P3 = LegendrePolynomial3.apply;
      const yPred = a.add(b.mul(P3(c.add(d.mul(x))) as Tensor));
      const loss = yPred.sub(y).pow(2).sum();
      const want = (reference.losses as Record<string, number>)[String(t)];
      if (want !== undefined) expect(Math.abs(loss.item() - want) / want, `loss at step ${t}`).toBeLessThan(2e-4);
      loss.backward();
      tg.noGrad(() => {
        for (const q of [a, b, c, d]) {
          q.sub_(q.grad!.mul(lr));
          q.grad = null;
        }
      });
    }
    expect(b.item()).toBeCloseTo(reference.final[1], 4);
    expect(d.item()).toBeCloseTo(reference.final[3], 5);
  });

  it("passes gradcheck in float64, including second derivatives through a tensor-op backward", () => {
    const x = tg.randn([4], { dtype: "float64", requiresGrad: true });
    expect(autograd.gradcheck((t: Tensor) => LegendrePolynomial3.apply(t), [x])).toBe(true);
    const g2 = (t: Tensor): Tensor => {
      const [g] = autograd.grad([LegendrePolynomial3.apply(t).sum()], [t], { createGraph: true }) as Tensor[];
      return g.mul(t).sum();
    };
    expect(autograd.gradcheck(g2, [x])).toBe(true);
  });

  it("handles several inputs and outputs, non-tensor arguments, needsInputGrad and non-differentiable outputs", () => {
    const x = tg.tensor([1, -2, 3], { dtype: "float64", requiresGrad: true });
    const y = tg.tensor([0.5, 4, -1], { dtype: "float64" });
    const [prod, sum, mask] = ScaledSplit.apply(x, y, 2);
    expect(mask.requiresGrad).toBe(false);
    expect(prod.gradFn).toBe(sum.gradFn);
    expect(sum.gradFn!.nextFunctions.length).toBe(2);
    prod.sum().add(sum.mul(3).sum()).backward();
    expect(x.grad!.tolist()).toEqual([0.5 * 2 + 3, 4 * 2 + 3, -1 * 2 + 3]);
    expect(y.grad).toBeNull();
    const x2 = tg.randn([3], { dtype: "float64", requiresGrad: true }), y2 = tg.randn([3], { dtype: "float64", requiresGrad: true });
    expect(autograd.gradcheck((a: Tensor, b: Tensor) => {
      const [p, s] = ScaledSplit.apply(a, b, 1.5);
      return p.add(s.mul(s));
    }, [x2, y2])).toBe(true);
  });

  it("gives an output's gradient when only one of several outputs is used (the other arrives as zeros)", () => {
    const x = tg.tensor([1, 2], { requiresGrad: true }), y = tg.tensor([3, 4]);
    const [, sum] = ScaledSplit.apply(x, y, 5);
    sum.sum().backward();
    expect(x.grad!.tolist()).toEqual([1, 1]);
  });

  it("autograd.grad and retainGrad work on a second output", () => {
    const x = tg.tensor([1, 2], { dtype: "float64", requiresGrad: true }), y = tg.tensor([3, 4], { dtype: "float64" });
    const [p, s] = ScaledSplit.apply(x, y, 2);
    s.retainGrad();
    const loss = p.sum().add(s.mul(s).sum());
    const [gs] = autograd.grad([loss], [s], { retainGraph: true }) as Tensor[];
    expect(gs.tolist()).toEqual([8, 12]);
    loss.backward();
    expect(s.grad!.tolist()).toEqual([8, 12]);
  });

  it("refuses a wrong number of gradients and a gradient of the wrong shape, in PyTorch's words", () => {
    class Bad extends autograd.Function {
      static override forward(_ctx: autograd.FunctionCtx, x: Tensor): Tensor {
        return x.mul(2);
      }
      static override backward(_ctx: autograd.FunctionCtx, g: Tensor): (Tensor | null)[] {
        return [g, g];
      }
    }
    expect(() => Bad.apply(tg.ones(2, { requiresGrad: true })).sum().backward()).toThrow(
      "function BadBackward returned an incorrect number of gradients (expected 1, got 2)",
    );
    class Legendre3 extends autograd.Function {
      static override forward(_ctx: autograd.FunctionCtx, x: Tensor): Tensor {
        return x.mul(2);
      }
      static override backward(_ctx: autograd.FunctionCtx, _g: Tensor): Tensor {
        return tg.ones(3);
      }
    }
    expect(() => Legendre3.apply(tg.ones(2, { requiresGrad: true })).sum().backward()).toThrow(
      "Function Legendre3Backward returned an invalid gradient at index 0 - got [3] but expected shape compatible with [2]",
    );
  });

  it("detects a saved input modified in place before backward", () => {
    const x = tg.tensor([1, 2], { requiresGrad: true });
    const h = x.mul(1);
    const y = LegendrePolynomial3.apply(h);
    tg.noGrad(() => h.add_(1));
    expect(() => y.sum().backward()).toThrow(/modified by an inplace operation/);
  });

  it("records nothing under noGrad or when no input requires grad", () => {
    const x = tg.tensor([1, 2], { requiresGrad: true });
    expect(tg.noGrad(() => LegendrePolynomial3.apply(x)).requiresGrad).toBe(false);
    expect(LegendrePolynomial3.apply(tg.tensor([1, 2])).gradFn).toBeNull();
  });

  it("an output that is an input comes back as a new tensor with the Function's gradFn", () => {
    class Id extends autograd.Function {
      static override forward(_ctx: autograd.FunctionCtx, x: Tensor): Tensor {
        return x;
      }
      static override backward(_ctx: autograd.FunctionCtx, g: Tensor): Tensor {
        return g.mul(3);
      }
    }
    const x = tg.tensor([1, 2], { requiresGrad: true });
    const y = Id.apply(x);
    expect(y).not.toBe(x);
    expect(x.isLeaf).toBe(true);
    y.sum().backward();
    expect(x.grad!.tolist()).toEqual([3, 3]);
  });
});
