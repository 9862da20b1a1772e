/**
 * Parity of the native batch-norm kernels (statistics, normalize + affine, backward) with the TypeScript ones:
 * random [n, c, hw] blocks (batch 1, one channel, odd and 1-element planes, offsets, large blocks split across
 * threads), float32/float64, training and eval backward, with and without dx, 1 and 2 threads: bit-identical.
 * Then BatchNorm end to end on the native backend against the TypeScript backend, and misuse of the raw
 * addon functions: clear JS errors, no crash.
 */
import { afterAll, describe, expect, it } from "vitest";
import { loadAddon, type NativeAddon } from "../../../ts/backend/native/addon";
import { makeNativeBatchNormKernels } from "../../../ts/backend/native/batch-norm";
import { js, noAddon } from "../../support/backends";
import { Rng } from "../../support/rng";
import { autograd, getBackend, getNumThreads, nn, noGrad, setBackend, setNumThreads, tensor, type Tensor } from "../../../ts/index";

const loaded = loadAddon();
const addon: NativeAddon | null = "addon" in loaded ? loaded.addon : null;
const calls = { stats: 0, apply: 0, backward: 0 };
const counted: NativeAddon | null =
  addon === null
    ? null
    : {
        ...addon,
        batchNormStats: (...args) => (calls.stats++, addon.batchNormStats!(...args)),
        batchNormApply: (...args) => (calls.apply++, addon.batchNormApply!(...args)),
        batchNormBackward: (...args) => (calls.backward++, addon.batchNormBackward!(...args)),
      };
const kernels = counted === null ? null : makeNativeBatchNormKernels(counted, js, false);

function same(a: ArrayLike<number>, b: ArrayLike<number>, what: string): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) throw new Error(`${what} element ${i}: native ${a[i]} vs js ${b[i]}`);
}

function randomShape(rng: Rng): [number, number, number] {
  const n = rng.pick([1, 1, 2, 3, 5]);
  const c = rng.pick([1, 1, 2, 3, 7]);
  const hw = rng.pick([1, 2, 3, 4, 5, 7, 9, 16, 25, 33]);
  return [n, c, hw];
}

/** Runs stats, apply and both backwards on one block with both kernel sets, comparing every output. */
function compareOn(rng: Rng, Arr: Float32ArrayConstructor | Float64ArrayConstructor, n: number, c: number, hw: number): void {
  const off = rng.int(0, 3);
  const gOff = rng.int(0, 3);
  const size = n * c * hw;
  // A channel offset (mean far from 0) tests the shifted sums; a few planes are constant.
  const shift = rng.pick([0, 3, -100]);
  const x = new Arr(off + size).map(() => rng.normal() + shift);
  if (rng.next() < 0.2) x.fill(shift);
  const g = new Arr(gOff + size).map(() => rng.normal());
  const sN = new Float64Array(2 * c), sJ = new Float64Array(2 * c);
  kernels!.batchNormStats(x, off, n, c, hw, sN);
  js.batchNormStats(x, off, n, c, hw, sJ);
  same(sN, sJ, `stats [${n}, ${c}, ${hw}]`);
  const coef = new Float64Array(2 * c).map(() => rng.normal());
  const oN = new Arr(size), oJ = new Arr(size);
  kernels!.batchNormApply(x, off, n, c, hw, coef, oN);
  js.batchNormApply(x, off, n, c, hw, coef, oJ);
  same(oN, oJ, `apply [${n}, ${c}, ${hw}]`);
  const params = new Float64Array(3 * c);
  for (let i = 0; i < c; i++) {
    params[i] = sJ[i];
    params[c + i] = 1 / Math.sqrt(sJ[c + i] + 1e-5);
    params[2 * c + i] = rng.normal();
  }
  for (const training of [true, false]) {
    for (const withDx of [true, false]) {
      const dN = withDx ? new Arr(size) : null, dJ = withDx ? new Arr(size) : null;
      const pN = new Float64Array(2 * c), pJ = new Float64Array(2 * c);
      kernels!.batchNormBackward(g, gOff, x, off, n, c, hw, params, training, dN, pN);
      js.batchNormBackward(g, gOff, x, off, n, c, hw, params, training, dJ, pJ);
      same(pN, pJ, `dparams [${n}, ${c}, ${hw}] training=${training}`);
      if (withDx) same(dN!, dJ!, `dx [${n}, ${c}, ${hw}] training=${training}`);
    }
  }
}

describe.skipIf(noAddon)("native batch-norm kernels match the TypeScript kernels bit for bit", () => {
  const threads0 = getNumThreads();
  afterAll(() => setNumThreads(threads0));

  for (const threads of [1, 2]) {
    for (const dtype of ["float32", "float64"] as const) {
      it(`200 random blocks, ${dtype}, ${threads} thread(s)`, () => {
        setNumThreads(threads);
        const rng = new Rng(threads * 10 + (dtype === "float32" ? 1 : 2));
        const before = { ...calls };
        for (let t = 0; t < 200; t++) compareOn(rng, dtype === "float32" ? Float32Array : Float64Array, ...randomShape(rng));
        expect(calls.stats - before.stats).toBe(200);
        expect(calls.apply - before.apply).toBe(200);
        expect(calls.backward - before.backward).toBe(800);
      });
    }
  }

  it("large blocks (split across threads) still match", () => {
    setNumThreads(2);
    const rng = new Rng(5);
    compareOn(rng, Float32Array, 16, 32, 31 * 33);
    compareOn(rng, Float64Array, 3, 5, 4099);
    compareOn(rng, Float32Array, 1, 1, 70_001);
  });

  it("misuse of the raw addon functions throws clear errors", () => {
    const x = new Float32Array(12);
    const meta = new Float64Array([0, 2, 3, 2]);
    expect(() => addon!.batchNormStats!(x, meta, new Float64Array(6))).not.toThrow();
    expect(() => addon!.batchNormStats!(x, meta, new Float64Array(5))).toThrow(/stats/);
    expect(() => addon!.batchNormStats!(x, new Float64Array([1, 2, 3, 2]), new Float64Array(6))).toThrow(/x/);
    expect(() => addon!.batchNormStats!(x, new Float64Array([0, 2, 3]), new Float64Array(6))).toThrow(RangeError);
    expect(() => addon!.batchNormStats!(x, new Float64Array([0, -1, 3, 2]), new Float64Array(6))).toThrow(RangeError);
    expect(() => addon!.batchNormStats!(x, new Float64Array([0, 2 ** 30, 2 ** 30, 2 ** 30]), new Float64Array(6))).toThrow(RangeError);
    expect(() => addon!.batchNormStats!(x, meta, new Float32Array(6) as unknown as Float64Array)).toThrow(TypeError);
    expect(() => addon!.batchNormStats!(new Int32Array(12) as unknown as Float32Array, meta, new Float64Array(6))).toThrow(TypeError);
    expect(() => addon!.batchNormApply!(x, meta, new Float64Array(6), new Float32Array(12))).not.toThrow();
    expect(() => addon!.batchNormApply!(x, meta, new Float64Array(6), new Float32Array(11))).toThrow(/out/);
    expect(() => addon!.batchNormApply!(x, meta, new Float64Array(6), new Float64Array(12))).toThrow(TypeError);
    const bmeta = new Float64Array([0, 0, 2, 3, 2, 1]);
    const ok = (): void => addon!.batchNormBackward!(x, x, bmeta, new Float64Array(9), new Float32Array(12), new Float64Array(6));
    expect(ok).not.toThrow();
    expect(() => addon!.batchNormBackward!(x, x, bmeta, new Float64Array(9), null, new Float64Array(6))).not.toThrow();
    expect(() => addon!.batchNormBackward!(x, x, bmeta, new Float64Array(8), null, new Float64Array(6))).toThrow(/params/);
    expect(() => addon!.batchNormBackward!(x, x, bmeta, new Float64Array(9), null, new Float64Array(5))).toThrow(/dparams/);
    expect(() => addon!.batchNormBackward!(new Float32Array(11), x, bmeta, new Float64Array(9), null, new Float64Array(6))).toThrow(/g/);
    expect(() => addon!.batchNormBackward!(x, x, bmeta, new Float64Array(9), new Float32Array(11), new Float64Array(6))).toThrow(/dx/);
    expect(() => addon!.batchNormBackward!(new Float64Array(12) as unknown as Float32Array, x, bmeta, new Float64Array(9), null, new Float64Array(6))).toThrow(TypeError);
    expect(() => addon!.batchNormBackward!(x, x, new Float64Array([0, 0, 2, 3, 2, 2]), new Float64Array(9), null, new Float64Array(6))).toThrow(/training/);
    expect(() => (addon!.batchNormBackward as unknown as (...a: unknown[]) => void)(x, x, bmeta)).toThrow(TypeError);
  });
});

describe.skipIf(noAddon)("BatchNorm: native backend against the TypeScript backend", () => {
  const backend0 = getBackend();
  afterAll(() => setBackend(backend0));

  /** Output, input/weight/bias gradients and the running statistics after two training steps and one eval call. */
  function run(shape: number[], dtype: "float32" | "float64", seed: number): ArrayLike<number>[] {
    const rng = new Rng(seed);
    const c = shape[1];
    const bn = shape.length === 4 ? new nn.BatchNorm2d(c, { dtype }) : new nn.BatchNorm1d(c, { dtype });
    noGrad(() => {
      bn.weight!.copy_(tensor(Array.from({ length: c }, () => rng.normal()), { dtype }));
      bn.bias!.copy_(tensor(Array.from({ length: c }, () => rng.normal()), { dtype }));
    });
    const numel = shape.reduce((a, b) => a * b, 1);
    const out: ArrayLike<number>[] = [];
    for (let step = 0; step < 2; step++) {
      const x = tensor(Float64Array.from({ length: numel }, () => rng.normal() * 2 + 1), { shape, dtype, requiresGrad: true });
      const y = bn(x);
      const r = tensor(Float64Array.from({ length: numel }, () => rng.normal()), { shape, dtype });
      const [gx, gw, gb] = autograd.grad([y.mul(r).sum()], [x, bn.weight!, bn.bias!]) as Tensor[];
      out.push(y.toArray(), gx.toArray(), gw.toArray(), gb.toArray());
    }
    out.push(bn.runningMean!.toArray(), bn.runningVar!.toArray());
    bn.eval();
    const x = tensor(Float64Array.from({ length: numel }, () => rng.normal()), { shape, dtype, requiresGrad: true });
    const y = bn(x);
    const [gx] = autograd.grad([y.sum()], [x]) as Tensor[];
    out.push(y.toArray(), gx.toArray());
    return out;
  }

  for (const dtype of ["float32", "float64"] as const) {
    it(`BatchNorm1d/2d over odd shapes, batch 1, one channel, ${dtype}: the same bits`, () => {
      const shapes = [[2, 3], [1, 1, 5], [1, 4, 3, 3], [3, 1, 7, 5], [4, 6, 1, 1], [8, 16, 12, 12]];
      shapes.forEach((shape, i) => {
        setBackend("native");
        const a = run(shape, dtype, i);
        setBackend("js");
        const b = run(shape, dtype, i);
        setBackend(backend0);
        a.forEach((v, k) => same(v, b[k]!, `${JSON.stringify(shape)} result ${k}`));
      });
    });
  }
});
