import { describe, expect, it } from "vitest";
import * as tg from "../../ts/index";

describe("smoke", () => {
  it("w2", () => {
    const run = (compiled: boolean) => {
      tg.manualSeed(0);
      const net = new tg.nn.Sequential(new tg.nn.Linear(1, 16), new tg.nn.Tanh(), new tg.nn.Linear(16, 1));
      const opt = new tg.optim.SGD(net.parameters(), { lr: 0.01, momentum: 0.9 });
      const x = tg.randn([8, 1]), y = tg.randn([8, 1]);
      const lossFn = new tg.nn.MSELoss();
      const f = (xx: tg.Tensor, yy: tg.Tensor) => { opt.zeroGrad(); const l = lossFn(net(xx), yy); l.backward(); opt.step(); return l; };
      const step = compiled ? tg.compile(f) : f;
      const losses: number[] = [];
      for (let i = 0; i < 6; i++) losses.push(step(x, y).item());
      return { losses, params: net.parameters().map((p) => Array.from(p.toArray())), stats: compiled ? (step as any).stats : null, plans: compiled ? (step as any)._plans : null };
    };
    const a = run(false), b = run(true);
    console.log(a.losses, b.losses, b.stats, b.plans);
    expect(b.losses).toEqual(a.losses);
    expect(b.params).toEqual(a.params);
  });
});
