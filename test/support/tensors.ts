/** Tensors in and out of plain numbers, through tensorgrad's public API only. */
import * as tg from "../../ts/index";
import type { Rng } from "./rng";

/** Nested arrays from flat values and a shape (a number for shape []). */
export function nest(values: readonly number[], shape: readonly number[]): unknown {
  if (shape.length === 0) return values[0];
  const [n, ...rest] = shape;
  const step = rest.reduce((a, b) => a * b, 1);
  const out: unknown[] = [];
  for (let i = 0; i < n!; i++) out.push(nest(values.slice(i * step, (i + 1) * step), rest));
  return out;
}

/** All elements in row-major order, as numbers (bools → 0/1), read through tolist(). */
export function flat(t: tg.Tensor): number[] {
  const out: number[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else out.push(Number(v));
  };
  walk(t.tolist());
  return out;
}

/** A float64 leaf of `shape` with values uniform in [lo, hi), requiring grad. */
export function randF64(rng: Rng, shape: readonly number[], lo = -1, hi = 1): tg.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const vals = Array.from({ length: n }, () => rng.uniform(lo, hi));
  return tg.tensor(nest(vals, shape) as number[], { dtype: "float64", requiresGrad: true });
}
