import { describe, expect, it } from "vitest";
import * as tg from "../../ts/index";
import { nn, optim, type Tensor } from "../../ts/index";
import ref from "../reference/rnn.json";

type Enc = { values: number[]; shape: number[] };
const T = (e: Enc, requiresGrad = false): Tensor => tg.tensor(Float32Array.from(e.values), { shape: e.shape, requiresGrad });

function close(got: Tensor, want: Enc, what: string, tol = 3e-5): void {
  expect(got.shape, what).toEqual(want.shape);
  const g = got.toArray();
  want.values.forEach((w, i) => {
    expect(Math.abs(g[i] - w), `${what} [${i}]: got ${g[i]}, want ${w}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(w)));
  });
}

type AnyRnn = (x: Tensor, s?: unknown) => [Tensor, Tensor | [Tensor, Tensor]];
const MAKE: Record<string, () => nn.Module<never[], unknown>> = {
  "LSTM 2 layers bidirectional batchFirst with state": () => new nn.LSTM(3, 4, { numLayers: 2, batchFirst: true, bidirectional: true }),
  "LSTM unbatched": () => new nn.LSTM(3, 4),
  "GRU 2 layers": () => new nn.GRU(3, 5, { numLayers: 2 }),
  "GRU no bias bidirectional": () => new nn.GRU(2, 3, { bias: false, bidirectional: true }),
  "RNN relu batchFirst": () => new nn.RNN(3, 4, { nonlinearity: "relu", batchFirst: true }),
  "RNN tanh 3 layers": () => new nn.RNN(2, 3, { numLayers: 3 }),
  LSTMCell: () => new nn.LSTMCell(3, 4),
  GRUCell: () => new nn.GRUCell(3, 4),
  RNNCell: () => new nn.RNNCell(3, 4),
  "RNNCell relu no bias": () => new nn.RNNCell(3, 4, { bias: false, nonlinearity: "relu" }),
};

describe("recurrent layers match PyTorch 1.13", () => {
  for (const c of ref.cases) {
    it(c.name, () => {
      tg.manualSeed(c.seed);
      const m = MAKE[c.name]();
      expect(m.toString()).toBe(c.repr);
      const sd = m.stateDict();
      expect(Object.keys(sd)).toEqual(c.keys);
      for (const k of c.keys) close(sd[k], (c.params as unknown as Record<string, Enc>)[k], `initial ${k}`, 0);
      const x = T(c.x, true);
      const state = c.state === null ? undefined : c.state.length === 2 ? [T(c.state[0]), T(c.state[1])] : T(c.state[0]);
      const [out, hn] = (m as unknown as AnyRnn)(x, state);
      const [h, cc] = Array.isArray(hn) ? hn : [hn, null];
      close(out, c.out, "output");
      close(h, c.h, "h_n");
      if (c.c !== null) close(cc!, c.c, "c_n");
      let loss = out.pow(2).sum().add(h.sum());
      if (cc !== null) loss = loss.add(cc.sum());
      loss.backward();
      close(x.grad!, c.dx, "input gradient", 1e-4);
      close(m.parameters()[0].grad!, c.dw0, "first weight's gradient", 1e-4);
    });
  }

  for (const c of ref.cells) {
    it(c.name, () => {
      tg.manualSeed(c.seed);
      const m = MAKE[c.name]();
      expect(m.toString()).toBe(c.repr);
      const sd = m.stateDict();
      expect(Object.keys(sd)).toEqual(c.keys);
      for (const k of c.keys) close(sd[k], (c.params as unknown as Record<string, Enc>)[k], `initial ${k}`, 0);
      const x = T(c.x, true);
      const st = c.state.map((s) => T(s));
      const r = (m as unknown as (x: Tensor, s: unknown) => Tensor | [Tensor, Tensor])(x, st.length === 2 ? st : st[0]);
      const outs = Array.isArray(r) ? r : [r];
      outs.forEach((o, i) => close(o, c.outs[i], `output ${i}`));
      outs.reduce((acc: Tensor | null, o) => (acc === null ? o.pow(2).sum() : acc.add(o.pow(2).sum())), null)!.backward();
      close(x.grad!, c.dx, "input gradient", 1e-4);
    });
  }

  it("an LSTM trained 3 steps with SGD momentum gives PyTorch's losses", () => {
    tg.manualSeed(51);
    const lstm = new nn.LSTM(4, 8, { numLayers: 2, batchFirst: true });
    const head = new nn.Linear(8, 3);
    const opt = new optim.SGD([...lstm.parameters(), ...head.parameters()], { lr: 0.1, momentum: 0.9 });
    const xs = T(ref.train.x);
    const ys = tg.tensor(ref.train.y, { dtype: "int32" });
    ref.train.losses.forEach((want, step) => {
      const [out] = lstm(xs);
      const loss = nn.functional.crossEntropy(head(out.select(1, -1)), ys);
      opt.zeroGrad();
      loss.backward();
      opt.step();
      expect(Math.abs(loss.item() - want), `loss at step ${step}`).toBeLessThan(2e-5 * want);
    });
  });

  it("gradcheck in float64 through an LSTM and a GRU", () => {
    tg.manualSeed(0);
    const lstm = new nn.LSTM(2, 3, { bidirectional: true }).double();
    const gru = new nn.GRU(2, 3).double();
    const x = tg.randn([3, 1, 2], { dtype: "float64", requiresGrad: true });
    expect(tg.autograd.gradcheck((t: Tensor) => lstm(t)[0], [x])).toBe(true);
    expect(tg.autograd.gradcheck((t: Tensor) => gru(t)[1], [x])).toBe(true);
  });

  it("bad shapes get PyTorch's errors", () => {
    const lstm = new nn.LSTM(3, 4, { numLayers: 2 });
    expect(() => lstm(tg.ones(5, 2, 2))).toThrow("input.size(-1) must be equal to input_size. Expected 3, got 2");
    expect(() => lstm(tg.ones(5, 2, 3), [tg.zeros(1, 2, 4), tg.zeros(1, 2, 4)])).toThrow("Expected hidden size (2, 2, 4), got [1, 2, 4]");
  });
});
