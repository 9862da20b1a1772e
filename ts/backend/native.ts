/**
 * The native backend: float32/float64 kernels run in the C++ addon, everything else (int32/bool work,
 * index kernels) in the TypeScript backend. Work below a measured size goes to the TypeScript kernels too,
 * because an N-API call costs more than a tiny loop (see bench/kernels-native.ts for the crossovers).
 * Metadata travels in one reused Float64Array, so a call allocates nothing.
 */
import { jsBackend } from "./js/index";
import { loadAddon, type NativeAddon } from "./native/addon";
import { BINARY_CODE, COSTLY_UNARY, REDUCE_CODE, UNARY_CODE } from "./native/codes";
import type {
  AdamArgs,
  ArgReduceOp,
  Backend,
  BinaryOp,
  FloatArray,
  GemmArgs,
  ReduceOp,
  SgdArgs,
  TypedArray,
  UnaryOp,
  View,
} from "./types";

/** Most dims the addon takes; views with more run on the TypeScript backend. */
const MAX_DIMS = 16;

/**
 * Element counts below which the TypeScript kernel is faster than the N-API call. Measured with
 * bench/kernels-native.ts on the 2-core AVX-512 machine (an addon call costs ~0.3–0.8 µs; JS relu/add run
 * ~3–6 ns per element, tanh ~20 ns): add ≈ 128–256, relu ≈ 256, tanh ≈ 64, sum ≈ 128–512. Near the
 * crossover both sides cost the same, so the exact values matter little.
 */
export const CROSSOVER = {
  unaryCheap: 256,
  unaryCostly: 48,
  binary: 192,
  where: 256,
  fill: 512,
  reduce: 256,
  argReduce: 256,
  softmax: 64,
  gemmFlops: 4096,
  optim: 256,
};

function isFloat(a: TypedArray): a is FloatArray {
  return a instanceof Float32Array || a instanceof Float64Array;
}

function sameKind(a: TypedArray, b: TypedArray): boolean {
  return a.constructor === b.constructor;
}

function numel(shape: readonly number[]): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i];
  return n;
}

/** Builds the backend over a loaded addon; with useCrossover false every float kernel goes to the addon. */
export function makeNativeBackend(addon: NativeAddon, useCrossover: boolean): Backend {
  const meta = new Float64Array(1 + MAX_DIMS + 4 * (1 + MAX_DIMS));
  const c = useCrossover ? CROSSOVER : null;

  // meta = [ndim, shape..., then per view: offset, strides...]
  function pack1(shape: readonly number[], v: View): void {
    const nd = shape.length;
    meta[0] = nd;
    let p = 1;
    for (let i = 0; i < nd; i++) meta[p++] = shape[i];
    meta[p++] = v.offset;
    for (let i = 0; i < nd; i++) meta[p++] = v.strides[i];
  }
  function packMore(at: number, v: View, nd: number): number {
    meta[at++] = v.offset;
    for (let i = 0; i < nd; i++) meta[at++] = v.strides[i];
    return at;
  }
  function pack(shape: readonly number[], v0: View, v1: View, v2?: View, v3?: View): void {
    pack1(shape, v0);
    const nd = shape.length;
    let p = 2 + 2 * nd;
    p = packMore(p, v1, nd);
    if (v2) p = packMore(p, v2, nd);
    if (v3) packMore(p, v3, nd);
  }

  const gemmMeta = new Float64Array(17);
  const optMeta = new Float64Array(9);

  return {
    name: "native",

    unary(op: UnaryOp, x: View, out: View, p0?: number, p1?: number): void {
      const xd = x.data, od = out.data;
      if (
        !isFloat(xd) || !isFloat(od) || (op !== "copy" && !sameKind(xd, od)) || out.shape.length > MAX_DIMS ||
        (c !== null && numel(out.shape) < (COSTLY_UNARY.has(op) ? c.unaryCostly : c.unaryCheap))
      ) {
        jsBackend.unary(op, x, out, p0, p1);
        return;
      }
      pack(out.shape, x, out);
      addon.unary(UNARY_CODE[op], xd, od, meta, p0 ?? NaN, p1 ?? NaN);
    },

    binary(op: BinaryOp, a: View, b: View, out: View, p0?: number): void {
      const ad = a.data, bd = b.data, od = out.data;
      if (
        !isFloat(ad) || !sameKind(ad, bd) || out.shape.length > MAX_DIMS ||
        !(sameKind(ad, od) || od instanceof Uint8Array) || (c !== null && numel(out.shape) < c.binary)
      ) {
        jsBackend.binary(op, a, b, out, p0);
        return;
      }
      pack(out.shape, a, b, out);
      addon.binary(BINARY_CODE[op], ad, bd, od, meta, p0 ?? NaN);
    },

    where(cond: View, a: View, b: View, out: View): void {
      const od = out.data;
      if (
        !isFloat(od) || !sameKind(a.data, od) || !sameKind(b.data, od) || !(cond.data instanceof Uint8Array) ||
        out.shape.length > MAX_DIMS || (c !== null && numel(out.shape) < c.where)
      ) {
        jsBackend.where(cond, a, b, out);
        return;
      }
      pack(out.shape, cond, a, b, out);
      addon.where(cond.data, a.data, b.data, od, meta);
    },

    reduce(op: ReduceOp, x: View, nReduced: number, out: TypedArray): void {
      if (
        !isFloat(x.data) || !sameKind(x.data, out) || x.shape.length > MAX_DIMS ||
        (c !== null && numel(x.shape) < c.reduce)
      ) {
        jsBackend.reduce(op, x, nReduced, out);
        return;
      }
      pack1(x.shape, x);
      addon.reduce(REDUCE_CODE[op], x.data, meta, nReduced, out);
    },

    argReduce(op: ArgReduceOp, x: View, indices: Int32Array, values: TypedArray | null): void {
      if (
        !isFloat(x.data) || (values !== null && !sameKind(x.data, values)) || x.shape.length > MAX_DIMS ||
        x.shape.length === 0 || (c !== null && numel(x.shape) < c.argReduce)
      ) {
        jsBackend.argReduce(op, x, indices, values);
        return;
      }
      pack1(x.shape, x);
      addon.argReduce(op === "argmax", x.data, meta, indices, values);
    },

    softmax(x: FloatArray, xOffset: number, outer: number, dim: number, inner: number, log: boolean, out: FloatArray): void {
      if (!sameKind(x, out) || (c !== null && outer * dim * inner < c.softmax)) {
        jsBackend.softmax(x, xOffset, outer, dim, inner, log, out);
        return;
      }
      addon.softmax(x, xOffset, outer, dim, inner, log, out);
    },

    gemm(g: GemmArgs): void {
      if (!sameKind(g.a, g.c) || !sameKind(g.b, g.c) || (c !== null && g.m * g.n * g.k * g.batch < c.gemmFlops)) {
        jsBackend.gemm(g);
        return;
      }
      const m = gemmMeta;
      m[0] = g.transA ? 1 : 0;
      m[1] = g.transB ? 1 : 0;
      m[2] = g.m;
      m[3] = g.n;
      m[4] = g.k;
      m[5] = g.alpha;
      m[6] = g.beta;
      m[7] = g.aOffset;
      m[8] = g.lda;
      m[9] = g.bOffset;
      m[10] = g.ldb;
      m[11] = g.cOffset;
      m[12] = g.ldc;
      m[13] = g.batch;
      m[14] = g.strideA;
      m[15] = g.strideB;
      m[16] = g.strideC;
      addon.gemm(g.a, g.b, g.c, m);
    },

    indexSelect: jsBackend.indexSelect,
    indexAdd: jsBackend.indexAdd,
    gather: jsBackend.gather,
    scatterAdd: jsBackend.scatterAdd,

    fill(out: View, value: number): void {
      if (!isFloat(out.data) || out.shape.length > MAX_DIMS || (c !== null && numel(out.shape) < c.fill)) {
        jsBackend.fill(out, value);
        return;
      }
      pack1(out.shape, out);
      addon.fill(out.data, meta, value);
    },

    sgdStep(param: FloatArray, grad: FloatArray, momentumBuf: FloatArray | null, args: SgdArgs): void {
      if (c !== null && param.length < c.optim) {
        jsBackend.sgdStep(param, grad, momentumBuf, args);
        return;
      }
      const m = optMeta;
      m[0] = args.lr;
      m[1] = args.momentum;
      m[2] = args.dampening;
      m[3] = args.weightDecay;
      m[4] = args.nesterov ? 1 : 0;
      m[5] = args.maximize ? 1 : 0;
      m[6] = args.firstStep ? 1 : 0;
      addon.sgdStep(param, grad, momentumBuf, m);
    },

    adamStep(
      param: FloatArray,
      grad: FloatArray,
      expAvg: FloatArray,
      expAvgSq: FloatArray,
      maxExpAvgSq: FloatArray | null,
      args: AdamArgs,
    ): void {
      if (c !== null && param.length < c.optim) {
        jsBackend.adamStep(param, grad, expAvg, expAvgSq, maxExpAvgSq, args);
        return;
      }
      const m = optMeta;
      m[0] = args.lr;
      m[1] = args.beta1;
      m[2] = args.beta2;
      m[3] = args.eps;
      m[4] = args.weightDecay;
      m[5] = args.decoupled ? 1 : 0;
      m[6] = args.amsgrad ? 1 : 0;
      m[7] = args.maximize ? 1 : 0;
      m[8] = args.step;
      addon.adamStep(param, grad, expAvg, expAvgSq, maxExpAvgSq, m);
    },

    setNumThreads(n: number): void {
      addon.setNumThreads(n);
    },
    getNumThreads(): number {
      return addon.getNumThreads();
    },
  };
}

let loaded: { addon: NativeAddon } | { error: string } | null = null;

function addonOnce(): { addon: NativeAddon } | { error: string } {
  if (loaded === null) loaded = loadAddon();
  return loaded;
}

/** The native backend (small work dispatched to the TypeScript kernels), or why it is unavailable. Never throws. */
export function loadNativeBackend(): { backend: Backend } | { error: string } {
  const r = addonOnce();
  return "error" in r ? r : { backend: makeNativeBackend(r.addon, true) };
}

/** The native kernels with no small-size dispatch: every float kernel runs in C++ (parity tests, benchmarks). */
export function loadRawNativeBackend(): { backend: Backend } | { error: string } {
  const r = addonOnce();
  return "error" in r ? r : { backend: makeNativeBackend(r.addon, false) };
}

/** The addon itself (cpuLevel() and friends), or null when it did not load. */
export function nativeAddon(): NativeAddon | null {
  const r = addonOnce();
  return "error" in r ? null : r.addon;
}
