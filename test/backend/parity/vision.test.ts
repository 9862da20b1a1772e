/**
 * Parity of the native vision kernels (im2col, col2im) with the TypeScript ones — random geometries (strides,
 * padding, dilation, odd sizes, 1×1 kernels, kernels as large as the padded input, ceil-mode extra windows),
 * both fills, float32/float64, one and two threads: bit-identical. Then conv2d / pooling end to end on the
 * native backend against the TypeScript backend (GEMM summation order differs: tolerances), and misuse of the
 * raw addon functions: clear JS errors, no crash.
 */
import { afterAll, describe, expect, it } from "vitest";
import { loadAddon, type NativeAddon } from "../../../ts/backend/native/addon";
import { makeNativePoolBackward, makeNativeVisionKernels } from "../../../ts/backend/native/vision";
import { js, noAddon } from "../../support/backends";
import { Rng } from "../../support/rng";
import { nn, setBackend, getBackend, setNumThreads, getNumThreads, tensor, Tensor } from "../../../ts/index";

const loaded = loadAddon();
const addon: NativeAddon | null = "addon" in loaded ? loaded.addon : null;
const calls = { im2col: 0, col2im: 0, maxPool2d: 0 };
const counted: NativeAddon | null =
  addon === null
    ? null
    : {
        ...addon,
        im2col: (...args) => (calls.im2col++, addon.im2col!(...args)),
        col2im: (...args) => (calls.col2im++, addon.col2im!(...args)),
        maxPool2d: (...args) => (calls.maxPool2d++, addon.maxPool2d!(...args)),
      };
const kernels = counted === null ? null : makeNativeVisionKernels(counted, js, false);
let poolBackwardCalls = 0;
const poolBackward =
  addon === null
    ? null
    : makeNativePoolBackward({ ...addon, maxPool2dBackward: (...args) => (poolBackwardCalls++, addon.maxPool2dBackward!(...args)) }, js, false);
const F = nn.functional;

function randomGeom(rng: Rng): number[] {
  const n = rng.int(1, 3);
  const c = rng.int(1, 4);
  const h = rng.int(1, 9);
  const w = rng.int(1, 9);
  const dh = rng.int(1, 3);
  const dw = rng.int(1, 3);
  const ph = rng.int(0, 2);
  const pw = rng.int(0, 2);
  const kh = rng.int(1, Math.max(1, Math.floor((h + 2 * ph - 1) / dh) + 1));
  const kw = rng.int(1, Math.max(1, Math.floor((w + 2 * pw - 1) / dw) + 1));
  const sh = rng.int(1, 3);
  const sw = rng.int(1, 3);
  const out = (s: number, k: number, p: number, st: number, d: number) => Math.max(1, Math.floor((s + 2 * p - d * (k - 1) - 1) / st) + 1 + rng.int(0, 1));
  return [n, c, h, w, kh, kw, sh, sw, ph, pw, dh, dw, out(h, kh, ph, sh, dh), out(w, kw, pw, sw, dw)];
}

function same(a: ArrayLike<number>, b: ArrayLike<number>): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) throw new Error(`element ${i}: native ${a[i]} vs js ${b[i]}`);
}

describe.skipIf(noAddon)("native im2col / col2im match the TypeScript kernels bit for bit", () => {
  const threads0 = getNumThreads();
  afterAll(() => setNumThreads(threads0));

  for (const threads of [1, 2]) {
    for (const dtype of ["float32", "float64"] as const) {
      it(`300 random geometries, ${dtype}, ${threads} thread(s)`, () => {
        setNumThreads(threads);
        const rng = new Rng(threads * 100 + (dtype === "float32" ? 1 : 2));
        const Arr = dtype === "float32" ? Float32Array : Float64Array;
        const before = { ...calls };
        for (let t = 0; t < 300; t++) {
          const g = randomGeom(rng);
          const [n, c, h, w, kh, kw, , , , , , , oh, ow] = g;
          const off = rng.int(0, 3);
          const image = new Arr(off + n * c * h * w).map(() => rng.normal());
          const colsN = new Arr(n * c * kh * kw * oh * ow);
          const colsJ = new Arr(colsN.length);
          const fill = rng.pick([0, -Infinity]);
          kernels!.im2col(image, off, g, colsN, fill);
          js.im2col(image, off, g, colsJ, fill);
          same(colsN, colsJ);
          const cols = colsN.map(() => rng.normal());
          const imN = new Arr(n * c * h * w);
          const imJ = new Arr(n * c * h * w);
          kernels!.col2im(cols, g, imN);
          js.col2im(cols, g, imJ);
          same(imN, imJ);
        }
        expect(calls.im2col - before.im2col).toBe(300);
        expect(calls.col2im - before.col2im).toBe(300);
      });
    }
  }

  for (const dtype of ["float32", "float64"] as const) {
    it(`maxPool2d: 300 random pooling geometries with NaN, ±∞ and ties, ${dtype}, 1 and 2 threads`, () => {
      const rng = new Rng(dtype === "float32" ? 31 : 32);
      const Arr = dtype === "float32" ? Float32Array : Float64Array;
      const before = calls.maxPool2d;
      for (let t = 0; t < 300; t++) {
        setNumThreads(1 + (t % 2));
        const g = randomGeom(rng);
        g[8] = Math.min(g[8], Math.floor(g[4] / 2), (g[4] - 1) * g[10]);
        g[9] = Math.min(g[9], Math.floor(g[5] / 2), (g[5] - 1) * g[11]);
        const [n, c, h, w, , , , , , , , , oh, ow] = g;
        const off = rng.int(0, 2);
        const sp = [NaN, Infinity, -Infinity, 0, -0, 1];
        const image = new Arr(off + n * c * h * w).map(() => (rng.next() < 0.15 ? rng.pick(sp) : Math.round(rng.normal() * 2)));
        const oN = new Arr(n * c * oh * ow);
        const oJ = new Arr(oN.length);
        const iN = new Int32Array(oN.length);
        const iJ = new Int32Array(oN.length);
        kernels!.maxPool2d(image, off, g, oN, iN);
        js.maxPool2d(image, off, g, oJ, iJ);
        same(oN, oJ);
        same(iN, iJ);
      }
      expect(calls.maxPool2d - before).toBe(300);
    });
  }

  for (const dtype of ["float32", "float64"] as const) {
    it(`maxPool2d with every window inside the image (the row-vectorized path): 300 geometries, ${dtype}`, () => {
      const rng = new Rng(dtype === "float32" ? 41 : 42);
      const Arr = dtype === "float32" ? Float32Array : Float64Array;
      for (let t = 0; t < 300; t++) {
        setNumThreads(1 + (t % 2));
        const [kh, kw, sh, sw, dh, dw] = [rng.int(1, 3), rng.int(1, 3), rng.int(1, 3), rng.int(1, 3), rng.int(1, 2), rng.int(1, 2)];
        const oh = rng.int(1, 9), ow = rng.int(1, 9);
        // The image is just large enough, or a little larger (rows/columns no window reaches).
        const h = (oh - 1) * sh + (kh - 1) * dh + 1 + rng.int(0, 2);
        const w = (ow - 1) * sw + (kw - 1) * dw + 1 + rng.int(0, 2);
        const n = rng.int(1, 3), c = rng.int(1, 3);
        const g = [n, c, h, w, kh, kw, sh, sw, 0, 0, dh, dw, oh, ow];
        const off = rng.int(0, 2);
        const sp = [NaN, Infinity, -Infinity, 0, -0, 1];
        const image = new Arr(off + n * c * h * w).map(() => (rng.next() < 0.15 ? rng.pick(sp) : Math.round(rng.normal() * 2)));
        const oN = new Arr(n * c * oh * ow), oJ = new Arr(oN.length);
        const iN = new Int32Array(oN.length), iJ = new Int32Array(oN.length);
        kernels!.maxPool2d(image, off, g, oN, iN);
        js.maxPool2d(image, off, g, oJ, iJ);
        same(oN, oJ);
        same(iN, iJ);
      }
    });
  }

  for (const dtype of ["float32", "float64"] as const) {
    it(`maxPool2dBackward: the pool's own indices (overlapping windows too) and random ones, ${dtype}, 1 and 2 threads`, () => {
      const rng = new Rng(dtype === "float32" ? 51 : 52);
      const Arr = dtype === "float32" ? Float32Array : Float64Array;
      for (let t = 0; t < 200; t++) {
        setNumThreads(1 + (t % 2));
        // Pooling's own geometry: padding ≤ half the kernel, exact output sizes.
        const side = (): [number, number, number, number, number, number] => {
          for (;;) {
            const size = rng.int(1, 9), k = rng.int(1, 3), st = rng.int(1, 3), d = rng.int(1, 2);
            const p = rng.int(0, Math.floor(k / 2));
            const o = Math.floor((size + 2 * p - d * (k - 1) - 1) / st) + 1;
            if (o >= 1) return [size, k, st, p, d, o];
          }
        };
        const [h, kh, sh, ph, dh, oh] = side();
        const [w, kw, sw, pw, dw, ow] = side();
        const g = [rng.int(1, 3), rng.int(1, 3), h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow];
        const [n, c] = g;
        const planes = n * c, outPlane = oh * ow, inPlane = h * w;
        const image = new Arr(planes * inPlane).map(() => Math.round(rng.normal() * 2));
        const idx = new Int32Array(planes * outPlane);
        js.maxPool2d(image, 0, g, new Arr(idx.length), idx);
        // A dilated window may hold no in-image position at all (its index then lies past the plane): skip.
        if (idx.some((i) => i >= inPlane)) continue;
        if (t % 3 === 0) for (let k = 0; k < idx.length; k++) idx[k] = rng.int(0, inPlane - 1);
        const off = rng.int(0, 2);
        const grad = new Arr(off + idx.length).map(() => rng.normal());
        const gN = new Arr(planes * inPlane), gJ = new Arr(planes * inPlane);
        const before = poolBackwardCalls;
        poolBackward!.maxPool2dBackward(grad, off, idx, planes, outPlane, inPlane, gN);
        expect(poolBackwardCalls).toBe(before + 1);
        js.maxPool2dBackward(grad, off, idx, planes, outPlane, inPlane, gJ);
        same(gN, gJ);
      }
    });
  }

  it("a large image is split across threads and still matches", () => {
    setNumThreads(2);
    const g = [4, 16, 33, 31, 3, 3, 1, 1, 1, 1, 1, 1, 33, 31];
    const rng = new Rng(9);
    const image = new Float32Array(4 * 16 * 33 * 31).map(() => rng.normal());
    const a = new Float32Array(4 * 16 * 9 * 33 * 31);
    const b = new Float32Array(a.length);
    kernels!.im2col(image, 0, g, a, 0);
    js.im2col(image, 0, g, b, 0);
    same(a, b);
    const ia = new Float32Array(image.length);
    const ib = new Float32Array(image.length);
    kernels!.col2im(a, g, ia);
    js.col2im(a, g, ib);
    same(ia, ib);
  });

  it("misuse of the raw addon functions throws clear errors", () => {
    const f32 = new Float32Array(16);
    const geom = new Float64Array([1, 1, 4, 4, 3, 3, 1, 1, 1, 1, 1, 1, 4, 4]);
    const big = new Float32Array(9 * 16);
    expect(() => addon!.im2col!(f32, 0, geom, big, 0)).not.toThrow();
    expect(() => addon!.im2col!(f32, 0, new Float64Array(13), big, 0)).toThrow(/geom must have 14 entries/);
    expect(() => addon!.im2col!(f32, 1, geom, big, 0)).toThrow(RangeError);
    expect(() => addon!.im2col!(f32, 0, geom, new Float32Array(9 * 16 - 1), 0)).toThrow(/cols/);
    expect(() => addon!.im2col!(f32, 0, geom, new Float64Array(9 * 16), 0)).toThrow(TypeError);
    expect(() => addon!.im2col!(new Int32Array(16) as unknown as Float32Array, 0, geom, big, 0)).toThrow(TypeError);
    const bad = geom.slice();
    bad[6] = 0;
    expect(() => addon!.im2col!(f32, 0, bad, big, 0)).toThrow(RangeError);
    bad[6] = 1.5;
    expect(() => addon!.im2col!(f32, 0, bad, big, 0)).toThrow(RangeError);
    const huge = geom.slice();
    huge[0] = 2 ** 30;
    huge[1] = 2 ** 30;
    expect(() => addon!.col2im!(big, huge, f32)).toThrow(RangeError);
    expect(() => addon!.col2im!(big, geom, new Float32Array(15))).toThrow(/image/);
    expect(() => (addon!.col2im as unknown as (...a: unknown[]) => void)(big, geom)).toThrow(TypeError);
    const pool = new Float64Array([1, 1, 4, 4, 2, 2, 2, 2, 1, 1, 1, 1, 3, 3]);
    expect(() => addon!.maxPool2d!(f32, 0, pool, new Float32Array(9), new Int32Array(9))).not.toThrow();
    expect(() => addon!.maxPool2d!(f32, 0, pool, new Float32Array(8), new Int32Array(9))).toThrow(/out/);
    expect(() => addon!.maxPool2d!(f32, 0, pool, new Float32Array(9), new Int32Array(8))).toThrow(/indices/);
    expect(() => addon!.maxPool2d!(f32, 0, pool, new Float64Array(9) as unknown as Float32Array, new Int32Array(9))).toThrow(TypeError);
    expect(() => addon!.maxPool2d!(f32, 0, pool, new Float32Array(9), new Float32Array(9) as unknown as Int32Array)).toThrow(TypeError);
    const bmeta = new Float64Array([0, 1, 9, 16]);
    const i9 = new Int32Array(9).fill(15);
    expect(() => addon!.maxPool2dBackward!(new Float32Array(9), bmeta, i9, new Float32Array(16))).not.toThrow();
    expect(() => addon!.maxPool2dBackward!(new Float32Array(9), bmeta, new Int32Array(9).fill(16), new Float32Array(16))).toThrow(/outside the plane/);
    expect(() => addon!.maxPool2dBackward!(new Float32Array(9), bmeta, new Int32Array(9).fill(-1), new Float32Array(16))).toThrow(/outside the plane/);
    expect(() => addon!.maxPool2dBackward!(new Float32Array(8), bmeta, i9, new Float32Array(16))).toThrow(/g/);
    expect(() => addon!.maxPool2dBackward!(new Float32Array(9), bmeta, new Int32Array(8), new Float32Array(16))).toThrow(/indices/);
    expect(() => addon!.maxPool2dBackward!(new Float32Array(9), bmeta, i9, new Float32Array(15))).toThrow(/gIn/);
    expect(() => addon!.maxPool2dBackward!(new Float32Array(9), bmeta, i9, new Float64Array(16) as unknown as Float32Array)).toThrow(TypeError);
    const wide = pool.slice();
    wide[8] = 1e9;
    expect(() => addon!.maxPool2d!(f32, 0, wide, new Float32Array(9), new Int32Array(9))).toThrow(/padding/);
  });
});

describe.skipIf(noAddon)("conv2d and pooling: native backend against the TypeScript backend", () => {
  const backend0 = getBackend();
  afterAll(() => setBackend(backend0));

  function both<T>(fn: () => T): [T, T] {
    setBackend("native");
    const a = fn();
    setBackend("js");
    const b = fn();
    setBackend(backend0);
    return [a, b];
  }
  function close(a: Tensor, b: Tensor, rtol: number, what: string): void {
    expect(a.shape).toEqual(b.shape);
    const x = a.toArray();
    const y = b.toArray();
    let scale = 0;
    for (let i = 0; i < y.length; i++) scale = Math.max(scale, Math.abs(y[i]));
    for (let i = 0; i < x.length; i++) {
      if (!(Math.abs(x[i] - y[i]) <= rtol * (scale + 1))) throw new Error(`${what} element ${i}: native ${x[i]} vs js ${y[i]}`);
    }
  }

  for (const dtype of ["float32", "float64"] as const) {
    it(`60 random convolutions (groups, dilation, strides, padding, odd sizes, batch 1, 1×1, kernel = input), ${dtype}`, () => {
      const rng = new Rng(dtype === "float32" ? 77 : 78);
      const rtol = dtype === "float32" ? 2e-5 : 1e-12;
      for (let t = 0; t < 60; t++) {
        const groups = rng.pick([1, 1, 2, 3]);
        const depthwise = rng.next() < 0.2;
        const cg = depthwise ? 1 : rng.int(1, 3);
        const c = cg * groups;
        const co = groups * (depthwise ? rng.int(1, 2) : rng.int(1, 3));
        const n = rng.pick([1, 2, 3]);
        const h = rng.int(1, 11);
        const w = rng.int(1, 11);
        const padding = rng.pick([0, 1, 2]);
        const dilation = rng.pick([1, 1, 2]);
        const kmax = (s: number) => Math.max(1, Math.floor((s + 2 * padding - 1) / dilation) + 1);
        const kh = rng.next() < 0.2 ? kmax(h) : rng.int(1, Math.min(5, kmax(h)));
        const kw = rng.next() < 0.2 ? 1 : rng.int(1, Math.min(5, kmax(w)));
        const stride = [rng.int(1, 3), rng.int(1, 3)];
        const mk = (shape: number[]) => tensor(Float64Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal()), { shape, dtype });
        const xv = mk([n, c, w, h]).transpose(2, 3); // a strided view
        const wv = mk([co, cg, kh, kw]);
        const bv = rng.next() < 0.5 ? mk([co]) : null;
        const [a, b] = both(() => {
          const x = xv.detach().requiresGrad_();
          const wt = wv.detach().requiresGrad_();
          const bias = bv === null ? null : bv.detach().requiresGrad_();
          const y = F.conv2d(x, wt, bias, { stride, padding, dilation, groups });
          y.mul(y).sum().backward();
          return { y, gx: x.grad!, gw: wt.grad!, gb: bias?.grad ?? null };
        });
        const what = `case ${t} x[${n},${c},${h},${w}] w[${co},${cg},${kh},${kw}] s=${stride} p=${padding} d=${dilation} g=${groups}`;
        close(a.y, b.y, rtol, `${what} out`);
        close(a.gx, b.gx, rtol * 10, `${what} grad input`);
        close(a.gw, b.gw, rtol * 10, `${what} grad weight`);
        if (a.gb !== null) close(a.gb, b.gb!, rtol * 10, `${what} grad bias`);
      }
    });
  }

  it("max and average pooling give the same values and gradients on both backends", () => {
    const rng = new Rng(5);
    for (let t = 0; t < 30; t++) {
      const shape = [rng.int(1, 3), rng.int(1, 4), rng.int(2, 12), rng.int(2, 12)];
      const k = rng.int(1, 3);
      const padding = rng.int(0, Math.floor(k / 2));
      const stride = rng.int(1, 3);
      const ceilMode = rng.next() < 0.5;
      const countIncludePad = rng.next() < 0.5;
      const xv = tensor(Float64Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal()), { shape });
      const [a, b] = both(() => {
        const x = xv.detach().requiresGrad_();
        const m = F.maxPool2d(x, k, { stride, padding, ceilMode });
        const v = F.avgPool2d(x, k, { stride, padding, ceilMode, countIncludePad });
        m.sum().add(v.mul(v).sum()).backward();
        return { m, v, g: x.grad! };
      });
      close(a.m, b.m, 0, `case ${t} max`);
      close(a.v, b.v, 1e-6, `case ${t} avg`);
      close(a.g, b.g, 1e-5, `case ${t} grad`);
    }
  });
});
