import { describe, expect, it } from "vitest";
import * as tg from "../../ts/index";
import type { Tensor } from "../../ts/index";

describe("Tensor.registerHook", () => {
  it("sees a non-leaf's gradient and may replace it; hooks run in registration order; remove() unregisters", () => {
    const x = tg.tensor([1, 2, 3], { requiresGrad: true });
    const h = x.mul(2);
    const seen: number[][] = [];
    const h1 = h.registerHook((g) => {
      seen.push(g.tolist() as number[]);
      return g.mul(10);
    });
    h.registerHook((g) => {
      seen.push(g.tolist() as number[]);
    });
    h.pow(2).sum().backward(undefined, { retainGraph: true });
    expect(seen).toEqual([[4, 8, 12], [40, 80, 120]]);
    expect(x.grad!.tolist()).toEqual([80, 160, 240]);
    h1.remove();
    h1.remove();
    x.grad = null;
    seen.length = 0;
    h.pow(2).sum().backward();
    expect(seen).toEqual([[4, 8, 12]]);
    expect(x.grad!.tolist()).toEqual([8, 16, 24]);
  });

  it("on a leaf runs before accumulation into .grad", () => {
    const w = tg.tensor([1, 1], { requiresGrad: true });
    w.registerHook((g) => g.mul(-1));
    w.mul(3).sum().backward();
    expect(w.grad!.tolist()).toEqual([-3, -3]);
  });

  it("applies to autograd.grad too, and refuses a replacement of another shape", () => {
    const x = tg.tensor([1, 2], { requiresGrad: true });
    const y = x.mul(x);
    y.registerHook((g) => g.add(1));
    const [gx] = tg.autograd.grad([y.sum()], [x]) as Tensor[];
    expect(gx.tolist()).toEqual([4, 8]);
    const z = x.mul(2);
    z.registerHook(() => tg.ones(3));
    expect(() => z.sum().backward()).toThrow(/has changed the size of value/);
    expect(() => tg.ones(2).registerHook((g) => g)).toThrow("cannot register a hook on a tensor that doesn't require gradient");
  });

  it("post-accumulate-grad hooks run after .grad is updated, once per backward, leaves only", () => {
    const w = tg.tensor([1, 2], { requiresGrad: true });
    const grads: number[][] = [];
    const h = w.registerPostAccumulateGradHook((p) => grads.push(p.grad!.tolist() as number[]));
    w.mul(2).sum().backward();
    w.mul(3).sum().backward();
    expect(grads).toEqual([[2, 2], [5, 5]]);
    h.remove();
    w.sum().backward();
    expect(grads.length).toBe(2);
    expect(() => w.mul(2).registerPostAccumulateGradHook(() => {})).toThrow(/non-leaf/);
  });
});

describe("Module hooks", () => {
  it("forward pre-hooks may replace the arguments and forward hooks the output, in order; handles remove them", () => {
    tg.manualSeed(0);
    const lin = new tg.nn.Linear(3, 2);
    const order: string[] = [];
    const pre = lin.registerForwardPreHook((_m, args) => {
      order.push("pre");
      return [(args[0] as Tensor).mul(0)];
    });
    const post = lin.registerForwardHook((m, _args, out) => {
      order.push("post");
      expect(m).toBe(lin);
      return (out as Tensor).add(1);
    });
    const y = lin(tg.ones(4, 3));
    expect(order).toEqual(["pre", "post"]);
    const b = lin.bias!.tolist() as number[];
    expect(y.at(0).tolist()).toEqual(b.map((v) => Math.fround(v + 1)));
    pre.remove();
    post.remove();
    expect(lin(tg.zeros(1, 3)).at(0).tolist()).toEqual(b);
  });

  it("full backward hooks get gradInput and gradOutput (gradInput = gradOutput · W for Linear) and may replace gradInput", () => {
    tg.manualSeed(1);
    const lin = new tg.nn.Linear(3, 2).double();
    const x = tg.randn([4, 3], { dtype: "float64", requiresGrad: true });
    const calls: { gi: (Tensor | null)[]; go: (Tensor | null)[] }[] = [];
    const h = lin.registerFullBackwardHook((_m, gi, go) => {
      calls.push({ gi, go });
      return [gi[0]!.mul(2)];
    });
    const g = tg.randn([4, 2], { dtype: "float64" });
    lin(x).backward(g);
    expect(calls.length).toBe(1);
    expect(calls[0].go[0]!.tolist()).toEqual(g.tolist());
    const want = g.matmul(lin.weight.detach());
    expect(calls[0].gi[0]!.sub(want).abs().max().item()).toBeLessThan(1e-12);
    expect(x.grad!.sub(want.mul(2)).abs().max().item()).toBeLessThan(1e-12);
    // parameters' gradients are not affected by the replacement
    expect(lin.weight.grad!.sub(g.t().matmul(x.detach())).abs().max().item()).toBeLessThan(1e-12);
    h.remove();
    x.grad = null;
    lin(x).backward(g);
    expect(calls.length).toBe(1);
    expect(x.grad!.sub(want).abs().max().item()).toBeLessThan(1e-12);
  });

  it("full backward hooks fire with gradInput [null] when the input does not require grad", () => {
    const lin = new tg.nn.Linear(3, 2);
    const seen: (Tensor | null)[][] = [];
    lin.registerFullBackwardHook((_m, gi) => {
      seen.push(gi);
    });
    lin(tg.ones(2, 3)).sum().backward();
    expect(seen).toEqual([[null]]);
  });

  it("calling a module with missing arguments names the module", () => {
    const lin = new tg.nn.Linear(3, 2);
    expect(() => (lin as unknown as () => Tensor)()).toThrow("Linear.forward() missing 1 required positional argument (it takes 1, got 0)");
    const loss = new tg.nn.MSELoss();
    expect(() => (loss as unknown as (a: Tensor) => Tensor)(tg.ones(2))).toThrow(/MSELoss.forward\(\) missing 1 required positional argument/);
  });
});
