import { describe, it } from "vitest";
import type { AdamArgs, FloatDType, GemmArgs, SgdArgs } from "../../../ts/backend/types";
import { js, native, noAddon } from "../../support/backends";
import { EXACT, expectClose } from "../../support/close";
import { Rng } from "../../support/rng";
import { FLOAT_DTYPES, alloc, fillRandom } from "../../support/views";

describe.skipIf(noAddon)("parity: gemm and optimizer steps (native vs js)", () => {
  for (const dtype of FLOAT_DTYPES) {
    it(`gemm ${dtype}: transposes, alpha/beta, padded ld, batches, offsets, edge sizes`, () => {
      const rng = new Rng(dtype === "float32" ? 5 : 6);
      const sizes = [0, 1, 2, 3, 7, 13, 17, 31, 64, 100];
      for (let t = 0; t < 120; t++) {
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
        const a = alloc(dtype, aOffset + batch * (strideA + ar * lda) + 1);
        const b = alloc(dtype, bOffset + batch * (strideB + br * ldb) + 1);
        const c = alloc(dtype, cOffset + batch * strideC + m * ldc + 1);
        fillRandom(a, rng, 1);
        fillRandom(b, rng, 1);
        fillRandom(c, rng, 1);
        const alpha = rng.pick([1, 0.5, -2]), beta = rng.pick([0, 1, 0.25]);
        if (beta === 0 && c.length > 3) c[cOffset] = NaN; // beta = 0 must ignore NaN in C
        const args = (cc: typeof c): GemmArgs => ({
          transA, transB, m, n, k, alpha, beta, a, aOffset, lda, b, bOffset, ldb, c: cc, cOffset, ldc, batch,
          strideA, strideB, strideC,
        });
        const c1 = c.slice(), c2 = c.slice();
        js.gemm(args(c1));
        native!.gemm(args(c2));
        const tol = dtype === "float32" ? { rtol: 1e-5, atol: 1e-5 * Math.sqrt(k + 1) } : { rtol: 1e-12, atol: 1e-12 * Math.sqrt(k + 1) };
        expectClose(c2, c1, tol, `gemm ${dtype} m=${m} n=${n} k=${k} tA=${transA} tB=${transB} batch=${batch}`);
      }
    });

    it(`sgdStep ${dtype}: momentum, dampening, nesterov, weight decay, maximize`, () => {
      const rng = new Rng(8);
      for (let t = 0; t < 40; t++) {
        const n = rng.pick([0, 1, 7, 1000, 100003]);
        const momentum = rng.pick([0, 0.9]);
        const args: SgdArgs = {
          lr: rng.pick([0.1, 0.01]), momentum, dampening: rng.pick([0, 0.1]), weightDecay: rng.pick([0, 1e-4]),
          nesterov: momentum > 0 && rng.next() < 0.5, maximize: rng.next() < 0.3, firstStep: rng.next() < 0.3,
        };
        const p = alloc(dtype, n), g = alloc(dtype, n), buf = alloc(dtype, n);
        fillRandom(p, rng); fillRandom(g, rng); fillRandom(buf, rng);
        const [p1, p2, b1, b2] = [p.slice(), p.slice(), buf.slice(), buf.slice()];
        js.sgdStep(p1, g, momentum ? b1 : null, args);
        native!.sgdStep(p2, g, momentum ? b2 : null, args);
        expectClose(p2, p1, EXACT, `sgd param ${JSON.stringify(args)}`);
        expectClose(b2, b1, EXACT, "sgd buffer");
      }
    });

    it(`adamStep ${dtype}: Adam, AdamW, amsgrad, maximize`, () => {
      const rng = new Rng(9);
      for (let t = 0; t < 40; t++) {
        const n = rng.pick([0, 1, 7, 1000, 100003]);
        const args: AdamArgs = {
          lr: rng.pick([1e-3, 0.1]), beta1: 0.9, beta2: rng.pick([0.999, 0.99]), eps: 1e-8,
          weightDecay: rng.pick([0, 0.01]), decoupled: rng.next() < 0.5, amsgrad: rng.next() < 0.5,
          maximize: rng.next() < 0.3, step: rng.int(1, 50),
        };
        const p = alloc(dtype, n), g = alloc(dtype, n), m = alloc(dtype, n), v = alloc(dtype, n), vm = alloc(dtype, n);
        fillRandom(p, rng); fillRandom(g, rng); fillRandom(m, rng, 0.1);
        for (let i = 0; i < n; i++) { v[i] = Math.abs(rng.normal()) * 0.01; vm[i] = v[i] * rng.pick([0.5, 2]); }
        const s1 = [p, m, v, vm].map((a) => a.slice()), s2 = [p, m, v, vm].map((a) => a.slice());
        js.adamStep(s1[0], g, s1[1], s1[2], args.amsgrad ? s1[3] : null, args);
        native!.adamStep(s2[0], g, s2[1], s2[2], args.amsgrad ? s2[3] : null, args);
        // bias corrections use pow: V8's Math.pow and libm's may differ in the last bit
        const tol = dtype === "float32" ? { rtol: 2.4e-7, atol: 1e-10 } : { rtol: 1e-14, atol: 1e-18 };
        for (let j = 0; j < 4; j++) expectClose(s2[j], s1[j], tol, `adam state ${j} ${JSON.stringify(args)}`);
      }
    });
  }
});

export type { FloatDType };
