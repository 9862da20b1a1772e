import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  Generator,
  dataLoaderShuffle,
  kaimingUniformBound,
  linearBiasBound,
  normal,
  randomInt64,
  shuffleIndices,
  uniform,
} from "../../ts/random";
import { compare, fromHex, ref } from "./reference";

/** nn.Linear(fanIn, fanOut)'s reset_parameters: weight, then bias, from one generator. */
function linear(g: Generator, fanIn: number, fanOut: number): [Float32Array, Float32Array] {
  const w = new Float32Array(fanIn * fanOut);
  const wb = kaimingUniformBound(fanIn);
  uniform(g, w, -wb, wb);
  const b = new Float32Array(fanOut);
  const bb = linearBiasBound(fanIn);
  uniform(g, b, -bb, bb);
  return [w, b];
}

describe("nn.Linear initialisation", () => {
  it.each(["1", "512", "1000"])("the bounds equal torch.nn.init's for fan_in=%s", (fan) => {
    expect(kaimingUniformBound(Number(fan))).toBe(fromHex(ref.linear_bounds[fan].weight));
    expect(linearBiasBound(Number(fan))).toBe(fromHex(ref.linear_bounds[fan].bias));
  });

  it("Linear(1,512) then Linear(512,1) after manual_seed(2021) are bit-exact", () => {
    const g = new Generator(2021);
    const [w1, b1] = linear(g, 1, 512);
    const [w2, b2] = linear(g, 512, 1);
    for (const [got, key] of [
      [w1, "l1_weight"],
      [b1, "l1_bias"],
      [w2, "l2_weight"],
      [b2, "l2_bias"],
    ] as const) {
      const c = compare(got, ref.linear[key]);
      expect(c.exact, key).toBe(c.compared);
      if (c.bitsumOk !== null) expect(c.bitsumOk, key).toBe(true);
    }
  });

  it("Linear(1000,100) after manual_seed(2021) is bit-exact (all 100000 weights by bitsum)", () => {
    const [w, b] = linear(new Generator(2021), 1000, 100);
    const cw = compare(w, ref.linear.l3_weight);
    expect(cw.exact).toBe(cw.compared);
    expect(cw.bitsumOk).toBe(true);
    expect(compare(b, ref.linear.l3_bias).exact).toBe(100);
  });
});

describe("data loading order", () => {
  for (const key of Object.keys(ref.sampler)) {
    const [seed, n] = key.split("_").map(Number);
    it(`RandomSampler after manual_seed(${seed}), n=${n}`, () => {
      const g = new Generator(seed);
      const probe = new Generator(seed);
      expect(randomInt64(probe).toString()).toBe(ref.sampler[key].sampler_seed);
      expect(Array.from(shuffleIndices(n, g))).toEqual(ref.sampler[key].sampler);
    });
    it(`DataLoader(shuffle=True) epochs 1 and 2 after manual_seed(${seed}), n=${n}`, () => {
      const g = new Generator(seed);
      const epochs = [Array.from(dataLoaderShuffle(n, g)), Array.from(dataLoaderShuffle(n, g))];
      expect(epochs).toEqual(ref.sampler[key].dataloader_epochs);
    });
  }
});

describe("W2 reference (Neuromatch WideNet, set_seed(2021))", () => {
  const w2 = JSON.parse(readFileSync("/work/shared/reference/w2_reference.json", "utf8")) as Record<string, number[]>;
  const f32 = (a: number[]) => Float32Array.from(a);

  it("randn(32, 1) after manual_seed(2021) reproduces the targets' noise exactly", () => {
    const noise = new Float32Array(32);
    normal(new Generator(2021), noise);
    expect(compare(noise, ref.w2.noise).exact).toBe(32);
    // targets = sin(pi·inputs) + noise/4 in float32, with torch's float32 sin values.
    const sinPi = ref.w2.sin_pi_inputs.values.map(fromHex);
    const targets = noise.map((z, i) => Math.fround(sinPi[i] + Math.fround(z / 4)));
    expect(Array.from(targets)).toEqual(Array.from(f32(w2.targets)));
  });

  it("Linear(1,512), Linear(512,1) after a fresh manual_seed(2021) reproduce W1, b1, W2, b2", () => {
    const g = new Generator(2021);
    const [W1, b1] = linear(g, 1, 512);
    const [W2, b2] = linear(g, 512, 1);
    expect(Array.from(W1)).toEqual(Array.from(f32(w2.W1)));
    expect(Array.from(b1)).toEqual(Array.from(f32(w2.b1)));
    expect(Array.from(W2)).toEqual(Array.from(f32(w2.W2)));
    expect(Array.from(b2)).toEqual(Array.from(f32(w2.b2)));
  });
});
