import { describe, expect, it } from "vitest";
import * as tg from "../../ts/index";

describe("each distinct warning is printed once, not once per call", () => {
  it("nn.init on a zero-element tensor, gradcheck on float32 inputs, RNN dropout with one layer", async () => {
    const emitted: string[] = [];
    const onWarning = (w: Error) => emitted.push(w.message);
    process.on("warning", onWarning);
    for (let i = 0; i < 3; i++) {
      tg.nn.init.kaimingUniform_(tg.empty(0, 3));
      tg.autograd.gradcheck((t: tg.Tensor) => t.mul(2), [tg.ones(2, { requiresGrad: true })], { eps: 1e-2, atol: 1e-2, rtol: 1e-2 });
      new tg.nn.LSTM(2, 2, { dropout: 0.5 });
    }
    await new Promise((r) => setImmediate(r));
    process.off("warning", onWarning);
    const count = (re: RegExp) => emitted.filter((m) => re.test(m)).length;
    expect(count(/zero-element tensors is a no-op/)).toBe(1);
    expect(count(/not a double precision floating point/)).toBe(1);
    expect(count(/non-zero dropout expects num_layers greater than 1/)).toBe(1);
  });
});
