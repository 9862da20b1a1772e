export type Shape = readonly number[];

export function numel(shape: Shape): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i];
  return n;
}

export function contiguousStrides(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i] || 1;
  }
  return strides;
}

export function isContiguous(shape: Shape, strides: readonly number[]): boolean {
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    const d = shape[i];
    if (d === 0) return true;
    if (d !== 1 && strides[i] !== s) return false;
    s *= d;
  }
  return true;
}

export function sameShape(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function formatShape(shape: Shape): string {
  return `[${shape.join(", ")}]`;
}

/** Wraps a possibly negative dim into [0, ndim), with PyTorch's message when out of range. */
export function normalizeDim(dim: number, ndim: number): number {
  if (!Number.isInteger(dim)) throw new TypeError(`dim must be an integer, but got ${dim}`);
  const n = Math.max(ndim, 1);
  if (dim < -n || dim >= n) {
    throw new RangeError(`Dimension out of range (expected to be in range of [${-n}, ${n - 1}], but got ${dim})`);
  }
  return dim < 0 ? dim + n : dim;
}

/** NumPy/PyTorch broadcasting of two shapes, with PyTorch's error text. */
export function broadcastShapes(a: Shape, b: Shape): number[] {
  if (sameShape(a, b)) return a as number[];
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = i < n - a.length ? 1 : a[i - (n - a.length)];
    const db = i < n - b.length ? 1 : b[i - (n - b.length)];
    if (da === db || db === 1) out[i] = da;
    else if (da === 1) out[i] = db;
    else {
      throw new RangeError(
        `The size of tensor a (${da}) must match the size of tensor b (${db}) at non-singleton dimension ${i}`,
      );
    }
  }
  return out;
}

/** Strides that read `shape`/`strides` as if expanded to `target` (stride 0 on broadcast dims). */
export function broadcastStrides(shape: Shape, strides: readonly number[], target: Shape): number[] {
  const n = target.length;
  const out = new Array<number>(n);
  const lead = n - shape.length;
  for (let i = 0; i < n; i++) {
    if (i < lead) out[i] = 0;
    else {
      const d = shape[i - lead];
      out[i] = d === 1 && target[i] !== 1 ? 0 : strides[i - lead];
    }
  }
  return out;
}
