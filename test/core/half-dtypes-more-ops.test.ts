/**
 * bfloat16 and float16 through the indexing, padding and sequence ops and through compile(): each op on 16-bit
 * input equals the same op on the float32 widening, rounded back (exactly for ops that only move values, to
 * one 16-bit rounding of an intermediate for the composed ones), and a compiled autocast step replays eager's
 * losses bit for bit.
 */
import { describe, expect, it } from "vitest";
import * as tg from "../../ts/index";
import type { Tensor } from "../../ts/index";

const F = tg.nn.functional;
const idx = (v: number[][] | number[]) => tg.tensor(v, { dtype: "int32" });

/** [name, op, exact]: exact ops only move or compare values, so the 16-bit result is the rounded float32 one. */
const CASES: [string, (x: Tensor) => Tensor, boolean][] = [
  ["scatter", (x) => x.scatter(1, idx([[0], [1], [2]]), x.narrow(1, 0, 1).contiguous()), true],
  ["index", (x) => x.index([idx([2, 0])]), true],
  ["indexPut accumulate", (x) => x.indexPut([idx([2, 0])], tg.ones([2, 4]).to(x.dtype), true), false],
  ["maskedSelect", (x) => x.maskedSelect(x.float().gt(0)), true],
  ["pad reflect", (x) => F.pad(x.unsqueeze(0), [1, 2], "reflect"), true],
  ["pad constant", (x) => F.pad(x, [1, 2], "constant", 0.5), true],
  ["gather", (x) => x.gather(1, idx([[0], [1], [2]])), true],
  ["sort", (x) => x.sort(1).values, true],
  ["einsum", (x) => tg.einsum("ij,kj->ik", x, x), false],
  ["layerNorm", (x) => F.layerNorm(x, [4]), false],
  ["gelu", (x) => F.gelu(x), false],
  ["softmax", (x) => x.softmax(1), false],
];

describe.each(["bfloat16", "float16"] as const)("%s through the indexing, padding and sequence ops", (dtype) => {
  it.each(CASES)("%s keeps the dtype and matches the float32 computation", (_name, op, exact) => {
    tg.manualSeed(3);
    const x = tg.randn([3, 4]).to(dtype);
    const got = op(x);
    expect(got.dtype).toBe(dtype);
    const want = op(x.float()).to(dtype).float();
    const err = got.float().sub(want).abs();
    // One rounding of an intermediate to 16 bits: a relative 2^-8 (bfloat16) or 2^-11 (float16).
    const tol = exact ? 0 : (dtype === "bfloat16" ? 2 ** -7 : 2 ** -10) * Math.max(1, want.abs().max().item());
    expect(err.max().item()).toBeLessThanOrEqual(tol);
  });
});

describe("compile() with autocast", () => {
  it("replays a bfloat16 autocast training step with eager's losses, bit for bit", () => {
    const run = (compiled: boolean): number[] => {
      tg.manualSeed(1);
      const m = new tg.nn.Sequential(new tg.nn.Linear(8, 16), new tg.nn.GELU(), new tg.nn.LayerNorm(16), new tg.nn.Linear(16, 4));
      const opt = new tg.optim.AdamW(m.parameters(), { lr: 1e-2 });
      const x = tg.randn([5, 8]), y = idx([0, 1, 2, 3, 1]);
      const lossFn = new tg.nn.CrossEntropyLoss();
      const f = (a: Tensor, b: Tensor): Tensor => tg.autocast("bfloat16", () => {
        opt.zeroGrad();
        const l = lossFn(m(a).float(), b);
        l.backward();
        opt.step();
        return l;
      });
      const step = compiled ? tg.compile(f) : f;
      return Array.from({ length: 4 }, () => step(x, y).item());
    };
    const eager = run(false);
    expect(eager[3]).toBeLessThan(eager[0]);
    expect(run(true)).toEqual(eager);
  });
});
