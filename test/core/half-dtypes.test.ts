/**
 * bfloat16 and float16 against PyTorch 1.13 (test/reference/bf16.json from gen_bf16.py): conversions bit for
 * bit, ops computed in float32 and rounded, printing, promotion, and autograd in the 16-bit dtype.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import * as tg from "../../ts/index";
import { bf16FromNumber, f16FromNumber, numberFromBf16, numberFromF16 } from "../../ts/backend/half";
import { expectClose } from "../support/close";

type DT = "bfloat16" | "float16" | "float32" | "float64" | "int32" | "bool";
interface Enc {
  words?: number[];
  values?: number[];
  shape: number[];
  dtype: DT;
}
interface Golden {
  conversions: { f32: number[]; bf16: number[]; f16: number[]; bf16_to_f32: number[]; f16_to_f32: number[] };
  from64: { f64: number[]; bf16: number[]; f16: number[] };
  ops: { name: string; inputs: Enc[]; out: Enc; native: boolean; scalar: number | null }[];
  printed: { value: Enc; requiresGrad: boolean; repr: string }[];
  promotion: { a: DT; b: DT; out: DT }[];
  scalarPromotion: { a: DT; scalar?: number | boolean; zeroDim?: DT; out: DT }[];
}

const G = JSON.parse(readFileSync(fileURLToPath(new URL("../reference/bf16.json", import.meta.url)), "utf8")) as Golden;

const f32 = (bits: number): number => new Float32Array(new Uint32Array([bits]).buffer)[0];
const isNaNWord = (w: number, dt: "bfloat16" | "float16"): boolean =>
  dt === "bfloat16" ? (w & 0x7f80) === 0x7f80 && (w & 0x7f) !== 0 : (w & 0x7c00) === 0x7c00 && (w & 0x3ff) !== 0;

function build(e: Enc): tg.Tensor {
  if (e.words !== undefined) return tg.tensor(Uint16Array.from(e.words), { dtype: e.dtype as "bfloat16", shape: e.shape });
  return tg.tensor(e.values!, { dtype: e.dtype as "float32" }).reshape(e.shape);
}

function values(e: Enc): number[] {
  if (e.words === undefined) return e.values!;
  return e.words.map((w) => (e.dtype === "bfloat16" ? numberFromBf16(w) : numberFromF16(w)));
}

function wordsOf(t: tg.Tensor): number[] {
  return Array.from((t.contiguous() as unknown as { _data: Uint16Array })._data);
}

/** Words equal, NaN for NaN (PyTorch's NaN words differ between its scalar and vector paths). */
function expectWords(got: number[], want: number[], dt: "bfloat16" | "float16", what: string): void {
  expect(got.length, what).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    if (isNaNWord(want[i], dt)) expect(isNaNWord(got[i], dt), `${what}[${i}]`).toBe(true);
    else if (got[i] !== want[i]) expect(`${what}[${i}] = 0x${got[i].toString(16)}`).toBe(`${what}[${i}] = 0x${want[i].toString(16)}`);
  }
}

describe("conversions, bit for bit as PyTorch", () => {
  const src = G.conversions.f32.map(f32);
  it("float32 -> bfloat16 and float16 (scalar rule)", () => {
    expectWords(src.map(bf16FromNumber), G.conversions.bf16, "bfloat16", "bf16");
    expectWords(src.map(f16FromNumber), G.conversions.f16, "float16", "f16");
  });

  it("float32 -> bfloat16 and float16 through tensors, and back", () => {
    const x = tg.tensor(Float32Array.from(src));
    const b = x.bfloat16();
    const h = x.half();
    expect(b.dtype).toBe("bfloat16");
    expect(h.dtype).toBe("float16");
    expectWords(wordsOf(b), G.conversions.bf16, "bfloat16", "bf16");
    expectWords(wordsOf(h), G.conversions.f16, "float16", "f16");
    expectWords(wordsOf(x.to("bfloat16")), G.conversions.bf16, "bfloat16", "to(bf16)");
    expectClose(Array.from(b.float().toArray()), G.conversions.bf16_to_f32.map(f32), { bitwise: true }, "bf16 -> f32");
    expectClose(Array.from(h.float().toArray()), G.conversions.f16_to_f32.map(f32), { bitwise: true }, "f16 -> f32");
  });

  it("float64 rounds to float32 first, as PyTorch's static_cast does", () => {
    const x = tg.tensor(G.from64.f64, { dtype: "float64" });
    expectWords(wordsOf(x.bfloat16()), G.from64.bf16, "bfloat16", "f64 -> bf16");
    expectWords(wordsOf(x.half()), G.from64.f16, "float16", "f64 -> f16");
  });

  it("strided views convert element by element", () => {
    const x = tg.tensor([[1, 2, 3], [4.5, 5.5, 6.5]]).t();
    expect(x.bfloat16().tolist()).toEqual([[1, 4.5], [2, 5.5], [3, 6.5]]);
    expect(x.half().float().t().tolist()).toEqual([[1, 2, 3], [4.5, 5.5, 6.5]]);
  });
});

/** One bfloat16 / float16 unit in the last place, relative. */
const ULP: Record<string, number> = { bfloat16: 2 ** -7, float16: 2 ** -10 };
/** Ops whose float32 result is exactly rounded either way: PyTorch's bits exactly. */
const EXACT = new Set([
  "neg", "abs", "relu", "floor", "round", "sign", "square", "add", "sub", "mul", "div", "maximum", "minimum", "add_bcast",
  "mul_scalar", "add_scalar", "div_scalar", "amax_dim1", "amin_dim0", "max", "where", "clamp", "sqrt", "reciprocal",
]);

const ROW_SUMS = new Set(["log_softmax", "softmax", "logsumexp", "sum", "sum_dim0", "sum_dim1", "mean", "mean_dim1", "cumsum"]);

describe("ops on 16-bit inputs compute in float32 and round, as PyTorch's CPU kernels", () => {
  const call: Record<string, (xs: tg.Tensor[], s: number | null) => tg.Tensor> = {
    gelu: ([x]) => tg.nn.functional.gelu(x),
    silu: ([x]) => tg.nn.functional.silu(x),
    add: ([a, b]) => a.add(b),
    add_bcast: ([a, b]) => a.add(b),
    sub: ([a, b]) => a.sub(b),
    mul: ([a, b]) => a.mul(b),
    div: ([a, b]) => a.div(b),
    maximum: ([a, b]) => tg.maximum(a, b),
    minimum: ([a, b]) => tg.minimum(a, b),
    atan2: ([a, b]) => tg.atan2(a, b),
    pow: ([a, b]) => a.pow(b),
    mul_scalar: ([a], s) => a.mul(s!),
    add_scalar: ([a], s) => a.add(s!),
    div_scalar: ([a], s) => a.div(s!),
    sum: ([x]) => x.sum(),
    sum_dim0: ([x]) => x.sum(0),
    sum_dim1: ([x]) => x.sum(1),
    mean: ([x]) => x.mean(),
    mean_dim1: ([x]) => x.mean(1),
    amax_dim1: ([x]) => x.max(1).values,
    amin_dim0: ([x]) => x.min(0).values,
    max: ([x]) => x.max(),
    softmax: ([x]) => tg.softmax(x, 1),
    log_softmax: ([x]) => tg.logSoftmax(x, 1),
    logsumexp: ([x]) => tg.logsumexp(x, 1),
    matmul: ([a, b]) => tg.matmul(a, b),
    cumsum: ([x]) => tg.cumsum(x, 1),
    where: ([a, b]) => tg.where(a.gt(0), a, b),
    clamp: ([x]) => tg.clamp(x, -0.5, 0.7),
  };
  for (const c of G.ops) {
    const dt = c.out.dtype;
    it(`${c.name}${c.scalar === null ? "" : `(${c.scalar})`} on ${c.inputs[0].dtype}`, () => {
      const xs = c.inputs.map(build);
      const fn = call[c.name] ?? (([x]: tg.Tensor[]) => (x as unknown as Record<string, () => tg.Tensor>)[c.name]());
      const y = fn(xs, c.scalar);
      expect(y.dtype).toBe(dt);
      expect(y.shape).toEqual(c.out.shape);
      // PyTorch 1.13's bfloat16 matmul (outside oneDNN) rounds partial sums to bfloat16; tensorgrad
      // accumulates in float32 as its autocast does, so the reference is the float64 product, rounded once.
      if (c.name === "matmul") {
        const ref = tg.matmul(xs[0].double(), xs[1].double());
        expectClose(Array.from(y.toArray()), Array.from(ref.toArray()), { rtol: ULP[dt] / 2, atol: 1e-6 }, c.name);
      } else if (EXACT.has(c.name)) expectWords(wordsOf(y), c.out.words!, dt as "bfloat16", c.name);
      // PyTorch 1.13's 16-bit gelu rounds its intermediates: near zero it is off by a few ulps.
      else if (c.name === "gelu") expectClose(Array.from(y.toArray()), values(c.out), { rtol: 4 * ULP[dt], atol: 2 ** -8 }, c.name);
      // PyTorch's bfloat16 log_softmax rounds x − max to bfloat16 first: an absolute error of the inputs' ulp.
      else if (c.name === "log_softmax") expectClose(Array.from(y.toArray()), values(c.out), { rtol: 2 * ULP[dt], atol: 2 * ULP[dt] }, c.name);
      // Sums over a row: the float32 accumulation order differs, then one more rounding.
      else if (ROW_SUMS.has(c.name)) expectClose(Array.from(y.toArray()), values(c.out), { rtol: 2 * ULP[dt], atol: 1e-6 }, c.name);
      else expectClose(Array.from(y.toArray()), values(c.out), { rtol: ULP[dt], atol: 1e-6 }, c.name);
    });
  }
});

describe("printing", () => {
  for (const p of G.printed) {
    it(p.repr, () => {
      const t = build(p.value);
      if (p.requiresGrad) t.requiresGrad_();
      expect(String(t)).toBe(p.repr);
    });
  }
});

describe("type promotion", () => {
  it("promoteTypes between every pair, as torch.promote_types", () => {
    for (const r of G.promotion) {
      const got = tg.ones([2], { dtype: r.a }).add(tg.ones([2], { dtype: r.b }));
      if (r.a !== "bool" || r.b !== "bool") expect(`${r.a}+${r.b} -> ${got.dtype}`).toBe(`${r.a}+${r.b} -> ${r.out}`);
    }
  });

  it("numbers and 0-d tensors take part as in PyTorch's result_type", () => {
    for (const r of G.scalarPromotion) {
      const a = tg.ones([2], { dtype: r.a });
      const got = r.zeroDim !== undefined ? a.add(tg.ones([], { dtype: r.zeroDim })) : a.add(r.scalar as number);
      expect(`${r.a} + ${String(r.zeroDim ?? r.scalar)} -> ${got.dtype}`).toBe(`${r.a} + ${String(r.zeroDim ?? r.scalar)} -> ${r.out}`);
    }
  });
});

describe("dtype plumbing", () => {
  it("tensor(), full(), zeros(), rand() and item() in 16-bit dtypes", () => {
    expect(tg.tensor([0.1], { dtype: "bfloat16" }).item()).toBe(numberFromBf16(bf16FromNumber(0.1)));
    expect(tg.full([2], 0.1, { dtype: "float16" }).tolist()).toEqual([numberFromF16(f16FromNumber(0.1)), numberFromF16(f16FromNumber(0.1))]);
    expect(tg.zeros([3], { dtype: "bfloat16" }).sum().item()).toBe(0);
    const r = tg.rand([100], { dtype: "bfloat16" });
    expect(r.dtype).toBe("bfloat16");
    expect(r.min().item() >= 0 && r.max().item() <= 1).toBe(true);
    expect(tg.tensor(2.5).to("half" as "float16").dtype).toBe("float16");
  });

  it("autograd runs in the 16-bit dtype: gradients have the input's dtype", () => {
    const x = tg.tensor([[0.5, -1.25, 2], [1, 0.25, -0.75]], { dtype: "bfloat16", requiresGrad: true });
    const w = tg.tensor([[1, 2], [3, 4], [5, 6]], { dtype: "bfloat16", requiresGrad: true });
    const y = tg.matmul(x, w).tanh().mul(x.sum(1, true)).sum();
    y.backward();
    expect(y.dtype).toBe("bfloat16");
    expect(x.grad!.dtype).toBe("bfloat16");
    expect(w.grad!.dtype).toBe("bfloat16");
    // The same graph in float64 from the same values: the 16-bit gradients are within bfloat16 rounding.
    const x64 = x.detach().double().requiresGrad_();
    const w64 = w.detach().double().requiresGrad_();
    tg.matmul(x64, w64).tanh().mul(x64.sum(1, true)).sum().backward();
    expectClose(Array.from(x.grad!.toArray()), Array.from(x64.grad!.toArray()), { rtol: 2 ** -6, atol: 2 ** -6 }, "x.grad");
    expectClose(Array.from(w.grad!.toArray()), Array.from(w64.grad!.toArray()), { rtol: 2 ** -6, atol: 2 ** -6 }, "w.grad");
  });

  it("half(), bfloat16() and to() keep the graph (ToCopyBackward0)", () => {
    const x = tg.tensor([1.5, -2], { requiresGrad: true });
    const y = x.bfloat16().mul(3).half().float().sum();
    y.backward();
    expect(x.grad!.dtype).toBe("float32");
    expect(Array.from(x.grad!.toArray())).toEqual([3, 3]);
  });

  it("Module.to converts floating parameters only", () => {
    const m = new tg.nn.Linear(3, 2);
    m.to("bfloat16");
    expect(m.weight.dtype).toBe("bfloat16");
    expect(m.bias!.dtype).toBe("bfloat16");
    const out = m.forward(tg.randn([4, 3]).bfloat16());
    expect(out.dtype).toBe("bfloat16");
    m.to("float32");
    expect(m.weight.dtype).toBe("float32");
    expect(() => m.to("int32")).toThrow("nn.Module.to only accepts floating point dtypes");
  });

  it("conv, pooling, sort and losses accept 16-bit inputs", () => {
    const x = tg.randn([1, 2, 5, 5]).bfloat16();
    const w = tg.randn([3, 2, 3, 3]).bfloat16();
    const y = tg.nn.functional.conv2d(x, w);
    expect(y.dtype).toBe("bfloat16");
    const y32 = tg.nn.functional.conv2d(x.float(), w.float());
    expectClose(Array.from(y.toArray()), Array.from(y32.toArray()), { rtol: 2 ** -8, atol: 1e-6 }, "conv2d");
    expect(tg.nn.functional.maxPool2d(x, 2).dtype).toBe("bfloat16");
    const s = tg.sort(tg.tensor([3, -1, 2], { dtype: "float16" }));
    expect(s.values.tolist()).toEqual([-1, 2, 3]);
    expect(s.values.dtype).toBe("float16");
    const logits = tg.randn([4, 5]).bfloat16();
    expect(tg.nn.functional.crossEntropy(logits, tg.tensor([0, 1, 2, 3], { dtype: "int32" })).dtype).toBe("bfloat16");
  });
});
