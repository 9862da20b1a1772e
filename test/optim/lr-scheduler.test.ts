import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { optim, tensor, type Tensor } from "../../ts/index";
import { pyCos, pyPow } from "../../ts/optim/pymath";

const ls = optim.lrScheduler;
type Opt = optim.Optimizer<object>;
type Sched = optim.lrScheduler.LRScheduler | optim.lrScheduler.ReduceLROnPlateau | optim.lrScheduler.SequentialLR | optim.lrScheduler.ChainedScheduler;

interface Spec {
  sched: string;
  args?: unknown[];
  options?: Record<string, unknown>;
  subs?: Spec[];
  groups?: Record<string, number>[];
  optimizer?: string;
  optOptions?: Record<string, unknown>;
  steps: number;
  metrics?: number[];
  prime?: boolean;
}
interface Golden extends Spec {
  lrs: number[][];
  groupLrs: number[];
  stateDict: Record<string, unknown>;
  momentum?: number[][];
}

const fixture = JSON.parse(readFileSync(join(__dirname, "fixtures/optim_sched.json"), "utf8")) as { schedulers: Golden[] };

// The same named lambdas as test/reference/gen_optim_sched.py.
const LAMBDAS: Record<string, (e: number) => number> = {
  pow95: (e) => pyPow(0.95, e), // Python's ** (glibc), which Math.pow is not
  warmup10: (e) => Math.min(1.0, (e + 1) / 10),
  floorDiv7: (e) => Math.floor(e / 7),
  invSqrt: (e) => 1 / Math.sqrt(e + 1),
  mul99: () => 0.99,
  alternate: (e) => (e % 2 !== 0 ? 0.9 : 1.05),
};

function makeOpt(spec: Spec): { params: Tensor[]; opt: Opt } {
  const params = (spec.groups ?? []).map(() => tensor([0, 0], { requiresGrad: true }));
  const groups = params.map((p, i) => ({ params: [p], ...(spec.groups ?? [])[i] }));
  const o = spec.optOptions ?? {};
  const opt = (spec.optimizer === "Adam" ? new optim.Adam(groups, o) : new optim.SGD(groups, { lr: 0.1, ...o })) as unknown as Opt;
  return { params, opt };
}

/** Builds a scheduler from a spec: PyTorch's positional arguments, then the options object. */
function build(opt: Opt, spec: Spec): Sched {
  const a = [...(spec.args ?? [])];
  const o = spec.options;
  /* eslint-disable @typescript-eslint/no-explicit-any -- the spec is data; the constructors check it */
  const C = ls as unknown as Record<string, new (...args: any[]) => Sched>;
  switch (spec.sched) {
    case "SequentialLR":
      return new ls.SequentialLR(opt, (spec.subs ?? []).map((s) => build(opt, s) as optim.lrScheduler.LRScheduler), a[0] as number[], o);
    case "ChainedScheduler":
      return new ls.ChainedScheduler((spec.subs ?? []).map((s) => build(opt, s) as optim.lrScheduler.LRScheduler));
    case "LambdaLR":
    case "MultiplicativeLR":
      return new C[spec.sched](opt, Array.isArray(a[0]) ? (a[0] as string[]).map((n) => LAMBDAS[n]) : LAMBDAS[a[0] as string], o);
    case "ReduceLROnPlateau":
    case "LinearLR":
    case "ConstantLR":
    case "PolynomialLR":
      return new C[spec.sched](opt, o);
    default:
      return new C[spec.sched](opt, ...a, o);
  }
}

function run(spec: Spec): { params: Tensor[]; opt: Opt; sched: Sched } {
  const { params, opt } = makeOpt(spec);
  if (spec.prime) {
    const { lastEpoch: _, ...rest } = spec.options ?? {};
    build(opt, { ...spec, options: rest });
  }
  return { params, opt, sched: build(opt, spec) };
}

function advance(s: { params: Tensor[]; opt: Opt; sched: Sched }, spec: Spec, i: number): void {
  for (const p of s.params) p.grad = tensor([1, 1]);
  s.opt.step();
  if (s.sched instanceof ls.ReduceLROnPlateau) s.sched.step((spec.metrics ?? [])[i]);
  else s.sched.step();
}

const momentumOf = (opt: Opt): number[] =>
  (opt.paramGroups as unknown as Record<string, unknown>[]).map((g) => ("betas" in g ? (g.betas as number[])[0] : (g.momentum as number)));

/** The golden state dict with ±inf restored, without the keys PyTorch cannot serialize. */
function pyState(sd: Record<string, unknown>): unknown {
  const fix = (v: unknown): unknown => {
    if (v === "inf") return Infinity;
    if (v === "-inf") return -Infinity;
    if (Array.isArray(v)) return v.map(fix);
    if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fix(x)]));
    return v;
  };
  return fix(sd);
}

function ours(sd: Record<string, unknown>): unknown {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(sd)) {
    if (k === "_anneal_func_type") continue; // PyTorch 1.13 keeps a bound method here, which JSON cannot carry
    out[k] = k === "_schedulers" ? (v as Record<string, unknown>[]).map(ours) : v;
  }
  return out;
}

const label = (g: Golden, i: number): string =>
  `${i} ${g.sched}(${[...(g.args ?? []).map((x) => JSON.stringify(x)), g.subs ? g.subs.map((s) => s.sched).join("+") : "", JSON.stringify(g.options ?? {})].filter((x) => x !== "").join(", ")}) x${g.groups?.length ?? 0} groups`;

describe("learning rates equal PyTorch 1.13's at every step (exactly)", () => {
  fixture.schedulers.forEach((g, i) => {
    it(label(g, i), () => {
      const s = run(g);
      const got = [s.sched.getLastLr()];
      const moms = [momentumOf(s.opt)];
      for (let k = 0; k < g.steps; k++) {
        advance(s, g, k);
        got.push(s.sched.getLastLr());
        moms.push(momentumOf(s.opt));
      }
      expect(got).toEqual(g.lrs);
      expect((s.opt.paramGroups as unknown as { lr: number }[]).map((p) => p.lr)).toEqual(g.groupLrs);
      if (g.momentum) expect(moms).toEqual(g.momentum);
      // The state dict has PyTorch's keys, in PyTorch's order, with PyTorch's values.
      const sd = ours(s.sched.stateDict()) as Record<string, unknown>;
      const want = pyState(g.stateDict) as Record<string, unknown>;
      expect(Object.keys(sd)).toEqual(Object.keys(want));
      expect(sd).toEqual(want);
    });
  });
});

describe("stateDict / loadStateDict", () => {
  fixture.schedulers.forEach((g, i) => {
    it(`round trip resumes identically: ${label(g, i)}`, () => {
      const half = Math.floor(g.steps / 2);
      const a = run(g);
      for (let k = 0; k < half; k++) advance(a, g, k);
      const sd = JSON.parse(JSON.stringify(a.sched.stateDict(), (_k, v) => (v === Infinity ? "inf" : v === -Infinity ? "-inf" : v)));
      const optSd = a.opt.stateDict();
      // A fresh optimizer and scheduler, then both states loaded: the rest of the schedule is the same.
      const b = run(g);
      b.opt.loadStateDict(optSd);
      b.sched.loadStateDict(pyState(sd) as Record<string, unknown>);
      for (let k = half; k < g.steps; k++) {
        advance(a, g, k);
        advance(b, g, k);
        expect(b.sched.getLastLr()).toEqual(a.sched.getLastLr());
      }
      expect(b.sched.getLastLr()).toEqual(g.lrs[g.steps]);
    });
  });

  it("a state dict written by PyTorch loads (keys as PyTorch's)", () => {
    const g = fixture.schedulers.find((s) => s.sched === "CosineAnnealingWarmRestarts" && s.options?.TMult === 2) as Golden;
    const s = run(g);
    s.sched.loadStateDict(pyState(g.stateDict) as Record<string, unknown>);
    expect(s.sched.getLastLr()).toEqual(g.lrs[g.steps]);
    const c = s.sched as optim.lrScheduler.CosineAnnealingWarmRestarts;
    expect([c.lastEpoch, c.T_cur, c.T_i]).toEqual([g.stateDict.last_epoch, g.stateDict.T_cur, g.stateDict.T_i]);
  });

  it("a bad state dict is refused and changes nothing", () => {
    const { opt } = makeOpt({ sched: "StepLR", groups: [{ lr: 0.1 }], steps: 0 });
    const s = new ls.StepLR(opt, 3);
    expect(() => s.loadStateDict({ last_epoch: "3" })).toThrow("loaded scheduler state dict: last_epoch must be a number, got string");
    expect(() => s.loadStateDict({ gamma: 0.5, base_lrs: 0.1 })).toThrow("base_lrs must be an array, got number");
    expect(s.gamma).toBe(0.1);
    expect(s.lastEpoch).toBe(0);
  });
});

describe("scheduler API", () => {
  const sgd = (lrs: number[] = [0.1]): Opt =>
    new optim.SGD(lrs.map((lr) => ({ params: [tensor([0], { requiresGrad: true })], lr })), { lr: 0.1, momentum: 0.9 }) as unknown as Opt;

  it("constructor arguments are refused with PyTorch's wording", () => {
    expect(() => new ls.CosineAnnealingWarmRestarts(sgd(), -1)).toThrow("Expected positive integer T_0, but got -1");
    expect(() => new ls.CosineAnnealingWarmRestarts(sgd(), 2.5)).toThrow("Expected positive integer T_0, but got 2.5");
    expect(() => new ls.CosineAnnealingWarmRestarts(sgd(), 5, { TMult: 0 })).toThrow("Expected integer T_mult >= 1, but got 0");
    expect(() => new ls.LinearLR(sgd(), { startFactor: 1.5 })).toThrow("Starting multiplicative factor expected to be between 0 and 1.");
    expect(() => new ls.LinearLR(sgd(), { endFactor: -1 })).toThrow("Ending multiplicative factor expected to be between 0 and 1.");
    expect(() => new ls.ConstantLR(sgd(), { factor: 2 })).toThrow("Constant multiplicative factor expected to be between 0 and 1.");
    expect(() => new ls.OneCycleLR(sgd(), 0.1)).toThrow("You must define either total_steps OR (epochs AND steps_per_epoch)");
    expect(() => new ls.OneCycleLR(sgd(), 0.1, { totalSteps: 0 })).toThrow("Expected positive integer total_steps, but got 0");
    expect(() => new ls.OneCycleLR(sgd(), 0.1, { epochs: 2, stepsPerEpoch: -3 })).toThrow("Expected positive integer steps_per_epoch, but got -3");
    expect(() => new ls.OneCycleLR(sgd(), 0.1, { totalSteps: 10, pctStart: 1.5 })).toThrow("Expected float between 0 and 1 pct_start, but got 1.5");
    expect(() => new ls.OneCycleLR(sgd(), 0.1, { totalSteps: 10, annealStrategy: "exp" as "cos" })).toThrow(
      "anneal_strategy must by one of 'cos' or 'linear', instead got exp",
    );
    expect(() => new ls.OneCycleLR(sgd([0.1, 0.2]), [0.1], { totalSteps: 10 })).toThrow("expected 2 values for max_lr, got 1");
    const adagrad = new optim.Adagrad([tensor([0], { requiresGrad: true })]) as unknown as Opt;
    expect(() => new ls.OneCycleLR(adagrad, 0.1, { totalSteps: 10 })).toThrow("optimizer must support momentum with `cycle_momentum` option enabled");
    expect(() => new ls.ReduceLROnPlateau(sgd(), { factor: 1 })).toThrow("Factor should be < 1.0.");
    expect(() => new ls.ReduceLROnPlateau(sgd(), { mode: "up" as "min" })).toThrow("mode up is unknown!");
    expect(() => new ls.ReduceLROnPlateau(sgd(), { thresholdMode: "x" as "rel" })).toThrow("threshold mode x is unknown!");
    expect(() => new ls.ReduceLROnPlateau(sgd([0.1, 0.2]), { minLr: [0.1] })).toThrow("expected 2 min_lrs, got 1");
    expect(() => new ls.LambdaLR(sgd([0.1, 0.2]), [(e: number) => e])).toThrow("Expected 2 lr_lambdas, but got 1");
    expect(() => new ls.StepLR({} as Opt, 3)).toThrow(new TypeError("Object is not an Optimizer"));
    expect(() => new ls.StepLR(sgd(), 3, { lastEpoch: 4 })).toThrow("param 'initialLr' is not specified in paramGroups[0] when resuming an optimizer");
    const o = sgd();
    const other = sgd();
    expect(() => new ls.SequentialLR(o, [new ls.StepLR(o, 2), new ls.StepLR(other, 2)], [3])).toThrow(
      "Sequential Schedulers expects all schedulers to belong to the same optimizer, but got schedulers at index 1 to be different than the optimizer passed in.",
    );
    expect(() => new ls.SequentialLR(o, [new ls.StepLR(o, 2), new ls.StepLR(o, 2)], [3, 4])).toThrow(
      "Sequential Schedulers expects number of schedulers provided to be one more than the number of milestone points, but got number of schedulers 2 and the number of milestones to be equal to 2",
    );
    expect(() => new ls.ChainedScheduler([new ls.StepLR(o, 2), new ls.StepLR(other, 2)])).toThrow(
      "ChainedScheduler expects all schedulers to belong to the same optimizer, but got schedulers at index 0 and 1 to be different",
    );
  });

  it("unknown option keys are an error naming the key and the accepted ones", () => {
    expect(() => new ls.StepLR(sgd(), 3, { gama: 0.5 } as unknown as { gamma: number })).toThrow(
      "StepLR() got an unexpected keyword argument 'gama' (accepted options: gamma, lastEpoch, verbose)",
    );
    expect(() => new ls.ReduceLROnPlateau(sgd(), { min_lr: 0.1 } as object)).toThrow(
      "ReduceLROnPlateau() got an unexpected keyword argument 'min_lr' (accepted options: mode, factor, patience, threshold, thresholdMode, cooldown, minLr, eps, verbose)",
    );
    expect(() => new ls.OneCycleLR(sgd(), 0.1, { total_steps: 10 } as object)).toThrow("unexpected keyword argument 'total_steps'");
    expect(() => new ls.StepLR(sgd(), 3, { gamma: "0.1" as unknown as number })).toThrow("gamma must be a number, got string '0.1'");
  });

  it("OneCycleLR refuses to step past totalSteps, as PyTorch", () => {
    const s = new ls.OneCycleLR(sgd(), 0.1, { totalSteps: 3 });
    s.step();
    s.step();
    s.step();
    expect(() => s.step()).toThrow("Tried to step 5 times. The specified number of total steps is 3");
  });

  it("ReduceLROnPlateau takes a one-element tensor as metric", () => {
    const o = sgd();
    const s = new ls.ReduceLROnPlateau(o, { patience: 0 });
    s.step(tensor(1));
    s.step(tensor([2]));
    expect(s.getLastLr()).toEqual([0.1 * 0.1]);
    expect(s.best).toBe(1);
  });

  it("step(epoch) uses the closed form, as PyTorch's deprecated path", () => {
    const o = sgd();
    const s = new ls.StepLR(o, 3, { gamma: 0.5 });
    s.step(7);
    expect(s.lastEpoch).toBe(7);
    expect(s.getLastLr()).toEqual([0.1 * Math.pow(0.5, 2)]);
  });

  it("verbose prints PyTorch's line", () => {
    const lines: string[] = [];
    const log = console.log;
    console.log = (m: string) => lines.push(m);
    try {
      const s = new ls.ExponentialLR(sgd(), 0.5, { verbose: true });
      s.step();
    } finally {
      console.log = log;
    }
    expect(lines).toEqual(["Adjusting learning rate of group 0 to 1.0000e-01.", "Adjusting learning rate of group 0 to 5.0000e-02."]);
  });

  it("the optimizer keeps working and its state dict carries the scheduler's group keys", () => {
    const p = tensor([1, 2], { requiresGrad: true });
    const o = new optim.SGD([p], { lr: 1 });
    const s = new ls.StepLR(o, 1, { gamma: 0.5 });
    p.grad = tensor([1, 1]);
    o.step();
    s.step();
    expect(p.tolist()).toEqual([0, 1]);
    expect(o.paramGroups[0].lr).toBe(0.5);
    expect(o.stateDict().paramGroups[0]).toMatchObject({ lr: 0.5, initialLr: 1 });
  });
});

describe("cos and ** as CPython (glibc) round them", () => {
  it("where V8's Math.cos and Math.pow are one ulp off", () => {
    // Values printed by /usr/bin/python3: math.cos(math.pi*12/10), 0.95 ** 10, 0.95 ** 33.
    expect(pyCos((Math.PI * 12) / 10)).toBe(-0.8090169943749476);
    expect(pyCos((Math.PI * 42) / 10)).toBe(0.8090169943749477);
    expect(pyPow(0.95, 10)).toBe(0.5987369392383787);
    expect(pyPow(0.95, 33)).toBe(0.18402591023557582);
    expect(pyPow(0.1, 292)).toBe(1.0000000000000162e-292);
    expect(pyPow(0.5, -3)).toBe(8);
    expect(pyPow(-0.7, 3)).toBe(-0.3429999999999999);
    expect(pyCos(0)).toBe(1);
    expect(pyCos(Math.PI)).toBe(-1);
    expect(Number.isNaN(pyCos(Infinity))).toBe(true);
  });
});

describe("a refused scheduler leaves the optimizer as it was", () => {
  it("no initialLr added, step not wrapped", () => {
    const o = new optim.SGD([tensor([0], { requiresGrad: true })], { lr: 0.1 });
    const step = o.step;
    expect(() => new ls.StepLR(o, 0)).toThrow("Expected positive integer step_size, but got 0");
    expect(() => new ls.LambdaLR(o, [])).toThrow("Expected 1 lr_lambdas, but got 0");
    expect(() => new ls.CosineAnnealingLR(o, 10, { etaMin: NaN })).toThrow("etaMin must be a number, got nan");
    expect("initialLr" in o.paramGroups[0]).toBe(false);
    expect(o.step).toBe(step);
  });
});
