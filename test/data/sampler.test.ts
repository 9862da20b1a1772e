import { describe, expect, it } from "vitest";
import { data, Generator, manualSeed, randint, tensor } from "../../ts/index";
import { Range, ref } from "./reference";

const gen = (seed: number) => new Generator().manualSeed(seed);
const after = () => randint(0, 1000, [3]).tolist();

describe("samplers draw PyTorch's orders", () => {
  for (const seed of ref.seeds) {
    const r = ref.samplers[String(seed)];

    it(`RandomSampler, seed ${seed}: two passes with a generator, with the global one, with replacement, numSamples`, () => {
      const s = new data.RandomSampler(new Range(10), { generator: gen(seed) });
      expect([[...s], [...s]]).toEqual(r.random);
      manualSeed(seed);
      const g = new data.RandomSampler(new Range(10));
      expect([[...g], [...g]]).toEqual(r.randomGlobal);
      expect(after()).toEqual(r.randomGlobalAfter);
      const rep = new data.RandomSampler(new Range(10), { replacement: true, numSamples: 40, generator: gen(seed) });
      expect(rep.length).toBe(40);
      expect([...rep]).toEqual(r.randomReplacement);
      expect([...new data.RandomSampler(new Range(10), { numSamples: 25, generator: gen(seed) })]).toEqual(r.randomNumSamples);
      expect([...new data.RandomSampler(new Range(10), { numSamples: 4, generator: gen(seed) })]).toEqual(r.randomNumSamplesSmall);
    });

    it(`SubsetRandomSampler, seed ${seed}`, () => {
      const s = new data.SubsetRandomSampler([10, 20, 30, 40, 50, 60], { generator: gen(seed) });
      expect(s.length).toBe(6);
      expect([[...s], [...s]]).toEqual(r.subsetRandom);
      manualSeed(seed);
      expect([...new data.SubsetRandomSampler([10, 20, 30, 40, 50, 60])]).toEqual(r.subsetRandomGlobal);
      expect(after()).toEqual(r.subsetRandomGlobalAfter);
    });

    it(`WeightedRandomSampler reproduces torch.multinomial, seed ${seed}: with and without replacement`, () => {
      const w = new data.WeightedRandomSampler(ref.weights, 12, { generator: gen(seed) });
      expect(w.length).toBe(12);
      expect(w.weights.dtype).toBe("float64");
      expect([[...w], [...w]]).toEqual(r.weighted);
      const noRep = new data.WeightedRandomSampler(ref.weights, 5, { replacement: false, generator: gen(seed) });
      expect([...noRep]).toEqual(r.weightedNoReplacement);
      const all = new data.WeightedRandomSampler(tensor(ref.weights.slice(0, 6)), 6, { replacement: false, generator: gen(seed) });
      expect([...all]).toEqual(r.weightedNoReplacementAll);
      manualSeed(seed);
      expect([...new data.WeightedRandomSampler(ref.weights, 7)]).toEqual(r.weightedGlobal);
      expect(after()).toEqual(r.weightedGlobalAfter);
    });

    it(`BatchSampler over a RandomSampler, seed ${seed}`, () => {
      const b = new data.BatchSampler(new data.RandomSampler(new Range(10), { generator: gen(seed) }), 3, false);
      expect(b.length).toBe(4);
      expect([...b]).toEqual(r.batch);
      const d = new data.BatchSampler(new data.RandomSampler(new Range(10), { generator: gen(seed) }), 3, true);
      expect(d.length).toBe(3);
      expect([...d]).toEqual(r.batchDropLast);
    });
  }

  it("WeightedRandomSampler matches torch.multinomial over 1000 categories", () => {
    const big = Array.from({ length: 1000 }, (_, i) => ((i * 7919) % 1000) / 1000 + 0.001);
    for (const [seed, r] of Object.entries(ref.weightedLarge)) {
      expect([...new data.WeightedRandomSampler(big, 200, { replacement: false, generator: gen(Number(seed)) })]).toEqual(r.noReplacement);
      expect([...new data.WeightedRandomSampler(big, 1000, { generator: gen(Number(seed)) })]).toEqual(r.replacement);
    }
  });

  it("SequentialSampler and BatchSampler", () => {
    const s = new data.SequentialSampler(new Range(10));
    expect(s.length).toBe(10);
    expect([...new data.BatchSampler(s, 4, false)]).toEqual(ref.sequentialBatch);
    expect([...new data.BatchSampler([5, 6, 7], 2, true)]).toEqual([[5, 6]]);
    expect(new data.BatchSampler([5, 6, 7], 2, false).length).toBe(2);
    function* bare(): IterableIterator<number> {
      yield 1;
    }
    expect(() => new data.BatchSampler(bare(), 2, false).length).toThrow("object of type 'Generator' has no len()");
  });
});

describe("sampler properties", () => {
  it("WeightedRandomSampler's frequencies follow the weights; a zero weight is never drawn", () => {
    const weights = [1, 0, 2, 5, 2];
    const n = 40000;
    const counts = new Array<number>(weights.length).fill(0);
    for (const i of new data.WeightedRandomSampler(weights, n, { generator: gen(3) })) counts[i]++;
    expect(counts[1]).toBe(0);
    weights.forEach((w, i) => expect(Math.abs(counts[i] / n - w / 10)).toBeLessThan(0.01));
    // Without replacement every index is distinct, and the heaviest comes first most often.
    let heavyFirst = 0;
    const g = gen(4);
    for (let t = 0; t < 2000; t++) {
      const draw = [...new data.WeightedRandomSampler(weights, 4, { replacement: false, generator: g })];
      expect(new Set(draw).size).toBe(4);
      expect(draw).not.toContain(1);
      if (draw[0] === 3) heavyFirst++;
    }
    expect(Math.abs(heavyFirst / 2000 - 0.5)).toBeLessThan(0.04);
  });

  it("a RandomSampler without a generator does not depend on draws made during the pass", () => {
    manualSeed(5);
    const quiet = [...new data.RandomSampler(new Range(20))];
    manualSeed(5);
    const noisy: number[] = [];
    for (const i of new data.RandomSampler(new Range(20))) {
      noisy.push(i);
      randint(0, 10, [7]);
    }
    expect(noisy).toEqual(quiet);
  });

  it("refuses bad arguments with PyTorch's messages", () => {
    expect(() => new data.RandomSampler(new Range(0))).toThrow("num_samples should be a positive integer value, but got num_samples=0");
    expect(() => new data.RandomSampler(new Range(3), { numSamples: 2.5 })).toThrow("num_samples should be a positive integer value, but got num_samples=2.5");
    expect(() => new data.RandomSampler(new Range(3), { replacement: 1 as unknown as boolean })).toThrow(
      "replacement should be a boolean value, but got replacement=1",
    );
    expect(() => new data.RandomSampler(new Range(3), { num_samples: 2 } as never)).toThrow(
      'RandomSampler got an unknown option "num_samples" (did you mean numSamples?); accepted options: replacement, numSamples, generator',
    );
    expect(() => new data.WeightedRandomSampler([1, 2], 0)).toThrow("num_samples should be a positive integer value, but got num_samples=0");
    expect(() => new data.WeightedRandomSampler(tensor([[1, 2]]), 1)).toThrow("weights should be a 1d sequence but given weights have shape (1, 2)");
    expect(() => [...new data.WeightedRandomSampler([1, 2], 3, { replacement: false })]).toThrow(
      "cannot sample n_sample > prob_dist.size(-1) samples without replacement",
    );
    expect(() => [...new data.WeightedRandomSampler([0, 0], 1)]).toThrow("invalid multinomial distribution (sum of probabilities <= 0)");
    expect(() => [...new data.WeightedRandomSampler([1, -1], 1)]).toThrow("invalid multinomial distribution (encountering probability entry < 0)");
    expect(() => [...new data.WeightedRandomSampler([1, NaN], 1, { replacement: false })]).toThrow(
      "probability tensor contains either `inf`, `nan` or element < 0",
    );
    expect(() => new data.BatchSampler([1], 0, false)).toThrow("batch_size should be a positive integer value, but got batch_size=0");
    expect(() => new data.BatchSampler([1], 2, 1 as unknown as boolean)).toThrow("drop_last should be a boolean value, but got drop_last=1");
  });
});
