import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { optim, tensor, type Tensor } from "../../ts/index";

/**
 * Within one float32 ulp of PyTorch's value, element by element: the updates are PyTorch's operations in PyTorch's
 * order, and where PyTorch fuses `a + alpha·b` into one rounding the tensor ops round twice.
 */
function expectUlp(t: Tensor, want: number[] | number[][]): void {
  const got = Array.from(t.contiguous().toArray() as Float32Array);
  const w = (want as number[]).flat() as number[];
  expect(got.length).toBe(w.length);
  const bad = got.map((g, i) => [i, g, w[i]] as const).filter(([, g, x]) => Math.abs(g - x) > Math.abs(x) * 2 ** -23 * 1.01 + 1e-45);
  expect(bad).toEqual([]);
}

type Opt = optim.Optimizer<object>;
interface Case {
  name: string;
  options: Record<string, unknown>;
  params: number[][][][]; // per step: [a (2x3), b (4)]
}
const ref = JSON.parse(readFileSync(join(__dirname, "fixtures/optim_sched.json"), "utf8")).optimizers as {
  p0: number[][];
  p1: number[];
  grads: [number[][], number[]][];
  cases: Case[];
};

/* eslint-disable @typescript-eslint/no-explicit-any -- the options are data from the fixture; the constructors check them */
const CTORS = optim as unknown as Record<string, new (params: any, opts?: any) => Opt>;

/** Two groups, the second at twice the (default) learning rate, as gen_optim_sched.py builds them. */
function make(c: Case): { a: Tensor; b: Tensor; opt: Opt } {
  const a = tensor(ref.p0, { requiresGrad: true });
  const b = tensor(ref.p1, { requiresGrad: true });
  const lr = ((c.options.lr as number | undefined) ?? 1e-3) * 2;
  const opt = new CTORS[c.name]([{ params: [a] }, { params: [b], lr }], c.options);
  return { a, b, opt };
}

describe("new optimizers follow PyTorch 1.13's update arithmetic (float32, two groups, 6 steps, within 1 ulp)", () => {
  for (const c of ref.cases) {
    it(`${c.name} ${JSON.stringify(c.options)}`, () => {
      const { a, b, opt } = make(c);
      ref.grads.forEach(([ga, gb], i) => {
        a.grad = tensor(ga);
        b.grad = tensor(gb);
        opt.step();
        expectUlp(a.detach(), c.params[i][0]);
        expectUlp(b.detach(), c.params[i][1]);
      });
    });
  }

  it("a strided parameter steps like a contiguous one", () => {
    for (const name of ["Adagrad", "Adadelta", "Adamax", "NAdam", "RAdam"]) {
      const c = ref.cases.find((k) => k.name === name) as Case;
      const base = tensor(ref.p0).t().contiguous();
      const a = base.t().requiresGrad_();
      expect(a.isContiguous()).toBe(false);
      const opt = new CTORS[name]([a], c.options);
      ref.grads.forEach(([ga]) => {
        a.grad = tensor(ga);
        opt.step();
      });
      expectUlp(a.detach(), c.params[5][0]);
    }
  });
});

describe("new optimizers: options, state dicts", () => {
  const p = () => [tensor([1, 2, 3], { requiresGrad: true })];

  it("bad options are refused with PyTorch's wording", () => {
    expect(() => new optim.Adagrad(p(), { lrDecay: -1 })).toThrow("Invalid lr_decay value: -1");
    expect(() => new optim.Adagrad(p(), { initialAccumulatorValue: -0.5 })).toThrow("Invalid initial_accumulator_value value: -0.5");
    expect(() => new optim.Adagrad(p(), { eps: NaN })).toThrow("Invalid epsilon value: nan");
    expect(() => new optim.Adadelta(p(), { rho: 1.5 })).toThrow("Invalid rho value: 1.5");
    expect(() => new optim.Adadelta(p(), { lr: -1 })).toThrow("Invalid learning rate: -1");
    expect(() => new optim.Adamax(p(), { betas: [0.9, 1] })).toThrow("Invalid beta parameter at index 1: 1");
    expect(() => new optim.NAdam(p(), { momentumDecay: -1 })).toThrow("Invalid momentum_decay value: -1");
    expect(() => new optim.RAdam(p(), { weightDecay: -1 })).toThrow("Invalid weight_decay value: -1");
    expect(() => new optim.RAdam(p(), { betas: [-0.1, 0.9] })).toThrow("Invalid beta parameter at index 0: -0.1");
  });

  it("unknown option keys are an error naming the key and the accepted ones", () => {
    expect(() => new optim.Adagrad(p(), { lr_decay: 0.1 } as object)).toThrow(
      "Adagrad() got an unexpected keyword argument 'lr_decay' (accepted options: lr, lrDecay, weightDecay, initialAccumulatorValue, eps, maximize)",
    );
    // NAdam and RAdam have no maximize in PyTorch 1.13.
    expect(() => new optim.NAdam(p(), { maximize: true } as object)).toThrow("NAdam() got an unexpected keyword argument 'maximize'");
    expect(() => new optim.RAdam(p(), { maximize: true } as object)).toThrow("RAdam() got an unexpected keyword argument 'maximize'");
  });

  it("Adagrad creates every parameter's state at construction, as PyTorch", () => {
    const [a] = p();
    const opt = new optim.Adagrad([a], { initialAccumulatorValue: 0.25 });
    expect(opt.stateDict().state[0].step).toBe(0);
    expect((opt.stateDict().state[0].sum as Tensor).tolist()).toEqual([0.25, 0.25, 0.25]);
  });

  for (const c of ["Adagrad", "Adadelta", "Adamax", "NAdam", "RAdam"]) {
    it(`${c}: stateDict / loadStateDict resumes identically`, () => {
      const kase = ref.cases.find((k) => k.name === c && Object.keys(k.options).length > 0) as Case;
      const a = make(kase);
      ref.grads.slice(0, 3).forEach(([ga, gb]) => {
        a.a.grad = tensor(ga);
        a.b.grad = tensor(gb);
        a.opt.step();
      });
      const b = make(kase);
      b.a.detach().copy_(a.a.detach());
      b.b.detach().copy_(a.b.detach());
      b.opt.loadStateDict(a.opt.stateDict());
      ref.grads.slice(3).forEach(([ga, gb]) => {
        for (const o of [a, b]) {
          o.a.grad = tensor(ga);
          o.b.grad = tensor(gb);
          o.opt.step();
        }
      });
      expect(b.a.tolist()).toEqual(a.a.tolist());
      expect(b.b.tolist()).toEqual(a.b.tolist());
      expectUlp(b.a.detach(), kase.params[5][0]);
    });
  }

  it("NAdam's muProduct must be a number in a loaded state", () => {
    const [a] = p();
    const opt = new optim.NAdam([a]);
    a.grad = tensor([1, 1, 1]);
    opt.step();
    const sd = opt.stateDict();
    const bad = { ...sd, state: { 0: { ...sd.state[0], muProduct: null } } };
    const target = new optim.NAdam(p());
    expect(() => target.loadStateDict(bad)).toThrow("loaded state dict state of parameter 0: muProduct must be a number, got null");
    const missing = { ...sd, state: { 0: { step: 1, expAvg: sd.state[0].expAvg, expAvgSq: sd.state[0].expAvgSq } } };
    expect(() => target.loadStateDict(missing)).toThrow("state of parameter 0 has no muProduct");
  });
});

describe("existing optimizers refuse unknown option keys too", () => {
  const p = () => [tensor([1, 2, 3], { requiresGrad: true })];
  it("naming the key and the accepted ones", () => {
    expect(() => new optim.SGD(p(), { lr: 0.1, weight_decay: 0.1 } as { lr: number })).toThrow(
      "SGD() got an unexpected keyword argument 'weight_decay' (accepted options: lr, momentum, dampening, weightDecay, nesterov, maximize)",
    );
    expect(() => new optim.Adam(p(), { beta: [0.9, 0.99] } as object)).toThrow("Adam() got an unexpected keyword argument 'beta'");
    expect(() => new optim.AdamW(p(), { decay: 0.1 } as object)).toThrow("AdamW() got an unexpected keyword argument 'decay'");
    expect(() => new optim.RMSprop(p(), { rho: 0.9 } as object)).toThrow("RMSprop() got an unexpected keyword argument 'rho'");
    // Options left undefined still mean "the default".
    expect(new optim.Adam(p(), { lr: undefined }).paramGroups[0].lr).toBe(1e-3);
  });
});
