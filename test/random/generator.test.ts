import { describe, expect, it } from "vitest";
import {
  DEFAULT_SEED,
  Generator,
  defaultGenerator,
  initialSeed,
  manualSeed,
  randomInt32,
  randomInt64,
  uniform,
} from "../../ts/random";
import { MT19937 } from "../../ts/random/mt19937";
import { compare, ref } from "./reference";

const SEEDS = ["0", "1", "42", "2021"];

describe("mt19937 engine", () => {
  it("matches the reference MT19937 output for seed 5489 (10000th draw is 4123659995)", () => {
    const mt = new MT19937(5489);
    let v = 0;
    for (let i = 0; i < 10000; i++) v = mt.nextUint32();
    expect(v).toBe(4123659995);
  });
});

describe("Generator raw draws", () => {
  it.each(SEEDS)("int64 random_() is random64() mod 2^63, first draw the high word (seed %s)", (s) => {
    const g = new Generator(BigInt(s));
    const got = Array.from({ length: 6 }, () => randomInt64(g).toString());
    expect(got).toEqual(ref.raw[s].int64);
  });

  it.each(SEEDS)("int32 random_() is random() mod 2^31 (seed %s)", (s) => {
    const g = new Generator(Number(s));
    expect(Array.from({ length: 6 }, () => randomInt32(g))).toEqual(ref.raw[s].int32);
  });
});

describe("seeding", () => {
  it.each(Object.keys(ref.seeds))("manualSeed(%s) reports PyTorch's initial_seed and stream", (s) => {
    const g = new Generator(0).manualSeed(BigInt(s));
    expect(g.initialSeed().toString()).toBe(ref.seeds[s].initial_seed);
    const out = new Float32Array(3);
    uniform(g, out);
    expect(compare(out, ref.seeds[s].rand3).exact).toBe(3);
  });

  it("accepts a number seed and a bigint seed alike", () => {
    const a = new Generator(0).manualSeed(-2021);
    const b = new Generator(0).manualSeed(-2021n);
    expect(a.random()).toBe(b.random());
    expect(a.initialSeed()).toBe(b.initialSeed());
  });

  it("rejects seeds outside [-2^63, 2^64) and non-integers", () => {
    expect(() => new Generator().manualSeed(2n ** 64n)).toThrow(RangeError);
    expect(() => new Generator().manualSeed(-(2n ** 63n) - 1n)).toThrow(RangeError);
    expect(() => new Generator().manualSeed(1.5)).toThrow(TypeError);
  });

  it("a new Generator starts as a new torch.Generator() does, from seed 67280421310721", () => {
    const g = new Generator();
    expect(g.initialSeed()).toBe(DEFAULT_SEED);
    const out = new Float32Array(3);
    uniform(g, out);
    expect(compare(out, ref.default_rand3).exact).toBe(3);
    expect(ref.default_seed).toBe(DEFAULT_SEED.toString());
  });

  it("manualSeed reseeds the module-level default generator", () => {
    manualSeed(42);
    expect(initialSeed()).toBe(42n);
    const a = defaultGenerator.random();
    expect(new Generator(42).random()).toBe(a);
  });

  it("reseeding drops the cached normal sample", () => {
    const g = new Generator(1);
    g.nextDoubleNormalSample = 0.5;
    g.nextFloatNormalSample = 0.25;
    g.manualSeed(1);
    expect(g.nextDoubleNormalSample).toBeNull();
    expect(g.nextFloatNormalSample).toBeNull();
  });
});

describe("getState / setState", () => {
  it("restoring a saved state replays the same draws, including the cached normal", () => {
    const g = new Generator(7);
    for (let i = 0; i < 700; i++) g.random(); // cross a state regeneration
    g.nextDoubleNormalSample = 1.25;
    const saved = g.getState();
    const first = [g.random(), g.random(), g.random64()];
    g.nextDoubleNormalSample = null;
    g.setState(saved);
    expect([g.random(), g.random(), g.random64()]).toEqual(first);
    expect(g.nextDoubleNormalSample).toBe(1.25);
  });

  it("getState returns a copy that later draws do not change", () => {
    const g = new Generator(3);
    const s = g.getState();
    const words = s.mt.slice();
    for (let i = 0; i < 1000; i++) g.random();
    expect(s.mt).toEqual(words);
  });

  it("setState rejects a malformed state", () => {
    const g = new Generator(3);
    const s = g.getState();
    expect(() => g.setState({ ...s, mt: new Uint32Array(10) })).toThrow(RangeError);
    expect(() => g.setState({ ...s, left: 0 })).toThrow(RangeError);
  });
});
