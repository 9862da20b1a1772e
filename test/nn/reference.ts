import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import type { Tensor } from "../../ts/index";

type Nested = number | Nested[];
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const ref = JSON.parse(readFileSync(join(__dirname, "../reference/nn.json"), "utf8"));

export function flat(v: Nested | null): number[] {
  if (v === null) return [];
  return Array.isArray(v) ? v.flatMap((x) => flat(x)) : [v];
}

/** Elementwise closeness, relative to the magnitude (float32 arithmetic in different orders). */
export function expectClose(actual: Tensor | number[], expected: Nested, rtol = 1e-5, atol = 1e-6): void {
  const a = Array.isArray(actual) ? actual : Array.from(actual.toArray() as ArrayLike<number>);
  const e = flat(expected);
  expect(a.length).toBe(e.length);
  a.forEach((v, i) => {
    if (Math.abs(v - e[i]) > atol + rtol * Math.abs(e[i])) throw new Error(`element ${i}: got ${v}, expected ${e[i]} (all: ${a} vs ${e})`);
  });
}
