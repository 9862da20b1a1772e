import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import * as tg from "../../ts/index";

interface Case { start: number; end: number; steps: number; dtype: "float32" | "float64" | "int32"; values: number[] }
// Read with JSON.parse: an imported .json module would turn a −0 into 0.
const ref = JSON.parse(readFileSync(path.join(__dirname, "../reference/linspace.json"), "utf8")) as { cases: Case[] };

describe("linspace gives PyTorch's values bit for bit", () => {
  for (const c of ref.cases) {
    it(`linspace(${c.start}, ${c.end}, ${c.steps}) ${c.dtype}`, () => {
      const got = Array.from(tg.linspace(c.start, c.end, c.steps, { dtype: c.dtype }).toArray());
      expect(got.length).toBe(c.values.length);
      const bad = got.flatMap((v, i) => (Object.is(v, c.values[i]) ? [] : [`[${i}] got ${v} want ${c.values[i]}`]));
      expect(bad.slice(0, 5)).toEqual([]);
    });
  }

  it("the cases cover both vector widths' tails, halves and a negative zero start", () => {
    const f32 = ref.cases.filter((c) => c.dtype === "float32").map((c) => c.steps % 16);
    expect(new Set(f32).size).toBeGreaterThan(8);
    expect(ref.cases.some((c) => Object.is(c.start, -0))).toBe(true);
  });
});
