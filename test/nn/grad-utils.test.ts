import { describe, expect, it } from "vitest";
import * as tg from "../../ts/index";
import { nn } from "../../ts/index";
import ref from "../reference/grad_utils.json";

function params(): tg.Tensor[] {
  return ref.shapes.map((s, i) => {
    const p = new nn.Parameter(tg.zeros(s));
    p.grad = tg.tensor(Float32Array.from(ref.grads[i]), { shape: s });
    return p;
  });
}

function close(a: number, b: number, rtol = 2e-6): void {
  expect(Math.abs(a - b)).toBeLessThanOrEqual(rtol * Math.max(1, Math.abs(b)));
}

describe("nn.utils", () => {
  for (const c of ref.norm) {
    it(`clipGradNorm_ (normType ${c.normType}, maxNorm ${c.maxNorm}) returns PyTorch's total norm and scales as it does`, () => {
      const ps = params();
      const total = nn.utils.clipGradNorm_(ps, c.maxNorm, { normType: c.normType === "inf" ? Infinity : (c.normType as number) });
      expect(total.ndim).toBe(0);
      close(total.item(), c.total);
      ps.forEach((p, i) => (p.grad!.toArray() as Float32Array).forEach((v, j) => close(v, c.grads[i][j])));
    });
  }

  it("clipGradNorm_ refuses a non-finite norm when asked, and returns 0 with no gradients", () => {
    const ps = params();
    ps[0].grad!.data.fill_(NaN);
    expect(() => nn.utils.clipGradNorm_(ps, 1, { errorIfNonfinite: true })).toThrow(/is non-finite, so it cannot be clipped/);
    expect(nn.utils.clipGradNorm_([new nn.Parameter(tg.zeros(2))], 1).item()).toBe(0);
  });

  it("clipGradValue_ clamps every gradient as PyTorch", () => {
    const ps = params();
    nn.utils.clipGradValue_(ps, ref.value.clip);
    ps.forEach((p, i) => expect(Array.from(p.grad!.toArray())).toEqual(ref.value.grads[i].map(Math.fround)));
  });

  it("parametersToVector and vectorToParameters round-trip in order", () => {
    const ps = [new nn.Parameter(tg.tensor([[1, 2], [3, 4]])), new nn.Parameter(tg.tensor([5, 6]))];
    const v = nn.utils.parametersToVector(ps);
    expect(v.tolist()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(v.requiresGrad).toBe(true);
    nn.utils.vectorToParameters(tg.arange(6).float(), ps);
    expect(ps[0].tolist()).toEqual([[0, 1], [2, 3]]);
    expect(ps[1].tolist()).toEqual([4, 5]);
    expect(() => nn.utils.vectorToParameters(tg.zeros(5), ps)).toThrow(/does not match/);
  });
});
