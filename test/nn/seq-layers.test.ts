import { describe, expect, it } from "vitest";
import * as tg from "../../ts/index";
import { nn, type Tensor } from "../../ts/index";
import ref from "../reference/seq_layers.json";

type Enc = { values: number[]; shape: number[] };
const T = (e: Enc, requiresGrad = false): Tensor => tg.tensor(Float32Array.from(e.values), { shape: e.shape, requiresGrad });

function close(got: Tensor, want: Enc, what: string, tol = 3e-6): void {
  expect(got.shape, what).toEqual(want.shape);
  const g = got.toArray();
  for (let i = 0; i < want.values.length; i++) {
    expect(Math.abs(g[i] - want.values[i]), `${what} [${i}]: got ${g[i]}, want ${want.values[i]}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(want.values[i])));
  }
}

const ACTIVATIONS: Record<string, () => (x: Tensor) => Tensor> = {
  GELU: () => new nn.GELU(),
  "GELU tanh": () => new nn.GELU({ approximate: "tanh" }),
  SiLU: () => new nn.SiLU(),
  Mish: () => new nn.Mish(),
  Softplus: () => new nn.Softplus(),
  "Softplus beta 2 threshold 10": () => new nn.Softplus(2, 10),
  "LogSoftmax dim 1": () => new nn.LogSoftmax(1),
};

describe("activation layers match PyTorch (values, input gradients, printed forms)", () => {
  for (const c of ref.activations) {
    it(c.name, () => {
      const m = ACTIVATIONS[c.name]();
      expect(m.toString()).toBe(c.repr);
      const x = T(c.x, true);
      const y = m(x);
      close(y, c.y, "forward");
      y.backward(T(c.g));
      close(x.grad!, c.dx, "input gradient");
    });
  }

  it("gradcheck in float64: GELU (both), SiLU, Mish, Softplus", () => {
    const x = tg.randn([6], { dtype: "float64", requiresGrad: true });
    for (const f of [
      (t: Tensor) => nn.functional.gelu(t),
      (t: Tensor) => nn.functional.gelu(t, { approximate: "tanh" }),
      (t: Tensor) => nn.functional.silu(t),
      (t: Tensor) => nn.functional.mish(t),
      (t: Tensor) => nn.functional.softplus(t, { beta: 2 }),
    ]) {
      expect(tg.autograd.gradcheck(f, [x])).toBe(true);
    }
  });
});

describe("LayerNorm and RMSNorm", () => {
  for (const [i, c] of ref.layerNorm.entries()) {
    it(`LayerNorm ${c.repr} matches PyTorch (output, input/weight/bias gradients)`, () => {
      const ln = new nn.LayerNorm(c.shape, { eps: c.eps, elementwiseAffine: c.affine });
      expect(ln.toString()).toBe(c.repr);
      if (c.affine) {
        tg.noGrad(() => {
          ln.weight!.copy_(T(c.w!));
          ln.bias!.copy_(T(c.b!));
        });
      }
      const x = T(c.x, true);
      const y = ln(x);
      close(y, c.y, `layerNorm ${i} forward`, 1e-5);
      y.backward(T(c.g));
      close(x.grad!, c.dx, `layerNorm ${i} dx`, 2e-5);
      if (c.affine) {
        close(ln.weight!.grad!, c.dw!, "dw", 2e-5);
        close(ln.bias!.grad!, c.db!, "db", 2e-5);
      }
    });
  }

  it("LayerNorm gradcheck in float64 and PyTorch's shape error", () => {
    const x = tg.randn([3, 4], { dtype: "float64", requiresGrad: true });
    const w = tg.randn([4], { dtype: "float64", requiresGrad: true });
    expect(tg.autograd.gradcheck((a: Tensor, b: Tensor) => nn.functional.layerNorm(a, [4], b), [x, w])).toBe(true);
    expect(() => new nn.LayerNorm(5)(tg.ones(2, 4))).toThrow("Given normalized_shape=[5], expected input with shape [*, 5], but got input of size[2, 4]");
  });

  it("RMSNorm: x·rsqrt(mean(x²) + eps)·w with the dtype's epsilon", () => {
    const r = ref.rmsNorm;
    const m = new nn.RMSNorm(6);
    expect(m.toString()).toBe("RMSNorm((6,), eps=None, elementwise_affine=True)");
    tg.noGrad(() => m.weight!.copy_(T(r.w)));
    const x = T(r.x, true);
    const y = m(x);
    close(y, r.y, "forward", 1e-5);
    y.backward(T(r.g));
    close(x.grad!, r.dx, "dx", 2e-5);
    close(m.weight!.grad!, r.dw, "dw", 2e-5);
  });
});

describe("Embedding", () => {
  it("manualSeed then new nn.Embedding gives PyTorch's weights (padding row zero); lookups and gradients match", () => {
    const e = ref.embedding;
    tg.manualSeed(e.seed);
    const emb = new nn.Embedding(7, 3, { paddingIdx: 2 });
    expect(emb.toString()).toBe(e.repr);
    close(emb.weight, e.weight, "initial weight", 0);
    const idx = tg.tensor(e.idx.values, { dtype: "int32" }).reshape(e.idx.shape);
    const y = emb(idx);
    close(y, e.y, "lookup", 0);
    expect(y.gradFn!.name).toBe("EmbeddingBackward0");
    y.backward(T(e.g));
    close(emb.weight.grad!, e.dw, "weight gradient (none for the padding row)", 1e-6);
  });

  it("an index out of range is an error before anything is read", () => {
    const emb = new nn.Embedding(64, 4);
    expect(() => emb(tg.tensor([1, 70], { dtype: "int32" }))).toThrow("index 70 is out of bounds for dimension 0 with size 64");
    expect(() => emb(tg.tensor([-1], { dtype: "int32" }))).toThrow(/index -1 is out of bounds/);
    expect(() => emb(tg.tensor([1.5]))).toThrow(/scalar types: Long, Int/);
  });
});
