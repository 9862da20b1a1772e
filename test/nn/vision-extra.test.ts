import { describe, expect, it } from "vitest";
import { tensor, nn, manualSeed, randn, ones, Tensor, autograd } from "../../ts/index";
import { near, TOL, vref } from "./vision-reference";

const F = nn.functional;

interface ConvTCase {
  nd: 1 | 2; x: number[]; xShape: number[]; w: number[]; wShape: number[]; b: number[] | null;
  stride: number | number[]; padding: number | number[]; outputPadding: number | number[]; groups: number; dilation: number | number[];
  out: number[]; outShape: number[]; gout: number[]; gx: number[]; gw: number[]; gb: number[] | null;
}

describe("conv_transpose1d/2d match PyTorch 1.13", () => {
  (vref.convt as ConvTCase[]).forEach((c, ci) => {
    for (const dtype of ["float64", "float32"] as const) {
      it(`case ${ci}: conv_transpose${c.nd}d x${JSON.stringify(c.xShape)} w${JSON.stringify(c.wShape)} (${dtype})`, () => {
        const [rtol, atol] = TOL[dtype];
        const x = tensor(Float64Array.from(c.x), { shape: c.xShape, dtype, requiresGrad: true });
        const w = tensor(Float64Array.from(c.w), { shape: c.wShape, dtype, requiresGrad: true });
        const b = c.b === null ? null : tensor(c.b, { dtype, requiresGrad: true });
        const fn = c.nd === 2 ? F.convTranspose2d : F.convTranspose1d;
        const out = fn(x, w, b, { stride: c.stride, padding: c.padding, outputPadding: c.outputPadding, groups: c.groups, dilation: c.dilation });
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

  it("prints as PyTorch, errors as PyTorch, gradchecks in float64", () => {
    expect(String(new nn.ConvTranspose2d(16, 33, 3, { stride: 2 }))).toBe("ConvTranspose2d(16, 33, kernel_size=(3, 3), stride=(2, 2))");
    expect(String(new nn.ConvTranspose2d(16, 32, [3, 5], { stride: [2, 1], padding: [4, 2], outputPadding: 1, groups: 2, bias: false, dilation: 2 }))).toBe(
      "ConvTranspose2d(16, 32, kernel_size=(3, 5), stride=(2, 1), padding=(4, 2), dilation=(2, 2), output_padding=(1, 1), groups=2, bias=False)",
    );
    expect(() => F.convTranspose2d(randn(1, 2, 3, 3), randn(2, 3, 3, 3), null, { outputPadding: 1 })).toThrow(
      "output padding must be smaller than either stride or dilation, but got output_padding_height: 1 output_padding_width: 1 stride_height: 1 stride_width: 1 dilation_height: 1 dilation_width: 1",
    );
    manualSeed(2);
    const x = randn(1, 4, 3, 2, { dtype: "float64", requiresGrad: true });
    const w = randn(4, 1, 2, 3, { dtype: "float64", requiresGrad: true });
    expect(autograd.gradcheck((a: Tensor, ww: Tensor) => F.convTranspose2d(a, ww, null, { stride: 2, padding: [1, 0], groups: 2 }), [x, w])).toBe(true);
    const m = new nn.ConvTranspose2d(4, 2, 3, { stride: 2, outputPadding: 1 });
    expect(m(randn(2, 4, 5, 5)).shape).toEqual([2, 2, 12, 12]);
  });
});

describe("GroupNorm matches PyTorch 1.13", () => {
  (vref.gnorm as { shape: number[]; groups: number; x: number[]; w: number[] | null; b: number[] | null; out: number[]; gout: number[]; gx: number[]; gw: number[] | null; gb: number[] | null }[]).forEach((c, ci) => {
    it(`case ${ci}: group_norm x${JSON.stringify(c.shape)} groups=${c.groups}`, () => {
      const [rtol, atol] = TOL.float64;
      const dtype = "float64";
      const x = tensor(Float64Array.from(c.x), { shape: c.shape, dtype, requiresGrad: true });
      const w = c.w === null ? null : tensor(c.w, { dtype, requiresGrad: true });
      const b = c.b === null ? null : tensor(c.b, { dtype, requiresGrad: true });
      const out = F.groupNorm(x, c.groups, w, b);
      near(out, c.out, rtol, atol, "out");
      out.backward(tensor(Float64Array.from(c.gout), { shape: c.shape, dtype }));
      near(x.grad!, c.gx, 1e-9, 1e-9, "grad input");
      if (w !== null) near(w.grad!, c.gw!, 1e-9, 1e-9, "grad weight");
      if (b !== null) near(b.grad!, c.gb!, 1e-9, 1e-9, "grad bias");
    });
  });

  it("module: init, repr, errors", () => {
    expect(String(new nn.GroupNorm(2, 6))).toBe("GroupNorm(2, 6, eps=1e-05, affine=True)");
    expect(String(new nn.GroupNorm(3, 6, { affine: false, eps: 1e-3 }))).toBe("GroupNorm(3, 6, eps=0.001, affine=False)");
    expect(() => new nn.GroupNorm(4, 6)).toThrow("num_channels must be divisible by num_groups");
    expect(() => F.groupNorm(randn(2, 5, 3), 2)).toThrow(
      "Expected number of channels in input to be divisible by num_groups, but got input of shape [2, 5, 3] and num_groups=2",
    );
    expect(Object.keys(new nn.GroupNorm(2, 4).stateDict())).toEqual(["weight", "bias"]);
  });
});

describe("interpolate / Upsample match PyTorch 1.13", () => {
  (vref.interp as { xShape: number[]; args: Record<string, unknown>; x: number[]; out: number[]; outShape: number[]; gout: number[]; gx: number[] }[]).forEach((c, ci) => {
    it(`case ${ci}: x${JSON.stringify(c.xShape)} ${JSON.stringify(c.args)}`, () => {
      const a = c.args as { scale_factor?: number; size?: number | number[]; mode: "nearest" | "linear" | "bilinear"; align_corners?: boolean };
      const x = tensor(Float64Array.from(c.x), { shape: c.xShape, dtype: "float64", requiresGrad: true });
      const out = F.interpolate(x, { scaleFactor: a.scale_factor, size: a.size, mode: a.mode, alignCorners: a.align_corners });
      expect(out.shape).toEqual(c.outShape);
      near(out, c.out, 1e-12, 1e-12, "out");
      out.backward(tensor(Float64Array.from(c.gout), { shape: c.outShape, dtype: "float64" }));
      near(x.grad!, c.gx, 1e-12, 1e-12, "grad input");
    });
  });

  it("Upsample prints as PyTorch; errors", () => {
    expect(String(new nn.Upsample({ scaleFactor: 2 }))).toBe("Upsample(scale_factor=2.0, mode=nearest)");
    expect(String(new nn.Upsample({ size: [4, 4], mode: "bilinear" }))).toBe("Upsample(size=(4, 4), mode=bilinear)");
    const x = randn(1, 1, 3, 3);
    expect(() => F.interpolate(x)).toThrow("either size or scale_factor should be defined");
    expect(() => F.interpolate(x, { size: 3, scaleFactor: 2 })).toThrow("only one of size or scale_factor should be defined");
    expect(new nn.Upsample({ scaleFactor: 2, mode: "bilinear" })(x).shape).toEqual([1, 1, 6, 6]);
    expect(F.interpolate(x.requiresGrad_(), { scaleFactor: 2 }).gradFn?.name).toBe("UpsampleNearest2DBackward1");
  });
});

describe("Dropout2d and Unflatten", () => {
  it("Dropout2d zeroes PyTorch's channels for the same seed, scales the rest, is the identity in eval", () => {
    const d = vref.dropout2d as { seed: number; p: number; shape: number[]; out: number[] };
    manualSeed(d.seed);
    near(F.dropout2d(ones(d.shape), d.p), d.out, 1e-6, 1e-6, "dropout2d");
    const m = new nn.Dropout2d(0.4);
    expect(String(m)).toBe("Dropout2d(p=0.4, inplace=False)");
    m.eval();
    const x = randn(2, 3, 2, 2);
    expect(m(x)).toBe(x);
  });

  it("Unflatten reshapes one dim, prints and errors as PyTorch", () => {
    const u = new nn.Unflatten(1, [2, 5]);
    expect(String(u)).toBe("Unflatten(dim=1, unflattened_size=(2, 5))");
    expect(u(randn(3, 10)).shape).toEqual([3, 2, 5]);
    expect(() => u(randn(3, 11))).toThrow("unflatten: Provided sizes [2, 5] don't multiply up to the size of dim 1 (11) in the input tensor");
  });
});
