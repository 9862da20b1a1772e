/** The dispatching native backend (small work on the TS kernels) agrees with the TS backend on both sides of each crossover. */
import { describe, expect, it } from "vitest";
import { CROSSOVER } from "../../../ts/backend/native";
import { js, nativeDispatching as native } from "../../support/backends";
import { expectClose } from "../../support/close";
import { viewOf } from "../../support/views";

describe.skipIf(native === null)("native backend dispatch", () => {
  it("is named native and reports threads", () => {
    expect(native!.name).toBe("native");
    expect(native!.getNumThreads()).toBeGreaterThanOrEqual(1);
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
        for (const op of ["relu", "tanh", "neg"] as const) {
          const o1 = make(), o2 = make();
          js.unary(op, viewOf(x), viewOf(o1));
          native!.unary(op, viewOf(x), viewOf(o2));
          expectClose(o2, o1, { rtol: 3e-7 }, `${op} ${dtype} n=${n}`);
        }
        const a1 = make(), a2 = make();
        js.binary("add", viewOf(x), viewOf(y), viewOf(a1));
        native!.binary("add", viewOf(x), viewOf(y), viewOf(a2));
        expect(Array.from(a2)).toEqual(Array.from(a1));
        const s1 = make().subarray(0, 1), s2 = make().subarray(0, 1);
        if (n > 0) {
          js.reduce("sum", viewOf(x), 1, s1);
          native!.reduce("sum", viewOf(x), 1, s2);
          expect(s2[0]).toBe(s1[0]);
        }
      }
    });
  }
});
