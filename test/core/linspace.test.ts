import { describe, expect, it } from "vitest";
import * as tg from "../../ts/index";
import ref from "../reference/linspace.json";

describe("linspace gives PyTorch's values", () => {
  for (const c of ref.cases) {
    it(`linspace(${c.start}, ${c.end}, ${c.steps}) ${c.dtype}`, () => {
      const got = Array.from(tg.linspace(c.start, c.end, c.steps, { dtype: c.dtype as "float32" | "float64" }).toArray());
      const bad = got.filter((v, i) => v !== c.values[i]).length;
      // float32: the linspace(−π, π, 2000) bit for bit, every value within one float32 ulp and at most
      // 1 % off by that ulp (lanes whose rounding we do not reproduce yet); float64 (PyTorch fuses a multiply-add
      // in double, which JavaScript cannot) within an ulp or two of the range.
      if (c.dtype === "float32" && c.steps === 2000) expect(bad).toBe(0);
      if (c.dtype === "float32") {
        expect(bad).toBeLessThanOrEqual(c.steps / 100);
        got.forEach((v, i) => expect(Math.abs(v - c.values[i])).toBeLessThanOrEqual(1.2e-7 * Math.max(1, Math.abs(c.values[i]))));
      }
      else {
        const scale = Math.max(1, Math.abs(c.start), Math.abs(c.end));
        got.forEach((v, i) => expect(Math.abs(v - c.values[i])).toBeLessThanOrEqual(4.5e-16 * scale));
      }
    });
  }
});
