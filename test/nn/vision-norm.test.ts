import { describe, expect, it } from "vitest";
import { tensor, nn, manualSeed, randn, Tensor, autograd, noGrad } from "../../ts/index";
import { near, TOL, vref } from "./vision-reference";

interface NormCase {
  shape: number[]; train: boolean; args: Record<string, number | boolean | null>;
  w: number[] | null; b: number[] | null; rm: number[] | null; rv: number[] | null;
  x: number[]; out: number[]; out2: number[]; gout: number[]; gx: number[]; gw: number[] | null; gb: number[] | null;
  rmAfter: number[] | null; rvAfter: number[] | null; nbt: number | null;
}

describe("BatchNorm1d/2d match PyTorch 1.13 (train and eval, running statistics, gradients)", () => {
  (vref.norm as NormCase[]).forEach((c, ci) => {
    for (const dtype of ["float64", "float32"] as const) {
      it(`case ${ci}: BatchNorm x${JSON.stringify(c.shape)} ${c.train ? "train" : "eval"} ${JSON.stringify(c.args)} (${dtype})`, () => {
        const [rtol, atol] = TOL[dtype];
        const opts = { momentum: c.args.momentum as number | null | undefined, eps: c.args.eps as number | undefined, affine: c.args.affine as boolean | undefined, trackRunningStats: c.args.track_running_stats as boolean | undefined, dtype };
        const bn = c.shape.length === 4 ? new nn.BatchNorm2d(c.shape[1], opts) : new nn.BatchNorm1d(c.shape[1], opts);
        noGrad(() => {
          if (c.w !== null) bn.weight!.copy_(tensor(c.w, { dtype }));
          if (c.b !== null) bn.bias!.copy_(tensor(c.b, { dtype }));
          if (c.rm !== null) bn.runningMean!.copy_(tensor(c.rm, { dtype }));
          if (c.rv !== null) bn.runningVar!.copy_(tensor(c.rv, { dtype }));
        });
        bn.train(c.train);
        const x = tensor(Float64Array.from(c.x), { shape: c.shape, dtype, requiresGrad: true });
        const out = bn(x);
        expect(out.gradFn?.name).toBe("NativeBatchNormBackward0");
        near(out, c.out, rtol, atol, "out");
        near(bn(x.mul(2).add(1)), c.out2, rtol, atol, "second call");
        out.backward(tensor(Float64Array.from(c.gout), { shape: c.shape, dtype }));
        near(x.grad!, c.gx, rtol, atol, "grad input");
        if (c.gw !== null) near(bn.weight!.grad!, c.gw, rtol, atol, "grad weight");
        if (c.gb !== null) near(bn.bias!.grad!, c.gb, rtol, atol, "grad bias");
        if (c.rmAfter !== null) near(bn.runningMean!, c.rmAfter, rtol, atol, "running_mean");
        if (c.rvAfter !== null) near(bn.runningVar!, c.rvAfter, rtol, atol, "running_var");
        if (c.nbt !== null) expect(bn.numBatchesTracked!.item()).toBe(c.nbt);
      });
    }
  });

  it("prints, keeps its statistics in the state dict under PyTorch's names, and moves them with to()", () => {
    expect(String(new nn.BatchNorm2d(16))).toBe("BatchNorm2d(16, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)");
    expect(String(new nn.BatchNorm1d(4, { affine: false, trackRunningStats: false, momentum: null }))).toBe(
      "BatchNorm1d(4, eps=1e-05, momentum=None, affine=False, track_running_stats=False)",
    );
    const bn = new nn.BatchNorm2d(2);
    expect(Object.keys(bn.stateDict())).toEqual(["weight", "bias", "running_mean", "running_var", "num_batches_tracked"]);
    bn.to("float64");
    expect(bn.runningMean!.dtype).toBe("float64");
    expect(bn.numBatchesTracked!.dtype).toBe("int32");
    expect(Object.keys(new nn.BatchNorm1d(3, { trackRunningStats: false }).stateDict())).toEqual(["weight", "bias"]);
  });

  it("gives PyTorch's errors", () => {
    expect(() => new nn.BatchNorm1d(3)(randn(1, 3))).toThrow("Expected more than 1 value per channel when training, got input size torch.Size([1, 3])");
    expect(() => new nn.BatchNorm2d(3)(randn(2, 4, 2, 2))).toThrow("running_mean should contain 4 elements not 3");
    expect(() => new nn.BatchNorm2d(3)(randn(2, 3, 2))).toThrow("expected 4D input (got 3D input)");
    expect(() => new nn.BatchNorm1d(3).eval()(randn(1, 3))).not.toThrow();
  });

  it("float64 gradcheck in training mode (input, weight, bias) and eval mode", () => {
    manualSeed(5);
    const x = randn(3, 2, 3, 2, { dtype: "float64", requiresGrad: true });
    const w = randn(2, { dtype: "float64", requiresGrad: true });
    const b = randn(2, { dtype: "float64", requiresGrad: true });
    expect(autograd.gradcheck((a: Tensor, ww: Tensor, bb: Tensor) => nn.functional.batchNorm(a, null, null, ww, bb, { training: true }), [x, w, b])).toBe(true);
    const rm = randn(2, { dtype: "float64" });
    const rv = randn(2, { dtype: "float64" }).abs().add(0.5);
    expect(autograd.gradcheck((a: Tensor, ww: Tensor) => nn.functional.batchNorm(a, rm, rv, ww, null, { training: false }), [x, w])).toBe(true);
  });

  it("second derivatives (createGraph) through the training-mode backward, checked by finite differences", () => {
    manualSeed(6);
    const x = randn(4, 3, 2, { dtype: "float64", requiresGrad: true });
    const w = randn(3, { dtype: "float64", requiresGrad: true });
    const r = randn(4, 3, 2, { dtype: "float64" });
    const gradOf = (a: Tensor, ww: Tensor) => {
      const y = nn.functional.batchNorm(a, null, null, ww, null, { training: true });
      const [gx] = autograd.grad([y.mul(r).sum().pow(2)], [a], { createGraph: true });
      return gx as Tensor;
    };
    expect(autograd.gradcheck(gradOf, [x, w])).toBe(true);
  });
});
