/**
 * The bfloat16 kernels, native against TypeScript: the bfloat16 GEMM (float32 accumulation, so only the order
 * of the sums differs) and the float32 <-> bfloat16/float16 conversions (bit for bit). The GEMM at each x86
 * TENSORGRAD_CPU level is checked in test/backend/isa/bf16-levels.test.ts.
 */
import { describe, expect, it } from "vitest";
import type { GemmBf16Args } from "../../../ts/backend/js/gemm-bf16";
import type { View } from "../../../ts/backend/types";
import { bf16FromNumber, f16FromNumber } from "../../../ts/backend/half";
import { nativeAddon } from "../../../ts/backend/native";
import { js, native, noAddon } from "../../support/backends";
import { expectClose } from "../../support/close";
import { Rng } from "../../support/rng";

function randomWords(n: number, rng: Rng): Uint16Array {
  const w = new Uint16Array(n);
  for (let i = 0; i < n; i++) w[i] = bf16FromNumber((rng.next() - 0.5) * 4);
  return w;
}

describe.skipIf(noAddon)("parity: bfloat16 GEMM and 16-bit conversions (native vs js)", () => {
  it("gemmBf16: transposes, alpha/beta, padded ld, batches, offsets, edge sizes", () => {
    const rng = new Rng(16);
    const sizes = [0, 1, 2, 3, 7, 13, 16, 17, 31, 32, 33, 64, 100];
    for (let t = 0; t < 150; t++) {
      const m = rng.pick(sizes), n = rng.pick(sizes), k = rng.pick(sizes);
      const transA = rng.next() < 0.5, transB = rng.next() < 0.5;
      const batch = rng.pick([1, 1, 2, 3]);
      const [ar, ac] = transA ? [k, m] : [m, k];
      const [br, bc] = transB ? [n, k] : [k, n];
      const lda = Math.max(1, ac + rng.int(0, 3)), ldb = Math.max(1, bc + rng.int(0, 3)), ldc = Math.max(1, n + rng.int(0, 3));
      const strideA = rng.next() < 0.2 ? 0 : ar * lda + rng.int(0, 2);
      const strideB = rng.next() < 0.2 ? 0 : br * ldb + rng.int(0, 2);
      const strideC = m * ldc + rng.int(0, 2);
      const aOffset = rng.int(0, 4), bOffset = rng.int(0, 4), cOffset = rng.int(0, 4);
      const a = randomWords(aOffset + batch * (strideA + ar * lda) + 1, rng);
      const b = randomWords(bOffset + batch * (strideB + br * ldb) + 1, rng);
      const c = new Float32Array(cOffset + batch * strideC + m * ldc + 1).map(() => rng.next() - 0.5);
      const alpha = rng.pick([1, 0.5, -2]), beta = rng.pick([0, 1, 0.25]);
      if (beta === 0 && c.length > 3) c[cOffset] = NaN; // beta = 0 must ignore NaN in C
      const args = (cc: Float32Array): GemmBf16Args => ({
        transA, transB, m, n, k, alpha, beta, a, aOffset, lda, b, bOffset, ldb, c: cc, cOffset, ldc, batch, strideA, strideB, strideC,
      });
      const c1 = c.slice(), c2 = c.slice();
      js.gemmBf16(args(c1));
      native!.gemmBf16(args(c2));
      // |products| ≤ 4, exact in float32: sums of k of them differ by accumulation order only.
      expectClose(c2, c1, { rtol: 1e-5, atol: 4e-7 * (k + 1) * Math.abs(alpha) }, `gemmBf16 m=${m} n=${n} k=${k} tA=${transA} tB=${transB} batch=${batch}`);
    }
  });

  it("toHalf / fromHalf match the TypeScript conversions bit for bit (NaN for NaN)", () => {
    const A = nativeAddon()!;
    const rng = new Rng(17);
    const bits = new Uint32Array(5000);
    for (let i = 0; i < bits.length; i++) bits[i] = Math.floor(rng.next() * 2 ** 32) >>> 0;
    const specials = [0, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000, 0x00000001, 0x00800000, 0x33800000, 0x33800001, 0x387fe000, 0x477fe000, 0x477ff000, 0x3f808000, 0x3f818000, 0x7f7f8000];
    bits.set(specials);
    const x = new Float32Array(bits.buffer);
    for (const [code, dt, ref] of [[4, "bfloat16", bf16FromNumber], [5, "float16", f16FromNumber]] as const) {
      for (const off of [0, 3]) {
        const n = x.length - off;
        const words = new Uint16Array(n + 2);
        A.toHalf(x, off, words, 1, n, code);
        for (let i = 0; i < n; i++) {
          const want = ref(x[off + i]);
          const got = words[1 + i];
          const isNan = (w: number) => (dt === "bfloat16" ? (w & 0x7f80) === 0x7f80 && (w & 0x7f) !== 0 : (w & 0x7c00) === 0x7c00 && (w & 0x3ff) !== 0);
          if (got !== want && !(isNan(got) && isNan(want))) expect(`${dt} of 0x${bits[off + i].toString(16)}: 0x${got.toString(16)}`).toBe(`${dt} of 0x${bits[off + i].toString(16)}: 0x${want.toString(16)}`);
        }
        const back = new Float32Array(n);
        A.fromHalf(words, 1, back, 0, n, code);
        const expected = Array.from(words.subarray(1, n + 1), (w) => (dt === "bfloat16" ? new Float32Array(new Uint32Array([w << 16]).buffer)[0] : numberF16(w)));
        expectClose(back, expected, { bitwise: false, rtol: 0, atol: 0 }, `${dt} -> float32`);
      }
    }
    expect(() => A.toHalf(x, 0, new Uint16Array(3), 0, 4, 4)).toThrow(/dst: elements \[0, 4\) lie outside its 3/);
    expect(() => A.fromHalf(new Uint16Array(3), 0, new Float32Array(3), 0, 3, 2)).toThrow(/code/);
    expect(() => A.gemmBf16(new Uint16Array(4), new Float32Array(4) as unknown as Uint16Array, new Float32Array(4), new Float64Array(17))).toThrow(/b must be a Uint16Array/);
  });
});

describe.skipIf(noAddon)("parity: 16-bit elementwise and reductions (native converts on the addon, computes in float32)", () => {
  const rng = new Rng(18);
  const shape = [64, 300];
  const n = shape[0] * shape[1];
  for (const dt of ["bfloat16", "float16"] as const) {
    const enc = dt === "bfloat16" ? bf16FromNumber : f16FromNumber;
    const words = (scale: number) => Uint16Array.from({ length: n }, () => enc((rng.next() - 0.5) * scale));
    const view = (data: Uint16Array, t = false): View =>
      t ? { data, dtype: dt, offset: 0, shape: [shape[1], shape[0]], strides: [1, shape[1]] } : { data, dtype: dt, offset: 0, shape, strides: [shape[1], 1] };
    const decode = (w: Uint16Array) => Array.from(w, (v) => (dt === "bfloat16" ? new Float32Array(new Uint32Array([v << 16]).buffer)[0] : numberF16(v)));
    const tol = { rtol: dt === "bfloat16" ? 2 ** -8 : 2 ** -11, atol: 1e-30 };
    it(`${dt}: unary, binary, where, fill, sum/max and argmax on contiguous and transposed views`, () => {
      const a = words(6), b = words(6);
      for (const t of [false, true]) {
        const outShape = t ? [shape[1], shape[0]] : shape;
        const fresh = (): View => ({ data: new Uint16Array(n), dtype: dt, offset: 0, shape: outShape, strides: [outShape[1], 1] });
        for (const op of ["relu", "tanh", "exp", "neg", "copy"] as const) {
          const o1 = fresh(), o2 = fresh();
          js.unary(op, view(a, t), o1);
          native!.unary(op, view(a, t), o2);
          expectClose(decode(o2.data as Uint16Array), decode(o1.data as Uint16Array), tol, `${dt} ${op} t=${t}`);
        }
        for (const op of ["add", "mul", "div"] as const) {
          const o1 = fresh(), o2 = fresh();
          js.binary(op, view(a, t), view(b, t), o1);
          native!.binary(op, view(a, t), view(b, t), o2);
          expectClose(decode(o2.data as Uint16Array), decode(o1.data as Uint16Array), tol, `${dt} ${op} t=${t}`);
        }
        for (const op of ["sum", "max"] as const) {
          const r1 = new Uint16Array(outShape[0]), r2 = new Uint16Array(outShape[0]);
          js.reduce(op, view(a, t), 1, r1);
          native!.reduce(op, view(a, t), 1, r2);
          expectClose(decode(r2), decode(r1), { rtol: 2 * tol.rtol, atol: 1e-6 }, `${dt} ${op} t=${t}`);
        }
        const i1 = new Int32Array(outShape[0]), i2 = new Int32Array(outShape[0]);
        js.argReduce("argmax", view(a, t), i1, null);
        native!.argReduce("argmax", view(a, t), i2, null);
        expect(Array.from(i2)).toEqual(Array.from(i1));
        const f1 = fresh(), f2 = fresh();
        js.fill(f1, 0.1);
        native!.fill(f2, 0.1);
        expect(Array.from(f2.data)).toEqual(Array.from(f1.data));
        expect(f1.data[0]).toBe(enc(0.1));
      }
    });
  }
});

function numberF16(h: number): number {
  const exp = (h >>> 10) & 0x1f, man = h & 0x3ff, s = h & 0x8000 ? -1 : 1;
  if (exp === 0) return s * man * 2 ** -24;
  if (exp === 31) return man === 0 ? s * Infinity : NaN;
  return s * (1 + man / 1024) * 2 ** (exp - 15);
}

/** The product at one level, in a fresh process: its bf16Level and the worst error against float64 sums. */
