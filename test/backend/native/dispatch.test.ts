/** The dispatching native backend (small work on the TS kernels) agrees with the TS backend on both sides of each crossover. */
import { dtypeOfArray } from "../../../ts/dtype";
import { describe, expect, it } from "vitest";
import { jsBackend } from "../../../ts/backend/js/index";
import { CROSSOVER, loadNativeBackend } from "../../../ts/backend/native";
import type { View } from "../../../ts/backend/types";

const r = loadNativeBackend();
const backend = "backend" in r ? r.backend : null;

describe.skipIf(backend === null)("native backend dispatch", () => {
  it("is named native and reports threads", () => {
    expect(backend!.name).toBe("native");
    expect(backend!.getNumThreads()).toBeGreaterThanOrEqual(1);
  });

  for (const dtype of ["float32", "float64"] as const) {
    it(`agrees with the TS backend around the crossovers (${dtype})`, () => {
      const sizes = new Set<number>([0, 1, 7, 1000]);
      for (const c of [CROSSOVER.unaryCheap, CROSSOVER.unaryCostly, CROSSOVER.binary, CROSSOVER.reduce]) {
        sizes.add(c - 1).add(c).add(c + 1);
      }
      for (const n of sizes) {
        const make = () => (dtype === "float32" ? new Float32Array(n) : new Float64Array(n));
        const x = make().map((_, i) => Math.sin(i * 1.7) * 3);
        const y = make().map((_, i) => Math.cos(i * 0.3));
        const v = (d: Float32Array | Float64Array): View => ({ data: d, dtype: dtypeOfArray(d), offset: 0, shape: [n], strides: [1] });
        for (const op of ["relu", "tanh", "neg"] as const) {
          const o1 = make(), o2 = make();
          jsBackend.unary(op, v(x), v(o1));
          backend!.unary(op, v(x), v(o2));
          for (let i = 0; i < n; i++) expect(Math.abs(o2[i] - o1[i])).toBeLessThanOrEqual(3e-7 * Math.abs(o1[i]));
        }
        const a1 = make(), a2 = make();
        jsBackend.binary("add", v(x), v(y), v(a1));
        backend!.binary("add", v(x), v(y), v(a2));
        expect(Array.from(a2)).toEqual(Array.from(a1));
        const s1 = make().subarray(0, 1), s2 = make().subarray(0, 1);
        if (n > 0) {
          jsBackend.reduce("sum", v(x), 1, s1);
          backend!.reduce("sum", v(x), 1, s2);
          expect(s2[0]).toBe(s1[0]);
        }
      }
    });
  }
});
