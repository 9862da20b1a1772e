import { afterEach, describe, expect, it, vi } from "vitest";
import * as tg from "../../ts/index";
import { flat } from "../support/tensors";
import { ref } from "./reference";

type T = tg.Tensor;
const rgOnes = (...s: number[]) => tg.ones(s, { requiresGrad: true });

afterEach(() => {
  vi.restoreAllMocks();
  tg.setGradEnabled(true);
});

describe("graph construction", () => {
  it("requiresGrad is contagious; results of untracked inputs have no gradFn", () => {
    const a = rgOnes(3);
    const b = tg.ones(3);
    expect(a.add(b).requiresGrad).toBe(true);
    expect(b.mul(a).requiresGrad).toBe(true);
    const c = b.add(b);
    expect(c.requiresGrad).toBe(false);
    expect(c.gradFn).toBeNull();
    expect(c.isLeaf).toBe(true);
  });

  it("leaves have gradFn null and isLeaf; results have a gradFn and are not leaves", () => {
    const a = rgOnes(3);
    expect(a.isLeaf).toBe(true);
    expect(a.gradFn).toBeNull();
    const y = a.mul(2);
    expect(y.isLeaf).toBe(false);
    expect(y.gradFn).not.toBeNull();
  });

  const G = ref.gradFn;
  const a = () => tg.ones([2, 3], { requiresGrad: true });
  const b = () => tg.ones([3, 4], { requiresGrad: true });
  const v = () => tg.ones([3], { requiresGrad: true });
  const exprs: Record<string, () => T> = {
    add: () => { const x = a(); return x.add(x); }, "add number": () => a().add(1),
    sub: () => { const x = a(); return x.sub(x); }, mul: () => { const x = a(); return x.mul(x); },
    "mul number": () => a().mul(2), div: () => { const x = a(); return x.div(x); }, neg: () => a().neg(),
    "pow number": () => a().pow(2), "pow tensor": () => { const x = a(); return x.pow(x); },
    exp: () => a().exp(), log: () => a().log(), sqrt: () => a().sqrt(), abs: () => a().abs(),
    sin: () => a().sin(), cos: () => a().cos(), tanh: () => a().tanh(), sigmoid: () => a().sigmoid(),
    relu: () => a().relu(), square: () => a().square(), clamp: () => a().clamp(0, 1),
    sum: () => a().sum(), "sum dim": () => a().sum(1), mean: () => a().mean(), "mean dim": () => a().mean(1),
    mm: () => a().mm(b()), "matmul 2-D": () => a().matmul(b()), "matmul 1-D": () => { const x = v(); return x.matmul(x); },
    dot: () => { const x = v(); return x.dot(x); }, t: () => a().t(), transpose: () => a().transpose(0, 1),
    view: () => a().view(6), unsqueeze: () => a().unsqueeze(0), permute: () => a().permute(1, 0),
    expand: () => v().expand(2, 3), softmax: () => a().softmax(1), logSoftmax: () => a().logSoftmax(1),
    "max dim": () => a().max(1).values, max: () => a().max(), cat: () => { const x = a(); return tg.cat([x, x]); },
    stack: () => { const x = a(); return tg.stack([x, x]); },
    where: () => { const x = a(); return tg.where(x.gt(0), x, x); }, narrow: () => a().narrow(0, 0, 1),
    at: () => a().at(0), indexSelect: () => a().indexSelect(0, tg.tensor([0], { dtype: "int32" })),
    std: () => a().std(), var: () => a().var(), logsumexp: () => a().logsumexp(1),
    maximum: () => { const x = a(); return tg.maximum(x, x); }, squeeze: () => a().unsqueeze(0).squeeze(0),
    clone: () => a().clone(),
  };
  for (const [key, make] of Object.entries(exprs)) {
    it(`gradFn.name of ${key} is PyTorch's ${G[key]}`, () => {
      expect(G[key]).toBeDefined();
      expect(make().gradFn?.name).toBe(G[key]);
    });
  }
});

describe("backward", () => {
  it("gradients accumulate into leaves across backward calls", () => {
    const x = rgOnes(3);
    x.mul(2).sum().backward();
    x.mul(2).sum().backward();
    expect(flat(x.grad!)).toEqual([4, 4, 4]);
  });

  it("a leaf used twice receives the sum of both paths", () => {
    const x = tg.tensor([1, 2, 3], { requiresGrad: true });
    x.mul(x).sum().backward();
    expect(flat(x.grad!)).toEqual([2, 4, 6]);
  });

  it("grad is assignable (w.grad = null resets accumulation)", () => {
    const x = rgOnes(2);
    x.sum().backward();
    x.grad = null;
    expect(x.grad).toBeNull();
    x.mul(3).sum().backward();
    expect(flat(x.grad!)).toEqual([3, 3]);
  });

  it("the lecture's chain: w + [2], * 3, mean → w.grad = [1, 1, 1]", () => {
    const w = rgOnes(3);
    const z = w.add(tg.tensor([2])).mul(3).mean();
    expect(z.item()).toBe(9);
    z.backward();
    expect(flat(w.grad!)).toEqual([1, 1, 1]);
  });

  it("backward() without gradient works on a one-element tensor of shape [1]", () => {
    const x = tg.tensor([3], { requiresGrad: true });
    x.mul(x).backward();
    expect(flat(x.grad!)).toEqual([6]);
  });

  it("backward(gradient) on a non-scalar computes the vector-Jacobian product", () => {
    const x = tg.tensor([1, 2, 3], { requiresGrad: true });
    x.mul(x).backward(tg.tensor([1, 0.5, 2]));
    expect(flat(x.grad!)).toEqual([2, 2, 12]);
  });

  it("backward() on a non-scalar without gradient throws PyTorch's message", () => {
    expect(() => rgOnes(2).mul(2).backward()).toThrow(ref.errors["backward non-scalar"]!);
  });

  it("backward() on a tensor that does not require grad throws PyTorch's message", () => {
    expect(() => tg.ones(2).sum().backward()).toThrow(ref.errors["backward without grad"]!);
  });

  it("a second backward through a freed graph throws; retainGraph allows it", () => {
    const x = rgOnes(2);
    const y = x.mul(x).sum();
    y.backward();
    expect(() => y.backward()).toThrow("Trying to backward through the graph a second time");
    const x2 = rgOnes(2);
    const y2 = x2.mul(x2).sum();
    y2.backward(undefined, { retainGraph: true });
    y2.backward();
    expect(flat(x2.grad!)).toEqual([4, 4]);
  });

  it("a 100,000-op chain backpropagates without stack overflow", () => {
    const x = tg.tensor(1, { requiresGrad: true });
    let y: T = x;
    for (let i = 0; i < 100_000; i++) y = y.add(1);
    y.backward();
    expect(x.grad!.item()).toBe(1);
    expect(y.item()).toBe(100_001);
  }, 60_000);
});

describe("non-leaf .grad", () => {
  it("reading .grad of a non-leaf returns null and warns once per tensor via process.emitWarning", () => {
    const spy = vi.spyOn(process, "emitWarning").mockImplementation(() => undefined);
    const x = rgOnes(3);
    const y = x.mul(3);
    const z = y.mean();
    z.backward();
    expect(y.grad).toBeNull();
    expect(y.grad).toBeNull();
    expect(spy).toHaveBeenCalledTimes(1);
    expect(String(spy.mock.calls[0]![0])).toContain("is not a leaf Tensor is being accessed");
    expect(z.grad).toBeNull();
    expect(spy).toHaveBeenCalledTimes(2);
    expect(x.grad).not.toBeNull();
    expect(spy).toHaveBeenCalledTimes(2);
  });

  it("retainGrad() populates a non-leaf's grad without a warning", () => {
    const spy = vi.spyOn(process, "emitWarning").mockImplementation(() => undefined);
    const y = rgOnes(3).mul(3);
    y.retainGrad();
    y.mean().backward();
    expect(flat(y.grad!)).toEqual([1 / 3, 1 / 3, 1 / 3].map(Math.fround));
    expect(spy).not.toHaveBeenCalled();
  });
});

describe("detach, data, requiresGrad_", () => {
  it("detach() returns a leaf that does not require grad and shares storage", () => {
    const a = rgOnes(2);
    const b = a.detach();
    expect(b).not.toBe(a);
    expect(b.requiresGrad).toBe(false);
    expect(b.isLeaf).toBe(true);
    expect(b.gradFn).toBeNull();
    b.fill_(5);
    expect(flat(a)).toEqual([5, 5]);
  });

  it("detach_() turns a non-leaf into a leaf in place", () => {
    const y = rgOnes(2).mul(2);
    const r = y.detach_();
    expect(r).toBe(y);
    expect(y.requiresGrad).toBe(false);
    expect(y.gradFn).toBeNull();
    expect(y.isLeaf).toBe(true);
  });

  it("a detached input stops gradient flow", () => {
    const x = rgOnes(3);
    x.mul(2).add(x.detach().add(3)).sum().backward();
    expect(flat(x.grad!)).toEqual([2, 2, 2]);
  });

  it("requiresGrad_() defaults to true and can be switched off on a leaf", () => {
    const a = tg.ones(2);
    expect(a.requiresGrad_()).toBe(a);
    expect(a.requiresGrad).toBe(true);
    a.mul(a).sum().backward();
    expect(flat(a.grad!)).toEqual([2, 2]);
    a.requiresGrad_(false);
    expect(a.requiresGrad).toBe(false);
  });

  it(".data does not require grad and may be modified in place on a leaf", () => {
    const w = rgOnes(2);
    const d = w.data;
    expect(d.requiresGrad).toBe(false);
    d.sub_(0.5);
    expect(flat(w)).toEqual([0.5, 0.5]);
  });
});

describe("grad mode", () => {
  it("noGrad(fn) returns fn's result, records nothing, and restores the mode", () => {
    const a = rgOnes(2);
    expect(tg.isGradEnabled()).toBe(true);
    const b = tg.noGrad(() => {
      expect(tg.isGradEnabled()).toBe(false);
      return a.mul(2);
    });
    expect(tg.isGradEnabled()).toBe(true);
    expect(b.requiresGrad).toBe(false);
    expect(b.gradFn).toBeNull();
    expect(a.requiresGrad).toBe(true);
  });

  it("noGrad restores the mode when fn throws", () => {
    expect(() => tg.noGrad(() => { throw new Error("boom"); })).toThrow("boom");
    expect(tg.isGradEnabled()).toBe(true);
  });

  it("enableGrad(fn) records inside noGrad", () => {
    const a = rgOnes(2);
    const b = tg.noGrad(() => tg.enableGrad(() => a.mul(2)));
    expect(b.requiresGrad).toBe(true);
    expect(b.gradFn?.name).toBe("MulBackward0");
  });

  it("setGradEnabled(false) stops recording until set back", () => {
    const a = rgOnes(2);
    tg.setGradEnabled(false);
    expect(tg.isGradEnabled()).toBe(false);
    expect(a.mul(2).requiresGrad).toBe(false);
    tg.setGradEnabled(true);
    expect(a.mul(2).requiresGrad).toBe(true);
  });

  it("the lecture's update under noGrad: w -= 0.1 * grad; grad.zero_()", () => {
    const w = rgOnes(4);
    for (let epoch = 0; epoch < 3; epoch++) {
      w.mul(3).sum().backward();
      tg.noGrad(() => {
        w.sub_(w.grad!.mul(0.1));
        w.grad!.zero_();
      });
    }
    let expected = 1; // float32 arithmetic: w - fround(3 * fround(0.1)), three times
    for (let i = 0; i < 3; i++) expected = Math.fround(expected - Math.fround(3 * Math.fround(0.1)));
    for (const v of flat(w)) expect(v).toBeCloseTo(expected, 6);
    expect(w.isLeaf).toBe(true);
    expect(w.requiresGrad).toBe(true);
  });
});

describe("in-place correctness checks", () => {
  it("in-place on a leaf that requires grad throws PyTorch's message", () => {
    expect(() => rgOnes(2).add_(1)).toThrow(ref.errors["leaf in-place"]!);
    expect(() => rgOnes(2).mul_(2)).toThrow("a leaf Variable that requires grad is being used in an in-place operation.");
  });

  it("in-place on a leaf inside noGrad is allowed", () => {
    const w = rgOnes(2);
    tg.noGrad(() => w.add_(1));
    expect(flat(w)).toEqual([2, 2]);
  });

  it("modifying a tensor saved for backward is detected by the version counter", () => {
    const a = rgOnes(3);
    const b = a.mul(2);
    const c = b.mul(b);
    b.mul_(3);
    expect(() => c.sum().backward()).toThrow(
      "one of the variables needed for gradient computation has been modified by an inplace operation",
    );
  });

  it("a saved output (exp) modified in place is detected", () => {
    const a = rgOnes(3);
    const b = a.exp();
    b.add_(1);
    expect(() => b.sum().backward()).toThrow(
      "one of the variables needed for gradient computation has been modified by an inplace operation",
    );
  });

  it("in-place on a non-leaf whose value is not saved still backpropagates correctly", () => {
    const a = tg.tensor([1, 2], { requiresGrad: true });
    const b = a.add(0); // AddBackward saves nothing
    b.mul_(3);
    b.sum().backward();
    expect(flat(a.grad!)).toEqual([3, 3]);
  });
});

describe("autograd.grad", () => {
  it("returns gradients as an array without touching .grad", () => {
    const x = tg.tensor([1, 2], { requiresGrad: true });
    const [g] = tg.autograd.grad([x.mul(x).sum()], [x]);
    expect(flat(g!)).toEqual([2, 4]);
    expect(x.grad).toBeNull();
  });

  it("createGraph gives a differentiable gradient: d²(x³)/dx² = 6x", () => {
    const x = tg.tensor([1.5, -2], { dtype: "float64", requiresGrad: true });
    const y = x.pow(3).sum();
    const [g] = tg.autograd.grad([y], [x], { createGraph: true });
    expect(flat(g!)).toEqual([3 * 1.5 ** 2, 3 * 4]);
    expect(g!.requiresGrad).toBe(true);
    const [g2] = tg.autograd.grad([g!.sum()], [x]);
    expect(flat(g2!)).toEqual([6 * 1.5, 6 * -2]);
  });

  it("backward with createGraph also builds a graph for the gradient", () => {
    const x = tg.tensor(2, { dtype: "float64", requiresGrad: true });
    x.pow(3).backward(undefined, { createGraph: true });
    const g = x.grad!;
    expect(g.item()).toBe(12);
    const [g2] = tg.autograd.grad([g], [x]);
    expect(g2!.item()).toBe(12);
  });

  it("gradOutputs weights the outputs", () => {
    const x = tg.tensor([1, 2], { requiresGrad: true });
    const [g] = tg.autograd.grad([x.mul(3)], [x], { gradOutputs: [tg.tensor([1, 10])] });
    expect(flat(g!)).toEqual([3, 30]);
  });

  it("allowUnused returns null for an unused input; without it, an error", () => {
    const x = rgOnes(2);
    const u = rgOnes(2);
    const [gx, gu] = tg.autograd.grad([x.sum()], [x, u], { allowUnused: true });
    expect(flat(gx!)).toEqual([1, 1]);
    expect(gu).toBeNull();
    expect(() => tg.autograd.grad([x.sum()], [x, u])).toThrow("appears to not have been used in the graph");
  });
});

describe("autograd.gradcheck", () => {
  it("passes for a composite float64 function", () => {
    const a = tg.tensor([[0.3, -0.7, 1.1], [0.5, 0.2, -1.3]], { dtype: "float64", requiresGrad: true });
    const b = tg.tensor([0.4, -0.9, 0.25], { dtype: "float64", requiresGrad: true });
    const fn = (x: T, y: T) => x.mul(y).tanh().add(x.exp().mul(0.5)).sum(1).sigmoid();
    expect(tg.autograd.gradcheck(fn, [a, b])).toBe(true);
  });

  it("fails when autograd's gradient is wrong (a detached factor hides half of d(x²)/dx)", () => {
    const a = tg.tensor([0.3, -0.7, 1.1], { dtype: "float64", requiresGrad: true });
    const wrong = (x: T) => x.mul(x.detach());
    let ok: boolean;
    try {
      ok = tg.autograd.gradcheck(wrong, [a]);
    } catch {
      ok = false;
    }
    expect(ok).toBe(false);
  });
});

describe("autograd.makeDot", () => {
  it("returns Graphviz DOT text naming the graph's nodes", () => {
    const x = rgOnes(3);
    const r = x.mul(2).add(x.add(3)).sum();
    const dot = tg.autograd.makeDot(r);
    expect(typeof dot).toBe("string");
    expect(dot).toMatch(/^\s*digraph/);
    for (const name of ["SumBackward0", "AddBackward0", "MulBackward0", "AccumulateGrad"]) expect(dot).toContain(name);
    expect(dot.trim().endsWith("}")).toBe(true);
  });

  it("names parameters given in params", () => {
    const w = rgOnes(2);
    const dot = tg.autograd.makeDot(w.mul(w).sum(), { params: { weight: w } });
    expect(dot).toContain("weight");
  });

  it("a detached branch does not appear", () => {
    const x = rgOnes(3);
    const dot = tg.autograd.makeDot(x.mul(2).add(x.detach().add(3)).sum());
    const y = rgOnes(3);
    const full = tg.autograd.makeDot(y.mul(2).add(y.add(3)).sum());
    const count = (s: string) => (s.match(/AddBackward0/g) ?? []).length;
    expect(count(dot)).toBeGreaterThan(0);
    expect(count(full)).toBeGreaterThan(count(dot));
  });
});
