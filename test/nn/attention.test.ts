import { describe, expect, it } from "vitest";
import * as tg from "../../ts/index";
import { nn, type Tensor } from "../../ts/index";
import ref from "../reference/attention.json";

type Enc = { values: (number | string | boolean)[]; shape: number[] };
const num = (v: number | string | boolean): number => (typeof v === "number" ? v : typeof v === "boolean" ? Number(v) : v === "-Infinity" ? -Infinity : v === "Infinity" ? Infinity : NaN);
const T = (e: Enc, requiresGrad = false): Tensor => tg.tensor(Float32Array.from(e.values.map(num)), { shape: e.shape, requiresGrad });

function close(got: Tensor, want: Enc, what: string, tol = 2e-5): void {
  expect(got.shape, what).toEqual(want.shape);
  const g = got.toArray();
  want.values.map(num).forEach((w, i) => {
    expect(Math.abs(g[i] - w), `${what} [${i}]: got ${g[i]}, want ${w}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(w)));
  });
}

const camel = (s: string): string => s.replace(/_(\w)/g, (_, c: string) => c.toUpperCase());

describe("nn.MultiheadAttention matches PyTorch 1.13", () => {
  for (const c of ref.mha) {
    it(c.name, () => {
      tg.manualSeed(c.seed);
      const ctor = c.ctor as unknown as Record<string, number | boolean>;
      const opts = Object.fromEntries(Object.entries(ctor).filter(([k]) => k !== "embed_dim" && k !== "num_heads").map(([k, v]) => [camel(k), v]));
      const m = new nn.MultiheadAttention(ctor.embed_dim as number, ctor.num_heads as number, opts);
      expect(m.toString()).toBe(c.repr);
      expect(m.namedParameters().map(([n]) => n)).toEqual(c.names);
      for (const [n, p] of m.namedParameters()) close(p, (c.params as unknown as Record<string, Enc>)[n], `initial ${n}`, 1e-7);
      const q = T(c.q, true);
      const k = c.selfAttn ? q : T(c.k, true);
      const v = c.selfAttn ? q : T(c.v, true);
      const masks = c.masks as Record<string, Enc & { dtype: string }>;
      const mask = (e: (Enc & { dtype: string }) | undefined): Tensor | null =>
        e === undefined ? null : e.dtype === "bool" ? T(e).ne(0) : T(e);
      const fwd = c.fwd as Record<string, boolean>;
      const [out, w] = m(q, k, v, {
        attnMask: mask(masks.attn_mask),
        keyPaddingMask: mask(masks.key_padding_mask),
        needWeights: fwd.need_weights ?? true,
        averageAttnWeights: fwd.average_attn_weights ?? true,
      });
      close(out, c.out, "output");
      if (c.weights === null) expect(w).toBeNull();
      else close(w!, c.weights, "attention weights");
      out.backward(T(c.g));
      close(q.grad!, c.dq, "query gradient", 5e-5);
      close((m.inProjWeight ?? m.qProjWeight)!.grad!, c.dInProj, "input projection gradient", 5e-5);
      close(m.outProj.weight.grad!, c.dOutProj, "output projection gradient", 5e-5);
    });
  }

  it("its state dict uses PyTorch's keys", () => {
    expect(Object.keys(new nn.MultiheadAttention(8, 2).stateDict())).toEqual(["in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"]);
  });

  it("bad configurations and inputs get PyTorch's errors", () => {
    expect(() => new nn.MultiheadAttention(10, 3)).toThrow("embed_dim must be divisible by num_heads");
    const m = new nn.MultiheadAttention(8, 2);
    expect(() => m(tg.ones(3, 2, 6), tg.ones(3, 2, 6), tg.ones(3, 2, 6))).toThrow("was expecting embedding dimension of 8, but got 6");
    expect(() => m(tg.ones(3, 2, 8), tg.ones(4, 2, 8), tg.ones(4, 2, 8), { keyPaddingMask: tg.ones([2, 3], { dtype: "bool" }) })).toThrow(
      "expecting key_padding_mask shape of (2, 4), but got [2, 3]",
    );
  });

  it("gradcheck in float64 through attention (masks included)", () => {
    tg.manualSeed(0);
    const m = new nn.MultiheadAttention(4, 2, { batchFirst: true }).double();
    const x = tg.randn([2, 3, 4], { dtype: "float64", requiresGrad: true });
    const mask = tg.triu(tg.full([3, 3], -Infinity, { dtype: "float64" }), 1);
    expect(tg.autograd.gradcheck((t: Tensor) => m(t, t, t, { attnMask: mask })[0], [x])).toBe(true);
  });
});

describe("nn.functional.scaledDotProductAttention", () => {
  it("matches its definition (bool mask: true = may attend) with gradients", () => {
    const s = ref.sdpa;
    const q = T(s.q, true);
    const out = nn.functional.scaledDotProductAttention(q, T(s.k), T(s.v), { attnMask: T(s.mask).ne(0) });
    close(out, s.out, "output");
    out.backward(T(s.g));
    close(q.grad!, s.dq, "query gradient", 5e-5);
  });

  it("isCausal is the lower-triangular mask", () => {
    const q = tg.randn(1, 4, 3), k = tg.randn(1, 4, 3), v = tg.randn(1, 4, 3);
    const a = nn.functional.scaledDotProductAttention(q, k, v, { isCausal: true });
    const b = nn.functional.scaledDotProductAttention(q, k, v, { attnMask: tg.tril(tg.ones([4, 4], { dtype: "bool" })) });
    expect(a.tolist()).toEqual(b.tolist());
  });
});
