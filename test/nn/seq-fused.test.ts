/**
 * The fused sequence ops behind LayerNorm, GELU, LSTM and GRU: PyTorch's gradFn names, gradients equal to the
 * composed formulas', second derivatives (createGraph takes the tensor-op backward) checked by finite
 * differences in float64, and a backward that never asks for the graph of its gradient.
 */
import { describe, expect, it } from "vitest";
import * as tg from "../../ts/index";
import { nn, type Tensor } from "../../ts/index";
import { gruCell, lstmCell, maskedSoftmax, unbind0 } from "../../ts/ops/sequence";

const F = nn.functional;
const randn = (shape: number[], dtype: "float32" | "float64" = "float64"): Tensor => tg.randn(shape, { dtype, requiresGrad: true });

/** A function of the inputs whose value is ⟨v, ∂f/∂inputs⟩ with createGraph: gradcheck of it checks second derivatives. */
function firstDerivative(f: (...xs: Tensor[]) => Tensor, count: number): (...xs: Tensor[]) => Tensor {
  return (...xs: Tensor[]) => {
    const gs = tg.autograd.grad(f(...xs), xs.slice(0, count), { createGraph: true });
    return tg.stack(gs.map((g, i) => (g ?? tg.zerosLike(xs[i])).pow(2).sum()));
  };
}

function composedLayerNorm(x: Tensor, w: Tensor, b: Tensor, eps: number): Tensor {
  const mu = x.mean(-1, true);
  const xc = x.sub(mu);
  return xc.mul(xc.mul(xc).mean(-1, true).add(eps).rsqrt()).mul(w).add(b);
}

function closeTensors(a: Tensor, b: Tensor, tol: number, what: string): void {
  const x = Array.from(a.toArray()), y = Array.from(b.toArray());
  expect(x.length, what).toBe(y.length);
  for (let i = 0; i < x.length; i++) expect(Math.abs(x[i] - y[i]), `${what}[${i}]`).toBeLessThanOrEqual(tol * (1 + Math.abs(y[i])));
}

describe("fused sequence ops", () => {
  it("layerNorm records NativeLayerNormBackward0 and gives the composed formula's values and gradients", () => {
    tg.manualSeed(1);
    const x = randn([3, 5, 7]), w = randn([7]), b = randn([7]);
    const y = F.layerNorm(x, [7], w, b, 1e-5);
    expect(y.gradFn?.name).toBe("NativeLayerNormBackward0");
    const g = tg.randn([3, 5, 7], { dtype: "float64" });
    const [gx, gw, gb] = tg.autograd.grad(y, [x, w, b], { gradOutputs: g });
    const ref = composedLayerNorm(x, w, b, 1e-5);
    const [rx, rw, rb] = tg.autograd.grad(ref, [x, w, b], { gradOutputs: g });
    closeTensors(y, ref, 1e-12, "y");
    closeTensors(gx!, rx!, 1e-11, "dx");
    closeTensors(gw!, rw!, 1e-11, "dweight");
    closeTensors(gb!, rb!, 1e-11, "dbias");
  });

  it("layerNorm over two trailing dims, without affine, empty and one-element rows", () => {
    const x = randn([2, 3, 4]);
    const y = F.layerNorm(x, [3, 4]);
    const mu = x.mean([1, 2], true), xc = x.sub(mu);
    closeTensors(y, xc.mul(xc.mul(xc).mean([1, 2], true).add(1e-5).rsqrt()), 1e-12, "y");
    expect(tg.autograd.gradcheck((t: Tensor) => F.layerNorm(t, [3, 4]), [x])).toBe(true);
    expect(F.layerNorm(tg.zeros([0, 4]), [4]).shape).toEqual([0, 4]);
    const one = randn([3, 1]);
    expect(tg.autograd.gradcheck((t: Tensor) => F.layerNorm(t, [1], null, null, 0.5), [one])).toBe(true);
  });

  it("second derivatives through layerNorm, gelu, an LSTM step and a GRU step (createGraph) match finite differences", () => {
    tg.manualSeed(2);
    const x = randn([4, 6]), w = randn([6]), b = randn([6]);
    expect(tg.autograd.gradcheck(firstDerivative((a, c, d) => F.layerNorm(a, [6], c, d).pow(3).sum(), 3), [x, w, b])).toBe(true);
    expect(tg.autograd.gradcheck(firstDerivative((a) => F.gelu(a).pow(2).sum(), 1), [x])).toBe(true);
    expect(tg.autograd.gradcheck(firstDerivative((a) => F.gelu(a, { approximate: "tanh" }).pow(2).sum(), 1), [x])).toBe(true);
    const gi = randn([3, 8]), gh = randn([3, 8]), c = randn([3, 2]);
    const lstm = (a: Tensor, bb: Tensor, cc: Tensor): Tensor => {
      const [h2, c2] = lstmCell(a, bb, cc);
      return h2.pow(2).sum().add(c2.mul(h2).sum());
    };
    expect(tg.autograd.gradcheck(lstm, [gi, gh, c])).toBe(true);
    expect(tg.autograd.gradcheck(firstDerivative(lstm, 3), [gi, gh, c])).toBe(true);
    const ri = randn([3, 6]), rh = randn([3, 6]), hx = randn([3, 2]);
    const gru = (a: Tensor, bb: Tensor, hh: Tensor): Tensor => gruCell(a, bb, hh).pow(2).sum();
    expect(tg.autograd.gradcheck(gru, [ri, rh, hx])).toBe(true);
    expect(tg.autograd.gradcheck(firstDerivative(gru, 3), [ri, rh, hx])).toBe(true);
  });

  it("LSTM/GRU steps record PyTorch's fused-cell names; only one output's gradient may arrive", () => {
    const gi = randn([2, 12]), gh = randn([2, 12]), c = randn([2, 3]);
    const [h, c2] = lstmCell(gi, gh, c);
    expect(h.gradFn?.name).toBe("ThnnFusedLstmCellBackward0");
    expect(c2.gradFn).toBe(h.gradFn);
    expect(tg.autograd.gradcheck((a: Tensor, b: Tensor, cc: Tensor) => lstmCell(a, b, cc)[1], [gi, gh, c])).toBe(true);
    expect(tg.autograd.gradcheck((a: Tensor, b: Tensor, cc: Tensor) => lstmCell(a, b, cc)[0], [gi, gh, c])).toBe(true);
    expect(gruCell(randn([2, 9]), randn([2, 9]), randn([2, 3])).gradFn?.name).toBe("ThnnFusedGruCellBackward0");
  });

  it("unbind0: views with one UnbindBackward0 node; unused slices get zero gradient", () => {
    const x = randn([4, 2, 3]);
    const parts = unbind0(x);
    expect(parts.length).toBe(4);
    expect(parts[0].gradFn?.name).toBe("UnbindBackward0");
    expect(parts[3].gradFn).toBe(parts[0].gradFn);
    const [g] = tg.autograd.grad(parts[1].mul(2).sum().add(parts[3].sum()), [x]);
    expect([...(g!.sum([1, 2]).toArray() as Float64Array)]).toEqual([0, 12, 0, 6]);
    expect(tg.autograd.gradcheck((t: Tensor) => tg.stack(unbind0(t).reverse()), [x])).toBe(true);
  });

  it("a 2-layer LSTM in float32 agrees with its float64 run", () => {
    tg.manualSeed(3);
    const x = tg.randn([5, 3, 4], { requiresGrad: true });
    const lstm = new nn.LSTM(4, 6, { numLayers: 2 });
    const [out, [hn, cn]] = lstm(x);
    const ref = tg.noGrad(() => lstm.double()(x.double())[0].float());
    closeTensors(out, ref, 1e-5, "lstm output");
    expect(hn.shape).toEqual([2, 3, 6]);
    expect(cn.shape).toEqual([2, 3, 6]);
  });

  it("maskedSoftmax: softmax(x + mask) for suffix-shaped float masks, its own node, first and second derivatives", () => {
    tg.manualSeed(4);
    const x = randn([3, 4, 5]), m2 = randn([4, 5]), m3 = randn([3, 4, 5]), m1 = randn([1, 4, 5]);
    for (const m of [m2, m3, m1]) {
      const y = maskedSoftmax(x, m);
      expect(y.gradFn?.name).toBe("SoftmaxBackward0");
      closeTensors(y, F.softmax(x.add(m), -1), 1e-14, `mask [${m.shape}]`);
      expect(tg.autograd.gradcheck((a: Tensor, b: Tensor) => maskedSoftmax(a, b), [x, m])).toBe(true);
    }
    expect(tg.autograd.gradcheck(firstDerivative((a, b) => maskedSoftmax(a, b).pow(3).sum(), 2), [x, m2])).toBe(true);
    // −inf above the diagonal (a causal mask): those weights are exactly 0.
    const causal = nn.causalMask(4, "float64");
    const y = maskedSoftmax(tg.randn([2, 4, 4], { dtype: "float64" }), causal);
    expect(Array.from(y.triu(1).toArray()).every((v) => v === 0)).toBe(true);
    // A mask that does not broadcast as a suffix takes add + softmax, with the same values.
    const mid = randn([3, 1, 5]);
    closeTensors(maskedSoftmax(x, mid), F.softmax(x.add(mid), -1), 0, "middle-broadcast mask");
    expect(maskedSoftmax(x, null).gradFn?.name).toBe("SoftmaxBackward0");
    expect(maskedSoftmax(tg.zeros([0, 3]), null).shape).toEqual([0, 3]);
  });
});
