import { describe, expect, it, vi } from "vitest";
import { ref } from "./reference";
import * as widenet from "../../examples/neuromatch-widenet";
import { learn } from "../../examples/lecture-neuron";
import { tensor, data, Tensor } from "../../ts/index";

const close5 = (a: number, b: number) => expect(Math.abs(a - b) / Math.abs(b)).toBeLessThan(5e-6);

describe("the seed tutorials' key numbers", () => {
  it("WideNet: the first loss and the loss after 1847 epochs match PyTorch to 5 significant digits", () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    try {
      const { firstLoss, losses } = widenet.main({ plots: false, verbose: false });
      close5(firstLoss, ref.wideNet.firstLoss);
      close5(firstLoss, 0.888942301273346); // the tutorial's printed value
      close5(losses[0], ref.wideNet.trainFirst);
      close5(losses[299], ref.wideNet.train300);
      close5(losses[1846], ref.wideNet.trainLast);
    } finally {
      log.mockRestore();
    }
  });

  it("lecture neuron: W and b after 20,000 epochs of optim.SGD match PyTorch", () => {
    type Item = { input: Tensor; target: Tensor };
    const X = tensor([[0.5, 0.9], [14.0, 12.0], [15.0, 13.6], [28.0, 22.8], [11.0, 8.1], [8.0, 7.1],
      [3.0, 2.9], [-4.0, 0.1], [6.0, 5.3], [13.0, 12.0], [21.0, 19.9], [-1.0, 1.5]]);
    const y = tensor([35.7, 55.9, 58.2, 81.9, 56.3, 48.9, 33.9, 21.8, 48.4, 60.4, 68.4, 29.1]).mul(0.01);
    class DS extends data.Dataset<Item> {
      get length() { return 12; }
      getItem(i: number): Item { return { input: X.at(i), target: y.at(i) }; }
    }
    const { W, b } = learn("optim", new data.DataLoader(new DS(), { batchSize: 12 }), 20_000, 1e9, true);
    const [w0, w1] = Array.from(W.toArray());
    expect(Math.abs(w0 - ref.lecture.W[0])).toBeLessThan(1e-4);
    expect(Math.abs(w1 - ref.lecture.W[1])).toBeLessThan(1e-4);
    expect(Math.abs(b.item() - ref.lecture.b[0])).toBeLessThan(1e-4);
  });
});
