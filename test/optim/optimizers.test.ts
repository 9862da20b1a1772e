import { describe, expect, it } from "vitest";
import { tensor, optim, Tensor, nn } from "../../ts/index";
import { expectClose, ref } from "../nn/reference";

type Case = { name: "SGD" | "Adam" | "AdamW" | "RMSprop"; options: Record<string, unknown>; params: number[][][] };

function make(c: Case, p: Tensor): optim.Optimizer<object> {
  const o = c.options as { lr: number };
  switch (c.name) {
    case "SGD": return new optim.SGD([p], o) as optim.Optimizer<object>;
    case "Adam": return new optim.Adam([p], o) as optim.Optimizer<object>;
    case "AdamW": return new optim.AdamW([p], o) as optim.Optimizer<object>;
    case "RMSprop": return new optim.RMSprop([p], o) as optim.Optimizer<object>;
  }
}

describe("optimizers follow PyTorch's update arithmetic over 10 steps", () => {
  for (const c of ref.optim.cases as Case[]) {
    it(`${c.name} ${JSON.stringify(c.options)}`, () => {
      const p = tensor(ref.optim.p0, { requiresGrad: true });
      const opt = make(c, p);
      (ref.optim.grads as number[][][]).forEach((g, i) => {
        p.grad = tensor(g);
        opt.step();
        expectClose(p.detach(), c.params[i], 2e-5, 2e-6);
      });
    });
  }

  it("the same update on a strided parameter (tensor-op fallback)", () => {
    const c = (ref.optim.cases as Case[]).find((k) => k.name === "Adam" && k.options.amsgrad) as Case;
    const base = tensor(ref.optim.p0).t().contiguous();
    const p = base.t().requiresGrad_();
    expect(p.isContiguous()).toBe(false);
    const opt = make(c, p);
    (ref.optim.grads as number[][][]).forEach((g) => {
      p.grad = tensor(g);
      opt.step();
    });
    expectClose(p.detach().contiguous(), c.params[9], 2e-5, 2e-6);
  });
});

describe("optimizer API", () => {
  it("rejects bad hyper-parameters with PyTorch's wording", () => {
    const p = [tensor([1], { requiresGrad: true })];
    expect(() => new optim.SGD(p, { lr: -1 })).toThrow("Invalid learning rate: -1");
    expect(() => new optim.SGD(p, { lr: 0.1, momentum: -0.5 })).toThrow("Invalid momentum value: -0.5");
    expect(() => new optim.SGD(p, { lr: 0.1, nesterov: true })).toThrow("Nesterov momentum requires a momentum and zero dampening");
    expect(() => new optim.Adam(p, { betas: [1.0, 0.999] })).toThrow("Invalid beta parameter at index 0: 1");
    expect(() => new optim.RMSprop(p, { alpha: -1 })).toThrow("Invalid alpha value: -1");
    expect(() => new optim.SGD([], { lr: 0.1 })).toThrow("optimizer got an empty parameter list");
  });

  it("accepts parameter groups with their own options", () => {
    const a = tensor([1], { requiresGrad: true });
    const b = tensor([1], { requiresGrad: true });
    const opt = new optim.SGD([{ params: [a] }, { params: [b], lr: 1 }], { lr: 0.1 });
    a.grad = tensor([1]);
    b.grad = tensor([1]);
    opt.step();
    expect(a.item()).toBeCloseTo(0.9, 6);
    expect(b.item()).toBe(0);
    expect(opt.paramGroups[1].lr).toBe(1);
  });

  it("zeroGrad sets gradients to null by default", () => {
    const lin = new nn.Linear(2, 1);
    const opt = new optim.Adam(lin.parameters());
    lin(tensor([[1, 2]])).sum().backward();
    opt.zeroGrad(false);
    expect(Array.from((lin.weight.grad as Tensor).toArray())).toEqual([0, 0]);
    opt.zeroGrad();
    expect(lin.weight.grad).toBeNull();
  });

  it("stateDict has PyTorch's structure and loadStateDict resumes identically", () => {
    const mk = () => tensor([1, 2, 3], { requiresGrad: true });
    const p1 = mk();
    const o1 = new optim.Adam([p1], { lr: 0.1 });
    p1.grad = tensor([0.1, -0.2, 0.3]);
    o1.step();
    const sd = o1.stateDict();
    expect(Object.keys(sd.state)).toEqual(["0"]);
    expect(sd.paramGroups[0].params).toEqual([0]);
    expect(sd.state[0].step).toBe(1);
    const p2 = tensor(p1.tolist() as number[], { requiresGrad: true });
    const o2 = new optim.Adam([p2], { lr: 0.5 });
    o2.loadStateDict(sd);
    expect(o2.paramGroups[0].lr).toBe(0.1);
    for (const [p, o] of [[p1, o1], [p2, o2]] as const) {
      p.grad = tensor([0.3, 0.2, 0.1]);
      o.step();
    }
    expect(p2.tolist()).toEqual(p1.tolist());
  });
});
