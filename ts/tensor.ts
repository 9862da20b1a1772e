import type { DType, TypedArray, View } from "./backend/types";
import type { TensorMethods } from "./tensor-methods";
import type { Node, AccumulateGrad } from "./autograd/node";
import { gradMode } from "./autograd/grad-mode";
import { isFloat } from "./dtype";
import { contiguousStrides, isContiguous, numel } from "./shape";

/** Shared by a storage and all its views; bumped by every in-place write (autograd's saved-tensor check). */
export interface VersionCounter {
  value: number;
}

export type Device = "cpu";

/**
 * A tensor: a strided view of a typed array plus autograd metadata. Operations are attached to the
 * prototype by ts/tensor-methods.ts so that this file stays free of op imports.
 */
export class Tensor {
  /** @internal The storage; `data` is the public, detached tensor. */
  readonly _data: TypedArray;
  readonly offset: number;
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly dtype: DType;
  /** @internal */ _requiresGrad: boolean;
  /** @internal */ _gradFn: Node | null;
  /** @internal */ _grad: Tensor | null;
  /** @internal */ _version: VersionCounter;
  /** @internal */ _base: Tensor | null;
  /** @internal */ _retainsGrad: boolean;
  /** @internal */ _gradWarned: boolean;
  /** @internal */ _accNode: AccumulateGrad | null;
  /** @internal Which output of its gradFn this tensor is (0 but for custom Functions with several outputs). */
  _outputNr: number;

  /** @internal Use the creation functions (`tensor`, `zeros`, ...) instead. */
  constructor(
    data: TypedArray,
    shape: readonly number[],
    dtype: DType,
    strides?: readonly number[],
    offset = 0,
    version?: VersionCounter,
    base: Tensor | null = null,
  ) {
    this._data = data;
    this.offset = offset;
    this.shape = shape;
    this.strides = strides ?? contiguousStrides(shape);
    this.dtype = dtype;
    this._requiresGrad = false;
    this._gradFn = null;
    this._grad = null;
    this._version = version ?? { value: 0 };
    this._base = base;
    this._retainsGrad = false;
    this._gradWarned = false;
    this._accNode = null;
    this._outputNr = 0;
  }

  /** @internal This tensor as the kernel interface sees it. */
  _kv(): View {
    return { data: this._data, dtype: this.dtype, offset: this.offset, shape: this.shape, strides: this.strides };
  }

  /** A tensor sharing this one's storage, detached from the graph (torch's `.data`). */
  get data(): Tensor {
    return new Tensor(this._data, this.shape, this.dtype, this.strides, this.offset, { value: 0 }, this._base ?? this);
  }

  /** Rebinds this tensor to another's storage and shape, unseen by autograd (torch's `x.data = y`). */
  set data(t: Tensor) {
    if (!(t instanceof Tensor)) throw new TypeError("data must be a Tensor");
    const self = this as { -readonly [K in "_data" | "shape" | "strides" | "offset" | "dtype"]: Tensor[K] };
    self._data = t._data;
    self.shape = t.shape;
    self.strides = t.strides;
    self.offset = t.offset;
    self.dtype = t.dtype;
  }

  get ndim(): number {
    return this.shape.length;
  }

  get device(): Device {
    return "cpu";
  }

  /** Number of elements (torch's numel()). */
  numel(): number {
    return numel(this.shape);
  }

  size(): readonly number[];
  size(dim: number): number;
  size(dim?: number): readonly number[] | number {
    if (dim === undefined) return this.shape;
    const n = this.shape.length;
    if (!Number.isInteger(dim) || dim < -n || dim >= n) {
      throw new RangeError(`Dimension out of range (expected to be in range of [${-n}, ${n - 1}], but got ${dim})`);
    }
    return this.shape[dim < 0 ? dim + n : dim];
  }

  dim(): number {
    return this.shape.length;
  }

  stride(): readonly number[] {
    return this.strides;
  }

  isContiguous(): boolean {
    return isContiguous(this.shape, this.strides);
  }

  get requiresGrad(): boolean {
    return this._requiresGrad;
  }

  set requiresGrad(flag: boolean) {
    if (this._gradFn !== null && !flag) {
      throw new Error(
        "you can only change requires_grad flags of leaf variables. If you want to use a computed variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach().",
      );
    }
    if (flag && !isFloat(this.dtype)) {
      throw new TypeError("only Tensors of floating point dtype can require gradients");
    }
    this._requiresGrad = !!flag;
  }

  get gradFn(): Node | null {
    return this._gradFn;
  }

  get isLeaf(): boolean {
    return this._gradFn === null;
  }

  get grad(): Tensor | null {
    if (this._gradFn !== null && !this._retainsGrad && !this._gradWarned) {
      this._gradWarned = true;
      process.emitWarning(
        "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad attribute won't be populated during autograd.backward(). If you indeed want the .grad field to be populated for a non-leaf Tensor, use .retainGrad() on the non-leaf Tensor. If you access the non-leaf Tensor by mistake, make sure you access the leaf Tensor instead.",
        "UserWarning",
      );
    }
    return this._grad;
  }

  set grad(g: Tensor | null) {
    if (g !== null) {
      if (!(g instanceof Tensor)) throw new TypeError("assigned grad expected to be a Tensor or null");
      if (g.dtype !== this.dtype) throw new TypeError("assigned grad has data of a different type");
      if (g.shape.length !== this.shape.length || g.shape.some((d, i) => d !== this.shape[i])) {
        throw new RangeError("assigned grad has data of a different size");
      }
    }
    this._grad = g;
  }

  /** @internal Whether an op applied now to this tensor must record the graph. */
  get _needsGrad(): boolean {
    return this._requiresGrad && gradMode.enabled;
  }

  retainGrad(): void {
    if (!this._requiresGrad) throw new Error("can't retain_grad on Tensor that has requires_grad=False");
    if (this._gradFn === null) return;
    this._retainsGrad = true;
    if (this._gradFn.numOutputs > 1) (this._gradFn.retainedOutputs ??= [])[this._outputNr] = this;
    else this._gradFn.retained = this;
  }

  get isRetainingGrad(): boolean {
    return this._retainsGrad;
  }

  /** The version counter's value: how many in-place writes this storage has seen (torch's _version). */
  get version(): number {
    return this._version.value;
  }
}

/** The operations: their signatures come from the method table in ts/tensor-methods.ts. */
export interface Tensor extends TensorMethods {
  /** PyTorch's printed form, e.g. `tensor([1., 2.], requires_grad=True)` (console.log shows the same). */
  toString(): string;
}
