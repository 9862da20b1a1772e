import { describe, expect, it, vi } from "vitest";
import { data, Generator, manualSeed, randint, tensor } from "../../ts/index";
import { Range, ref } from "./reference";

const gen = (seed: number) => new Generator().manualSeed(seed);
const indicesOf = (parts: data.Subset<number>[]) => parts.map((p) => [...p.indices]);

describe("Subset", () => {
  it("indexes through its indices, negative ones from the end, as PyTorch", () => {
    const s = new data.Subset(new Range(10), ref.subset.indices);
    expect(s.length).toBe(ref.subset.length);
    expect([-4, -3, -2, -1, 0, 1, 2, 3].map((i) => s.getItem(i))).toEqual(ref.subset.items);
    expect(() => s.getItem(4)).toThrow("list index out of range");
    expect(() => s.getItem(-5)).toThrow("list index out of range");
    expect(() => s.getItem(1.5)).toThrow(TypeError);
  });

  it("works over a TensorDataset and in a DataLoader", () => {
    const ds = new data.TensorDataset(tensor([[1, 1], [2, 2], [3, 3], [4, 4]]), tensor([10, 20, 30, 40]));
    const s = new data.Subset(ds, Int32Array.from([3, 1]));
    expect(new data.Subset(ds, tensor([2, 0], { dtype: "int32" })).indices).toEqual([2, 0]);
    const [[x, y]] = [...new data.DataLoader(s, { batchSize: 2 })];
    expect(x.tolist()).toEqual([[4, 4], [2, 2]]);
    expect(y.tolist()).toEqual([40, 20]);
  });
});

describe("ConcatDataset", () => {
  const make = () => new data.ConcatDataset(ref.concat.sizes.map((n, k) => new Range(n, 100 * (k + 1))));

  it("has PyTorch's cumulativeSizes, length and items for indices -9…8, empty parts included", () => {
    const c = make();
    expect(c.cumulativeSizes).toEqual(ref.concat.cumulativeSizes);
    expect(c.length).toBe(ref.concat.length);
    for (const [i, v] of Object.entries(ref.concat.items)) expect(c.getItem(Number(i))).toBe(v);
  });

  it("refuses indices out of range with PyTorch's errors, and empty or iterable inputs", () => {
    const c = make();
    expect(() => c.getItem(-10)).toThrow("absolute value of index should not exceed dataset length");
    expect(() => c.getItem(9)).toThrow("list index out of range");
    expect(() => new data.ConcatDataset([])).toThrow("datasets should not be an empty iterable");
    class It extends data.IterableDataset<number> {
      *[Symbol.iterator](): Iterator<number> {
        yield 1;
      }
    }
    expect(() => new data.ConcatDataset([new Range(2), new It() as unknown as data.Dataset<number>])).toThrow(
      "ConcatDataset does not support IterableDataset",
    );
  });
});

describe("randomSplit", () => {
  for (const seed of ref.seeds) {
    it(`gives PyTorch's split for seed ${seed}: counts, fractions, and the global generator`, () => {
      const r = ref.randomSplit[String(seed)];
      expect(indicesOf(data.randomSplit(new Range(10), [3, 7], { generator: gen(seed) }))).toEqual(r.counts);
      expect(indicesOf(data.randomSplit(new Range(30), [0.3, 0.3, 0.4], { generator: gen(seed) }))).toEqual(r.fractions);
      const rem = data.randomSplit(new Range(7), [0.5, 0.25, 0.25], { generator: gen(seed) });
      expect(indicesOf(rem)).toEqual(r.fractionsRemainder);
      expect(rem.map((p) => p.length)).toEqual(r.fractionsLengths);
      manualSeed(seed);
      expect(indicesOf(data.randomSplit(new Range(10), [4, 6]))).toEqual(r.globalCounts);
      expect(randint(0, 1000, [3]).tolist()).toEqual(r.globalAfter);
    });
  }

  it("rounds fractions as PyTorch 1.13 (floor, then the remainder round-robin) and warns about empty splits", () => {
    const warn = vi.spyOn(process, "emitWarning").mockImplementation(() => undefined);
    try {
      const lengths = (n: number, f: number[]) => data.randomSplit(new Range(n), f, { generator: gen(0) }).map((p) => p.length);
      expect(lengths(13, [1 / 3, 1 / 3, 1 / 3])).toEqual(ref.fractionLengths.n13_third);
      expect(lengths(10, Array(10).fill(0.1))).toEqual(ref.fractionLengths.n10_tenths);
      expect(warn).not.toHaveBeenCalled();
      expect(lengths(5, [0.7, 0.2, 0.1])).toEqual(ref.fractionLengths["n5_0.7_0.2_0.1"]);
      expect(lengths(3, [0.25, 0.25, 0.25, 0.25])).toEqual(ref.fractionLengths.n3_halves_of_4);
      expect(warn.mock.calls.map((c) => c[0])).toEqual([
        "Length of split at index 2 is 0. This might result in an empty dataset.",
        "Length of split at index 3 is 0. This might result in an empty dataset.",
      ]);
    } finally {
      warn.mockRestore();
    }
  });

  it("refuses lengths that do not add up, and fractions outside [0, 1]", () => {
    expect(() => data.randomSplit(new Range(10), [3, 6])).toThrow("Sum of input lengths does not equal the length of the input dataset!");
    expect(() => data.randomSplit(new Range(10), [1.5, -0.5])).toThrow("Fraction at index 0 is not between 0 and 1");
    expect(() => data.randomSplit(new Range(10), [0.5, 0.4])).toThrow("Sum of input lengths does not equal");
    expect(() => data.randomSplit(new Range(10), [5, 5], { seed: 1 } as never)).toThrow('unknown option "seed"');
    expect(() => data.randomSplit(new Range(10), [4.5, 5.5])).toThrow("lengths must be non-negative integers or fractions summing to 1, got 4.5");
  });

  it("the splits cover the dataset once, whatever the seed", () => {
    const parts = data.randomSplit(new Range(50), [0.2, 0.5, 0.3], { generator: gen(123) });
    const all = parts.flatMap((p) => Array.from({ length: p.length }, (_, i) => p.getItem(i)));
    expect(all.sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });
});
