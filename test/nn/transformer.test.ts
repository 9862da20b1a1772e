import { describe, expect, it } from "vitest";
import * as tg from "../../ts/index";
import { nn, optim, type Tensor } from "../../ts/index";
import ref from "../reference/transformer.json";

type Enc = { values: number[]; shape: number[] };
const T = (e: Enc, requiresGrad = false): Tensor => tg.tensor(Float32Array.from(e.values), { shape: e.shape, requiresGrad });

function close(got: Tensor, want: Enc, what: string, tol = 3e-5): void {
  expect(got.shape, what).toEqual(want.shape);
  const g = got.toArray();
  want.values.forEach((w, i) => {
    expect(Math.abs(g[i] - w), `${what} [${i}]: got ${g[i]}, want ${w}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(w)));
  });
}

describe("Transformer layers match PyTorch 1.13", () => {
  for (const c of ref.layers) {
    it(`TransformerEncoderLayer ${c.name}: weights after manualSeed, output and gradients, keys, printed form`, () => {
      tg.manualSeed(21);
      const layer = new nn.TransformerEncoderLayer(8, 2, {
        dimFeedforward: 16, dropout: 0, activation: c.activation as "relu" | "gelu", batchFirst: true, normFirst: c.normFirst,
      });
      expect(layer.toString()).toBe(c.repr);
      const sd = layer.stateDict();
      expect(Object.keys(sd)).toEqual(c.keys);
      for (const k of c.keys) close(sd[k], (c.params as unknown as Record<string, Enc>)[k], `initial ${k}`, 1e-7);
      const x = T(c.x, true);
      const y = layer(x, {
        srcMask: nn.causalMask(5),
        srcKeyPaddingMask: tg.tensor([[0, 0, 0, 0, 0], [0, 0, 0, 0, 1]]).ne(0),
      });
      close(y, c.y, "output");
      y.backward(T(c.g));
      close(x.grad!, c.dx, "input gradient", 1e-4);
      close(layer.linear1.weight.grad!, c.dlinear1, "linear1 gradient", 1e-4);
      close(layer.selfAttn.inProjWeight!.grad!, c.dinproj, "in_proj gradient", 1e-4);
    });
  }

  it("TransformerDecoderLayer: keys, output and gradients", () => {
    const d = ref.decoder;
    tg.manualSeed(22);
    const dec = new nn.TransformerDecoderLayer(8, 2, { dimFeedforward: 16, dropout: 0, batchFirst: true });
    const sd = dec.stateDict();
    expect(Object.keys(sd)).toEqual(d.keys);
    for (const k of d.keys) close(sd[k], (d.params as Record<string, Enc>)[k], `initial ${k}`, 1e-7);
    const tgt = T(d.tgt, true), memory = T(d.memory, true);
    const y = dec(tgt, memory, { tgtMask: nn.causalMask(4) });
    close(y, d.y, "output");
    y.backward(T(d.g));
    close(tgt.grad!, d.dtgt, "tgt gradient", 1e-4);
    close(memory.grad!, d.dmemory, "memory gradient", 1e-4);
  });

  it("a tiny transformer trained 3 steps with AdamW gives PyTorch's losses", () => {
    class Tiny extends nn.Module<[Tensor], Tensor> {
      tok = new nn.Embedding(16, 8);
      encoder = new nn.TransformerEncoder(
        new nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 16, dropout: 0, batchFirst: true, normFirst: true, activation: "gelu" }),
        2,
        { norm: new nn.LayerNorm(8) },
      );
      head = new nn.Linear(8, 16);
      override forward(idx: Tensor): Tensor {
        return this.head(this.encoder(this.tok(idx), { mask: nn.causalMask(idx.shape[1]) }));
      }
    }
    const t = ref.training;
    tg.manualSeed(23);
    const model = new Tiny();
    expect(Object.keys(model.stateDict())).toEqual(t.keys);
    expect((model.encoder.layers.at(0) as nn.TransformerEncoderLayer).toString()).toBe(t.repr);
    const opt = new optim.AdamW(model.parameters(), { lr: 1e-2 });
    const idx = tg.tensor(t.idx, { dtype: "int32" }).reshape(3, 6);
    const tgt = tg.tensor(t.tgt, { dtype: "int32" });
    t.losses.forEach((want, step) => {
      const loss = nn.functional.crossEntropy(model(idx).reshape(-1, 16), tgt);
      opt.zeroGrad();
      loss.backward();
      opt.step();
      expect(Math.abs(loss.item() - want), `loss at step ${step}: ${loss.item()} vs ${want}`).toBeLessThan(2e-5 * want);
    });
  });

  it("TransformerEncoder's layers start equal and train apart; making them draws no random numbers", () => {
    tg.manualSeed(5);
    const layer = new nn.TransformerEncoderLayer(4, 1, { dimFeedforward: 8 });
    const before = tg.randn(3).tolist();
    tg.manualSeed(5);
    const layer2 = new nn.TransformerEncoderLayer(4, 1, { dimFeedforward: 8 });
    const enc = new nn.TransformerEncoder(layer2, 3);
    expect(tg.randn(3).tolist()).toEqual(before);
    const a = enc.layers.at(0) as nn.TransformerEncoderLayer, b = enc.layers.at(2) as nn.TransformerEncoderLayer;
    expect(a.linear1.weight.tolist()).toEqual(layer.linear1.weight.tolist());
    expect(a.linear1.weight).not.toBe(b.linear1.weight);
    expect(b.linear1.weight.tolist()).toEqual(a.linear1.weight.tolist());
  });
});
