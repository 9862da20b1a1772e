import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import * as tg from "../../ts/index";

type Enc = number | string;
interface PowCase { dtype: string; x: Enc[]; pow: Record<string, Enc[]>; gradX: Enc[]; grad: Record<string, Enc[]>; rsqrt: Enc[] }
// Read with JSON.parse: an imported .json module would turn the goldens' −0 into 0.
const ref = JSON.parse(readFileSync(path.join(__dirname, "../reference/pow.json"), "utf8")) as {
  cases: PowCase[];
  int32: { x: number[]; pow: Record<string, number[]>; pow_half: Enc[] };
};

const dec = (v: Enc): number => (typeof v === "number" ? v : v === "nan" ? NaN : v === "inf" ? Infinity : -Infinity);

/** Indices where got and want differ bit for bit (the sign of zero counts; NaN equals NaN). */
function mismatches(got: ArrayLike<number>, want: readonly Enc[]): string[] {
  const bad: string[] = [];
  for (let i = 0; i < got.length; i++) {
    const w = dec(want[i % want.length]);
    if (!Object.is(got[i], w)) bad.push(`[${i}] got ${got[i]} want ${w}`);
  }
  return bad;
}

/** The inputs repeated to `n` elements, so that both the small-size and the native (above crossover) paths run. */
function tiled(values: readonly Enc[], n: number, dtype: "float32" | "float64"): tg.Tensor {
  return tg.tensor(Array.from({ length: n }, (_, i) => dec(values[i % values.length])), { dtype });
}

describe("pow with the exponents PyTorch special-cases gives PyTorch's values bit for bit", () => {
  for (const c of ref.cases) {
    const dtype = c.dtype as "float32" | "float64";
    for (const [e, want] of Object.entries(c.pow)) {
      it(`pow(x, ${e}) ${dtype}`, () => {
        for (const n of [c.x.length, 20 * c.x.length]) {
          const x = tiled(c.x, n, dtype);
          expect(mismatches(x.pow(Number(e)).toArray(), want).slice(0, 5), `n=${n}`).toEqual([]);
          expect(mismatches(tg.pow(x, Number(e)).toArray(), want).slice(0, 5)).toEqual([]);
        }
      });
    }

    it(`pow on a strided view ${dtype}`, () => {
      const x = tiled(c.x, c.x.length * 2, dtype).reshape([2, c.x.length]).t();
      const want = c.pow["3"];
      const got = x.pow(3).t().contiguous().toArray();
      expect(mismatches(got, want).slice(0, 5)).toEqual([]);
    });

    it(`rsqrt ${dtype}`, () => {
      for (const n of [c.x.length, 20 * c.x.length]) {
        expect(mismatches(tiled(c.x, n, dtype).rsqrt().toArray(), c.rsqrt).slice(0, 5)).toEqual([]);
      }
    });

    for (const [e, want] of Object.entries(c.grad)) {
      it(`the gradient of pow(x, ${e}) ${dtype}`, () => {
        const x = tiled(c.gradX, c.gradX.length, dtype).requiresGrad_();
        x.pow(Number(e)).backward(tg.fullLike(x, 0.75));
        expect(mismatches(x.grad!.toArray(), want).slice(0, 5)).toEqual([]);
      });
    }
  }

  it("int32 bases: integer results for integer exponents, float32 for 0.5", () => {
    const x = tg.tensor(ref.int32.x, { dtype: "int32" });
    for (const [e, want] of Object.entries(ref.int32.pow)) {
      const y = x.pow(Number(e));
      expect(y.dtype).toBe("int32");
      expect(Array.from(y.toArray())).toEqual(want);
    }
    const h = x.pow(0.5);
    expect(h.dtype).toBe("float32");
    expect(mismatches(h.toArray(), ref.int32.pow_half)).toEqual([]);
  });
});
