import { afterEach, describe, expect, it, vi } from "vitest";
import * as tg from "../../ts/index";

const F = tg.nn.functional;
const int = (v: number[] | number) => tg.tensor(v, { dtype: "int32" });

describe("int32 sums do not wrap around", () => {
  it("a sum that overflows int32 is a RangeError naming the value and suggesting .double()", () => {
    const x = tg.full([100], 2 ** 31 - 1, { dtype: "int32" });
    expect(() => x.sum()).toThrow(/sum\(\): the sum 214748364700 overflows int32.*\.double\(\)/);
    expect(() => tg.full([3, 2], -(2 ** 31), { dtype: "int32" }).sum(1)).toThrow("-4294967296");
    expect(x.double().sum().item()).toBe(214748364700);
  });
  it("sums that fit stay int32, exactly (also of bools)", () => {
    const x = tg.full([2, 2], 2 ** 30 - 1, { dtype: "int32" });
    expect(() => x.sum()).toThrow(RangeError);
    const s = x.sum(0);
    expect(s.dtype).toBe("int32");
    expect(s.tolist()).toEqual([2 ** 31 - 2, 2 ** 31 - 2]);
    expect(int([2 ** 31 - 1, 1, -1]).sum().tolist()).toBe(2 ** 31 - 1);
    expect(tg.tensor([true, false, true]).sum().tolist()).toBe(2);
    expect(tg.tensor([true, false, true]).sum().dtype).toBe("int32");
  });
});

describe("float → int32 conversions refuse values int32 cannot hold", () => {
  it(".int(), to('int32'), to({ dtype }) name the value", () => {
    const x = tg.tensor([1, 3e9]);
    expect(() => x.int()).toThrow("value 3000000000 cannot be converted to type int32 without overflow");
    expect(() => x.to("int32")).toThrow(RangeError);
    expect(() => x.to({ dtype: "int32" })).toThrow("3000000000");
    expect(() => tg.tensor([-3e9]).int()).toThrow("-3000000000");
    expect(() => tg.tensor([NaN]).int()).toThrow("value nan cannot");
    expect(() => tg.tensor([Infinity]).int()).toThrow("value Infinity cannot");
  });
  it("values that truncate into range convert (as C's truncation does)", () => {
    expect(tg.tensor([2147483647.5, -2147483648.5, -1.7], { dtype: "float64" }).int().tolist()).toEqual([2147483647, -2147483648, -1]);
  });
  it("creation with dtype int32, fill_, full and copy_ check too", () => {
    expect(() => tg.tensor([3e9], { dtype: "int32" })).toThrow("value 3000000000 cannot be converted to type int32");
    expect(() => tg.tensor(3e9, { dtype: "int32" })).toThrow(RangeError);
    expect(() => tg.tensor(new Float64Array([3e9]), { dtype: "int32" })).toThrow(RangeError);
    expect(() => tg.tensor(tg.tensor([3e9]), { dtype: "int32" })).toThrow(RangeError);
    expect(() => tg.full([2], 3e9, { dtype: "int32" })).toThrow(RangeError);
    expect(() => tg.arange(0, 4e9, 1.5e9, { dtype: "int32" })).toThrow(RangeError);
    expect(() => tg.zeros(2, { dtype: "int32" }).fill_(3e9)).toThrow("fill_(): value 3000000000");
    expect(() => tg.zeros(2, { dtype: "int32" }).copy_(tg.tensor([1, 3e9]))).toThrow("copy_(): value 3000000000");
    expect(tg.tensor([2 ** 31 - 1], { dtype: "int32" }).tolist()).toEqual([2 ** 31 - 1]);
  });
});

describe("pow with a negative integer exponent on integer tensors", () => {
  it("is PyTorch's error", () => {
    expect(() => int([2, 3]).pow(-1)).toThrow("Integers to negative integer powers are not allowed.");
    expect(() => tg.pow(int([2]), -2)).toThrow("Integers to negative integer powers are not allowed.");
    expect(() => tg.tensor([true]).pow(-1)).toThrow("Integers to negative integer powers are not allowed.");
  });
  it("float tensors and non-integer exponents are fine", () => {
    expect(tg.tensor([2]).pow(-1).tolist()).toEqual([0.5]);
    expect(int([4]).pow(-0.5).tolist()).toEqual([0.5]);
    expect(int([3]).pow(2).tolist()).toEqual([9]);
  });
});

describe("argmax / argmin / max(dim) with int32 indices", () => {
  it("refuse reductions over more than 2^31 elements instead of returning a negative index", () => {
    const big = tg.zeros(1).expand(2 ** 31 + 1);
    expect(() => big.argmax(0)).toThrow(/argmax\(\): cannot reduce over 2147483649 elements/);
    expect(() => big.argmin()).toThrow(/argmin\(\): cannot reduce over 2147483649 elements/);
    expect(() => big.max(0)).toThrow(/max\(\): cannot reduce over/);
    expect(() => tg.zeros(1, 1).expand(2 ** 16, 2 ** 16).argmax()).toThrow(/cannot reduce over 4294967296 elements/);
  });
  it("smaller reductions are unchanged", () => {
    expect(tg.tensor([1, 5, 2]).argmax().item()).toBe(1);
  });
});

describe("logsumexp of an empty reduction", () => {
  it("is -inf, PyTorch's value (the log of an empty sum)", () => {
    expect(tg.zeros(0).logsumexp(0).item()).toBe(-Infinity);
    expect(tg.zeros(2, 0).logsumexp(1).tolist()).toEqual([-Infinity, -Infinity]);
    expect(tg.zeros(2, 0).logsumexp(1, true).shape).toEqual([2, 1]);
    expect(tg.zeros(0, 3).logsumexp(0).tolist()).toEqual([-Infinity, -Infinity, -Infinity]);
  });
});

describe("warnings from the ops layer are printed once per distinct message", () => {
  afterEach(() => vi.restoreAllMocks());
  it("mseLoss's broadcast warning, called in a loop, warns once; another shape warns again once", () => {
    const spy = vi.spyOn(process, "emitWarning").mockImplementation(() => undefined);
    const a = tg.ones(7, 1);
    for (let i = 0; i < 5; i++) F.mseLoss(a, tg.ones(7));
    for (let i = 0; i < 5; i++) F.l1Loss(a, tg.ones(7));
    const first = spy.mock.calls.filter((c) => String(c[0]).includes("torch.Size([7])"));
    expect(first).toHaveLength(1);
    for (let i = 0; i < 3; i++) F.mseLoss(tg.ones(9, 1), tg.ones(9));
    expect(spy.mock.calls.filter((c) => String(c[0]).includes("torch.Size([9])"))).toHaveLength(1);
  });
  it("huberLoss / smoothL1Loss share the broadcast warning: once per message", () => {
    const spy = vi.spyOn(process, "emitWarning").mockImplementation(() => undefined);
    for (let i = 0; i < 4; i++) F.huberLoss(tg.ones(5, 1), tg.ones(5));
    for (let i = 0; i < 4; i++) F.smoothL1Loss(tg.ones(5, 1), tg.ones(5));
    expect(spy.mock.calls.filter((c) => String(c[0]).includes("torch.Size([5])"))).toHaveLength(1);
  });
});

/** log-softmax of one row, in float64, for an independent reference. */
function logSoftmaxRow(row: number[]): number[] {
  const m = Math.max(...row);
  const lse = m + Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0));
  return row.map((v) => v - lse);
}

describe("class weights of crossEntropy / nllLoss (PyTorch's weighted mean)", () => {
  const X = [[1.0, 2.0, 0.5], [0.1, -1.0, 2.0], [0.3, 0.3, 0.3], [2, 1, 0]];
  const T = [0, 2, 1, 2];
  const W = [0.2, 1.0, 3.0];
  const perSample = X.map((row, i) => -W[T[i]] * logSoftmaxRow(row)[T[i]]);
  const sum = perSample.reduce((a, b) => a + b, 0);
  const wsum = T.reduce((a, t) => a + W[t], 0);
  const x64 = () => tg.tensor(X, { dtype: "float64", requiresGrad: true });
  const t = int(T);
  const w = tg.tensor(W, { dtype: "float64" });

  it("reduction none / sum / mean (mean divides by the sum of the targets' weights)", () => {
    const none = F.crossEntropy(x64(), t, { weight: w, reduction: "none" }).tolist() as number[];
    none.forEach((v, i) => expect(v).toBeCloseTo(perSample[i], 12));
    expect(F.crossEntropy(x64(), t, { weight: w, reduction: "sum" }).item()).toBeCloseTo(sum, 12);
    expect(F.crossEntropy(x64(), t, { weight: w }).item()).toBeCloseTo(sum / wsum, 12);
    const logp = tg.logSoftmax(x64(), 1);
    expect(F.nllLoss(logp, t, { weight: w }).item()).toBeCloseTo(sum / wsum, 12);
  });

  it("the gradient is the weighted one", () => {
    const x = x64();
    F.crossEntropy(x, t, { weight: w }).backward();
    const g = x.grad!.tolist() as number[][];
    X.forEach((row, i) => {
      const p = logSoftmaxRow(row).map(Math.exp);
      p.forEach((pc, c) => expect(g[i][c]).toBeCloseTo((W[T[i]] * (pc - (c === T[i] ? 1 : 0))) / wsum, 12));
    });
    expect(tg.autograd.gradcheck((a: tg.Tensor) => F.crossEntropy(a, t, { weight: w }), [x64()])).toBe(true);
  });

  it("ignored targets count neither in the sum nor in the weights", () => {
    const ti = int([0, 2, -100, 2]);
    const expected = (perSample[0] + perSample[1] + perSample[3]) / (W[0] + W[2] + W[2]);
    expect(F.crossEntropy(x64(), ti, { weight: w }).item()).toBeCloseTo(expected, 12);
  });

  it("a NaN weight shows in the loss; a zero weight drops its class", () => {
    expect(F.crossEntropy(x64(), t, { weight: tg.tensor([NaN, 1, 1], { dtype: "float64" }) }).item()).toBeNaN();
    const zeroFirst = F.crossEntropy(x64(), t, { weight: tg.tensor([0, 1, 3], { dtype: "float64" }), reduction: "sum" }).item();
    expect(zeroFirst).toBeCloseTo(sum - perSample[0], 12);
  });

  it("a weight of the wrong size is PyTorch's error", () => {
    const msg = "weight tensor should be defined either for all 3 classes or no classes but got weight tensor of shape: [2]";
    expect(() => F.crossEntropy(x64(), t, { weight: tg.tensor([1, 2]) })).toThrow(msg);
    expect(() => F.nllLoss(x64(), t, { weight: tg.tensor([1, 2]) })).toThrow(msg);
    expect(() => F.crossEntropy(x64(), t, { weight: tg.ones(1, 3) })).toThrow("got weight tensor of shape: [1, 3]");
  });

  it("probability targets: −Σ w·t·log p, mean over samples", () => {
    const P = [[0.2, 0.3, 0.5], [1, 0, 0], [0, 1, 0], [0.3, 0.3, 0.4]];
    const ref = X.map((row, i) => -logSoftmaxRow(row).reduce((s, lp, c) => s + W[c] * P[i][c] * lp, 0));
    const got = F.crossEntropy(x64(), tg.tensor(P, { dtype: "float64" }), { weight: w }).item();
    expect(got).toBeCloseTo(ref.reduce((a, b) => a + b, 0) / X.length, 12);
  });

  it("label smoothing with weights: the smoothing term is weighted and divided by the targets' weights too", () => {
    const eps = 0.1;
    const smooth = X.map((row, i) => -logSoftmaxRow(row).reduce((s, lp, c) => s + W[c] * lp, 0) + 0 * i);
    const expected = (1 - eps) * (sum / wsum) + (eps / 3) * (smooth.reduce((a, b) => a + b, 0) / wsum);
    expect(F.crossEntropy(x64(), t, { weight: w, labelSmoothing: eps }).item()).toBeCloseTo(expected, 12);
  });

  it("the modules take the weight, as a buffer in the state dict (PyTorch's _WeightedLoss)", () => {
    const ce = new tg.nn.CrossEntropyLoss({ weight: w });
    expect(ce(x64(), t).item()).toBeCloseTo(sum / wsum, 12);
    expect(Object.keys(ce.stateDict())).toEqual(["weight"]);
    const nll = new tg.nn.NLLLoss({ weight: w, reduction: "sum" });
    expect(nll(tg.logSoftmax(x64(), 1), t).item()).toBeCloseTo(sum, 12);
    expect(Object.keys(new tg.nn.CrossEntropyLoss().stateDict())).toEqual([]);
  });
});
