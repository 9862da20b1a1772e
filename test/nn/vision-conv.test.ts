import { describe, expect, it } from "vitest";
import { tensor, nn, manualSeed, randn, Tensor, autograd } from "../../ts/index";
import { near, TOL, vref } from "./vision-reference";

const F = nn.functional;

interface ConvCase {
  nd: 1 | 2; x: number[]; xShape: number[]; w: number[]; wShape: number[]; b: number[] | null;
  stride: number | number[]; padding: number | number[] | "same" | "valid"; dilation: number | number[]; groups: number;
  out: number[]; outShape: number[]; gout: number[]; gx: number[]; gw: number[]; gb: number[] | null;
}

describe("conv1d / conv2d match PyTorch 1.13 (values and input, weight and bias gradients)", () => {
  (vref.conv as ConvCase[]).forEach((c, ci) => {
    for (const dtype of ["float64", "float32"] as const) {
      it(`case ${ci}: conv${c.nd}d x${JSON.stringify(c.xShape)} w${JSON.stringify(c.wShape)} stride=${JSON.stringify(c.stride)} padding=${JSON.stringify(c.padding)} dilation=${JSON.stringify(c.dilation)} groups=${c.groups} (${dtype})`, () => {
        const [rtol, atol] = TOL[dtype];
        const x = tensor(Float64Array.from(c.x), { shape: c.xShape, dtype, requiresGrad: true });
        const w = tensor(Float64Array.from(c.w), { shape: c.wShape, dtype, requiresGrad: true });
        const b = c.b === null ? null : tensor(c.b, { dtype, requiresGrad: true });
        const fn = c.nd === 2 ? F.conv2d : F.conv1d;
        const out = fn(x, w, b, { stride: c.stride, padding: c.padding, dilation: c.dilation, groups: c.groups });
        expect(out.shape).toEqual(c.outShape);
        expect(out.gradFn?.name).toBe("ConvolutionBackward0");
        near(out, c.out, rtol, atol, "out");
        out.backward(tensor(Float64Array.from(c.gout), { shape: c.outShape, dtype }));
        near(x.grad!, c.gx, rtol, atol, "grad input");
        near(w.grad!, c.gw, rtol, atol, "grad weight");
        if (b !== null) near(b.grad!, c.gb!, rtol, atol, "grad bias");
      });
    }
  });

  it("takes PyTorch's positional stride, padding, dilation, groups", () => {
    const c = (vref.conv as ConvCase[])[1];
    const x = tensor(Float64Array.from(c.x), { shape: c.xShape, dtype: "float64" });
    const w = tensor(Float64Array.from(c.w), { shape: c.wShape, dtype: "float64" });
    const b = tensor(c.b!, { dtype: "float64" });
    near(F.conv2d(x, w, b, c.stride, c.padding, c.dilation, c.groups), c.out, 1e-10, 1e-10, "out");
  });

  it("accepts unbatched input and strided (non-contiguous) views", () => {
    manualSeed(3);
    const x = randn(2, 5, 6, { dtype: "float64" });
    const w = randn(4, 2, 3, 3, { dtype: "float64" });
    const batched = F.conv2d(x.unsqueeze(0), w, null, { padding: 1 });
    near(F.conv2d(x, w, null, { padding: 1 }), Array.from(batched.toArray()), 1e-12, 1e-12, "unbatched");
    const xt = x.transpose(1, 2).contiguous().transpose(1, 2); // same values, non-contiguous strides
    near(F.conv2d(xt, w, null, { padding: 1 }), Array.from(F.conv2d(x, w, null, { padding: 1 }).toArray()), 1e-12, 1e-12, "strided");
  });

  it("a batch whose columns span several blocks gives what each sample gives alone (values and gradients)", () => {
    manualSeed(4);
    for (const [c, k, pad, groups] of [[8, 3, 1, 2], [6, 1, 0, 3]] as const) {
      const x = randn(5, c, 80, 80, { dtype: "float64", requiresGrad: true });
      const w = randn(4 * groups, c / groups, k, k, { dtype: "float64", requiresGrad: true });
      const y = F.conv2d(x, w, null, { padding: pad, groups });
      const gy = randn(...y.shape, { dtype: "float64" });
      y.backward(gy);
      const gw = new Float64Array(w.numel());
      for (let i = 0; i < 5; i++) {
        const xi = x.detach().narrow(0, i, 1).requiresGrad_();
        const wi = w.detach().requiresGrad_();
        const yi = F.conv2d(xi, wi, null, { padding: pad, groups });
        near(yi, Array.from(y.detach().narrow(0, i, 1).toArray()), 1e-12, 1e-12, `sample ${i} out`);
        yi.backward(gy.narrow(0, i, 1));
        near(xi.grad!, Array.from(x.grad!.narrow(0, i, 1).toArray()), 1e-12, 1e-12, `sample ${i} grad input`);
        wi.grad!.toArray().forEach((v, j) => (gw[j] += v));
      }
      near(w.grad!, Array.from(gw), 1e-10, 1e-10, "grad weight");
    }
  });

  it("gives PyTorch's errors", () => {
    expect(() => F.conv2d(randn(28, 28), randn(6, 1, 5, 5))).toThrow(
      "Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: [28, 28]",
    );
    expect(() => F.conv2d(randn(8, 1, 28, 28), randn(6, 3, 5, 5))).toThrow(
      "Given groups=1, weight of size [6, 3, 5, 5], expected input[8, 1, 28, 28] to have 3 channels, but got 1 channels instead",
    );
    expect(() => F.conv2d(randn(1, 1, 2, 2), randn(6, 1, 3, 3))).toThrow(
      "Calculated padded input size per channel: (2 x 2). Kernel size: (3 x 3). Kernel size can't be greater than actual input size",
    );
    expect(() => F.conv2d(randn(1, 3, 5, 5), randn(6, 3, 3, 3), randn(5))).toThrow(
      "Given weight of size [6, 3, 3, 3], expected bias to be 1-dimensional with 6 elements, but got bias of size [5] instead",
    );
    expect(() => F.conv2d(randn(1, 3, 5, 5), randn(6, 3, 3, 3), null, { stride: 2, padding: "same" })).toThrow(
      "padding='same' is not supported for strided convolutions",
    );
    expect(() => F.conv2d(randn(1, 3, 5, 5), randn(6, 3, 3, 3), null, { padding: -1 })).toThrow("negative padding is not supported");
    expect(() => F.conv2d(randn(1, 3, 5, 5), randn(6, 3, 3, 3), null, { stride: 0 })).toThrow("non-positive stride is not supported");
    expect(() => F.conv2d(randn(1, 3, 5, 5), randn(6, 3, 3, 3, { dtype: "float64" }))).toThrow("expected scalar type Float but found Double");
    expect(() => F.conv1d(randn(2, 3, 5, 5), randn(6, 3, 3))).toThrow(
      "Expected 2D (unbatched) or 3D (batched) input to conv1d, but got input of size: [2, 3, 5, 5]",
    );
    expect(() => new nn.Conv2d(3, 6, 3, { padding: "foo" as "same" })).toThrow("Invalid padding string 'foo', should be one of {'valid', 'same'}");
    expect(() => new nn.Conv2d(3, 6, 3, { groups: 2 })).toThrow("in_channels must be divisible by groups");
    expect(() => new nn.Conv2d(4, 6, 3, { groups: 4 })).toThrow("out_channels must be divisible by groups");
  });

  it("nn.Conv2d / Conv1d print as PyTorch", () => {
    expect(String(new nn.Conv2d(1, 6, 5, { padding: 2 }))).toBe("Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1), padding=(2, 2))");
    expect(String(new nn.Conv2d(1, 6, 3, { padding: "same", bias: false, dilation: 2 }))).toBe(
      "Conv2d(1, 6, kernel_size=(3, 3), stride=(1, 1), padding=same, dilation=(2, 2), bias=False)",
    );
    expect(String(new nn.Conv1d(4, 8, 3, { stride: 2, groups: 2 }))).toBe("Conv1d(4, 8, kernel_size=(3,), stride=(2,), groups=2)");
  });

  it("float64 gradcheck: grouped, strided, dilated, padded conv2d and conv1d", () => {
    manualSeed(7);
    const x = randn(2, 4, 5, 6, { dtype: "float64", requiresGrad: true });
    const w = randn(6, 2, 3, 2, { dtype: "float64", requiresGrad: true });
    const b = randn(6, { dtype: "float64", requiresGrad: true });
    expect(autograd.gradcheck((a: Tensor, ww: Tensor, bb: Tensor) => F.conv2d(a, ww, bb, { stride: [2, 1], padding: [1, 2], dilation: [1, 2], groups: 2 }), [x, w, b])).toBe(true);
    const x1 = randn(2, 3, 7, { dtype: "float64", requiresGrad: true });
    const w1 = randn(2, 3, 4, { dtype: "float64", requiresGrad: true });
    expect(autograd.gradcheck((a: Tensor, ww: Tensor) => F.conv1d(a, ww, null, { padding: "same" }), [x1, w1])).toBe(true);
  });

  it("second derivatives through createGraph", () => {
    manualSeed(8);
    const x = randn(1, 2, 4, 4, { dtype: "float64", requiresGrad: true });
    const w = randn(3, 2, 2, 2, { dtype: "float64", requiresGrad: true });
    const [gx] = autograd.grad([F.conv2d(x, w).pow(2).sum()], [x], { createGraph: true });
    const [gw] = autograd.grad([(gx as Tensor).sum()], [w]);
    expect(gw!.shape).toEqual([3, 2, 2, 2]);
    // d/dw sum_x d/dx sum(conv^2) = 2 * d/dw sum(conv(x,w) * conv(1,w)) — check against finite differences.
    expect(autograd.gradcheck((ww: Tensor) => {
      const [g] = autograd.grad([F.conv2d(x, ww).pow(2).sum()], [x], { createGraph: true });
      return (g as Tensor).sum();
    }, [w])).toBe(true);
  });
});
