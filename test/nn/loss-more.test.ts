import { describe, expect, it } from "vitest";
import * as tg from "../../ts/index";
import { nn, type Tensor } from "../../ts/index";
import ref from "../reference/losses.json";

type Loss = (...xs: Tensor[]) => Tensor;
const MODULES: Record<string, (extra: number[] | null) => Loss> = {
  "HuberLoss delta 1.5 mean": () => new nn.HuberLoss({ delta: 1.5 }),
  "HuberLoss delta 1.5 sum": () => new nn.HuberLoss({ delta: 1.5, reduction: "sum" }),
  "HuberLoss delta 1.5 none": () => new nn.HuberLoss({ delta: 1.5, reduction: "none" }),
  "SmoothL1Loss beta 0.7 mean": () => new nn.SmoothL1Loss({ beta: 0.7 }),
  "SmoothL1Loss beta 0.7 sum": () => new nn.SmoothL1Loss({ beta: 0.7, reduction: "sum" }),
  "SmoothL1Loss beta 0.7 none": () => new nn.SmoothL1Loss({ beta: 0.7, reduction: "none" }),
  "SmoothL1Loss beta 0": () => new nn.SmoothL1Loss({ beta: 0 }),
  "KLDivLoss batchmean": () => new nn.KLDivLoss({ reduction: "batchmean" }),
  "KLDivLoss mean": () => new nn.KLDivLoss(),
  "KLDivLoss sum": () => new nn.KLDivLoss({ reduction: "sum" }),
  "KLDivLoss none": () => new nn.KLDivLoss({ reduction: "none" }),
  "KLDivLoss logTarget": () => new nn.KLDivLoss({ reduction: "batchmean", logTarget: true }),
  "CosineEmbeddingLoss margin 0.2": () => new nn.CosineEmbeddingLoss({ margin: 0.2 }),
  "CosineEmbeddingLoss sum": () => new nn.CosineEmbeddingLoss({ reduction: "sum" }),
  "MarginRankingLoss margin 0.5": () => new nn.MarginRankingLoss({ margin: 0.5 }),
  TripletMarginLoss: () => new nn.TripletMarginLoss(),
  "TripletMarginLoss p1 swap margin 2": () => new nn.TripletMarginLoss({ margin: 2, p: 1, swap: true }),
  "TripletMarginLoss p3 none": () => new nn.TripletMarginLoss({ p: 3, reduction: "none" }),
  "PoissonNLLLoss log input": () => new nn.PoissonNLLLoss(),
  "PoissonNLLLoss full": () => new nn.PoissonNLLLoss({ full: true }),
  "PoissonNLLLoss rate input": () => new nn.PoissonNLLLoss({ logInput: false }),
  GaussianNLLLoss: () => new nn.GaussianNLLLoss(),
  "GaussianNLLLoss full sum": () => new nn.GaussianNLLLoss({ full: true, reduction: "sum" }),
  "GaussianNLLLoss var one fewer dim": () => new nn.GaussianNLLLoss(),
  "GaussianNLLLoss var last dim 1": () => new nn.GaussianNLLLoss(),
  MultiLabelSoftMarginLoss: () => new nn.MultiLabelSoftMarginLoss(),
  "MultiLabelSoftMarginLoss weight none": (w) => new nn.MultiLabelSoftMarginLoss({ weight: tg.tensor(w!), reduction: "none" }),
};

function expectClose(got: ArrayLike<number>, want: readonly number[], what: string): void {
  expect(got.length, what).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const tol = 2e-5 * Math.max(1, Math.abs(want[i]));
    expect(Math.abs(got[i] - want[i]), `${what} [${i}]: got ${got[i]}, want ${want[i]}`).toBeLessThanOrEqual(tol);
  }
}

describe("more losses match PyTorch 1.13 (values and input gradients)", () => {
  it("every golden case has a module here", () => {
    expect(ref.cases.map((c) => c.name).filter((n) => !(n in MODULES))).toEqual([]);
  });
  for (const c of ref.cases) {
    it(c.name, () => {
      const inputs = c.inputs.map((t, i) =>
        tg.tensor(Float32Array.from(t.values), { shape: t.shape, requiresGrad: c.gradOf.includes(i) }),
      );
      const out = MODULES[c.name](c.extra as number[] | null)(...inputs);
      expect(out.shape).toEqual(c.out.shape);
      expectClose(out.toArray(), c.out.values, `${c.name} value`);
      out.sum().backward();
      c.gradOf.forEach((i, k) => expectClose(inputs[i].grad!.toArray(), c.grads[k], `${c.name} grad of input ${i}`));
    });
  }

  it("bad arguments get PyTorch's errors", () => {
    expect(() => new nn.HuberLoss({ reduction: "avg" as never })).toThrow("avg is not a valid value for reduction");
    expect(() => nn.functional.smoothL1Loss(tg.ones(2), tg.ones(2), { beta: -1 })).toThrow(/negative values for beta/);
    expect(() => nn.functional.gaussianNllLoss(tg.ones(2, 3), tg.ones(2, 3), tg.ones(3, 2))).toThrow("var is of incorrect size");
    expect(() => nn.functional.gaussianNllLoss(tg.ones(2), tg.ones(2), tg.tensor([1, -1]))).toThrow("var has negative entry/entries");
    expect(() => nn.functional.marginRankingLoss(tg.ones(2), tg.ones(2, 1), tg.ones(2))).toThrow(/All input tensors should have same dimension/);
    expect(() => nn.functional.huberLoss(tg.ones(2), {} as never)).toThrow("huber_loss(): argument 'target' must be Tensor, not object");
  });
});
