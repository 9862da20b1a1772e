import { isHalf, roundedTo, widened } from "./half";
/**
 * torch.nn.functional.interpolate for 3-D (N, C, L) and 4-D (N, C, H, W) input, modes "nearest", "linear"
 * and "bilinear": separable, so each spatial dim is one [out, in] interpolation matrix built with PyTorch's
 * source-index rules (area_pixel_compute_source_index / nearest_idx). Nearest selects (exact, inf-safe);
 * the backward of both is the adjoint matrices, in tensor ops.
 */
import { Tensor } from "../tensor";
import { noGrad } from "../autograd/grad-mode";
import { emptyTensor, needsGrad, record } from "./core";
import { indexSelect } from "./index-ops";
import { matmul } from "./linalg";
import { transpose } from "./views";

export type InterpolateMode = "nearest" | "linear" | "bilinear";

export interface InterpolateOptions {
  size?: number | readonly number[] | null;
  scaleFactor?: number | readonly number[] | null;
  mode?: InterpolateMode;
  alignCorners?: boolean | null;
}

function sourceIndices(inSize: number, outSize: number, scaleFactor: number | null, mode: InterpolateMode, alignCorners: boolean): { i0: number[]; i1: number[]; l1: number[] } {
  const i0: number[] = [];
  const i1: number[] = [];
  const l1: number[] = [];
  if (mode === "nearest") {
    const scale = Math.fround(scaleFactor !== null ? 1 / scaleFactor : inSize / outSize);
    for (let o = 0; o < outSize; o++) {
      const s = Math.min(Math.floor(Math.fround(o * scale)), inSize - 1);
      i0.push(s);
      i1.push(s);
      l1.push(0);
    }
    return { i0, i1, l1 };
  }
  const scale = alignCorners ? (outSize > 1 ? (inSize - 1) / (outSize - 1) : 0) : scaleFactor !== null ? 1 / scaleFactor : inSize / outSize;
  for (let o = 0; o < outSize; o++) {
    const src = alignCorners ? scale * o : Math.max(scale * (o + 0.5) - 0.5, 0);
    const a = Math.floor(src);
    i0.push(a);
    i1.push(a + (a < inSize - 1 ? 1 : 0));
    l1.push(src - a);
  }
  return { i0, i1, l1 };
}

function matrixOf(inSize: number, idx: { i0: number[]; i1: number[]; l1: number[] }, dtype: Tensor["dtype"]): Tensor {
  const outSize = idx.i0.length;
  const t = emptyTensor([outSize, inSize], dtype);
  const d = t._data as Float32Array | Float64Array;
  d.fill(0);
  for (let o = 0; o < outSize; o++) {
    d[o * inSize + idx.i0[o]] += 1 - idx.l1[o];
    d[o * inSize + idx.i1[o]] += idx.l1[o];
  }
  return t;
}

function indexTensor(v: number[]): Tensor {
  const t = emptyTensor([v.length], "int32");
  (t._data as Int32Array).set(v);
  return t;
}

export function interpolate(input: Tensor, opts: InterpolateOptions = {}): Tensor {
  if (isHalf(input?.dtype)) return roundedTo(interpolate(widened(input), opts), input.dtype);
  const mode = opts.mode ?? "nearest";
  const nd = input.ndim - 2;
  const ok = (mode === "nearest" && (nd === 1 || nd === 2)) || (mode === "linear" && nd === 1) || (mode === "bilinear" && nd === 2);
  if (!ok) {
    if (mode === "linear" || mode === "bilinear") {
      throw new RangeError(`Got ${input.ndim}D input, but ${mode} mode needs ${mode === "linear" ? 3 : 4}D input`);
    }
    throw new RangeError(`Input Error: Only 3D and 4D input Tensors supported (got ${input.ndim}D) for the modes: nearest | linear | bilinear (got ${mode})`);
  }
  if (mode === "nearest" && opts.alignCorners !== undefined && opts.alignCorners !== null) {
    throw new RangeError("align_corners option can only be set with the interpolating modes: linear | bilinear | bicubic | trilinear");
  }
  if (input.dtype !== "float32" && input.dtype !== "float64") throw new TypeError(`interpolate: expected a floating point tensor, got ${input.dtype}`);
  const hasSize = opts.size !== undefined && opts.size !== null;
  const hasScale = opts.scaleFactor !== undefined && opts.scaleFactor !== null;
  if (hasSize && hasScale) throw new RangeError("only one of size or scale_factor should be defined");
  if (!hasSize && !hasScale) throw new RangeError("either size or scale_factor should be defined");
  const spatial = input.shape.slice(2);
  const list = (v: number | readonly number[], name: string): number[] => {
    if (typeof v === "number") return new Array<number>(nd).fill(v);
    if (v.length !== nd) {
      throw new RangeError(`Input and ${name} must have the same number of spatial dimensions, but got input with spatial dimensions of [${spatial.join(", ")}] and output ${name} of [${v.join(", ")}]. Please provide input tensor in (N, C, d1, d2, ...,dK) format and output ${name} in (o1, o2, ...,oK) format.`);
    }
    return v.slice();
  };
  const scales = hasScale ? list(opts.scaleFactor as number | number[], "scale_factor") : null;
  const outSpatial = hasSize ? list(opts.size as number | number[], "size") : spatial.map((s, i) => Math.floor(s * scales![i]));
  if (outSpatial.some((o) => !Number.isInteger(o) || o <= 0) || spatial.some((s) => s <= 0)) {
    throw new RangeError(`Input and output sizes should be greater than 0, but got input (${nd === 2 ? "H: " + spatial[0] + ", W: " + spatial[1] : "W: " + spatial[0]}) output (${nd === 2 ? "H: " + outSpatial[0] + ", W: " + outSpatial[1] : "W: " + outSpatial[0]})`);
  }
  const align = opts.alignCorners ?? false;
  const idx = spatial.map((s, i) => sourceIndices(s, outSpatial[i], scales ? scales[i] : null, mode, align));
  const mats = spatial.map((s, i) => matrixOf(s, idx[i], input.dtype));
  const out = noGrad(() => {
    if (mode === "nearest") {
      let y = input;
      for (let i = 0; i < nd; i++) y = indexSelect(y, 2 + i, indexTensor(idx[i].i0));
      return y;
    }
    const a = matmul(input, transpose(mats[nd - 1], 0, 1));
    return nd === 2 ? matmul(mats[0], a) : a;
  });
  const result = out.isContiguous() && out.offset === 0 ? new Tensor(out._data, out.shape, out.dtype) : out;
  if (needsGrad(input)) {
    const name = mode === "nearest" ? `UpsampleNearest${nd}DBackward1` : mode === "linear" ? "UpsampleLinear1DBackward1" : "UpsampleBilinear2DBackward1";
    record(name, [input], result, [], (g) => {
      const a = matmul(g, mats[nd - 1]);
      return [nd === 2 ? matmul(transpose(mats[0], 0, 1), a) : a];
    }, { outputSize: outSpatial, alignCorners: align });
  }
  return result;
}
