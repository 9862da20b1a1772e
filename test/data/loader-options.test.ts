import { describe, expect, it } from "vitest";
import { data, Generator, manualSeed, randint, type Tensor } from "../../ts/index";
import { Range, ref } from "./reference";

const gen = (seed: number) => new Generator().manualSeed(seed);
const epochs = (dl: Iterable<Tensor>, n = 2) => Array.from({ length: n }, () => [...dl].map((b) => b.tolist() as number[]));

describe("DataLoader with samplers, as PyTorch", () => {
  for (const seed of ref.seeds) {
    const r = ref.loaders[String(seed)];
    it(`sampler, batchSampler, shared and global generators, seed ${seed}`, () => {
      const ds = new Range(10);
      const subset = new data.DataLoader(ds, { batchSize: 3, sampler: new data.SubsetRandomSampler([1, 3, 5, 7, 9], { generator: gen(seed) }) });
      expect(subset.length).toBe(2);
      expect(epochs(subset)).toEqual(r.subsetSampler);
      const weighted = new data.DataLoader(ds, { batchSize: 4, sampler: new data.WeightedRandomSampler(ref.weights, 10, { generator: gen(seed) }) });
      expect(weighted.length).toBe(3);
      expect(epochs(weighted)).toEqual(r.weightedSampler);
      const batchSampler = new data.BatchSampler(new data.RandomSampler(ds, { generator: gen(seed) }), 4, true);
      const bs = new data.DataLoader(ds, { batchSampler });
      expect(bs.length).toBe(2);
      expect(bs.batchSize).toBeNull();
      expect(bs.batchSampler).toBe(batchSampler);
      expect(epochs(bs)).toEqual(r.batchSampler);
      const g = gen(seed);
      expect(epochs(new data.DataLoader(ds, { batchSize: 3, sampler: new data.RandomSampler(ds, { generator: g }), generator: g }))).toEqual(
        r.sharedGenerator,
      );
      manualSeed(seed);
      expect(epochs(new data.DataLoader(ds, { batchSize: 3, sampler: new data.RandomSampler(ds) }))).toEqual(r.globalSampler);
      expect(randint(0, 1000, [3]).tolist()).toEqual(r.globalSamplerAfter);
      const seq = new data.DataLoader(ds, { batchSize: 4, sampler: new data.SequentialSampler(ds), dropLast: true });
      expect(epochs(seq, 1)).toEqual(r.sequentialSamplerDropLast);
      const list = new data.DataLoader(ds, { batchSize: 2, sampler: [9, 8, 7, 1, 0] });
      expect(list.length).toBe(3);
      expect(epochs(list, 1)).toEqual(r.listSampler);
    });

    it(`collateFn replaces the default collate, seed ${seed}`, () => {
      const dl = new data.DataLoader(new Range(10), { batchSize: 4, collateFn: (b: number[]) => b.reduce((a, x) => a + x, 0) });
      const sums: number[] = [...dl];
      expect(sums).toEqual(r.collateFn);
    });
  }

  it("exposes the sampler and batch sampler it made, as PyTorch", () => {
    const shuffled = new data.DataLoader(new Range(5), { shuffle: true, batchSize: 2 });
    expect(shuffled.sampler).toBeInstanceOf(data.RandomSampler);
    expect(shuffled.batchSampler).toBeInstanceOf(data.BatchSampler);
    expect(new data.DataLoader(new Range(5)).sampler).toBeInstanceOf(data.SequentialSampler);
  });

  it("a sampler without a length still iterates; only length needs one", () => {
    function* order(): IterableIterator<number> {
      yield* [4, 2, 0];
    }
    const dl = new data.DataLoader(new Range(5), { sampler: { [Symbol.iterator]: order } });
    expect(epochs(dl, 1)).toEqual([[[4], [2], [0]]]);
    expect(() => dl.length).toThrow("has no len()");
  });
});

describe("DataLoader option errors", () => {
  const ds = new Range(6);
  const sampler = new data.SequentialSampler(ds);
  const batchSampler = new data.BatchSampler(sampler, 2, false);

  it("sampler and batchSampler exclusions use PyTorch's messages", () => {
    expect(() => new data.DataLoader(ds, { sampler, shuffle: true })).toThrow("sampler option is mutually exclusive with shuffle");
    const msg = "batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, and drop_last";
    expect(() => new data.DataLoader(ds, { batchSampler, batchSize: 2 })).toThrow(msg);
    expect(() => new data.DataLoader(ds, { batchSampler, batchSize: 0 })).toThrow(msg);
    expect(() => new data.DataLoader(ds, { batchSize: 0 })).toThrow("batch_size should be a positive integer value, but got batch_size=0");
    expect(() => new data.DataLoader(ds, { dropLast: 1 as unknown as boolean })).toThrow("drop_last should be a boolean value, but got drop_last=1");
    expect(() => new data.DataLoader(ds, { batchSampler, shuffle: true })).toThrow(msg);
    expect(() => new data.DataLoader(ds, { batchSampler, sampler })).toThrow(msg);
    expect(() => new data.DataLoader(ds, { batchSampler, dropLast: true })).toThrow(msg);
    // batch_size=1 is PyTorch's default, so it cannot be told apart from leaving it out.
    expect([...new data.DataLoader(ds, { batchSampler, batchSize: 1 })]).toHaveLength(3);
  });

  it("unknown option keys name the key and the accepted ones", () => {
    const accepted = "accepted options: batchSize, shuffle, sampler, batchSampler, dropLast, generator, collateFn, prefetchFactor";
    expect(() => new data.DataLoader(ds, { batch_size: 2 } as never)).toThrow(`DataLoader got an unknown option "batch_size" (did you mean batchSize?); ${accepted}`);
    expect(() => new data.DataLoader(ds, { numWorkers: 2 } as never)).toThrow(`DataLoader got an unknown option "numWorkers"; ${accepted}`);
    expect(() => new data.DataLoader(ds, { prefetchFactor: 0 })).toThrow("prefetch_factor should be a positive integer, but got prefetch_factor=0");
  });

  it("shuffle over an empty dataset fails as PyTorch's RandomSampler does", () => {
    expect(() => new data.DataLoader(new Range(0), { shuffle: true })).toThrow("num_samples should be a positive integer value, but got num_samples=0");
  });
});
