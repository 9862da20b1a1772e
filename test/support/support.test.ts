/** The shared test helpers do what the suites rely on: a fixed stream per seed, views as named, a strict closeness check. */
import { describe, expect, it } from "vitest";
import { BITWISE, EXACT, expectClose, isClose } from "./close";
import { Rng } from "./rng";
import {
  EDGE_SHAPES, LAYOUTS, SMALL_SHAPES, contiguousStrides, expectUntouchedOutside, indices, layoutView, numel, offsetOf, randomShape,
} from "./views";

describe("Rng", () => {
  it("is xorshift32: the stream of a seed never changes (the parity suite's cases depend on it)", () => {
    const r = new Rng(1);
    expect([r.next(), r.next(), r.next()].map((v) => v * 4294967296)).toEqual([270369, 67634689, 2647435461]);
    expect(new Rng(0).next()).toBe(new Rng(1).next());
  });

  it("keeps int, pick and shuffle in range", () => {
    const r = new Rng(7);
    for (let i = 0; i < 1000; i++) {
      const k = r.int(-2, 3);
      expect(Number.isInteger(k) && k >= -2 && k <= 3).toBe(true);
      expect(["a", "b"]).toContain(r.pick(["a", "b"]));
    }
    expect(r.shuffle([0, 1, 2, 3, 4, 5]).sort()).toEqual([0, 1, 2, 3, 4, 5]);
  });
});

describe("layoutView", () => {
  const rng = new Rng(2024);
  const shapes = [...SMALL_SHAPES, ...EDGE_SHAPES.filter((s) => numel(s) < 5000), ...Array.from({ length: 200 }, () => randomShape(rng))];
  for (const layout of LAYOUTS) {
    it(`${layout}: stays inside its storage and is laid out as named`, () => {
      for (const shape of shapes) {
        const v = layoutView(shape, layout, rng, (n) => new Float64Array(n));
        const offsets = [...indices(shape)].map((idx) => offsetOf(v, idx));
        const what = `${layout} [${shape}] strides [${v.strides}] offset ${v.offset} storage ${v.data.length}`;
        for (const o of offsets) expect(o >= 0 && o < v.data.length, what).toBe(true);
        const distinct = new Set(offsets).size;
        const long = shape.filter((n) => n > 1).length;
        const span = offsets.length === 0 ? 0 : Math.max(...offsets) - Math.min(...offsets) + 1;
        if (layout === "contiguous") {
          expect(v.offset, what).toBe(0);
          if (offsets.length > 0) expect(v.strides, what).toEqual(contiguousStrides(shape));
        } else {
          expect(v.offset, what).toBeGreaterThanOrEqual(1);
          if (offsets.length > 0) expect(Math.max(...offsets), what).toBeLessThan(v.data.length - 1);
        }
        if (layout === "offset" && offsets.length > 0) expect(v.strides, what).toEqual(contiguousStrides(shape));
        if (layout !== "expanded") expect(distinct, what).toBe(offsets.length);
        if (layout === "transposed") {
          expect(span, what).toBe(offsets.length);
          // Storage order differs from the dims' order: some stride is smaller than the next dim's.
          if (shape.length >= 2 && shape.every((n) => n > 1)) {
            expect(v.strides.some((s, d) => d + 1 < shape.length && s < v.strides[d + 1]), what).toBe(true);
          }
        }
        if (layout === "strided" && offsets.length >= 2) expect(span, what).toBeGreaterThan(offsets.length);
        if (layout === "expanded" && long > 0) expect(shape.some((n, d) => n > 1 && v.strides[d] === 0), what).toBe(true);
      }
    });
  }
});

describe("expectUntouchedOutside", () => {
  it("passes when only the view changed and names the first storage element written outside it", () => {
    const data = new Float32Array([9, 1, 9, 2, 9, -0]);
    const col = { data, dtype: "float32" as const, offset: 1, shape: [2], strides: [2] };
    const before = data.slice();
    data[1] = 5;
    data[3] = 6;
    expect(() => expectUntouchedOutside(col, before, "op")).not.toThrow();
    data[5] = 0;
    expect(() => expectUntouchedOutside(col, before, "op")).not.toThrow();
    expect(() => expectUntouchedOutside(col, before, "op", BITWISE)).toThrow("op wrote outside its view at 5: 0, was -0");
    data[2] = 7;
    expect(() => expectUntouchedOutside(col, before, "op")).toThrow("op wrote outside its view at 2: 7, was 9");
  });
});

describe("closeness", () => {
  it("isClose: NaN matches NaN only, infinities match exactly, finite values within atol + rtol·|expected|", () => {
    expect(isClose(NaN, NaN)).toBe(true);
    expect(isClose(NaN, 1, { atol: Infinity })).toBe(false);
    expect(isClose(1, NaN, { atol: Infinity })).toBe(false);
    expect(isClose(Infinity, Infinity)).toBe(true);
    expect(isClose(1e308, Infinity, { rtol: 1 })).toBe(false);
    expect(isClose(-Infinity, Infinity, { rtol: 1 })).toBe(false);
    expect(isClose(0, -0)).toBe(true);
    expect(isClose(1.1, 1, { atol: 0.1000001 })).toBe(true);
    expect(isClose(1.1, 1, { rtol: 0.06, atol: 0.05 })).toBe(true);
    expect(isClose(1.1, 1, { rtol: 0.04, atol: 0.04 })).toBe(false);
    expect(isClose(1 + 2 ** -52, 1, EXACT)).toBe(false);
  });

  it("bitwise tells -0 from 0 and ignores tolerances", () => {
    expect(isClose(0, -0, BITWISE)).toBe(false);
    expect(isClose(NaN, NaN, BITWISE)).toBe(true);
    expect(isClose(1.5, 1.5, BITWISE)).toBe(true);
    expect(isClose(1.5, 1.5000001, { bitwise: true, atol: 1 })).toBe(false);
  });

  it("expectClose names the index and both values of the first mismatches, and how many there are", () => {
    expect(() => expectClose([1, 2, 3], [1, 2, 3], EXACT, "same")).not.toThrow();
    expect(() => expectClose([1, 2], [1, 2, 3], EXACT, "short")).toThrow("short: 2 elements, expected 3");
    expect(() => expectClose([1, 2.5, NaN], [1, 2, 3], { rtol: 0.1 }, "vals")).toThrow(
      "vals: 2 of 3 elements differ (rtol 0.1, atol 0): [1] got 2.5, expected 2 (off by 0.5); [2] got NaN, expected 3",
    );
    expect(() => expectClose([-0], [0], BITWISE, "sign")).toThrow("[0] got -0, expected 0");
    expect(() => expectClose(new Array(9).fill(1), new Array(9).fill(0))).toThrow("9 of 9 elements differ (rtol 0, atol 0): [0] got 1");
    expect(() => expectClose(new Array(9).fill(1), new Array(9).fill(0))).toThrow("; and 4 more");
  });
});
