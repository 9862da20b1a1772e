import { describe, expect, it } from "vitest";
import * as tg from "../../ts/index";
import { nn } from "../../ts/index";

const F = nn.functional;
const bad = { notAnOption: 1 } as never;

describe("nn.functional: an unknown option key is an error naming the key and the accepted ones", () => {
  const x = tg.rand(2, 3);
  const y = tg.rand(2, 3);
  const cls = tg.tensor([0, 2], { dtype: "int32" });
  const img = tg.rand(1, 2, 4, 4);
  const w = tg.rand(3, 2, 3, 3);
  const sign = tg.tensor([1, -1]);
  const calls: [string, string, () => unknown][] = [
    ["mseLoss", "reduction", () => F.mseLoss(x, y, bad)],
    ["l1Loss", "reduction", () => F.l1Loss(x, y, bad)],
    ["binaryCrossEntropy", "reduction, weight", () => F.binaryCrossEntropy(x, y, bad)],
    ["binaryCrossEntropyWithLogits", "reduction, weight, posWeight", () => F.binaryCrossEntropyWithLogits(x, y, bad)],
    ["nllLoss", "reduction, weight, ignoreIndex", () => F.nllLoss(x, cls, bad)],
    ["crossEntropy", "reduction, weight, ignoreIndex, labelSmoothing", () => F.crossEntropy(x, cls, bad)],
    ["huberLoss", "reduction, delta", () => F.huberLoss(x, y, bad)],
    ["smoothL1Loss", "reduction, beta", () => F.smoothL1Loss(x, y, bad)],
    ["klDiv", "reduction, logTarget", () => F.klDiv(x, y, bad)],
    ["cosineEmbeddingLoss", "reduction, margin", () => F.cosineEmbeddingLoss(x, y, sign, bad)],
    ["marginRankingLoss", "reduction, margin", () => F.marginRankingLoss(x, y, tg.ones(2, 3), bad)],
    ["tripletMarginLoss", "reduction, margin, p, eps, swap", () => F.tripletMarginLoss(x, y, x, bad)],
    ["poissonNllLoss", "reduction, logInput, full, eps", () => F.poissonNllLoss(x, y, bad)],
    ["gaussianNllLoss", "reduction, full, eps", () => F.gaussianNllLoss(x, y, tg.ones(2, 3), bad)],
    ["multilabelSoftMarginLoss", "reduction, weight", () => F.multilabelSoftMarginLoss(x, y, bad)],
    ["gelu", "approximate", () => F.gelu(x, bad)],
    ["softplus", "beta, threshold", () => F.softplus(x, bad)],
    ["conv2d", "stride, padding, dilation, groups", () => F.conv2d(img, w, null, bad)],
    ["conv1d", "stride, padding, dilation, groups", () => F.conv1d(tg.rand(1, 2, 5), tg.rand(3, 2, 3), null, bad)],
    ["convTranspose2d", "stride, padding, outputPadding, groups, dilation", () => F.convTranspose2d(img, tg.rand(2, 3, 3, 3), null, bad)],
    ["maxPool2d", "stride, padding, dilation, ceilMode, returnIndices", () => F.maxPool2d(img, 2, bad)],
    ["avgPool1d", "stride, padding, ceilMode, countIncludePad, divisorOverride", () => F.avgPool1d(tg.rand(1, 2, 6), 2, bad)],
    ["batchNorm", "training, momentum, eps", () => F.batchNorm(img, null, null, null, null, bad)],
    ["interpolate", "size, scaleFactor, mode, alignCorners", () => F.interpolate(img, bad)],
    ["scaled_dot_product_attention", "attnMask, dropoutP, isCausal", () => F.scaledDotProductAttention(x, x, x, bad)],
  ];
  for (const [name, accepted, call] of calls) {
    it(name, () => {
      const fn = name.replace(/\(\)$/, "");
      const owner = fn === "scaled_dot_product_attention" ? fn : `${fn}\\(\\)`;
      expect(call).toThrow(new RegExp(`^${owner} got an unexpected keyword argument 'notAnOption'; accepted options: ${accepted}$`));
    });
  }

  it("snake_case gets a hint, and the accepted keys still work", () => {
    expect(() => F.crossEntropy(x, cls, { label_smoothing: 0.1 } as never)).toThrow(/'label_smoothing' \(did you mean labelSmoothing\?\)/);
    expect(() => F.maxPool2d(img, 2, { ceil_mode: true } as never)).toThrow(/did you mean ceilMode\?/);
    expect(F.crossEntropy(x, cls, { labelSmoothing: 0.1, reduction: "sum" }).shape).toEqual([]);
    expect(F.maxPool2d(img, 2, { stride: 2, returnIndices: true })[1].dtype).toBe("int32");
    expect(F.conv2d(img, w, null, 1, 1).shape).toEqual([1, 3, 4, 4]);
    expect(F.interpolate(img, { scaleFactor: 2, mode: "nearest" }).shape).toEqual([1, 2, 8, 8]);
  });

  it("the nn modules built on these functions still pass only accepted keys", () => {
    expect(new nn.TripletMarginLoss({ margin: 0.5 })(x, y, x).shape).toEqual([]);
    expect(new nn.CrossEntropyLoss({ labelSmoothing: 0.1 })(x, cls).shape).toEqual([]);
    expect(new nn.GELU({ approximate: "tanh" })(x).shape).toEqual([2, 3]);
    expect(new nn.Softplus(2)(x).shape).toEqual([2, 3]);
  });

  it("an options argument that is not an object is refused", () => {
    expect(() => F.huberLoss(x, y, 3 as never)).toThrow(/huberLoss\(\): options must be an object, got number/);
    expect(() => F.mseLoss(x, y, [] as never)).toThrow(/mseLoss\(\): argument 'options' \(position 3\) must be an options object, not list/);
  });
});
