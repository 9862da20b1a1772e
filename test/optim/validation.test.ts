import { describe, expect, it } from "vitest";
import { nn, ones, optim, tensor, type Tensor } from "../../ts/index";

type AnyOpt = optim.Optimizer<object>;
const param = () => tensor([1, 2, 3], { requiresGrad: true });
const bad = <T>(v: unknown): T => v as T;

describe("optimizer options are validated on construction", () => {
  it("strings, NaN and negative values are refused with PyTorch's wording, naming the option", () => {
    const p = [param()];
    expect(() => new optim.SGD(p, { lr: bad("0.001x") })).toThrow("Invalid learning rate: '0.001x' (lr must be a number, got string)");
    expect(() => new optim.SGD(p, { lr: NaN })).toThrow("Invalid learning rate: nan");
    expect(() => new optim.SGD(p, { lr: -1 })).toThrow("Invalid learning rate: -1");
    expect(() => new optim.SGD(p, { lr: 0.1, dampening: NaN })).toThrow("Invalid dampening value: nan");
    expect(() => new optim.SGD(p, { lr: 0.1, nesterov: bad("false") })).toThrow("Invalid nesterov value: 'false' (nesterov must be a boolean, got string)");
    expect(() => new optim.Adam(p, { lr: bad(true) })).toThrow("Invalid learning rate: true (lr must be a number, got boolean)");
    expect(() => new optim.Adam(p, { eps: -1e-8 })).toThrow("Invalid epsilon value: -1e-8");
    expect(() => new optim.Adam(p, { eps: bad("1e-8") })).toThrow("Invalid epsilon value: '1e-8'");
    expect(() => new optim.Adam(p, { betas: [NaN, 0.999] })).toThrow("Invalid beta parameter at index 0: nan");
    expect(() => new optim.Adam(p, { betas: [0.9, bad("0.999")] })).toThrow("Invalid beta parameter at index 1: '0.999'");
    expect(() => new optim.Adam(p, { betas: bad([0.9]) })).toThrow("Invalid betas value: (0.9) (betas must be a pair of numbers)");
    expect(() => new optim.AdamW(p, { weightDecay: -0.01 })).toThrow("Invalid weight_decay value: -0.01");
    expect(() => new optim.Adam(p, { amsgrad: bad(1) })).toThrow("Invalid amsgrad value: 1");
    expect(() => new optim.RMSprop(p, { alpha: NaN })).toThrow("Invalid alpha value: nan");
    expect(() => new optim.RMSprop(p, { momentum: bad("0.9") })).toThrow("Invalid momentum value: '0.9'");
    // A group's own options are checked too.
    expect(() => new optim.SGD([{ params: [param()], lr: -2 }], { lr: 0.1 })).toThrow("Invalid learning rate: -2");
  });
});

describe("options set through paramGroups are validated where they are set", () => {
  it("a bad lr throws at the assignment and the old value stays", () => {
    const p = param();
    const opt = new optim.Adam([p], { lr: 0.1 });
    const g = opt.paramGroups[0] as unknown as Record<string, unknown>;
    expect(() => (g.lr = "0.001x")).toThrow("Invalid learning rate: '0.001x'");
    expect(() => (g.lr = NaN)).toThrow("Invalid learning rate: nan");
    expect(() => (g.lr = -1)).toThrow("Invalid learning rate: -1");
    expect(() => (g.betas = [0.9, 1])).toThrow("Invalid beta parameter at index 1: 1");
    expect(() => ((g.betas as number[])[0] = NaN)).toThrow(TypeError); // stored frozen: no way around the check
    expect(opt.paramGroups[0].lr).toBe(0.1);
    expect(opt.paramGroups[0].betas).toEqual([0.9, 0.999]);
    p.grad = tensor([1, 1, 1]);
    opt.step();
    expect((p.toArray() as Float32Array).every(Number.isFinite)).toBe(true);
  });

  it("a good value is taken, and used by the next step", () => {
    const p = param();
    const opt = new optim.SGD([p], { lr: 0.1 });
    opt.paramGroups[0].lr = 1;
    p.grad = tensor([1, 1, 1]);
    opt.step();
    expect(p.tolist()).toEqual([0, 1, 2]);
    // Keys that are not options stay ordinary properties (a scheduler's bookkeeping, say).
    (opt.paramGroups[0] as unknown as Record<string, unknown>).initialLr = 1;
    expect(opt.stateDict().paramGroups[0]).toMatchObject({ lr: 1, initialLr: 1, params: [0] });
    expect(opt.toString()).toContain("lr: 1");
  });

  it("a group replaced wholesale is checked at step(), before any parameter changes", () => {
    const a = param();
    const b = param();
    const opt = new optim.SGD([{ params: [a] }, { params: [b] }], { lr: 0.1 });
    opt.paramGroups[1] = { ...opt.paramGroups[1], lr: bad<number>("1e-3") };
    a.grad = tensor([1, 1, 1]);
    b.grad = tensor([1, 1, 1]);
    expect(() => opt.step()).toThrow("Invalid learning rate: '1e-3'");
    expect(a.tolist()).toEqual([1, 2, 3]);
    expect(b.tolist()).toEqual([1, 2, 3]);
  });
});

describe("loadStateDict checks everything before it changes anything", () => {
  function trained(): { p: Tensor; opt: optim.Adam } {
    const p = param();
    const opt = new optim.Adam([p], { lr: 0.1, amsgrad: true });
    p.grad = tensor([0.1, -0.2, 0.3]);
    opt.step();
    return { p, opt };
  }

  function expectRefused(mutate: (sd: { state: Record<number, Record<string, unknown>>; paramGroups: Record<string, unknown>[] }) => void, message: string | RegExp) {
    const { opt } = trained();
    const sd = opt.stateDict() as unknown as { state: Record<number, Record<string, unknown>>; paramGroups: Record<string, unknown>[] };
    sd.paramGroups = sd.paramGroups.map((g) => ({ ...g }));
    sd.state = { 0: { ...sd.state[0] } };
    mutate(sd);
    const target = new optim.Adam([param()], { lr: 0.5 });
    expect(() => target.loadStateDict(sd as unknown as optim.OptimizerStateDict<optim.AdamOptions>)).toThrow(message);
    expect(target.paramGroups[0].lr).toBe(0.5);
    expect(target.paramGroups[0].amsgrad).toBe(false);
    expect(target.state.size).toBe(0);
  }

  it("refuses bad options, naming them", () => {
    expectRefused((sd) => (sd.paramGroups[0].lr = -1), "loaded state dict parameter group 0: Invalid learning rate: -1");
    expectRefused((sd) => (sd.paramGroups[0].lr = "0.1"), "Invalid learning rate: '0.1'");
    expectRefused((sd) => (sd.paramGroups[0].eps = NaN), "Invalid epsilon value: nan");
    expectRefused((sd) => (sd.paramGroups[0].betas = [0.9, -1]), "Invalid beta parameter at index 1: -1");
    expectRefused((sd) => delete sd.paramGroups[0].lr, "loaded state dict parameter group 0 has no value for lr");
  });

  it("refuses state of the wrong shape, type or kind", () => {
    expectRefused((sd) => (sd.state[0].expAvg = tensor([1, 2])), "loaded state dict state of parameter 0: expAvg has shape [2], the parameter [3]");
    expectRefused((sd) => (sd.state[0].step = "1"), "state of parameter 0: step must be a number, got string");
    expectRefused((sd) => (sd.state[0].step = 1.5), "step is 1.5, not a step count");
    expectRefused((sd) => (sd.state[0].step = -1), "step is -1, not a step count");
    expectRefused((sd) => (sd.state[0].expAvgSq = 3), "expAvgSq must be a tensor, got a number");
    expectRefused((sd) => delete sd.state[0].maxExpAvgSq, "state of parameter 0 has no maxExpAvgSq");
    expectRefused((sd) => (sd.state[0].expAvg = tensor([1, 2, 3], { dtype: "int32" })), "expAvg has dtype int32, not a floating dtype");
    expectRefused((sd) => (sd.state[0].extra = "x"), "extra must be a tensor, a number or null, got string");
  });

  it("a valid state dict still loads and resumes identically", () => {
    const { p, opt } = trained();
    const p2 = tensor(p.tolist() as number[], { requiresGrad: true });
    const o2 = new optim.Adam([p2], { lr: 0.5 });
    o2.loadStateDict(opt.stateDict());
    expect(o2.paramGroups[0].amsgrad).toBe(true);
    for (const [q, o] of [[p, opt], [p2, o2]] as const) {
      q.grad = tensor([0.3, 0.2, 0.1]);
      o.step();
    }
    expect(p2.tolist()).toEqual(p.tolist());
    // The loaded group validates its options like any other.
    expect(() => (o2.paramGroups[0].lr = -3)).toThrow("Invalid learning rate: -3");
  });
});

describe("a step on a parameter whose elements share memory", () => {
  const message =
    "unsupported operation: more than one element of the written-to tensor refers to a single memory location. Please clone() the tensor before performing the operation.";
  const makers: [string, (p: Tensor[]) => AnyOpt][] = [
    ["SGD", (p) => new optim.SGD(p, { lr: 0.1 }) as AnyOpt],
    ["SGD momentum", (p) => new optim.SGD(p, { lr: 0.1, momentum: 0.9 }) as AnyOpt],
    ["Adam", (p) => new optim.Adam(p) as AnyOpt],
    ["AdamW", (p) => new optim.AdamW(p) as AnyOpt],
    ["RMSprop", (p) => new optim.RMSprop(p) as AnyOpt],
  ];
  for (const [name, make] of makers) {
    it(`${name} throws PyTorch's error and changes nothing`, () => {
      const ok = param();
      const shared = new nn.Parameter(ones(1).expand(3));
      const opt = make([ok, shared]);
      ok.grad = tensor([1, 1, 1]);
      shared.grad = tensor([1, 2, 3]);
      expect(() => opt.step()).toThrow(message);
      expect(shared.tolist()).toEqual([1, 1, 1]);
      expect(ok.tolist()).toEqual([1, 2, 3]);
    });
  }

  it("a strided parameter without overlap still steps", () => {
    const base = tensor([[1, 2], [3, 4]]);
    const p = new nn.Parameter(base.t());
    const opt = new optim.SGD([p], { lr: 1 });
    p.grad = tensor([[1, 1], [1, 1]]);
    opt.step();
    expect(p.tolist()).toEqual([[0, 2], [1, 3]]);
  });
});
