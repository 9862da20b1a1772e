import { describe, expect, it } from "vitest";
import { tensor, arange, manualSeed, data, Generator, Tensor } from "../../ts/index";
import { ref } from "../nn/reference";

class Range extends data.Dataset<number> {
  constructor(private readonly n: number) {
    super();
  }
  get length(): number {
    return this.n;
  }
  getItem(i: number): number {
    return i;
  }
}

const epoch = (dl: Iterable<Tensor>) => [...dl].map((b) => Array.from(b.toArray()));

describe("DataLoader", () => {
  it("batches in order, with length = number of batches", () => {
    const dl = new data.DataLoader(new Range(10), { batchSize: 3 });
    expect(dl.length).toBe(4);
    expect(epoch(dl)).toEqual([[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]);
    const dropped = new data.DataLoader(new Range(10), { batchSize: 3, dropLast: true });
    expect(dropped.length).toBe(3);
    expect(epoch(dropped)).toHaveLength(3);
  });

  it("shuffles in PyTorch's order for a seed, each index once per epoch", () => {
    manualSeed(7);
    const dl = new data.DataLoader(new Range(10), { batchSize: 3, shuffle: true });
    const epochs = [epoch(dl), epoch(dl)];
    expect(epochs).toEqual(ref.loaderShuffle);
    for (const e of epochs) expect(e.flat().sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    manualSeed(7);
    expect(epoch(new data.DataLoader(new Range(10), { batchSize: 3, shuffle: true, dropLast: true }))).toEqual(ref.loaderShuffleDropLast);
  });

  it("shuffles with its own generator as PyTorch does", () => {
    const dl = new data.DataLoader(new Range(10), { batchSize: 4, shuffle: true, generator: new Generator().manualSeed(11) });
    expect([epoch(dl), epoch(dl)]).toEqual(ref.loaderShuffleGenerator);
  });

  it("collates objects and arrays keeping their structure", () => {
    const ds = new data.TensorDataset(arange(6).reshape(3, 2), tensor([10, 20, 30]));
    const [x, y] = [...new data.DataLoader(ds, { batchSize: 2 })][0];
    expect(x.tolist()).toEqual([[0, 1], [2, 3]]);
    expect(y.tolist()).toEqual([10, 20]);
    const objs = data.defaultCollate([{ input: tensor([1, 2]), target: 0.5, name: "a" }, { input: tensor([3, 4]), target: 1, name: "b" }]);
    expect(objs.input.shape).toEqual([2, 2]);
    expect(objs.target.dtype).toBe("float32");
    expect(objs.name).toEqual(["a", "b"]);
  });
});
