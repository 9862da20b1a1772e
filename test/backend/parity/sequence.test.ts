/**
 * Parity of the native sequence kernels (LayerNorm forward/backward, LSTM/GRU step forward/backward) with the
 * TypeScript ones over random shapes — 0, 1, odd and large row counts and widths, input offsets, with and
 * without weight/bias, null incoming gradients — float32/float64, one and two threads; then misuse of the raw
 * addon functions: clear JS errors, never a crash or an out-of-bounds read.
 */
import { afterAll, describe, expect, it } from "vitest";
import { loadAddon, type NativeAddon } from "../../../ts/backend/native/addon";
import type { FloatArray } from "../../../ts/backend/types";
import { js, native, noAddon } from "../../support/backends";
import { expectClose } from "../../support/close";
import { Rng } from "../../support/rng";
import { getNumThreads, setNumThreads } from "../../../ts/index";

const loaded = loadAddon();
const addon: NativeAddon | null = "addon" in loaded ? loaded.addon : null;

type Dt = "float32" | "float64";
const TOL = { float32: { rtol: 1e-6, atol: 1e-6 }, float64: { rtol: 1e-13, atol: 1e-13 } };
const make = (dt: Dt, n: number): FloatArray => (dt === "float32" ? new Float32Array(n) : new Float64Array(n));
const rand = (dt: Dt, n: number, rng: Rng, scale = 1): FloatArray => make(dt, n).map(() => rng.normal() * scale);
const copy = (a: FloatArray | null): FloatArray | null => (a === null ? null : a.slice());

/** Sizes that exercise the edges: 0, 1, odd, and large enough to be split across threads. */
function size(rng: Rng, large: number): number {
  return rng.pick([0, 1, 2, 3, 7, 17, 33, rng.int(1, 64), large]);
}

describe.skipIf(noAddon)("native sequence kernels match the TypeScript kernels", () => {
  const threads0 = getNumThreads();
  afterAll(() => setNumThreads(threads0));

  for (const threads of [1, 2]) {
    for (const dt of ["float32", "float64"] as const) {
      it(`layerNorm and its backward, 120 random shapes, ${dt}, ${threads} thread(s)`, () => {
        setNumThreads(threads);
        const rng = new Rng(threads * 10 + (dt === "float32" ? 1 : 2));
        for (let t = 0; t < 120; t++) {
          const rows = size(rng, 700), cols = size(rng, 300);
          const xo = rng.int(0, 3), go = rng.int(0, 3);
          // An offset mean makes the two-pass variance matter.
          const x = rand(dt, xo + rows * cols, rng, 2).map((v) => v + 3);
          const w = rng.next() < 0.7 ? rand(dt, cols, rng) : null;
          const b = rng.next() < 0.7 ? rand(dt, cols, rng) : null;
          const eps = rng.pick([1e-5, 1e-3]);
          const out = [0, 1].map(() => ({ y: make(dt, rows * cols), mean: make(dt, rows), rstd: make(dt, rows) }));
          js.layerNorm(x, xo, rows, cols, w, b, eps, out[0].y, out[0].mean, out[0].rstd);
          native!.layerNorm(x, xo, rows, cols, w, b, eps, out[1].y, out[1].mean, out[1].rstd);
          const what = `layerNorm ${dt} [${rows}, ${cols}] offset ${xo}${w ? " weight" : ""}${b ? " bias" : ""}`;
          expectClose(out[1].y, out[0].y, TOL[dt], `${what} y`);
          expectClose(out[1].mean, out[0].mean, TOL[dt], `${what} mean`);
          expectClose(out[1].rstd, out[0].rstd, TOL[dt], `${what} rstd`);

          const g = rand(dt, go + rows * cols, rng);
          const wantDx = rng.next() < 0.8, wantDw = w !== null && rng.next() < 0.8, wantDb = rng.next() < 0.7;
          const grads = [0, 1].map(() => ({
            dx: wantDx ? make(dt, rows * cols) : null, dw: wantDw ? make(dt, cols) : null, db: wantDb ? make(dt, cols) : null,
          }));
          js.layerNormBackward(g, go, x, xo, out[0].mean, out[0].rstd, w, rows, cols, grads[0].dx, grads[0].dw, grads[0].db);
          native!.layerNormBackward(g, go, x, xo, out[0].mean, out[0].rstd, w, rows, cols, grads[1].dx, grads[1].dw, grads[1].db);
          // Column sums over many rows: tolerance grows with √rows.
          const sumTol = { rtol: TOL[dt].rtol, atol: TOL[dt].atol * Math.sqrt(rows + 1) };
          if (wantDx) expectClose(grads[1].dx!, grads[0].dx!, TOL[dt], `${what} dx`);
          if (wantDw) expectClose(grads[1].dw!, grads[0].dw!, sumTol, `${what} dweight`);
          if (wantDb) expectClose(grads[1].db!, grads[0].db!, sumTol, `${what} dbias`);
        }
      });

      it(`LSTM step forward and backward, 80 random shapes, ${dt}, ${threads} thread(s)`, () => {
        setNumThreads(threads);
        const rng = new Rng(threads * 10 + (dt === "float32" ? 3 : 4));
        for (let t = 0; t < 80; t++) {
          const n = size(rng, 300), h = size(rng, 200);
          const [ao, bo, co] = [rng.int(0, 3), rng.int(0, 3), rng.int(0, 3)];
          const gi = rand(dt, ao + 4 * n * h, rng, 2), gh = rand(dt, bo + 4 * n * h, rng, 2), c = rand(dt, co + n * h, rng);
          const out = [0, 1].map(() => ({ hy: make(dt, n * h), cy: make(dt, n * h), ws: make(dt, 4 * n * h) }));
          js.lstmCell(gi, ao, gh, bo, c, co, n, h, out[0].hy, out[0].cy, out[0].ws);
          native!.lstmCell(gi, ao, gh, bo, c, co, n, h, out[1].hy, out[1].cy, out[1].ws);
          const what = `lstmCell ${dt} n=${n} h=${h}`;
          expectClose(out[1].hy, out[0].hy, TOL[dt], `${what} hy`);
          expectClose(out[1].cy, out[0].cy, TOL[dt], `${what} cy`);
          expectClose(out[1].ws, out[0].ws, TOL[dt], `${what} workspace`);

          const [ho, ko] = [rng.int(0, 3), rng.int(0, 3)];
          const dh = rng.next() < 0.85 ? rand(dt, ho + n * h, rng) : null, dc = rng.next() < 0.7 ? rand(dt, ko + n * h, rng) : null;
          const back = [0, 1].map(() => ({ dg: make(dt, 4 * n * h), dcp: make(dt, n * h) }));
          js.lstmCellBackward(copy(dh), ho, copy(dc), ko, out[0].ws, c, co, out[0].cy, n, h, back[0].dg, back[0].dcp);
          native!.lstmCellBackward(copy(dh), ho, copy(dc), ko, out[0].ws, c, co, out[0].cy, n, h, back[1].dg, back[1].dcp);
          expectClose(back[1].dg, back[0].dg, TOL[dt], `${what} dgates (dh ${dh ? "given" : "null"}, dc ${dc ? "given" : "null"})`);
          expectClose(back[1].dcp, back[0].dcp, TOL[dt], `${what} dc`);
        }
      });

      it(`GRU step forward and backward, 80 random shapes, ${dt}, ${threads} thread(s)`, () => {
        setNumThreads(threads);
        const rng = new Rng(threads * 10 + (dt === "float32" ? 5 : 6));
        for (let t = 0; t < 80; t++) {
          const n = size(rng, 300), h = size(rng, 200);
          const [ao, bo, ho] = [rng.int(0, 3), rng.int(0, 3), rng.int(0, 3)];
          const gi = rand(dt, ao + 3 * n * h, rng, 2), gh = rand(dt, bo + 3 * n * h, rng, 2), hx = rand(dt, ho + n * h, rng);
          const out = [0, 1].map(() => ({ hy: make(dt, n * h), ws: make(dt, 4 * n * h) }));
          js.gruCell(gi, ao, gh, bo, hx, ho, n, h, out[0].hy, out[0].ws);
          native!.gruCell(gi, ao, gh, bo, hx, ho, n, h, out[1].hy, out[1].ws);
          const what = `gruCell ${dt} n=${n} h=${h}`;
          expectClose(out[1].hy, out[0].hy, TOL[dt], `${what} hy`);
          expectClose(out[1].ws, out[0].ws, TOL[dt], `${what} workspace`);

          const go = rng.int(0, 3);
          const dh = rand(dt, go + n * h, rng);
          const back = [0, 1].map(() => ({ dgi: make(dt, 3 * n * h), dgh: make(dt, 3 * n * h), dhp: make(dt, n * h) }));
          js.gruCellBackward(dh, go, out[0].ws, hx, ho, n, h, back[0].dgi, back[0].dgh, back[0].dhp);
          native!.gruCellBackward(dh, go, out[0].ws, hx, ho, n, h, back[1].dgi, back[1].dgh, back[1].dhp);
          expectClose(back[1].dgi, back[0].dgi, TOL[dt], `${what} dgi`);
          expectClose(back[1].dgh, back[0].dgh, TOL[dt], `${what} dgh`);
          expectClose(back[1].dhp, back[0].dhp, TOL[dt], `${what} dh`);
        }
      });
    }
  }
});

describe.skipIf(noAddon)("native masked softmax and softmax backward match the TypeScript kernels", () => {
  const threads0 = getNumThreads();
  afterAll(() => setNumThreads(threads0));
  // exp differs (vectorised float32 in C++, double in TypeScript), as for the plain softmax kernels.
  const tol = { float32: { rtol: 2e-6, atol: 1e-7 }, float64: { rtol: 1e-13, atol: 1e-300 } };
  for (const threads of [1, 2]) {
    for (const dt of ["float32", "float64"] as const) {
      it(`100 random shapes with and without masks (−inf entries too), ${dt}, ${threads} thread(s)`, () => {
        setNumThreads(threads);
        const rng = new Rng(threads * 10 + (dt === "float32" ? 7 : 8));
        for (let t = 0; t < 100; t++) {
          const cols = size(rng, 257), maskRows = Math.max(1, size(rng, 9)), reps = size(rng, 80);
          const rows = maskRows * reps;
          const xo = rng.int(0, 3), mo = rng.int(0, 3);
          const x = rand(dt, xo + rows * cols, rng, 3);
          const mask = rng.next() < 0.8 ? rand(dt, mo + maskRows * cols, rng).map((v) => (v > 1.2 ? -Infinity : v)) : null;
          const o1 = make(dt, rows * cols), o2 = make(dt, rows * cols);
          js.maskedSoftmax(x, xo, rows, cols, mask, mo, maskRows, o1);
          native!.maskedSoftmax(x, xo, rows, cols, mask, mo, maskRows, o2);
          const what = `maskedSoftmax ${dt} rows ${rows} (mask rows ${maskRows}) cols ${cols}${mask ? "" : " no mask"}`;
          expectClose(o2, o1, tol[dt], what);
          const go = rng.int(0, 3);
          const g = rand(dt, go + rows * cols, rng);
          const d1 = make(dt, rows * cols), d2 = make(dt, rows * cols);
          js.softmaxBackward(o1, g, go, rows, cols, d1);
          native!.softmaxBackward(o1, g, go, rows, cols, d2);
          expectClose(d2, d1, TOL[dt], `${what} backward`);
        }
      });
    }
  }
});

describe.skipIf(noAddon)("raw sequence addon functions refuse bad arguments with JS errors", () => {
  const f32 = (n: number): Float32Array => new Float32Array(n);
  it("layerNorm: short arrays, bad sizes, mixed kinds, missing arguments", () => {
    const a = addon!;
    expect(() => a.layerNorm!(f32(5), 0, 2, 3, null, null, 1e-5, f32(6), f32(2), f32(2))).toThrow(/x: elements \[0, 6\) lie outside its buffer/);
    expect(() => a.layerNorm!(f32(6), 1, 2, 3, null, null, 1e-5, f32(6), f32(2), f32(2))).toThrow(RangeError);
    expect(() => a.layerNorm!(f32(6), 0, 2, 3, f32(2), null, 1e-5, f32(6), f32(2), f32(2))).toThrow(/weight/);
    expect(() => a.layerNorm!(f32(6), 0, 2, 3, null, null, 1e-5, f32(6), f32(1), f32(2))).toThrow(/mean/);
    expect(() => a.layerNorm!(f32(6), 0, -1, 3, null, null, 1e-5, f32(6), f32(2), f32(2))).toThrow(/rows/);
    expect(() => a.layerNorm!(f32(6), 0, 2, 3, null, null, 1e-5, new Float64Array(6), f32(2), f32(2))).toThrow(/y is a Float64Array but the first array is a Float32Array/);
    expect(() => a.layerNorm!(f32(6), 0, 2, 3, null, null, 1e-5, new Int32Array(6) as unknown as Float32Array, f32(2), f32(2))).toThrow(TypeError);
    expect(() => (a.layerNorm as unknown as (...x: unknown[]) => void)(f32(6), 0, 2, 3)).toThrow(/expected 10 arguments, got 4/);
    expect(() => a.layerNormBackward!(f32(6), 0, f32(6), 0, f32(2), f32(2), null, 2, 3, f32(5), null, null)).toThrow(/dx/);
    expect(() => a.layerNormBackward!(f32(6), 0, f32(6), 0, f32(2), f32(2), null, 2, 3, null, f32(2), null)).toThrow(/dweight/);
  });

  it("LSTM/GRU steps: short gates, states, workspaces and outputs are refused", () => {
    const a = addon!;
    expect(() => a.lstmCell!(f32(23), 0, f32(24), 0, f32(6), 0, 2, 3, f32(6), f32(6), f32(24))).toThrow(/gi/);
    expect(() => a.lstmCell!(f32(24), 0, f32(24), 1, f32(6), 0, 2, 3, f32(6), f32(6), f32(24))).toThrow(/gh/);
    expect(() => a.lstmCell!(f32(24), 0, f32(24), 0, f32(6), 0, 2, 3, f32(6), f32(6), f32(23))).toThrow(/workspace/);
    expect(() => a.lstmCellBackward!(null, 0, f32(5), 0, f32(24), f32(6), 0, f32(6), 2, 3, f32(24), f32(6))).toThrow(/dc/);
    expect(() => a.lstmCellBackward!(null, 0, null, 0, f32(24), f32(6), 0, f32(6), 2, 3, f32(24), f32(5))).toThrow(/dcPrev/);
    expect(() => a.gruCell!(f32(18), 0, f32(18), 0, f32(6), 0, 2, 3, f32(6), f32(23))).toThrow(/workspace/);
    expect(() => a.gruCell!(f32(18), 0, f32(17), 0, f32(6), 0, 2, 3, f32(6), f32(24))).toThrow(/gh/);
    expect(() => a.gruCellBackward!(f32(6), 0, f32(24), f32(6), 0, 2, 3, f32(18), f32(17), f32(6))).toThrow(/dgh/);
    expect(() => a.gruCellBackward!(f32(6), 0, f32(24), f32(6), 0, 2, 3 * 2 ** 31, f32(18), f32(18), f32(6))).toThrow(RangeError);
    expect(() => a.maskedSoftmax!(f32(12), 0, 3, 4, f32(7), 0, 2, f32(12))).toThrow(/mask/);
    expect(() => a.maskedSoftmax!(f32(12), 0, 3, 4, null, 0, 0, f32(12))).toThrow(/maskRows/);
    expect(() => a.maskedSoftmax!(f32(12), 1, 3, 4, null, 0, 1, f32(12))).toThrow(/x/);
    expect(() => a.softmaxBackward!(f32(12), f32(12), 0, 3, 4, f32(11))).toThrow(/dx/);
    expect(() => a.softmaxBackward!(f32(12), new Float64Array(12), 0, 3, 4, f32(12))).toThrow(TypeError);
  });
});
