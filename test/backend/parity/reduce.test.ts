import { dtypeOfArray } from "../../../ts/dtype";
import { describe, expect, it } from "vitest";
import type { FloatDType, View } from "../../../ts/backend/types";
import { PARITY_TOL, js, native, noAddon } from "../../support/backends";
import { EXACT, expectClose } from "../../support/close";
import { Rng } from "../../support/rng";
import { EDGE_SHAPES, FLOAT_DTYPES, LAYOUTS, alloc, fillRandom, layoutView, numel, randomShape } from "../../support/views";

describe.skipIf(noAddon)("parity: reductions and softmax (native vs js)", () => {
  for (const dtype of FLOAT_DTYPES) {
    for (const op of ["sum", "prod", "max", "min"] as const) {
      it(`reduce ${op} ${dtype} over random views and edge sizes`, () => {
        const rng = new Rng(op.length * 101 + (dtype === "float32" ? 1 : 2));
        const shapes = [...EDGE_SHAPES, [1000, 3], [3, 100, 400], ...Array.from({ length: 60 }, () => randomShape(rng))];
        for (const shape of shapes) {
          const layout = rng.pick(LAYOUTS);
          const x = layoutView(shape, layout, rng, (n) => alloc(dtype, n));
          // prod of many normals under/overflows: keep factors near 1 there
          fillRandom(x.data, rng, op === "prod" ? 0.05 : 2, shape.length > 0 && numel(shape) < 500 ? 0.03 : 0);
          if (op === "prod") for (let i = 0; i < x.data.length; i++) x.data[i] += 1;
          for (let nr = 0; nr <= shape.length; nr++) {
            const nOut = numel(shape.slice(0, shape.length - nr));
            const nRed = numel(shape.slice(shape.length - nr));
            if (nRed === 0 && nOut > 0 && (op === "max" || op === "min")) continue;
            const o1 = alloc(dtype, nOut), o2 = alloc(dtype, nOut);
            js.reduce(op, x, nr, o1);
            native!.reduce(op, x, nr, o2);
            // sums differ by summation order: bound by the sum of magnitudes
            const abs = alloc(dtype, nOut);
            const ax: View = { ...x, data: x.data.map(Math.abs) as typeof x.data };
            js.reduce(op === "prod" ? "prod" : "sum", ax, nr, abs);
            // A product that underflows anyway (an expanded dim repeats one factor thousands of times) ends
            // anywhere below the smallest normal number, depending on the order of the multiplications.
            const underflow = op === "prod" ? (dtype === "float32" ? 2 ** -126 : 2 ** -1022) : 0;
            for (let i = 0; i < nOut; i++) {
              const tol = op === "max" || op === "min"
                ? EXACT
                : { rtol: PARITY_TOL[dtype].rtol, atol: Math.max(underflow, (dtype === "float32" ? 1e-12 : 1e-13) * Math.abs(abs[i]) * Math.max(1, nRed) ** 0.5) };
              expectClose([o2[i]], [o1[i]], tol, `${op} ${dtype} [${shape}] ${layout} nReduced=${nr} out ${i}`);
            }
          }
        }
      });
    }

    it(`sum ${dtype}: contiguous rows and column sums are bit-identical (ATen's cascade order)`, () => {
      const rng = new Rng(77);
      for (const [rows, cols] of [[1, 1], [1, 7], [3, 8], [5, 33], [2, 1000], [1, 70001], [300, 37], [17, 64], [32, 512], [128, 512], [1000, 40], [257, 13], [70, 6], [65, 100], [4100, 9], [33, 3]]) {
        const x = alloc(dtype, rows * cols + 3);
        fillRandom(x, rng, 3);
        const rowsView: View = { data: x, dtype: dtypeOfArray(x), offset: 3, shape: [rows, cols], strides: [cols, 1] };
        const colsView: View = { data: x, dtype: dtypeOfArray(x), offset: 3, shape: [cols, rows], strides: [1, cols] };
        for (const [v, nOut] of [[rowsView, rows], [colsView, cols]] as const) {
          const o1 = alloc(dtype, nOut), o2 = alloc(dtype, nOut);
          js.reduce("sum", v, 1, o1);
          native!.reduce("sum", v, 1, o2);
          expectClose(o2, o1, EXACT, `sum [${v.shape}] strides [${v.strides}]`);
        }
      }
    });

    for (const op of ["argmax", "argmin"] as const) {
      it(`argReduce ${op} ${dtype} (ties, NaN, strided)`, () => {
        const rng = new Rng(op.length * 7 + 3);
        const shapes = [[1], [13], [100003], [31, 17], [3, 1, 70001], ...Array.from({ length: 60 }, () => randomShape(rng))];
        for (const shape of shapes) {
          if (shape.length === 0 || shape[shape.length - 1] === 0) continue;
          const layout = rng.pick(LAYOUTS);
          const x = layoutView(shape, layout, rng, (n) => alloc(dtype, n));
          fillRandom(x.data, rng, 2, rng.next() < 0.3 ? 0.05 : 0);
          if (rng.next() < 0.3) for (let i = 0; i < x.data.length; i++) x.data[i] = Math.round(x.data[i]); // ties
          const n = numel(shape) / shape[shape.length - 1];
          const i1 = new Int32Array(n).fill(-5), i2 = new Int32Array(n).fill(-5);
          const v1 = alloc(dtype, n), v2 = alloc(dtype, n);
          js.argReduce(op, x, i1, v1);
          native!.argReduce(op, x, i2, v2);
          expect(Array.from(i2), `${op} [${shape}] ${layout}`).toEqual(Array.from(i1));
          expectClose(v2, v1, EXACT, `${op} values [${shape}]`);
          const i3 = new Int32Array(n);
          native!.argReduce(op, x, i3, null);
          expect(Array.from(i3)).toEqual(Array.from(i1));
        }
      });
    }

    for (const log of [false, true]) {
      it(`${log ? "logSoftmax" : "softmax"} ${dtype}`, () => {
        const rng = new Rng(log ? 11 : 12);
        const dims: [number, number, number][] = [
          [1, 1, 1], [0, 3, 2], [2, 0, 3], [1, 100003, 1], [3, 5, 7], [7, 1000, 1], [2, 3, 300], [1, 17, 513],
          ...Array.from({ length: 40 }, (): [number, number, number] => [rng.int(1, 6), rng.int(1, 40), rng.pick([1, 1, 2, 5, 33])]),
        ];
        for (const [outer, dim, inner] of dims) {
          const n = outer * dim * inner;
          const off = rng.int(0, 5);
          const x = alloc(dtype, off + n);
          fillRandom(x, rng, rng.pick([1, 5, 30]), n < 200 ? 0.02 : 0);
          const o1 = alloc(dtype, n), o2 = alloc(dtype, n);
          js.softmax(x, off, outer, dim, inner, log, o1);
          native!.softmax(x, off, outer, dim, inner, log, o2);
          // float32 rounds x − max before exp (as PyTorch does): tiny probabilities carry ~|x − max|·2^-24 relative error
          const tol = dtype === "float32" ? { rtol: 2e-6, atol: log ? 4e-6 : 1e-7 } : { rtol: 1e-13, atol: log ? 1e-13 : 1e-300 };
          expectClose(o2, o1, tol, `softmax log=${log} ${dtype} [${outer},${dim},${inner}]`);
        }
      });
    }
  }
});

export type { FloatDType };
