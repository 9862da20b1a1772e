/** Upsample, Dropout2d and Unflatten: the small vision layers, each a thin module over its function. */
import type { Tensor } from "../tensor";
import * as ops from "../ops/index";
import { normalizeDim } from "../shape";
import { interpolate, type InterpolateMode } from "../ops/upsample";
import { dropout2d } from "./functional/upsampling";
import { Module } from "./module";
import { pyRepr } from "./normalization";

type IntOrList = number | readonly number[];

function pyTupleOrInt(v: number | readonly number[], float = false): string {
  const f = (x: number) => (float ? pyRepr(x) : String(x));
  if (typeof v === "number") return f(v);
  return v.length === 1 ? `(${f(v[0])},)` : `(${v.map(f).join(", ")})`;
}

export interface UpsampleOptions {
  size?: IntOrList | null;
  scaleFactor?: IntOrList | null;
  mode?: InterpolateMode;
  alignCorners?: boolean | null;
}

/** torch.nn.Upsample({ size | scaleFactor, mode = "nearest", alignCorners }). */
export class Upsample extends Module<[Tensor], Tensor> {
  readonly size: IntOrList | null;
  readonly scaleFactor: IntOrList | null;
  readonly mode: InterpolateMode;
  readonly alignCorners: boolean | null;
  constructor(opts: UpsampleOptions = {}) {
    super();
    this.size = opts.size ?? null;
    this.scaleFactor = opts.scaleFactor ?? null;
    this.mode = opts.mode ?? "nearest";
    this.alignCorners = opts.alignCorners ?? null;
  }
  override forward(input: Tensor): Tensor {
    return interpolate(input, { size: this.size, scaleFactor: this.scaleFactor, mode: this.mode, alignCorners: this.alignCorners });
  }
  override extraRepr(): string {
    const info = this.scaleFactor !== null ? `scale_factor=${pyTupleOrInt(this.scaleFactor, true)}` : `size=${pyTupleOrInt(this.size ?? [])}`;
    return `${info}, mode=${this.mode}`;
  }
}

/** torch.nn.Dropout2d(p = 0.5): zeroes whole channels while training. */
export class Dropout2d extends Module<[Tensor], Tensor> {
  readonly p: number;
  readonly inplace: boolean;
  constructor(p = 0.5, opts: { inplace?: boolean } = {}) {
    super();
    if (p < 0 || p > 1) throw new RangeError(`dropout probability has to be between 0 and 1, but got ${p}`);
    this.p = p;
    this.inplace = opts.inplace ?? false;
  }
  override forward(input: Tensor): Tensor {
    return dropout2d(input, this.p, this.training);
  }
  override extraRepr(): string {
    return `p=${pyRepr(this.p)}, inplace=${this.inplace ? "True" : "False"}`;
  }
}

/** torch.nn.Unflatten(dim, unflattenedSize): dim `dim` reshaped into the given sizes (one may be −1). */
export class Unflatten extends Module<[Tensor], Tensor> {
  readonly dim: number;
  readonly unflattenedSize: readonly number[];
  constructor(dim: number, unflattenedSize: readonly number[]) {
    super();
    this.dim = dim;
    this.unflattenedSize = unflattenedSize.slice();
  }
  override forward(input: Tensor): Tensor {
    const d = normalizeDim(this.dim, input.ndim);
    const sizes = this.unflattenedSize;
    const size = input.shape[d];
    const known = sizes.filter((s) => s !== -1).reduce((a, b) => a * b, 1);
    const free = sizes.filter((s) => s === -1).length;
    if (free > 1 || (free === 0 && known !== size) || (free === 1 && (known === 0 || size % known !== 0))) {
      throw new RangeError(`unflatten: Provided sizes [${sizes.join(", ")}] don't multiply up to the size of dim ${this.dim} (${size}) in the input tensor`);
    }
    return ops.reshape(input, [...input.shape.slice(0, d), ...sizes, ...input.shape.slice(d + 1)]);
  }
  override extraRepr(): string {
    return `dim=${this.dim}, unflattened_size=${pyTupleOrInt(this.unflattenedSize)}`;
  }
}
