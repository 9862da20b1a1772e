import { autocastOn, lowered, loweredOpt, withoutAutocast } from "./autocast-cast";
import { isHalf, roundedTo, widened, widenedOpt } from "./half";
/**
 * Convolution (torch.nn.functional.conv1d / conv2d) as im2col + the GEMM kernel, and the two layout ops it
 * is built from — im2col (unfold) and col2im (fold), adjoint to each other, each the other's backward — so
 * the convolution's backward is written in tensor ops (matmul, im2col, col2im, sum) and createGraph works.
 */
import { B } from "../backend/index";
import type { FloatArray } from "../backend/types";
import type { Tensor } from "../tensor";
import { noGrad } from "../autograd/grad-mode";
import { formatShape } from "../shape";
import { emptyTensor, needsGrad, record, zerosTensor } from "./core";
import { giveScratch, takeScratch } from "./scratch";
import { sum } from "./reduce";
import { contiguous, reshape } from "./views";

/** [n, c, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow]: see ts/backend/js/vision.ts. */
export type Geom = readonly number[];

/** x's values, contiguous (x itself when it already is). */
export function dense(x: Tensor): Tensor {
  return x.isContiguous() ? x : noGrad(() => contiguous(x));
}

/** The columns of a contiguous [n, c, h, w] image: a [n, c·kh·kw, oh·ow] tensor; `fill` outside the image. */
export function im2col(x: Tensor, geom: Geom, fill = 0): Tensor {
  const [n, c, , , kh, kw, , , , , , , oh, ow] = geom;
  const xc = dense(x);
  const out = emptyTensor([n, c * kh * kw, oh * ow], x.dtype);
  B.im2col(xc._data as FloatArray, xc.offset, geom, out._data as FloatArray, fill);
  if (needsGrad(x)) {
    const shape = x.shape;
    record("Im2ColBackward0", [x], out, [], (g) => [reshape(col2im(g, geom), shape)], { geom: geom.slice() });
  }
  return out;
}

/** The adjoint of im2col: [n, c·kh·kw, oh·ow] columns summed back into a [n, c, h, w] image. */
export function col2im(cols: Tensor, geom: Geom): Tensor {
  const [n, c, h, w] = geom;
  const cc = dense(cols);
  const src = cc.offset === 0 ? (cc._data as FloatArray) : (cc._data as FloatArray).subarray(cc.offset);
  const out = zerosTensor([n, c, h, w], cols.dtype);
  B.col2im(src, geom, out._data as FloatArray);
  if (needsGrad(cols)) {
    const shape = cols.shape;
    record("Col2ImBackward0", [cols], out, [], (g) => [reshape(im2col(g, geom, 0), shape)], { geom: geom.slice() });
  }
  return out;
}

export type Padding = number | readonly number[] | "same" | "valid";

export interface ConvOptions {
  stride?: number | readonly number[];
  padding?: Padding;
  dilation?: number | readonly number[];
  groups?: number;
}

/** A number or a list of `nd` numbers, as PyTorch's expand_param_if_needed. */
export function expandParam(v: number | readonly number[], nd: number, name: string): number[] {
  if (typeof v === "number") return new Array<number>(nd).fill(v);
  if (Array.isArray(v) && v.length === 1) return new Array<number>(nd).fill(v[0]);
  if (!Array.isArray(v) || v.length !== nd) {
    throw new RangeError(
      `expected ${name} to be a single integer value or a list of ${nd} values to match the convolution dimensions, but got ${name}=[${Array.isArray(v) ? v.join(", ") : String(v)}]`,
    );
  }
  return (v as number[]).slice();
}

function checkInts(v: number[], name: string): void {
  for (const x of v) if (!Number.isInteger(x)) throw new TypeError(`conv: ${name} must be integers, got ${x}`);
}

/**
 * torch.nn.functional.conv1d (nd = 1) and conv2d (nd = 2): checks as PyTorch's check_shape_forward, with its
 * messages, then one convolution on a [N, C, H, W] view of the (contiguous) data.
 */
export function convNd(nd: 1 | 2, input: Tensor, weight: Tensor, bias: Tensor | null | undefined, opts: ConvOptions): Tensor {
  if (autocastOn()) [input, weight, bias] = [lowered(input), lowered(weight), loweredOpt(bias)];
  if (isHalf(input?.dtype)) return roundedTo(withoutAutocast(() => convNd(nd, widened(input), widenedOpt(weight), widenedOpt(bias), opts)), input.dtype);
  const op = `conv${nd}d`;
  if (input.ndim !== nd + 1 && input.ndim !== nd + 2) {
    throw new RangeError(
      `Expected ${nd + 1}D (unbatched) or ${nd + 2}D (batched) input to ${op}, but got input of size: ${formatShape(input.shape)}`,
    );
  }
  if (input.ndim === nd + 1) {
    const out = convNd(nd, reshape(input, [1, ...input.shape]), weight, bias, opts);
    return reshape(out, out.shape.slice(1));
  }
  if (input.dtype !== "float32" && input.dtype !== "float64") {
    throw new TypeError(`"${op}" not implemented for '${input.dtype === "int32" ? "Int" : "Bool"}'`);
  }
  if (weight.dtype !== input.dtype) {
    throw new TypeError(`expected scalar type ${scalarName(input.dtype)} but found ${scalarName(weight.dtype)}`);
  }
  if (bias && bias.dtype !== input.dtype) {
    throw new TypeError(`expected scalar type ${scalarName(input.dtype)} but found ${scalarName(bias.dtype)}`);
  }
  const groups = opts.groups ?? 1;
  if (!Number.isInteger(groups) || groups <= 0) throw new RangeError("non-positive groups is not supported");
  const stride = expandParam(opts.stride ?? 1, nd, "stride");
  const dilation = expandParam(opts.dilation ?? 1, nd, "dilation");
  checkInts(stride, "stride");
  checkInts(dilation, "dilation");
  const padArg = opts.padding ?? 0;
  let padLeft: number[];
  if (typeof padArg === "string") {
    if (padArg === "valid") padLeft = new Array<number>(nd).fill(0);
    else if (padArg === "same") {
      if (stride.some((s) => s !== 1)) throw new RangeError("padding='same' is not supported for strided convolutions");
      // PyTorch pads total = d·(k − 1), the extra one (odd total) on the right.
      padLeft = [];
      for (let i = 0; i < nd; i++) padLeft.push(Math.floor((dilation[i] * (weight.shape[2 + i] - 1)) / 2));
    } else throw new RangeError(`Invalid padding string: '${padArg}'`);
  } else {
    padLeft = expandParam(padArg as number | number[], nd, "padding");
    checkInts(padLeft, "padding");
  }
  if (padLeft.some((p) => p < 0)) throw new RangeError("negative padding is not supported");
  if (stride.some((s) => s <= 0)) throw new RangeError("non-positive stride is not supported");
  if (dilation.some((d) => d <= 0)) throw new RangeError("dilation should be greater than zero");
  if (weight.ndim !== nd + 2) {
    throw new RangeError(
      `Expected ${weight.ndim}-dimensional input for ${weight.ndim}-dimensional weight ${formatShape(weight.shape)}, but got ${input.ndim}-dimensional input of size ${formatShape(input.shape)} instead`,
    );
  }
  const co = weight.shape[0];
  if (co < groups) {
    throw new RangeError(`Given groups=${groups}, expected weight to be at least ${groups} at dimension 0, but got weight of size ${formatShape(weight.shape)} instead`);
  }
  if (co % groups !== 0) {
    throw new RangeError(`Given groups=${groups}, expected weight to be divisible by ${groups} at dimension 0, but got weight of size [${formatShape(weight.shape)}] instead`);
  }
  const c = input.shape[1];
  if (c !== weight.shape[1] * groups) {
    throw new RangeError(
      `Given groups=${groups}, weight of size ${formatShape(weight.shape)}, expected input${formatShape(input.shape)} to have ${weight.shape[1] * groups} channels, but got ${c} channels instead`,
    );
  }
  const spatial = input.shape.slice(2);
  const kernel = weight.shape.slice(2);
  const same = padArg === "same";
  const padTotal = spatial.map((_, i) => (same ? dilation[i] * (kernel[i] - 1) : 2 * padLeft[i]));
  const padded = spatial.map((s, i) => s + padTotal[i]);
  const dk = kernel.map((k, i) => dilation[i] * (k - 1) + 1);
  if (padded.some((p, i) => p < dk[i])) {
    throw new RangeError(
      `Calculated padded input size per channel: (${padded.join(" x ")}). Kernel size: (${dk.join(" x ")}). Kernel size can't be greater than actual input size`,
    );
  }
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== co)) {
    throw new RangeError(
      `Given weight of size ${formatShape(weight.shape)}, expected bias to be 1-dimensional with ${co} elements, but got bias of size ${formatShape(bias.shape)} instead`,
    );
  }
  const outSpatial = spatial.map((s, i) => Math.floor((s + padTotal[i] - dk[i]) / stride[i]) + 1);
  const n = input.shape[0];
  // A 1-d convolution is a 2-d one over a height of 1.
  const h = nd === 2 ? spatial[0] : 1;
  const w = spatial[nd - 1];
  const kh = nd === 2 ? kernel[0] : 1;
  const kw = kernel[nd - 1];
  const geom: number[] = [
    n, c, h, w, kh, kw,
    nd === 2 ? stride[0] : 1, stride[nd - 1],
    nd === 2 ? padLeft[0] : 0, padLeft[nd - 1],
    nd === 2 ? dilation[0] : 1, dilation[nd - 1],
    nd === 2 ? outSpatial[0] : 1, outSpatial[nd - 1],
  ];
  return convolution(input, weight, bias ?? null, geom, groups, [n, co, ...outSpatial]);
}

function scalarName(d: string): string {
  return d === "float32" ? "Float" : d === "float64" ? "Double" : d === "int32" ? "Int" : "Bool";
}

/**
 * Columns are built for a block of samples at a time, at most this many elements (1 MB of float32, within one
 * core's L2), so that they stay in cache between im2col or the GEMM and its consumer (and a batch never needs its
 * whole column matrix at once).
 */
const CHUNK_ELEMENTS = 1 << 18;

function isIdentity(geom: Geom): boolean {
  const [, , , , kh, kw, sh, sw, ph, pw] = geom;
  return kh === 1 && kw === 1 && sh === 1 && sw === 1 && ph === 0 && pw === 0;
}

/** Samples per block of columns. */
function chunkOf(geom: Geom): number {
  const [n, c, , , kh, kw, , , , , , , oh, ow] = geom;
  return Math.max(1, Math.min(n, Math.floor(CHUNK_ELEMENTS / Math.max(c * kh * kw * oh * ow, 1))));
}

/**
 * The forward keeps the whole batch's columns for the weight gradient (which then needs no second im2col)
 * when they have at most this many elements; larger ones are rebuilt a block at a time in the backward.
 */
const KEEP_COLS_ELEMENTS = 1 << 22;

type ChunkFn = (s0: number, nb: number, cols: FloatArray, colsOffset: number) => void;

/**
 * Calls fn(firstSample, samples, cols, colsOffset) for consecutive blocks of samples with their im2col columns
 * ([samples, c·kh·kw, oh·ow] from colsOffset); a 1×1 kernel at stride 1 without padding reads the image itself.
 * With `whole`, one block holds the whole batch and its columns are returned (else null).
 */
function columnChunks(xc: Tensor, geom: Geom, fn: ChunkFn, whole = false): FloatArray | null {
  const [n, c, h, w, kh, kw, , , , , , , oh, ow] = geom;
  if (isIdentity(geom)) {
    fn(0, n, xc._data as FloatArray, xc.offset);
    return null;
  }
  const chunk = whole ? n : chunkOf(geom);
  const cols = takeScratch(xc.dtype as "float32" | "float64", chunk * c * kh * kw * oh * ow);
  const g = geom.slice();
  for (let s0 = 0; s0 < n; s0 += chunk) {
    g[0] = Math.min(chunk, n - s0);
    B.im2col(xc._data as FloatArray, xc.offset + s0 * c * h * w, g, cols, 0);
    fn(s0, g[0], cols, 0);
  }
  if (whole) return cols;
  giveScratch(cols);
  return null;
}

/** Sizes shared by the three convolution ops: per-group output channels, K = (c/groups)·kh·kw, L = oh·ow. */
function sizes(geom: Geom, co: number, groups: number): { n: number; c: number; cog: number; k: number; l: number } {
  const [n, c, , , kh, kw, , , , , , , oh, ow] = geom;
  return { n, c, cog: co / groups, k: (c / groups) * kh * kw, l: oh * ow };
}

const DOUBLE_BACKWARD = "ConvolutionBackwardBackward0";

/**
 * The convolution proper on checked arguments: out[n, g] = W[g]·cols[n, g] (+ b), one batched GEMM per group.
 * Its backward is the two ops below; each of the three is linear in each input, and the derivatives of each
 * are the other two, so every order of derivative is a convolution op again.
 */
function convolution(x: Tensor, weight: Tensor, bias: Tensor | null, geom: Geom, groups: number, outShape: readonly number[]): Tensor {
  const co = weight.shape[0];
  const { n, cog, k, l } = sizes(geom, co, groups);
  const out = emptyTensor(outShape, x.dtype);
  const od = out._data as FloatArray;
  const wc = dense(weight);
  if (bias !== null) {
    // Each output row starts as its channel's bias (the GEMM adds onto it): a fill per row.
    B.convBiasFill(bias._kv(), n, co, l, od);
  }
  const [, c, , , kh, kw] = geom;
  const keep = needsGrad(weight) && !isIdentity(geom) && n * c * kh * kw * l <= KEEP_COLS_ELEMENTS;
  const gemmBlock: ChunkFn = (s0, nb, cols, colsOffset) => {
    for (let g = 0; g < groups; g++) {
      B.gemm({
        transA: false, transB: false, m: cog, n: l, k, alpha: 1, beta: bias !== null ? 1 : 0,
        a: wc._data as FloatArray, aOffset: wc.offset + g * cog * k, lda: k,
        b: cols, bOffset: colsOffset + g * k * l, ldb: l,
        c: od, cOffset: s0 * co * l + g * cog * l, ldc: l,
        batch: nb, strideA: 0, strideB: groups * k * l, strideC: co * l,
      });
    }
  };
  let kept: FloatArray | null = null;
  if (!keep && slicedByChannels(geom, groups)) {
    forwardByChannelSlices(dense(x), wc, geom, co, od, bias !== null);
  } else {
    kept = columnChunks(dense(x), geom, gemmBlock, keep);
  }
  if (needsGrad(x) || needsGrad(weight) || (bias !== null && needsGrad(bias))) {
    const rx = x._requiresGrad;
    const rw = weight._requiresGrad;
    const rb = bias !== null && bias._requiresGrad;
    const xShape = x.shape;
    const wShape = weight.shape;
    // The kept columns serve the first backward only, then go back to the scratch pool (a second
    // backward of a retained graph rebuilds them).
    const weightGradFromKept = (gOut: Tensor, xs: Tensor, wShape: readonly number[]): Tensor => {
      const cols = kept;
      kept = null;
      const gw = convWeightGrad(gOut, xs, geom, groups, wShape, cols);
      if (cols !== null) giveScratch(cols);
      return gw;
    };
    const backward = (gOut: Tensor, [xs, ws]: readonly Tensor[]): (Tensor | null)[] => {
      const grads: (Tensor | null)[] = [
        rx ? convInputGrad(gOut, ws, geom, groups, xShape) : null,
        rw ? weightGradFromKept(gOut, xs, wShape) : null,
      ];
      if (bias !== null) grads.push(rb ? sum(reshape(gOut, [n, co, l]), [0, 2]) : null);
      return grads;
    };
    record("ConvolutionBackward0", bias !== null ? [x, weight, bias] : [x, weight], out, [x, weight], backward, {
      stride: [geom[6], geom[7]], padding: [geom[8], geom[9]], dilation: [geom[10], geom[11]], groups,
    });
  }
  return out;
}

/**
 * Runs `body` per sample and slice of input channels (at most channelSlice(geom), so the columns stay within a
 * block), with that slice's columns built in one reused scratch array.
 */
function forEachChannelSlice(xc: Tensor, geom: Geom, body: (s: number, ch0: number, cn: number, cols: FloatArray) => void): void {
  const [n, c, h, w, kh, kw, , , , , , , oh, ow] = geom;
  const cs = channelSlice(geom);
  const cols = takeScratch(xc.dtype as "float32" | "float64", Math.min(cs, c) * kh * kw * oh * ow);
  const g1 = geom.slice();
  g1[0] = 1;
  for (let s = 0; s < n; s++) {
    for (let ch0 = 0; ch0 < c; ch0 += cs) {
      const cn = Math.min(cs, c - ch0);
      g1[1] = cn;
      B.im2col(xc._data as FloatArray, xc.offset + (s * c + ch0) * h * w, g1, cols, 0);
      body(s, ch0, cn, cols);
    }
  }
  giveScratch(cols);
}

/**
 * The forward of one group whose columns for a single sample exceed a block: per sample, the columns of a
 * slice of input channels at a time, each GEMM adding its part of K into the output (which starts as the
 * bias, or is written by the first slice).
 */
function forwardByChannelSlices(xc: Tensor, wc: Tensor, geom: Geom, co: number, od: FloatArray, hasBias: boolean): void {
  const [, c, , , kh, kw, , , , , , , oh, ow] = geom;
  const l = oh * ow, k = c * kh * kw;
  forEachChannelSlice(xc, geom, (s, ch0, cn, cols) => {
    B.gemm({
      transA: false, transB: false, m: co, n: l, k: cn * kh * kw, alpha: 1, beta: hasBias || ch0 > 0 ? 1 : 0,
      a: wc._data as FloatArray, aOffset: wc.offset + ch0 * kh * kw, lda: k,
      b: cols, bOffset: 0, ldb: l,
      c: od, cOffset: s * co * l, ldc: l,
      batch: 1, strideA: 0, strideB: 0, strideC: 0,
    });
  });
}

/** Whether one sample's columns exceed a block, so they are built a slice of input channels at a time (groups 1). */
function slicedByChannels(geom: Geom, groups: number): boolean {
  const [, c, , , kh, kw, , , , , , , oh, ow] = geom;
  return groups === 1 && c > 1 && !isIdentity(geom) && c * kh * kw * oh * ow > CHUNK_ELEMENTS;
}

/** Input channels per slice of columns (at most a block). */
function channelSlice(geom: Geom): number {
  return Math.max(1, Math.floor(CHUNK_ELEMENTS / (geom[4] * geom[5] * geom[12] * geom[13])));
}

/** convInputGrad's work a block of samples at a time: the columns' gradient, summed into the image by col2im. */
function inputGradByBlocks(gc: Tensor, wc: Tensor, geom: Geom, groups: number, co: number, od: FloatArray): void {
  const { n, c, cog, k, l } = sizes(geom, co, groups);
  const identity = isIdentity(geom);
  const chunk = identity ? n : chunkOf(geom);
  // A 1×1 kernel at stride 1 without padding: the image is the columns, written directly.
  const cols = identity ? od : takeScratch(gc.dtype as "float32" | "float64", chunk * c * geom[4] * geom[5] * l);
  const imagePerSample = c * geom[2] * geom[3];
  const g4 = geom.slice();
  for (let s0 = 0; s0 < n; s0 += chunk) {
    const nb = Math.min(chunk, n - s0);
    const base = identity ? s0 * imagePerSample : 0;
    for (let g = 0; g < groups; g++) {
      B.gemm({
        transA: true, transB: false, m: k, n: l, k: cog, alpha: 1, beta: 0,
        a: wc._data as FloatArray, aOffset: wc.offset + g * cog * k, lda: k,
        b: gc._data as FloatArray, bOffset: gc.offset + s0 * co * l + g * cog * l, ldb: l,
        c: cols, cOffset: base + g * k * l, ldc: l,
        batch: nb, strideA: 0, strideB: co * l, strideC: groups * k * l,
      });
    }
    if (!identity) {
      g4[0] = nb;
      B.col2im(cols, g4, od.subarray(s0 * imagePerSample));
    }
  }
  if (!identity) giveScratch(cols);
}

/** convInputGrad's work per sample and slice of input channels: that slice's columns, then col2im into its planes. */
function inputGradByChannelSlices(gc: Tensor, wc: Tensor, geom: Geom, co: number, od: FloatArray): void {
  const [n, c, h, w, kh, kw, , , , , , , oh, ow] = geom;
  const l = oh * ow, k = c * kh * kw;
  const cs = channelSlice(geom);
  const cols = takeScratch(gc.dtype as "float32" | "float64", Math.min(cs, c) * kh * kw * l);
  const g1 = geom.slice();
  g1[0] = 1;
  for (let s = 0; s < n; s++) {
    for (let ch0 = 0; ch0 < c; ch0 += cs) {
      const cn = Math.min(cs, c - ch0);
      g1[1] = cn;
      B.gemm({
        transA: true, transB: false, m: cn * kh * kw, n: l, k: co, alpha: 1, beta: 0,
        a: wc._data as FloatArray, aOffset: wc.offset + ch0 * kh * kw, lda: k,
        b: gc._data as FloatArray, bOffset: gc.offset + s * co * l, ldb: l,
        c: cols, cOffset: 0, ldc: l,
        batch: 1, strideA: 0, strideB: 0, strideC: 0,
      });
      B.col2im(cols, g1, od.subarray((s * c + ch0) * h * w));
    }
  }
  giveScratch(cols);
}

/** ∂(conv)/∂x applied to g: col2im(W[g]ᵀ·g[n, g]), shaped as x. */
export function convInputGrad(gOut: Tensor, weight: Tensor, geom: Geom, groups: number, xShape: readonly number[]): Tensor {
  const co = weight.shape[0];
  const gc = dense(gOut);
  const wc = dense(weight);
  const out = zerosTensor(xShape, gOut.dtype);
  const od = out._data as FloatArray;
  if (slicedByChannels(geom, groups)) inputGradByChannelSlices(gc, wc, geom, co, od);
  else inputGradByBlocks(gc, wc, geom, groups, co, od);
  if (needsGrad(gOut) || needsGrad(weight)) {
    const rg = gOut._requiresGrad;
    const rw = weight._requiresGrad;
    const gShape = gOut.shape;
    const wShape = weight.shape;
    record(DOUBLE_BACKWARD, [gOut, weight], out, [gOut, weight], (gg, [gs, ws]) => [
      rg ? convolution(reshapeTo4(gg, geom), ws, null, geom, groups, gShape) : null,
      rw ? convWeightGrad(gs, reshapeTo4(gg, geom), geom, groups, wShape) : null,
    ], { groups });
  }
  return out;
}

/** convWeightGrad's work per sample and slice of input channels: that slice's columns, and its block of ∂W's columns. */
function weightGradByChannelSlices(gc: Tensor, xc: Tensor, geom: Geom, co: number, od: FloatArray): void {
  const [, c, , , kh, kw, , , , , , , oh, ow] = geom;
  const l = oh * ow, k = c * kh * kw;
  forEachChannelSlice(xc, geom, (s, ch0, cn, cols) => {
    B.gemm({
      transA: false, transB: true, m: co, n: cn * kh * kw, k: l, alpha: 1, beta: s === 0 ? 0 : 1,
      a: gc._data as FloatArray, aOffset: gc.offset + s * co * l, lda: l,
      b: cols, bOffset: 0, ldb: l,
      c: od, cOffset: ch0 * kh * kw, ldc: k,
      batch: 1, strideA: 0, strideB: 0, strideC: 0,
    });
  });
}

/**
 * ∂(conv)/∂W applied to g: Σ_n g[n, g]·cols[n, g]ᵀ, shaped as W (the GEMMs accumulate over n). `keptCols`: x's
 * columns for the whole batch when the forward kept them (x is saved, so they are still its columns).
 */
export function convWeightGrad(gOut: Tensor, x: Tensor, geom: Geom, groups: number, wShape: readonly number[], keptCols: FloatArray | null = null): Tensor {
  const co = wShape[0];
  const { cog, k, l } = sizes(geom, co, groups);
  const gc = dense(gOut);
  const out = zerosTensor(wShape, gOut.dtype);
  const od = out._data as FloatArray;
  const perChunk: ChunkFn = (s0, nb, cols, colsOffset) => {
    for (let b = 0; b < nb; b++) {
      B.gemm({
        transA: false, transB: true, m: cog, n: k, k: l, alpha: 1, beta: s0 + b === 0 ? 0 : 1,
        a: gc._data as FloatArray, aOffset: gc.offset + (s0 + b) * co * l, lda: l,
        b: cols, bOffset: colsOffset + b * groups * k * l, ldb: l,
        c: od, cOffset: 0, ldc: k,
        batch: groups, strideA: cog * l, strideB: k * l, strideC: cog * k,
      });
    }
  };
  if (keptCols !== null) perChunk(0, geom[0], keptCols, 0);
  else if (slicedByChannels(geom, groups)) weightGradByChannelSlices(gc, dense(x), geom, co, od);
  else columnChunks(dense(x), geom, perChunk);
  if (needsGrad(gOut) || needsGrad(x)) {
    const rg = gOut._requiresGrad;
    const rx = x._requiresGrad;
    const gShape = gOut.shape;
    const xShape = x.shape;
    record(DOUBLE_BACKWARD, [gOut, x], out, [gOut, x], (gg, [gs, xs]) => [
      rg ? convolution(xs, gg, null, geom, groups, gShape) : null,
      rx ? convInputGrad(gs, gg, geom, groups, xShape) : null,
    ], { groups });
  }
  return out;
}

/** A gradient shaped as x (3-d for conv1d) viewed as the 4-d image the geometry describes. */
function reshapeTo4(t: Tensor, geom: Geom): Tensor {
  return t.ndim === 4 ? t : reshape(t, [geom[0], geom[1], geom[2], geom[3]]);
}

export function conv1d(input: Tensor, weight: Tensor, bias?: Tensor | null, opts: ConvOptions = {}): Tensor {
  return convNd(1, input, weight, bias, opts);
}

export function conv2d(input: Tensor, weight: Tensor, bias?: Tensor | null, opts: ConvOptions = {}): Tensor {
  return convNd(2, input, weight, bias, opts);
}

export interface ConvTransposeOptions {
  stride?: number | readonly number[];
  padding?: number | readonly number[];
  outputPadding?: number | readonly number[];
  groups?: number;
  dilation?: number | readonly number[];
}

/**
 * torch.nn.functional.conv_transpose1d / conv_transpose2d: the adjoint of a convolution whose weight is
 * `weight` ([in, out/groups, ...kernel]), i.e. its input-gradient op, plus the bias; its backward is a
 * convolution (input) and a weight-gradient op (weight).
 */
export function convTransposeNd(nd: 1 | 2, input: Tensor, weight: Tensor, bias: Tensor | null | undefined, opts: ConvTransposeOptions = {}): Tensor {
  if (isHalf(input?.dtype)) return roundedTo(convTransposeNd(nd, widened(input), widenedOpt(weight), widenedOpt(bias), opts), input.dtype);
  const op = `conv_transpose${nd}d`;
  if (input.ndim !== nd + 1 && input.ndim !== nd + 2) {
    throw new RangeError(`Expected ${nd + 1}D (unbatched) or ${nd + 2}D (batched) input to ${op}, but got input of size: ${formatShape(input.shape)}`);
  }
  if (input.ndim === nd + 1) {
    const out = convTransposeNd(nd, reshape(input, [1, ...input.shape]), weight, bias, opts);
    return reshape(out, out.shape.slice(1));
  }
  if (input.dtype !== "float32" && input.dtype !== "float64") throw new TypeError(`"${op}" not implemented for '${input.dtype}'`);
  for (const t of [weight, bias]) {
    if (t && t.dtype !== input.dtype) throw new TypeError(`expected scalar type ${scalarName(input.dtype)} but found ${scalarName(t.dtype)}`);
  }
  const groups = opts.groups ?? 1;
  if (!Number.isInteger(groups) || groups <= 0) throw new RangeError("non-positive groups is not supported");
  const stride = expandParam(opts.stride ?? 1, nd, "stride");
  const padding = expandParam(opts.padding ?? 0, nd, "padding");
  const outPad = expandParam(opts.outputPadding ?? 0, nd, "output_padding");
  const dilation = expandParam(opts.dilation ?? 1, nd, "dilation");
  for (const [v, name] of [[stride, "stride"], [padding, "padding"], [outPad, "output_padding"], [dilation, "dilation"]] as const) checkInts(v, name);
  if (padding.some((p) => p < 0)) throw new RangeError("negative padding is not supported");
  if (outPad.some((p) => p < 0)) throw new RangeError("negative output_padding is not supported");
  if (stride.some((s) => s <= 0)) throw new RangeError("non-positive stride is not supported");
  if (dilation.some((d) => d <= 0)) throw new RangeError("dilation should be greater than zero");
  if (weight.ndim !== nd + 2) {
    throw new RangeError(`Expected ${weight.ndim}-dimensional input for ${weight.ndim}-dimensional weight ${formatShape(weight.shape)}, but got ${input.ndim}-dimensional input of size ${formatShape(input.shape)} instead`);
  }
  if (outPad.some((p, i) => p >= stride[i] && p >= dilation[i])) {
    const hw = nd === 2 ? ["height", "width"] : ["width"];
    const list = (name: string, v: number[]) => v.map((x, i) => `${name}_${hw[i]}: ${x}`).join(" ");
    throw new RangeError(`output padding must be smaller than either stride or dilation, but got ${list("output_padding", outPad)} ${list("stride", stride)} ${list("dilation", dilation)}`);
  }
  const cin = input.shape[1];
  if (weight.shape[0] !== cin) {
    throw new RangeError(`Given transposed=1, weight of size ${formatShape(weight.shape)}, expected input${formatShape(input.shape)} to have ${weight.shape[0]} channels, but got ${cin} channels instead`);
  }
  if (cin % groups !== 0) {
    throw new RangeError(`Given groups=${groups}, expected weight to be divisible by ${groups} at dimension 0, but got weight of size [${formatShape(weight.shape)}] instead`);
  }
  const cout = weight.shape[1] * groups;
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== cout)) {
    throw new RangeError(`Given transposed=1, weight of size ${formatShape(weight.shape)}, expected bias to be 1-dimensional with ${cout} elements, but got bias of size ${formatShape(bias.shape)} instead`);
  }
  const spatial = input.shape.slice(2);
  const kernel = weight.shape.slice(2);
  const outSpatial = spatial.map((s, i) => (s - 1) * stride[i] - 2 * padding[i] + dilation[i] * (kernel[i] - 1) + outPad[i] + 1);
  if (outSpatial.some((o) => o <= 0)) {
    throw new RangeError(`Given input size per channel: (${spatial.join(" x ")}). Calculated output size per channel: (${outSpatial.join(" x ")}). Output size is too small`);
  }
  const n = input.shape[0];
  const two = (v: readonly number[], d: number): [number, number] => (nd === 2 ? [v[0], v[1]] : [d, v[0]]);
  const geom = [n, cout, ...two(outSpatial, 1), ...two(kernel, 1), ...two(stride, 1), ...two(padding, 0), ...two(dilation, 1), ...two(spatial, 1)];
  const outShape = [n, cout, ...outSpatial];
  const out = noGrad(() => convInputGrad(input, weight, geom, groups, outShape));
  const l = outSpatial.reduce((a, b) => a * b, 1);
  if (bias) {
    const ov = { data: out._data, dtype: out.dtype, offset: 0, shape: [n, cout, l], strides: [cout * l, l, 1] };
    B.binary("add", ov, { data: bias._data, dtype: bias.dtype, offset: bias.offset, shape: [n, cout, l], strides: [0, bias.strides[0], 0] }, ov);
  }
  if (needsGrad(input) || needsGrad(weight) || (bias && needsGrad(bias))) {
    const rx = input._requiresGrad;
    const rw = weight._requiresGrad;
    const rb = !!bias && bias._requiresGrad;
    const xShape = input.shape;
    const wShape = weight.shape;
    record("ConvolutionBackward0", bias ? [input, weight, bias] : [input, weight], out, [input, weight], (g, [xs, ws]) => {
      const grads: (Tensor | null)[] = [
        rx ? convolution(g, ws, null, geom, groups, xShape) : null,
        rw ? convWeightGrad(xs, g, geom, groups, wShape) : null,
      ];
      if (bias) grads.push(rb ? sum(reshape(g, [n, cout, l]), [0, 2]) : null);
      return grads;
    }, { stride: two(stride, 1), padding: two(padding, 0), dilation: two(dilation, 1), groups, transposed: true });
  }
  return out;
}
