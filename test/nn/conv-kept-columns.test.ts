/**
 * The convolution's forward keeps its columns for the weight gradient and hands scratch arrays back to a pool:
 * a retained graph's second backward, interleaved convolutions of one geometry and columns too large to keep
 * must all give the weight gradient computed from scratch; a forward whose columns for one sample exceed a
 * block (built a slice of input channels at a time) gives what the one-block forward gives.
 */
import { describe, expect, it } from "vitest";
import { autograd, manualSeed, nn, noGrad, randn, type Tensor } from "../../ts/index";

function expectClose(a: Tensor, b: Tensor, tol: number): void {
  const x = a.toArray(), y = b.toArray();
  expect(x.length).toBe(y.length);
  for (let i = 0; i < x.length; i++) expect(Math.abs(x[i]! - y[i]!)).toBeLessThanOrEqual(tol * (1 + Math.abs(y[i]!)));
}

describe("conv weight gradient from kept columns", () => {
  it("a retained graph's second backward gives the same weight gradient", () => {
    manualSeed(1);
    const conv = new nn.Conv2d(3, 4, 3, { padding: 1, dtype: "float64" });
    const x = randn(2, 3, 7, 6, { dtype: "float64" });
    const y = conv(x).pow(2).sum();
    const [g1] = autograd.grad([y], [conv.weight], { retainGraph: true }) as Tensor[];
    const [g2] = autograd.grad([y], [conv.weight]) as Tensor[];
    expectClose(g2, g1, 1e-12);
  });

  it("interleaved convolutions of one geometry each keep their own columns", () => {
    manualSeed(2);
    const a = new nn.Conv2d(2, 3, 3, { dtype: "float64" });
    const b = new nn.Conv2d(2, 3, 3, { dtype: "float64" });
    const xa = randn(3, 2, 8, 8, { dtype: "float64" });
    const xb = randn(3, 2, 8, 8, { dtype: "float64" });
    const ya = a(xa).sum(), yb = b(xb).mul(2).sum();
    const [gb] = autograd.grad([yb], [b.weight]) as Tensor[];
    const [ga] = autograd.grad([ya], [a.weight]) as Tensor[];
    const [ga0] = autograd.grad([a(xa).sum()], [a.weight]) as Tensor[];
    const [gb0] = autograd.grad([b(xb).mul(2).sum()], [b.weight]) as Tensor[];
    expectClose(ga, ga0, 1e-12);
    expectClose(gb, gb0, 1e-12);
  });

  it("a forward built by slices of input channels (one sample's columns over a block) matches the whole-K forward", () => {
    manualSeed(4);
    // 40·9·900 = 324K column elements per sample > the 256K block: slices of 32 and 8 channels.
    const conv = new nn.Conv2d(40, 5, 3, { padding: 1, dtype: "float64" });
    const x = randn(2, 40, 30, 30, { dtype: "float64" });
    const sliced = noGrad(() => conv(x));
    const whole = conv(x); // the weight wants a gradient: its columns are kept, built in one block
    expectClose(sliced, whole.detach(), 1e-12);
    const nobias = new nn.Conv2d(40, 3, 3, { bias: false, dtype: "float64" });
    expectClose(noGrad(() => nobias(x)), nobias(x).detach(), 1e-12);
  });

  it("gradients built by slices of input channels match those built from kept columns", () => {
    manualSeed(5);
    // 40·9·900 = 324K column elements per sample: sliced unless kept; 15 samples (4.9M) are not kept, 2 are.
    const conv = new nn.Conv2d(40, 4, 3, { padding: 1, dtype: "float64" });
    const x = randn(15, 40, 30, 30, { dtype: "float64", requiresGrad: true });
    const gy = randn(15, 4, 30, 30, { dtype: "float64" });
    const [gx, gw] = autograd.grad([conv(x)], [x, conv.weight], { gradOutputs: [gy] }) as Tensor[];
    let gwParts: Tensor | null = null;
    for (const [s0, len] of [[0, 2], [2, 2], [4, 11]] as const) {
      const xs = x.detach().narrow(0, s0, len).requiresGrad_();
      const [gxs, gws] = autograd.grad([conv(xs)], [xs, conv.weight], { gradOutputs: [gy.narrow(0, s0, len)] }) as Tensor[];
      expectClose(gxs, gx.narrow(0, s0, len), 1e-11);
      gwParts = gwParts === null ? gws : gwParts.add(gws);
    }
    expectClose(gw, gwParts!, 1e-10);
  });

  it("columns too large to keep are rebuilt block by block and agree with kept ones", () => {
    manualSeed(3);
    const conv = new nn.Conv2d(16, 2, 3, { padding: 1 });
    // 5·16·9·48·48 columns > 4M elements: not kept; the first 2 samples alone are.
    const x = randn(5, 16, 48, 48);
    const [big] = autograd.grad([conv(x).sum()], [conv.weight]) as Tensor[];
    let parts: Tensor | null = null;
    for (let s = 0; s < 5; s++) {
      const [g] = autograd.grad([conv(x.narrow(0, s, 1)).sum()], [conv.weight]) as Tensor[];
      parts = parts === null ? g : parts.add(g);
    }
    expectClose(big, parts!, 1e-4);
  });
});
