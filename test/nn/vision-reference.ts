import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Tensor } from "../../ts/index";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const vref: any = JSON.parse(readFileSync(join(__dirname, "../reference/vision.json"), "utf8"));

/** Elementwise closeness with a short message naming the first bad element. */
export function near(actual: Tensor | ArrayLike<number>, expected: readonly number[], rtol: number, atol: number, what = ""): void {
  const a = Array.from((("toArray" in actual ? (actual as Tensor).toArray() : actual) as ArrayLike<number>));
  if (a.length !== expected.length) throw new Error(`${what}: ${a.length} values, expected ${expected.length}`);
  for (let i = 0; i < a.length; i++) {
    if (!(Math.abs(a[i] - expected[i]) <= atol + rtol * Math.abs(expected[i]))) {
      throw new Error(`${what} element ${i}: got ${a[i]}, expected ${expected[i]}`);
    }
  }
}

/** Tolerances for float64 (PyTorch's float64 goldens, different summation order) and float32 inputs. */
export const TOL = { float64: [1e-10, 1e-10], float32: [2e-4, 2e-4] } as const;
