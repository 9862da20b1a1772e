/**
 * Finds and loads the compiled addon (build/Release or prebuilds/ through node-gyp-build) from the package
 * root, found by walking up from this file to the directory holding package.json, so it works from ts/
 * (tsx, vitest) and from dist/ (bundled). TENSORGRAD_NATIVE_PATH loads a specific .node file instead
 * (the sanitizer build uses it).
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { FloatArray, Kernels, TypedArray } from "../types";

/** The functions the addon exports (see native/addon/*.cc for argument layouts). */
export interface NativeAddon {
  unary(op: number, x: TypedArray, out: TypedArray, meta: Float64Array, p0: number, p1: number): void;
  binary(op: number, a: TypedArray, b: TypedArray, out: TypedArray, meta: Float64Array, p0: number): void;
  where(cond: TypedArray, a: TypedArray, b: TypedArray, out: TypedArray, meta: Float64Array): void;
  fill(out: TypedArray, meta: Float64Array, value: number): void;
  reduce(op: number, x: TypedArray, meta: Float64Array, nReduced: number, out: TypedArray): void;
  argReduce(isMax: boolean, x: TypedArray, meta: Float64Array, indices: Int32Array, values: TypedArray | null): void;
  softmax(x: FloatArray, xOffset: number, outer: number, dim: number, inner: number, log: boolean, out: FloatArray): void;
  gemm(a: FloatArray, b: FloatArray, c: FloatArray, meta: Float64Array): void;
  sgdStep(param: FloatArray, grad: FloatArray, buf: FloatArray | null, meta: Float64Array): void;
  adamStep(
    param: FloatArray,
    grad: FloatArray,
    expAvg: FloatArray,
    expAvgSq: FloatArray,
    maxExpAvgSq: FloatArray | null,
    meta: Float64Array,
  ): void;
  // Index kernels (native/addon/bind_index.cc), float32/float64/int32: the view's dtype code names the data's
  // type and the other data array must match it; outputs are contiguous from element 0; 0-d travels as [1].
  // indexSelect/gather meta = [ndim, xShape..., code, xOffset, xStrides...] (gather: then outShape...);
  // indexAdd meta = [ndim, outShape..., code, srcOffset, srcStrides...] (src has index.length at dim);
  // scatterAdd meta = [ndim, srcShape..., code, srcOffset, srcStrides..., outShape...].
  indexSelect(x: TypedArray, meta: Float64Array, dim: number, index: Int32Array, out: TypedArray): void;
  indexAdd(out: TypedArray, meta: Float64Array, dim: number, index: Int32Array, src: TypedArray): void;
  gather(x: TypedArray, meta: Float64Array, dim: number, index: Int32Array, out: TypedArray): void;
  scatterAdd(out: TypedArray, meta: Float64Array, dim: number, index: Int32Array, src: TypedArray): void;
  // Vision layout kernels (native/addon/bind_vision.cc): geom = [n, c, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow].
  im2col?(image: FloatArray, imageOffset: number, geom: Float64Array, cols: FloatArray, fill: number): void;
  col2im?(cols: FloatArray, geom: Float64Array, image: FloatArray): void;
  maxPool2d?(image: FloatArray, imageOffset: number, geom: Float64Array, out: FloatArray, indices: Int32Array): void;
  // meta = [gOffset, planes, outPlane, inPlane].
  maxPool2dBackward?(g: FloatArray, meta: Float64Array, indices: Int32Array, gIn: FloatArray): void;
  // Batch-norm kernels (native/addon/bind_batch_norm.cc): meta = [xOffset, n, c, hw]; backward's meta =
  // [gOffset, xOffset, n, c, hw, training]; per-channel arrays are Float64Arrays (see ts/backend/js/batch-norm.ts).
  batchNormStats?(x: FloatArray, meta: Float64Array, stats: Float64Array): void;
  batchNormApply?(x: FloatArray, meta: Float64Array, coef: Float64Array, out: FloatArray): void;
  batchNormBackward?(g: FloatArray, x: FloatArray, meta: Float64Array, params: Float64Array, dx: FloatArray | null, dparams: Float64Array): void;
  // Sequence-layer kernels (native/addon/bind_sequence.cc): the Kernels signatures of ts/backend/js/sequence.ts.
  layerNorm?: Kernels["layerNorm"];
  layerNormBackward?: Kernels["layerNormBackward"];
  lstmCell?: Kernels["lstmCell"];
  lstmCellBackward?: Kernels["lstmCellBackward"];
  gruCell?: Kernels["gruCell"];
  gruCellBackward?: Kernels["gruCellBackward"];
  maskedSoftmax?: Kernels["maskedSoftmax"];
  softmaxBackward?: Kernels["softmaxBackward"];
  setNumThreads(n: number): void;
  getNumThreads(): number;
  cpuLevel(): string;
  /** The bfloat16 matrix instructions the kernels use: "amx", "avx512bf16" or "none" (native/common/cpu_features.h). */
  bf16Level(): string;
  gemmBf16(a: Uint16Array, b: Uint16Array, c: Float32Array, meta: Float64Array): void;
  /** Contiguous float32 <-> bfloat16 (code 4) / float16 (code 5) conversion of n elements (native/addon/bind_half.cc). */
  toHalf(src: Float32Array, srcOffset: number, dst: Uint16Array, dstOffset: number, n: number, code: number): void;
  fromHalf(src: Uint16Array, srcOffset: number, dst: Float32Array, dstOffset: number, n: number, code: number): void;
  /** Sizes of the op tables compiled into the addon (native/elementwise/ops.gen.h). */
  opCounts(): { unary: number; binary: number; reduce: number };
}

/**
 * The values TENSORGRAD_CPU accepts: the addon's cpuLevel() names and, above them, its bf16Level() names
 * (native/common/cpu_features.cc), which its load refuses any other value with;
 * test/robustness/env-config.test.ts checks the two agree.
 */
export const CPU_LEVELS = ["baseline", "avx2", "avx512", "avx512bf16", "amx"] as const;

/**
 * Throws when TENSORGRAD_CPU is set to something other than a CPU level: a typo must not silently run
 * the default kernels. Called at import, whichever backend is chosen.
 */
export function checkCpuEnv(value: string | undefined = process.env.TENSORGRAD_CPU): void {
  if (value === undefined || value === "" || (CPU_LEVELS as readonly string[]).includes(value)) return;
  throw new Error(
    `tensorgrad: TENSORGRAD_CPU=${JSON.stringify(value)} is not a CPU level; use one of ${CPU_LEVELS.map((l) => `"${l}"`).join(", ")}, ` +
      "or leave it unset for the best level this CPU supports",
  );
}

function thisDir(): string {
  if (typeof __dirname === "string") return __dirname;
  try {
    return dirname(fileURLToPath(import.meta.url));
  } catch {
    return process.cwd();
  }
}

/** The nearest directory at or above `start` holding package.json, or null. */
export function findPackageRoot(start: string): string | null {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, "package.json")) && existsSync(join(dir, "binding.gyp"))) return dir;
    const up = dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

/** Loads the addon; never throws. */
export function loadAddon(): { addon: NativeAddon } | { error: string } {
  try {
    const root = findPackageRoot(thisDir());
    if (root === null) return { error: `could not find tensorgrad's package root above ${thisDir()}` };
    const req = createRequire(join(root, "package.json"));
    const override = process.env.TENSORGRAD_NATIVE_PATH;
    const addon = (override ? req(resolve(override)) : req("node-gyp-build")(root)) as NativeAddon;
    if (typeof addon?.unary !== "function" || typeof addon.gemm !== "function") {
      return { error: "the native addon loaded but lacks its functions (a stale build?)" };
    }
    return { addon };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}
