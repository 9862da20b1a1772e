import { isHalf, roundedTo, widened } from "./half";
/**
 * Pooling (max_pool1d/2d, avg_pool1d/2d, adaptive_avg_pool1d/2d). Max and average pooling reduce the
 * im2col columns of the input (ts/ops/conv.ts); adaptive average pooling is two small averaging matrices.
 * Each forward records PyTorch's node, with a backward in tensor ops (scatter-add, col2im, matmul).
 */
import { Tensor } from "../tensor";
import { gradMode, noGrad } from "../autograd/grad-mode";
import { formatShape } from "../shape";
import { emptyTensor, needsGrad, record, zerosTensor } from "./core";
import { col2im, dense, expandParam, im2col } from "./conv";
import { B } from "../backend/index";
import type { FloatArray } from "../backend/types";
import { div } from "./arithmetic";
import { scatterAddInto } from "./index-ops";
import { matmul } from "./linalg";
import { sum } from "./reduce";
import { expand, reshape, transpose } from "./views";

type IntOrList = number | readonly number[];

/** A contiguous temporary's storage as a fresh (non-view) tensor of `shape`, to carry the op's node. */
function fresh(t: Tensor, shape: readonly number[]): Tensor {
  return t.offset === 0 && t.isContiguous() ? new Tensor(t._data, shape, t.dtype) : reshape(t, shape);
}

export interface MaxPoolOptions {
  stride?: IntOrList | null;
  padding?: IntOrList;
  dilation?: IntOrList;
  ceilMode?: boolean;
  returnIndices?: boolean;
}

export interface AvgPoolOptions {
  stride?: IntOrList | null;
  padding?: IntOrList;
  ceilMode?: boolean;
  countIncludePad?: boolean;
  divisorOverride?: number | null;
}

/** PyTorch's pooling_output_shape. */
export function poolOutSize(size: number, k: number, pad: number, stride: number, dil: number, ceil: boolean): number {
  let o = Math.floor((size + 2 * pad - dil * (k - 1) - 1 + (ceil ? stride - 1 : 0)) / stride) + 1;
  if (ceil && (o - 1) * stride >= size + pad) o--;
  return o;
}

interface PoolGeom {
  geom: number[];
  /** The output's shape. */
  shape: number[];
  /** The input viewed as [n, c, h, w]. */
  n: number;
  c: number;
}

function poolGeom(
  op: string, nd: 1 | 2, x: Tensor, kernel: IntOrList, strideArg: IntOrList | null | undefined,
  padArg: IntOrList, dilArg: IntOrList, ceil: boolean,
): PoolGeom {
  if (x.ndim !== nd + 1 && x.ndim !== nd + 2) {
    throw new RangeError(
      nd === 2
        ? `non-empty 3D or 4D (batch mode) tensor expected for input`
        : `Expected 2D or 3D (batch mode) tensor for input, but got: ${formatShape(x.shape)}`,
    );
  }
  if (x.dtype !== "float32" && x.dtype !== "float64") throw new TypeError(`"${op}" not implemented for '${x.dtype}'`);
  const k = expandParam(kernel, nd, "kernel_size");
  const s = strideArg === undefined || strideArg === null || (Array.isArray(strideArg) && strideArg.length === 0) ? k.slice() : expandParam(strideArg, nd, "stride");
  const p = expandParam(padArg, nd, "padding");
  const d = expandParam(dilArg, nd, "dilation");
  for (const v of [...k, ...s, ...p, ...d]) if (!Number.isInteger(v)) throw new TypeError(`${op}(): expected integer sizes, got ${v}`);
  if (k.some((v) => v <= 0)) throw new RangeError(`kernel size should be greater than zero, but got kernel_size=${k.join(", ")}`);
  if (s.some((v) => v <= 0)) throw new RangeError(`stride should be greater than zero, but got stride=${s.join(", ")}`);
  if (d.some((v) => v <= 0)) throw new RangeError(`dilation should be greater than zero, but got dilation=${d.join(", ")}`);
  for (let i = 0; i < nd; i++) {
    if (p[i] < 0 || p[i] > Math.floor(k[i] / 2)) {
      throw new RangeError(`pad should be at most half of kernel size, but got pad=${p[i]} and kernel_size=${k[i]}`);
    }
  }
  const batched = x.ndim === nd + 2;
  const n = batched ? x.shape[0] : 1;
  const c = x.shape[batched ? 1 : 0];
  const spatial = x.shape.slice(x.ndim - nd);
  const outSpatial = spatial.map((sz, i) => poolOutSize(sz, k[i], p[i], s[i], d[i], ceil));
  if (outSpatial.some((o) => o < 1) || spatial.some((sz) => sz < 1)) {
    throw new RangeError(
      `Given input size: (${[c, ...spatial].join("x")}). Calculated output size: (${[c, ...outSpatial].join("x")}). Output size is too small`,
    );
  }
  const two = (v: number[], dflt: number): [number, number] => (nd === 2 ? [v[0], v[1]] : [dflt, v[0]]);
  const [h, w] = two(spatial, 1);
  const [kh, kw] = two(k, 1);
  const [sh, sw] = two(s, 1);
  const [ph, pw] = two(p, 0);
  const [dh, dw] = two(d, 1);
  const [oh, ow] = two(outSpatial, 1);
  const shape = [...x.shape.slice(0, x.ndim - nd), ...outSpatial];
  return { geom: [n, c, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow], shape, n, c };
}

export function maxPoolNd(nd: 1 | 2, x: Tensor, kernelSize: IntOrList, opts: MaxPoolOptions = {}): Tensor | [Tensor, Tensor] {
  if (isHalf(x?.dtype)) {
    const r = maxPoolNd(nd, widened(x), kernelSize, opts);
    return Array.isArray(r) ? [roundedTo(r[0], x.dtype), r[1]] : roundedTo(r, x.dtype);
  }
  const op = `max_pool${nd}d`;
  const { geom, shape, n, c } = poolGeom(op, nd, x, kernelSize, opts.stride, opts.padding ?? 0, opts.dilation ?? 1, opts.ceilMode ?? false);
  const [, , h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow] = geom;
  const l = oh * ow;
  const xc = dense(x);
  const out = emptyTensor(shape, x.dtype);
  const idx = emptyTensor(shape, "int32");
  B.maxPool2d(xc._data as FloatArray, xc.offset, geom, out._data as FloatArray, idx._data as Int32Array);
  if (needsGrad(x)) {
    const xShape = x.shape;
    const flatIdx = reshape(idx, [n, c, l]);
    record(
      nd === 2 ? "MaxPool2DWithIndicesBackward0" : "MaxPool1DWithIndicesBackward0",
      [x], out, [],
      (g) => {
        // Building a graph of the backward (createGraph): scatter-add in tensor ops, whose own backward is a gather.
        if (gradMode.enabled) return [reshape(scatterAddInto([n, c, h * w], 2, flatIdx, reshape(g, [n, c, l])), xShape)];
        const gc = dense(g);
        const gIn = zerosTensor(xShape, g.dtype);
        B.maxPool2dBackward(gc._data as FloatArray, gc.offset, idx._data as Int32Array, n * c, l, h * w, gIn._data as FloatArray);
        return [gIn];
      },
      { kernel: [kh, kw], stride: [sh, sw], padding: [ph, pw], dilation: [dh, dw] },
    );
  }
  return opts.returnIndices ? [out, idx] : out;
}

/** PyTorch's divisor of each average-pooling window. */
function avgDivisors(geom: number[], countIncludePad: boolean, override: number | null | undefined, dtype: Tensor["dtype"]): Tensor {
  const [, , h, w, kh, kw, sh, sw, ph, pw, , , oh, ow] = geom;
  const t = emptyTensor([oh * ow], dtype);
  const d = t._data as Float32Array | Float64Array;
  for (let y = 0; y < oh; y++) {
    for (let x = 0; x < ow; x++) {
      if (override) {
        d[y * ow + x] = override;
        continue;
      }
      let hs = y * sh - ph;
      let ws = x * sw - pw;
      let he = Math.min(hs + kh, h + ph);
      let we = Math.min(ws + kw, w + pw);
      const poolSize = (he - hs) * (we - ws);
      hs = Math.max(hs, 0);
      ws = Math.max(ws, 0);
      he = Math.min(he, h);
      we = Math.min(we, w);
      d[y * ow + x] = countIncludePad ? poolSize : (he - hs) * (we - ws);
    }
  }
  return t;
}

export function avgPoolNd(nd: 1 | 2, x: Tensor, kernelSize: IntOrList, opts: AvgPoolOptions = {}): Tensor {
  if (isHalf(x?.dtype)) return roundedTo(avgPoolNd(nd, widened(x), kernelSize, opts), x.dtype);
  const op = `avg_pool${nd}d`;
  const { geom, shape, n, c } = poolGeom(op, nd, x, kernelSize, opts.stride, opts.padding ?? 0, 1, opts.ceilMode ?? false);
  if (opts.divisorOverride !== undefined && opts.divisorOverride !== null && opts.divisorOverride === 0) {
    throw new RangeError("divisor must be not zero");
  }
  const [, , , , kh, kw, sh, sw, ph, pw, , , oh, ow] = geom;
  const kk = kh * kw;
  const l = oh * ow;
  const divisors = avgDivisors(geom, opts.countIncludePad ?? true, opts.divisorOverride, x.dtype);
  const out = fresh(noGrad(() => div(sum(reshape(im2col(x, geom, 0), [n, c, kk, l]), 2), divisors)), shape);
  if (needsGrad(x)) {
    const xShape = x.shape;
    record(
      nd === 2 ? "AvgPool2DBackward0" : "AvgPool1DBackward0",
      [x], out, [],
      (g) => {
        const spread = expand(div(reshape(g, [n, c, 1, l]), divisors), [n, c, kk, l]);
        return [reshape(col2im(reshape(spread, [n, c * kk, l]), geom), xShape)];
      },
      { kernel: [kh, kw], stride: [sh, sw], padding: [ph, pw] },
    );
  }
  return out;
}

/** The [out, in] matrix averaging PyTorch's adaptive windows [⌊i·in/out⌋, ⌈(i+1)·in/out⌉). */
function adaptiveMatrix(inSize: number, outSize: number, dtype: Tensor["dtype"]): Tensor {
  const t = emptyTensor([outSize, inSize], dtype);
  const d = t._data as Float32Array | Float64Array;
  d.fill(0);
  for (let i = 0; i < outSize; i++) {
    const s = Math.floor((i * inSize) / outSize);
    const e = Math.ceil(((i + 1) * inSize) / outSize);
    for (let j = s; j < e; j++) d[i * inSize + j] = 1 / (e - s);
  }
  return t;
}

export function adaptiveAvgPoolNd(nd: 1 | 2, x: Tensor, outputSize: IntOrList | readonly (number | null)[]): Tensor {
  if (isHalf(x?.dtype)) return roundedTo(adaptiveAvgPoolNd(nd, widened(x), outputSize), x.dtype);
  const op = `adaptive_avg_pool${nd}d`;
  if (x.ndim !== nd + 1 && x.ndim !== nd + 2) {
    throw new RangeError(`${op}(): Expected ${nd + 1}D or ${nd + 2}D tensor, but got ${formatShape(x.shape)}`);
  }
  if (x.dtype !== "float32" && x.dtype !== "float64") throw new TypeError(`"${op}" not implemented for '${x.dtype}'`);
  const spatial = x.shape.slice(x.ndim - nd);
  const raw = typeof outputSize === "number" ? new Array<number | null>(nd).fill(outputSize) : (outputSize as (number | null)[]);
  if (raw.length !== nd) throw new RangeError(`${op}: output_size must be ${nd}`);
  const outSpatial = raw.map((o, i) => (o === null || o === undefined ? spatial[i] : o));
  for (let i = 0; i < nd; i++) {
    if (spatial[i] === 0) {
      throw new RangeError(`${op}(): Expected input to have non-zero size for non-batch dimensions, but input has sizes ${formatShape(x.shape)} with dimension ${x.ndim - nd + i} being empty`);
    }
    if (!Number.isInteger(outSpatial[i]) || outSpatial[i] < 0) throw new RangeError(`${op}: elements of output_size must be greater than or equal to 0 but received {${outSpatial.join(", ")}}`);
  }
  const mw = adaptiveMatrix(spatial[nd - 1], outSpatial[nd - 1], x.dtype);
  const mh = nd === 2 ? adaptiveMatrix(spatial[0], outSpatial[0], x.dtype) : null;
  const fwd = (t: Tensor): Tensor => {
    const a = matmul(t, transpose(mw, 0, 1));
    return mh === null ? a : matmul(mh, a);
  };
  const out = noGrad(() => fwd(x));
  if (needsGrad(x)) {
    record(nd === 2 ? "AdaptiveAvgPool2DBackward0" : "AdaptiveAvgPool1DBackward0", [x], out, [], (g) => {
      const a = mh === null ? g : matmul(transpose(mh, 0, 1), g);
      return [matmul(a, mw)];
    }, { outputSize: outSpatial });
  }
  return out;
}

