/**
 * Misuse of every addon entry point must throw a JS TypeError/RangeError, never crash. These calls only
 * reach argument checking (no kernel runs on bad input), so they are safe to make in the test process.
 */
import { BINARY_OP_NAMES, UNARY_OP_NAMES } from "../../../ts/backend/op-table";
import { resolve as resolvePath } from "node:path";
import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { loadNativeBackend, nativeAddon } from "../../../ts/backend/native";

const addon = nativeAddon();
// Arguments are deliberately wrong, so the addon is used untyped here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const A = addon as unknown as Record<string, (...args: unknown[]) => unknown>;

const f32 = (n: number): Float32Array => new Float32Array(n);
/** meta for one-dim views: [1, n, then dtype code (float32 unless given), offset, stride per view] */
const meta1 = (n: number, ...views: ([number, number] | [number, number, number])[]): Float64Array =>
  new Float64Array([1, n, ...views.flatMap(([o, s, code = 0]) => [code, o, s])]);

function detached(n: number): Float32Array {
  const buf = new ArrayBuffer(n * 4);
  const a = new Float32Array(buf);
  structuredClone(buf, { transfer: [buf] });
  return a;
}

function throwsJs(fn: () => unknown, kind: typeof TypeError | typeof RangeError, pattern?: RegExp): void {
  expect(fn).toThrow(kind);
  if (pattern) expect(fn).toThrow(pattern);
}

describe.skipIf(addon === null)("native addon: argument checking", () => {
  it("unary rejects wrong kinds, bad ops, bad metadata and out-of-bounds views", () => {
    const x = f32(8), o = f32(8);
    throwsJs(() => A.unary(1, x, o), TypeError, /expected 4 arguments/);
    throwsJs(() => A.unary(UNARY_OP_NAMES.length, x, o, meta1(8, [0, 1], [0, 1])), RangeError, /op/);
    throwsJs(() => A.unary(1.5, x, o, meta1(8, [0, 1], [0, 1])), RangeError);
    throwsJs(() => A.unary("neg", x, o, meta1(8, [0, 1], [0, 1])), TypeError);
    throwsJs(() => A.unary(1, [1, 2], o, meta1(2, [0, 1], [0, 1])), TypeError, /typed array/);
    throwsJs(() => A.unary(1, new Int32Array(8), o, meta1(8, [0, 1], [0, 1])), TypeError, /Float32Array or Float64Array/);
    throwsJs(() => A.unary(1, new Uint8ClampedArray(8), o, meta1(8, [0, 1], [0, 1])), TypeError);
    throwsJs(() => A.unary(1, new DataView(new ArrayBuffer(32)), o, meta1(8, [0, 1], [0, 1])), TypeError);
    throwsJs(() => A.unary(1, x, new Float64Array(8), meta1(8, [0, 1], [0, 1])), TypeError, /dtype code 0 does not match its Float64Array/);
    throwsJs(() => A.unary(1, x, o, new Float64Array([1, 8, 0, 0, 1, 1, 0, 1])), TypeError, /dtype code 1 does not match its Float32Array/);
    throwsJs(() => A.unary(1, x, o, new Float64Array([1, 8, 4, 0, 1, 0, 0, 1])), TypeError, /dtype code 4/);
    throwsJs(() => A.unary(1, x, o, new Float64Array([1, 8, 9, 0, 1, 0, 0, 1])), RangeError, /dtype/);
    throwsJs(() => A.unary(1, x, o, new Float32Array([1, 8, 0, 0, 1, 0, 0, 1])), TypeError, /Float64Array/);
    throwsJs(() => A.unary(1, x, o, meta1(9, [0, 1], [0, 1])), RangeError, /buffer holds 8/);
    throwsJs(() => A.unary(1, x, o, meta1(8, [1, 1], [0, 1])), RangeError);
    throwsJs(() => A.unary(1, x, o, meta1(4, [0, 3], [0, 1])), RangeError);
    throwsJs(() => A.unary(1, x, o, meta1(4, [7, -3], [0, 1])), RangeError); // reaches −2
    throwsJs(() => A.unary(1, x, o, meta1(-1, [0, 1], [0, 1])), RangeError, /shape/);
    throwsJs(() => A.unary(1, x, o, meta1(2.5, [0, 1], [0, 1])), RangeError);
    throwsJs(() => A.unary(1, x, o, meta1(NaN, [0, 1], [0, 1])), RangeError);
    throwsJs(() => A.unary(1, x, o, meta1(8, [0, Infinity], [0, 1])), RangeError);
    throwsJs(() => A.unary(1, x, o, meta1(8, [-1, 1], [0, 1])), RangeError, /offset/);
    throwsJs(() => A.unary(1, x, o, new Float64Array([1, 8, 0])), RangeError, /too short/);
    throwsJs(() => A.unary(1, x, o, new Float64Array([17])), RangeError, /ndim/);
    throwsJs(() => A.unary(1, x, o, new Float64Array([2, 2 ** 40, 2 ** 40, 0, 0, 0, 0, 0, 0])), RangeError);
    throwsJs(() => A.unary(1, x, o, new Float64Array([2, 2, 4, 0, 2 ** 60, 1, 0, 4, 1])), RangeError);
    throwsJs(() => A.unary(1, detached(8), o, meta1(8, [0, 1], [0, 1])), TypeError, /detached/);
    throwsJs(() => A.unary(1, x, detached(8), meta1(0, [0, 1], [0, 1])), TypeError, /detached/);
    throwsJs(() => A.unary(1, x, o, meta1(8, [0, 1], [0, 1]), "p0"), TypeError, /p0/);
    // empty views may sit at the end of the buffer, not past it
    expect(() => A.unary(1, x, o, meta1(0, [8, 1], [8, 1]))).not.toThrow();
    throwsJs(() => A.unary(1, x, o, meta1(0, [9, 1], [0, 1])), RangeError);
  });

  it("binary, where and fill check dtypes, outputs and bounds", () => {
    const a = f32(6), b = f32(6), o = f32(6), m = meta1(6, [0, 1], [0, 0], [0, 1]);
    expect(() => A.binary(0, a, b, o, m, 0)).not.toThrow();
    throwsJs(() => A.binary(BINARY_OP_NAMES.length, a, b, o, m), RangeError);
    throwsJs(() => A.binary(0, a, new Float64Array(6), o, m), TypeError, /dtype code 0 does not match its Float64Array/);
    throwsJs(() => A.binary(7, a, b, o, m), TypeError, /Uint8Array/); // comparison into a float out
    throwsJs(() => A.binary(0, a, b, new Uint8Array(6), m), TypeError);
    throwsJs(() => A.binary(0, a, b, o, meta1(6, [0, 1], [1, 1], [0, 1])), RangeError, /b:/);
    throwsJs(() => A.binary(0, a, b, o, meta1(6, [0, 1], [0, 0], [0, 2])), RangeError, /out:/);
    throwsJs(() => A.binary(0, a, b, o, m, {}), TypeError);
    throwsJs(() => A.binary(0, a, b, detached(6), m), TypeError, /detached/);
    const c = new Uint8Array(6), wm = meta1(6, [0, 1, 3], [0, 1], [0, 1], [0, 1]);
    expect(() => A.where(c, a, b, o, wm)).not.toThrow();
    throwsJs(() => A.where(f32(6), a, b, o, wm), TypeError, /Uint8Array/);
    throwsJs(() => A.where(new Uint8Array(5), a, b, o, wm), RangeError, /cond/);
    throwsJs(() => A.where(c, a, new Float64Array(6), o, wm), TypeError);
    throwsJs(() => A.fill(o, meta1(7, [0, 1]), 1), RangeError);
    throwsJs(() => A.fill(new Int32Array(6), meta1(6, [0, 1]), 1), TypeError);
    throwsJs(() => A.fill(o, meta1(6, [0, 1]), "1"), TypeError);
  });

  it("reduce, argReduce and softmax check outputs and sizes", () => {
    const x = f32(12), m = new Float64Array([2, 3, 4, 0, 0, 4, 1]);
    expect(() => A.reduce(0, x, m, 1, f32(3))).not.toThrow();
    throwsJs(() => A.reduce(0, x, m, 1, f32(2)), RangeError, /out/);
    throwsJs(() => A.reduce(0, x, m, 3, f32(3)), RangeError, /nReduced/);
    throwsJs(() => A.reduce(0, x, m, -1, f32(3)), RangeError);
    throwsJs(() => A.reduce(4, x, m, 1, f32(3)), RangeError);
    throwsJs(() => A.reduce(0, x, m, 1, new Float64Array(3)), TypeError);
    throwsJs(() => A.reduce(2, x, new Float64Array([2, 3, 0, 0, 0, 1, 1]), 1, f32(3)), RangeError, /empty/);
    throwsJs(() => A.reduce(0, x, new Float64Array([2, 3, 4, 0, 0, 5, 1]), 1, f32(3)), RangeError);
    expect(() => A.argReduce(true, x, m, new Int32Array(3), null)).not.toThrow();
    throwsJs(() => A.argReduce(true, x, m, new Int32Array(2), null), RangeError, /indices/);
    throwsJs(() => A.argReduce(true, x, m, f32(3), null), TypeError, /Int32Array/);
    throwsJs(() => A.argReduce(true, x, m, new Int32Array(3), new Float64Array(3)), TypeError);
    throwsJs(() => A.argReduce(true, x, m, new Int32Array(3), f32(2)), RangeError);
    throwsJs(() => A.argReduce(1, x, m, new Int32Array(3), null), TypeError, /boolean/);
    throwsJs(() => A.argReduce(true, x, new Float64Array([0, 0, 0]), new Int32Array(1), null), RangeError);
    throwsJs(() => A.argReduce(true, x, new Float64Array([1, 0, 0, 0, 1]), new Int32Array(1), null), RangeError, /empty/);
    expect(() => A.softmax(x, 0, 3, 4, 1, false, f32(12))).not.toThrow();
    throwsJs(() => A.softmax(x, 1, 3, 4, 1, false, f32(12)), RangeError, /x:/);
    throwsJs(() => A.softmax(x, 0, 3, 4, 1, false, f32(11)), RangeError, /out/);
    throwsJs(() => A.softmax(x, 0, -3, 4, 1, false, f32(12)), RangeError);
    throwsJs(() => A.softmax(x, 0, 2 ** 40, 2 ** 40, 1, false, f32(12)), RangeError, /overflow/);
    throwsJs(() => A.softmax(x, 0, 3, 4, 1, 0, f32(12)), TypeError);
    throwsJs(() => A.softmax(x, 0, 3, 4, 1, false, new Float64Array(12)), TypeError);
  });

  it("gemm checks leading dimensions, bounds, batch overlap and dtypes", () => {
    // [transA, transB, m, n, k, alpha, beta, aOff, lda, bOff, ldb, cOff, ldc, batch, sA, sB, sC]
    const g = (over: Record<number, number>): Float64Array => {
      const m = new Float64Array([0, 0, 2, 3, 4, 1, 0, 0, 4, 0, 3, 0, 3, 1, 0, 0, 0]);
      for (const [i, v] of Object.entries(over)) m[Number(i)] = v;
      return m;
    };
    const a = f32(8), b = f32(12), c = f32(6);
    expect(() => A.gemm(a, b, c, g({}))).not.toThrow();
    throwsJs(() => A.gemm(a, b, c, g({ 8: 3 })), RangeError, /leading dimension/);
    throwsJs(() => A.gemm(a, b, c, g({ 7: 1 })), RangeError, /a:/);
    throwsJs(() => A.gemm(a, f32(11), c, g({})), RangeError, /b:/);
    throwsJs(() => A.gemm(a, b, c, g({ 11: 1 })), RangeError, /c:/);
    throwsJs(() => A.gemm(a, b, c, g({ 2: -1 })), RangeError);
    throwsJs(() => A.gemm(a, b, c, g({ 0: 2 })), RangeError);
    throwsJs(() => A.gemm(a, b, c, g({ 12: 0 })), RangeError);
    throwsJs(() => A.gemm(a, b, f32(12), g({ 13: 2, 16: 3 })), RangeError, /overlap/);
    throwsJs(() => A.gemm(a, b, c, g({ 13: 2, 16: 6 })), RangeError, /c:/);
    throwsJs(() => A.gemm(a, b, new Float64Array(6), g({})), TypeError);
    throwsJs(() => A.gemm(a, b, c, g({}).subarray(0, 16)), RangeError, /too short/);
    throwsJs(() => A.gemm(a, b, detached(6), g({})), TypeError, /detached/);
    // k = 0 reads nothing of A and B
    expect(() => A.gemm(f32(0), f32(0), c, g({ 4: 0, 8: 1, 10: 3 }))).not.toThrow();
  });

  it("sgdStep, adamStep and the thread settings check their arguments", () => {
    const p = f32(5), sm = new Float64Array([0.1, 0.9, 0, 0, 0, 0, 1]);
    expect(() => A.sgdStep(p, f32(5), f32(5), sm)).not.toThrow();
    throwsJs(() => A.sgdStep(p, f32(4), f32(5), sm), RangeError, /grad/);
    throwsJs(() => A.sgdStep(p, f32(5), null, sm), TypeError, /momentumBuf/);
    throwsJs(() => A.sgdStep(p, f32(5), new Float64Array(5), sm), TypeError);
    throwsJs(() => A.sgdStep(p, f32(5), f32(5), new Float64Array([0.1, 0.9, 0, 0, 2, 0, 1])), RangeError, /nesterov/);
    throwsJs(() => A.sgdStep(p, f32(5), f32(5), new Float64Array(3)), RangeError, /too short/);
    const am = new Float64Array([1e-3, 0.9, 0.999, 1e-8, 0, 0, 1, 0, 1]);
    expect(() => A.adamStep(p, f32(5), f32(5), f32(5), f32(5), am)).not.toThrow();
    throwsJs(() => A.adamStep(p, f32(5), f32(5), f32(5), null, am), TypeError, /maxExpAvgSq/);
    throwsJs(() => A.adamStep(p, f32(5), f32(6), f32(5), f32(5), am), RangeError, /expAvg/);
    throwsJs(() => A.adamStep(p, f32(5), f32(5), detached(5), f32(5), am), TypeError, /detached/);
    throwsJs(() => A.setNumThreads(0), RangeError);
    throwsJs(() => A.setNumThreads(1.5), RangeError);
    throwsJs(() => A.setNumThreads("2"), TypeError);
    expect(typeof A.cpuLevel()).toBe("string");
  });
});

describe.skipIf(addon === null)("native addon: loading", () => {
  it("loadNativeBackend returns a backend that delegates int32 work to the TS kernels", () => {
    const r = loadNativeBackend();
    if (!("backend" in r)) throw new Error(r.error);
    const a = new Int32Array([1, 2, 3]), o = new Int32Array(3);
    const v = (d: Int32Array) => ({ data: d, dtype: "int32" as const, offset: 0, shape: [3], strides: [1] });
    r.backend.binary("add", v(a), v(a), v(o));
    expect(Array.from(o)).toEqual([2, 4, 6]);
  });

  it("loads and runs in worker_threads (context-aware)", async () => {
    const code = `
      const { parentPort, workerData } = require("node:worker_threads");
      const a = require(workerData);
      const x = new Float32Array([1, -2, 3]), o = new Float32Array(3);
      a.unary(14, x, o, new Float64Array([1, 3, 0, 0, 1, 0, 0, 1]), NaN, NaN);
      parentPort.postMessage(Array.from(o));`;
    const path = require.resolve("node-gyp-build");
    const file = require(path).path(process.cwd());
    const run = () =>
      new Promise<number[]>((resolve, reject) => {
        const w = new Worker(code, { eval: true, workerData: process.env.TENSORGRAD_NATIVE_PATH ? resolvePath(process.env.TENSORGRAD_NATIVE_PATH) : file });
        w.once("message", resolve);
        w.once("error", reject);
      });
    const results = await Promise.all([run(), run()]);
    for (const r of results) expect(r).toEqual([1, 0, 3]);
  });
});
