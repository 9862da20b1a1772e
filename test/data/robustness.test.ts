import { describe, expect, it } from "vitest";
import { data, tensor, type Tensor } from "../../ts/index";

class Sized extends data.Dataset<number> {
  constructor(public n: number) {
    super();
  }
  get length(): number {
    return this.n;
  }
  getItem(i: number): number {
    return i;
  }
}

describe("collate and __proto__", () => {
  it("an item key __proto__ becomes a key of the batch, not its prototype", () => {
    const item = () => JSON.parse('{"__proto__": 1, "x": 2}') as Record<string, number>;
    const batch = data.defaultCollate([item(), item()]) as unknown as Record<string, Tensor>;
    expect(Object.getPrototypeOf(batch)).toBe(Object.prototype);
    expect(Object.keys(batch)).toEqual(["__proto__", "x"]);
    expect(Array.from(Object.getOwnPropertyDescriptor(batch, "__proto__")?.value.toArray())).toEqual([1, 1]);
    expect(Array.from(batch.x.toArray())).toEqual([2, 2]);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it("a nested __proto__ key with an object value cannot pollute anything either", () => {
    const item = () => JSON.parse('{"__proto__": {"polluted": 1}}') as Record<string, unknown>;
    const batch = data.defaultCollate([item(), item()]) as unknown as Record<string, unknown>;
    expect(Object.getPrototypeOf(batch)).toBe(Object.prototype);
    expect((batch as { polluted?: unknown }).polluted).toBeUndefined();
    const inner = Object.getOwnPropertyDescriptor(batch, "__proto__")?.value as Record<string, Tensor>;
    expect(Array.from(inner.polluted.toArray())).toEqual([1, 1]);
  });

  it("an item missing a key of the first item is a clear error", () => {
    const a = JSON.parse('{"__proto__": 1}') as Record<string, number>;
    expect(() => data.defaultCollate([a, {}])).toThrow('default_collate: element 1 of the batch has no key "__proto__"');
    expect(() => data.defaultCollate([{ x: 1, y: 2 }, { x: 1 }])).toThrow('element 1 of the batch has no key "y"');
  });
});

describe("dataset lengths are checked", () => {
  for (const bad of [NaN, Infinity, -Infinity, -1, 2.5, "3" as unknown as number]) {
    it(`${String(bad)} (${typeof bad}) is refused with a clear error`, () => {
      const shown = typeof bad === "string" ? '"3"' : String(bad);
      const message = `the length of Sized must be a non-negative integer, got ${shown}`;
      expect(() => new data.DataLoader(new Sized(bad))).toThrow(message);
      // A length that goes bad later is caught when it is used.
      const ds = new Sized(4);
      const dl = new data.DataLoader(ds, { batchSize: 2 });
      ds.n = bad;
      expect(() => dl.length).toThrow(message);
      expect(() => [...dl]).toThrow(message);
    });
  }

  it("good lengths, zero included, still work", () => {
    expect([...new data.DataLoader(new Sized(0))]).toEqual([]);
    const dl = new data.DataLoader(new Sized(5), { batchSize: 2 });
    expect(dl.length).toBe(3);
    expect([...dl].map((b) => Array.from((b as Tensor).toArray()))).toEqual([[0, 1], [2, 3], [4]]);
    expect(new data.DataLoader(new data.TensorDataset(tensor([1, 2, 3]))).length).toBe(3);
  });
});
