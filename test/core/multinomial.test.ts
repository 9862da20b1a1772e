import { describe, expect, it } from "vitest";
import * as tg from "../../ts/index";
import ref from "../reference/multinomial.json";

describe("multinomial draws PyTorch's stream for the same seed", () => {
  it(`${ref.cases.length} cases: float32 and float64, with and without replacement, 1-D and 2-D`, () => {
    let mismatches = 0;
    for (const c of ref.cases) {
      tg.manualSeed(c.seed);
      const p = tg.tensor(c.probs, { dtype: c.dtype as "float32" | "float64" }).reshape(c.shape);
      const got = Array.from(tg.multinomial(p, c.n, c.replacement).toArray());
      if (JSON.stringify(got) !== JSON.stringify(c.draws)) mismatches++;
    }
    expect(mismatches).toBe(0);
  });

  it("refuses what PyTorch refuses", () => {
    expect(() => tg.multinomial(tg.tensor([0.5, 0.5]), 3)).toThrow("cannot sample n_sample > prob_dist.size(-1) samples without replacement");
    expect(() => tg.multinomial(tg.tensor([0, 0]), 1, true)).toThrow(/sum of probabilities <= 0/);
    expect(() => tg.multinomial(tg.tensor([-1, 2]), 1, true)).toThrow(/probability entry < 0/);
  });
});
