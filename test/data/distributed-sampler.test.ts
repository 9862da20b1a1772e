import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { arange, data, type Tensor } from "../../ts/index";

/** Goldens from test/reference/gen_distributed.py (PyTorch 1.13). */
interface SamplerCase {
  n: number;
  numReplicas: number;
  shuffle: boolean;
  dropLast: boolean;
  seed: number;
  epoch: number;
  indices: number[][];
}
const ref = JSON.parse(readFileSync(join(__dirname, "../reference/distributed.json"), "utf8")) as {
  samplers: SamplerCase[];
  errors: { rankTooLarge: string };
};

const sized = (n: number) => ({ length: n });

describe("DistributedSampler gives PyTorch's partitions and orders", () => {
  it(`${ref.samplers.length} cases: n, numReplicas, shuffle, dropLast, seed and epoch`, () => {
    for (const c of ref.samplers) {
      const got = c.indices.map((_, rank) => {
        const s = new data.DistributedSampler(sized(c.n), { numReplicas: c.numReplicas, rank, shuffle: c.shuffle, seed: c.seed, dropLast: c.dropLast });
        s.setEpoch(c.epoch);
        const list = [...s];
        expect(s.length).toBe(list.length);
        return list;
      });
      expect(got, JSON.stringify({ ...c, indices: undefined })).toEqual(c.indices);
    }
  });

  it("shares are disjoint and cover the dataset when they divide it; padded ones repeat the start", () => {
    const shares = [0, 1, 2].map((rank) => [...new data.DistributedSampler(sized(12), { numReplicas: 3, rank, seed: 5 })]);
    expect(shares.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i));
    const padded = [0, 1, 2].map((rank) => [...new data.DistributedSampler(sized(10), { numReplicas: 3, rank, shuffle: false })]);
    expect(padded).toEqual([[0, 3, 6, 9], [1, 4, 7, 0], [2, 5, 8, 1]]);
  });

  it("setEpoch changes the order, the same on every rank", () => {
    const s = new data.DistributedSampler(sized(20), { numReplicas: 2, rank: 0 });
    const first = [...s];
    s.setEpoch(1);
    expect([...s]).not.toEqual(first);
    s.setEpoch(0);
    expect([...s]).toEqual(first);
  });

  it("works as a DataLoader's sampler: each rank's batches hold its share", () => {
    const ds = new data.TensorDataset(arange(10));
    const sampler = new data.DistributedSampler(ds, { numReplicas: 2, rank: 1, shuffle: false });
    const batches = [...new data.DataLoader(ds, { batchSize: 2, sampler })].map((b) => (b as Tensor[])[0].tolist());
    expect(batches).toEqual([[1, 3], [5, 7], [9]]);
  });

  it("rejects a rank outside [0, numReplicas − 1] as PyTorch, and needs a process group without numReplicas", () => {
    expect(() => new data.DistributedSampler(sized(4), { numReplicas: 2, rank: 2 })).toThrow(ref.errors.rankTooLarge);
    expect(() => new data.DistributedSampler(sized(4), { numReplicas: 2, rank: -1 })).toThrow("Invalid rank -1, rank should be in the interval [0, 1]");
    expect(() => new data.DistributedSampler(sized(4))).toThrow("Default process group has not been initialized");
    expect(() => new data.DistributedSampler(sized(4), { numReplicas: 2, rank: 0, bogus: 1 } as never)).toThrow(/bogus/);
  });
});
