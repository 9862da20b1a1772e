import { describe, expect, it } from "vitest";
import { tensor, nn, manualSeed, randn, Tensor, autograd } from "../../ts/index";
import { near, TOL, vref } from "./vision-reference";

const F = nn.functional;

interface PoolCase {
  kind: "max" | "avg" | "adaptive"; nd: 1 | 2; x: number[]; xShape: number[]; args: Record<string, unknown>;
  out: number[]; outShape: number[]; indices: number[] | null; gout: number[]; gx: number[];
}

function camel(args: Record<string, unknown>): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(args)) o[k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())] = v;
  return o;
}

function run(c: PoolCase, x: Tensor): Tensor | [Tensor, Tensor] {
  const a = camel(c.args);
  if (c.kind === "adaptive") return (c.nd === 2 ? F.adaptiveAvgPool2d : F.adaptiveAvgPool1d)(x, a.outputSize as number);
  const { kernelSize, ...opts } = a;
  if (c.kind === "max") return (c.nd === 2 ? F.maxPool2d : F.maxPool1d)(x, kernelSize as number, opts as { returnIndices: true });
  return (c.nd === 2 ? F.avgPool2d : F.avgPool1d)(x, kernelSize as number, opts);
}

const NODE = { max: "MaxPool#DWithIndicesBackward0", avg: "AvgPool#DBackward0", adaptive: "AdaptiveAvgPool#DBackward0" };

describe("pooling matches PyTorch 1.13 (values, indices, input gradients)", () => {
  (vref.pool as PoolCase[]).forEach((c, ci) => {
    for (const dtype of ["float64", "float32"] as const) {
      it(`case ${ci}: ${c.kind}_pool${c.nd}d x${JSON.stringify(c.xShape)} ${JSON.stringify(c.args)} (${dtype})`, () => {
        const [rtol, atol] = TOL[dtype];
        const x = tensor(Float64Array.from(c.x), { shape: c.xShape, dtype, requiresGrad: true });
        const r = run(c, x);
        const out = Array.isArray(r) ? r[0] : r;
        if (c.indices !== null) {
          expect(Array.isArray(r)).toBe(true);
          expect(Array.from((r as [Tensor, Tensor])[1].toArray())).toEqual(c.indices);
          expect((r as [Tensor, Tensor])[1].dtype).toBe("int32");
        }
        expect(out.shape).toEqual(c.outShape);
        expect(out.gradFn?.name).toBe(NODE[c.kind].replace("#", String(c.nd)));
        near(out, c.out, rtol, atol, "out");
        out.backward(tensor(Float64Array.from(c.gout), { shape: c.outShape, dtype }));
        near(x.grad!, c.gx, rtol, atol, "grad input");
      });
    }
  });

  it("modules print as PyTorch", () => {
    expect(String(new nn.MaxPool2d(2))).toBe("MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)");
    expect(String(new nn.MaxPool2d(3, 2, { padding: 1, ceilMode: true }))).toBe("MaxPool2d(kernel_size=3, stride=2, padding=1, dilation=1, ceil_mode=True)");
    expect(String(new nn.MaxPool1d(2))).toBe("MaxPool1d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)");
    expect(String(new nn.AvgPool2d(2))).toBe("AvgPool2d(kernel_size=2, stride=2, padding=0)");
    expect(String(new nn.AvgPool1d(3, 2))).toBe("AvgPool1d(kernel_size=(3,), stride=(2,), padding=(0,))");
    expect(String(new nn.AdaptiveAvgPool2d([1, 1]))).toBe("AdaptiveAvgPool2d(output_size=(1, 1))");
    expect(String(new nn.AdaptiveAvgPool2d(5))).toBe("AdaptiveAvgPool2d(output_size=5)");
    expect(String(new nn.AdaptiveAvgPool1d(3))).toBe("AdaptiveAvgPool1d(output_size=3)");
  });

  it("modules compute what the functions do; MaxPool2d with returnIndices returns [output, indices]", () => {
    manualSeed(1);
    const x = randn(2, 3, 6, 6);
    near(new nn.MaxPool2d(3, 2, { padding: 1 })(x), Array.from(F.maxPool2d(x, 3, { stride: 2, padding: 1 }).toArray()), 0, 0);
    near(new nn.AvgPool2d(2)(x), Array.from(F.avgPool2d(x, 2).toArray()), 0, 0);
    const r = new nn.MaxPool2d(2, undefined, { returnIndices: true })(x) as unknown as [Tensor, Tensor];
    expect(r[1].shape).toEqual([2, 3, 3, 3]);
  });

  it("gives PyTorch's errors", () => {
    expect(() => F.maxPool2d(randn(1, 1, 4, 4), 2, { padding: 2 })).toThrow("pad should be at most half of kernel size, but got pad=2 and kernel_size=2");
    expect(() => F.avgPool2d(randn(1, 1, 4, 4), 2, { padding: 2 })).toThrow("pad should be at most half of kernel size, but got pad=2 and kernel_size=2");
    expect(() => F.maxPool2d(randn(1, 1, 1, 1), 3)).toThrow("Given input size: (1x1x1). Calculated output size: (1x0x0). Output size is too small");
  });

  it("float64 gradcheck of max, average and adaptive pooling", () => {
    manualSeed(11);
    const x = randn(2, 2, 5, 6, { dtype: "float64", requiresGrad: true });
    expect(autograd.gradcheck((a: Tensor) => F.maxPool2d(a, 3, { stride: 2, padding: 1, ceilMode: true }), [x])).toBe(true);
    expect(autograd.gradcheck((a: Tensor) => F.avgPool2d(a, [3, 2], { stride: 2, padding: 1, ceilMode: true, countIncludePad: false }), [x])).toBe(true);
    expect(autograd.gradcheck((a: Tensor) => F.adaptiveAvgPool2d(a, [3, 4]), [x])).toBe(true);
    const x1 = randn(2, 3, 7, { dtype: "float64", requiresGrad: true });
    expect(autograd.gradcheck((a: Tensor) => F.maxPool1d(a, 2, { dilation: 2 }), [x1])).toBe(true);
    expect(autograd.gradcheck((a: Tensor) => F.avgPool1d(a, 3, { stride: 2, padding: 1 }), [x1])).toBe(true);
    expect(autograd.gradcheck((a: Tensor) => F.adaptiveAvgPool1d(a, 3), [x1])).toBe(true);
  });
});
