/**
 * Padding (torch.nn.functional.pad): constant (negative pads crop), reflect, replicate and circular.
 * `pad` lists (left, right) pairs starting from the last dim, as PyTorch. The reflect and replicate forms
 * are index selections along each padded dim; their backward adds the gradient back through the same
 * indices (index_add), itself an op, so higher derivatives work.
 */
import { B } from "../backend/index";
import { Tensor } from "../tensor";
import { formatShape } from "../shape";
import { noGrad } from "../autograd/grad-mode";
import { emptyTensor, needsGrad, record } from "./core";
import { argError, intsArg, optNumberArg, tensorArg } from "./args";
import { narrow } from "./views";
import { indexAddInto, indexSelect } from "./index-ops";

export type PadMode = "constant" | "reflect" | "replicate" | "circular";

/** torch.constant_pad_nd: negative pads crop (as narrow would), positive ones add `value`. */
export function constantPad(x: Tensor, pad: readonly number[], value: number): Tensor {
  let inner = x;
  const outShape = x.shape.slice();
  const at: number[] = [];
  noGrad(() => {
    for (let i = 0; i < pad.length / 2; i++) {
      const d = x.ndim - 1 - i;
      const [l, r] = [pad[2 * i], pad[2 * i + 1]];
      if (l < 0) inner = cropped(inner, d, -l, inner.shape[d] + l);
      if (r < 0) inner = cropped(inner, d, 0, inner.shape[d] + r);
      outShape[d] = x.shape[d] + l + r;
      at[d] = Math.max(l, 0);
    }
  });
  if (outShape.some((n) => n < 0)) {
    throw new RangeError(`Trying to create tensor with negative dimension ${outShape.find((n) => n < 0)}: ${formatShape(outShape)}`);
  }
  const out = emptyTensor(outShape, x.dtype);
  B.fill(out._kv(), value);
  let region = out;
  noGrad(() => {
    for (let d = 0; d < x.ndim; d++) if (at[d] !== undefined) region = narrow(region, d, at[d], inner.shape[d]);
  });
  if (inner.numel() > 0) B.unary("copy", inner._kv(), region._kv());
  if (needsGrad(x)) {
    const back = pad.map((p) => -p);
    record("ConstantPadNdBackward0", [x], out, [], (g) => [constantPad(g, back, 0)], { pad: [...pad], value });
  }
  return out;
}

function cropped(x: Tensor, d: number, start: number, length: number): Tensor {
  if (length < 0) throw new RangeError(`start (${start}) + length (${length}) exceeds dimension size (${x.shape[d] - start}).`);
  return narrow(x, d, start, length);
}

/** For each output position along a dim of size n padded by (l, r), the input position it copies. */
function sourceIndex(n: number, l: number, r: number, mode: PadMode): Int32Array {
  const m = n + l + r;
  const idx = new Int32Array(Math.max(m, 0));
  // Circular padding wraps the cropped interior (negative pads crop first), as PyTorch's _pad_circular.
  const lo = Math.max(-l, 0);
  const interior = n - lo - Math.max(-r, 0);
  const lp = Math.max(l, 0);
  for (let j = 0; j < m; j++) {
    const i = j - l;
    if (mode === "reflect") idx[j] = i < 0 ? -i : i >= n ? 2 * (n - 1) - i : i;
    else if (mode === "replicate") idx[j] = Math.min(Math.max(i, 0), n - 1);
    else idx[j] = lo + ((((j - lp) % interior) + interior) % interior);
  }
  return idx;
}

const DIM_NAMES = ["W", "H", "D"];

function checkModePad(x: Tensor, pad: readonly number[], mode: PadMode): void {
  const k = pad.length / 2;
  if (mode === "circular") {
    if (x.ndim !== k + 2) throw new RangeError(`Invalid padding size, expected ${2 * (x.ndim - 2)} but got ${pad.length}`);
    for (let i = 0; i < k; i++) {
      const n = x.shape[x.ndim - 1 - i];
      const [l, r] = [pad[2 * i], pad[2 * i + 1]];
      if (l > n || r > n) throw new RangeError("Padding value causes wrapping around more than once.");
      if (n + l + r < 0) throw new RangeError("Negative padding value is resulting in an empty dimension");
    }
    return;
  }
  for (let d = x.ndim - k; d < x.ndim; d++) {
    if (x.shape[d] === 0 || (x.ndim === k + 2 && x.shape[1] === 0)) {
      throw new RangeError(
        `Expected ${k + 1}D or ${k + 2}D (batch mode) tensor with possibly 0 batch size and other non-zero dimensions for input, but got: ${formatShape(x.shape)}`,
      );
    }
  }
  if (mode === "reflect") {
    for (let i = 0; i < k; i++) {
      const d = x.ndim - 1 - i;
      const [l, r] = [pad[2 * i], pad[2 * i + 1]];
      if (!(l < x.shape[d] && r < x.shape[d])) {
        // PyTorch 1.13's 2-d reflection names the input by its number of dims, the others by its shape.
        const input = k === 2 ? String(x.ndim) : formatShape(x.shape);
        throw new RangeError(
          `Argument #${4 + 2 * i}: Padding size should be less than the corresponding input dimension, but got: padding (${l}, ${r}) at dimension ${d} of input ${input}`,
        );
      }
    }
  }
  const outs: number[] = [];
  for (let i = k - 1; i >= 0; i--) outs.push(x.shape[x.ndim - 1 - i] + pad[2 * i] + pad[2 * i + 1]);
  if (outs.some((n) => n < 1)) {
    const names = DIM_NAMES.slice(0, k).reverse();
    const ins = names.map((nm, j) => `${nm}: ${x.shape[x.ndim - k + j]}`).join(", ");
    const got = names.map((nm, j) => `${nm}: ${outs[j]}`).join(" ");
    throw new RangeError(`input (${ins}) is too small. Calculated output ${got}`);
  }
}

/** Reflect / replicate / circular padding of the last pad.length / 2 dims. */
function indexPad(x: Tensor, pad: readonly number[], mode: PadMode): Tensor {
  checkModePad(x, pad, mode);
  const k = pad.length / 2;
  const steps: { dim: number; index: Tensor; shape: readonly number[] }[] = [];
  for (let i = 0; i < k; i++) {
    const d = x.ndim - 1 - i;
    const idx = sourceIndex(x.shape[d], pad[2 * i], pad[2 * i + 1], mode);
    steps.push({ dim: d, index: new Tensor(idx, [idx.length], "int32"), shape: [] });
  }
  if (mode === "circular") {
    // PyTorch 1.13 composes circular padding of copies; here of index selections (IndexSelectBackward0).
    let y = x;
    for (const s of steps) y = indexSelect(y, s.dim, s.index);
    return y;
  }
  let y = x;
  noGrad(() => {
    for (const s of steps) {
      s.shape = y.shape;
      y = indexSelect(y, s.dim, s.index);
    }
  });
  if (needsGrad(x)) {
    const name = `${mode === "reflect" ? "Reflection" : "Replication"}Pad${k}DBackward0`;
    record(name, [x], y, [], (g) => {
      let gx = g;
      for (let i = steps.length - 1; i >= 0; i--) gx = indexAddInto(steps[i].shape, steps[i].dim, steps[i].index, gx);
      return [gx];
    }, { padding: [...pad] });
  }
  return y;
}

/** torch.nn.functional.pad(input, pad, mode="constant", value=None). */
export function pad(input: Tensor, pad: readonly number[], mode: PadMode | null = "constant", value?: number | null): Tensor {
  tensorArg(input, "pad", "input", 1);
  const p = intsArg(pad, "pad", "pad", 2);
  const pads = typeof p === "number" ? [p] : [...p];
  mode ??= "constant";
  if (typeof mode !== "string") throw argError("pad", "mode", 3, "str", mode);
  const v = optNumberArg(value, "pad", "value", 4);
  if (pads.length % 2 !== 0) throw new RangeError("Padding length must be divisible by 2");
  if (pads.length > input.ndim * 2) throw new RangeError("Padding length too large");
  if (mode === "constant") return constantPad(input, pads, v ?? 0);
  if (mode !== "reflect" && mode !== "replicate" && mode !== "circular") throw new RangeError(`pad(): Unrecognised padding mode ${mode}`);
  if (v !== undefined && v !== null && v !== 0) throw new RangeError(`pad(): Padding mode "${mode}" doesn't take in value argument`);
  const k = pads.length / 2;
  if (!(k >= 1 && k <= 3 && (input.ndim === k + 1 || input.ndim === k + 2))) {
    throw new RangeError("Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now");
  }
  return indexPad(input, pads, mode);
}
