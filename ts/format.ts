import type { Tensor } from "./tensor";
import { numel } from "./shape";
import { toArray } from "./ops/convert";
import { isFloat } from "./dtype";

const PRECISION = 4;
const THRESHOLD = 1000;
const EDGE_ITEMS = 3;
const LINE_WIDTH = 80;

/** Python's "{:.Nf}": like toFixed, but exact ties round half to even. */
function fixed(v: number, digits: number): string {
  if (Number.isNaN(v)) return "nan";
  if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
  const s = v.toFixed(digits);
  const longer = v.toFixed(Math.min(100, digits + 25));
  const tail = longer.slice(longer.length - 25);
  if (/^50*$/.test(tail)) {
    // An exact tie: JavaScript rounds it away from zero, Python to the even neighbour.
    const truncated = longer.slice(0, longer.length - 25);
    const lastDigit = Number(truncated[truncated.length - 1]);
    if (lastDigit % 2 === 0) return truncated.endsWith(".") ? truncated.slice(0, -1) : truncated;
  }
  return Object.is(v, -0) ? `-${s}` : s;
}

/** Python's "{:.Ne}": mantissa digits (ties to even), then e±XX with at least two exponent digits. */
function scientific(v: number, digits: number): string {
  if (Number.isNaN(v)) return "nan";
  if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
  let [m, e] = v.toExponential(digits).split("e");
  const [longM, longE] = v.toExponential(Math.min(100, digits + 20)).split("e");
  if (longE === e && /^50*$/.test(longM.slice(longM.length - 20))) {
    const truncated = longM.slice(0, longM.length - 20);
    if (Number(truncated[truncated.length - 1]) % 2 === 0) m = truncated;
  }
  const exp = Number(e);
  return `${m}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
}

/** PyTorch's _Formatter: picks integer, fixed or scientific notation from the values shown. */
class Formatter {
  private intMode = true;
  private sciMode = false;
  private maxWidth = 1;

  constructor(
    values: ArrayLike<number>,
    private readonly floating: boolean,
    private readonly bool: boolean,
  ) {
    if (!floating) {
      for (let i = 0; i < values.length; i++) this.maxWidth = Math.max(this.maxWidth, this.raw(values[i]).length);
      return;
    }
    const finite: number[] = [];
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (Number.isFinite(v) && v !== 0) finite.push(Math.abs(v));
    }
    // PyTorch leaves the width at 1 when there is no nonzero finite value to measure.
    if (finite.length === 0) return;
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of finite) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
      if (v !== Math.ceil(v)) this.intMode = false;
    }
    if (this.intMode) {
      if (hi / lo > 1000 || hi > 1e8) this.sciMode = true;
    } else if (hi / lo > 1000 || hi > 1e8 || lo < 1e-4) {
      this.sciMode = true;
    }
    for (let i = 0; i < values.length; i++) this.maxWidth = Math.max(this.maxWidth, this.raw(values[i]).length);
  }

  private raw(v: number): string {
    if (!this.floating) return this.bool ? (v ? "True" : "False") : String(v);
    if (this.sciMode) return scientific(v, PRECISION);
    if (this.intMode) {
      const s = fixed(v, 0);
      return Number.isFinite(v) ? `${s}.` : s;
    }
    return fixed(v, PRECISION);
  }

  width(): number {
    return this.maxWidth;
  }

  format(v: number): string {
    return this.raw(v).padStart(this.maxWidth, " ");
  }
}

/** Values as a nested structure of index ranges, with the summarised middle left out. */
function shownIndices(size: number, summarize: boolean): (number | null)[] {
  if (summarize && size > 2 * EDGE_ITEMS) {
    const head = Array.from({ length: EDGE_ITEMS }, (_, i) => i);
    const tail = Array.from({ length: EDGE_ITEMS }, (_, i) => size - EDGE_ITEMS + i);
    return [...head, null, ...tail];
  }
  return Array.from({ length: size }, (_, i) => i);
}

function collectShown(flat: ArrayLike<number>, shape: readonly number[], summarize: boolean): number[] {
  const out: number[] = [];
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const walk = (dim: number, base: number): void => {
    if (dim === shape.length) {
      out.push(flat[base]);
      return;
    }
    for (const i of shownIndices(shape[dim], summarize)) if (i !== null) walk(dim + 1, base + i * strides[dim]);
  };
  walk(0, 0);
  return out;
}

function body(flat: ArrayLike<number>, shape: readonly number[], fmt: Formatter, indent: number, summarize: boolean): string {
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const walk = (dim: number, base: number, ind: number): string => {
    const size = shape[dim];
    if (dim === shape.length - 1) {
      const elementLength = fmt.width() + 2;
      const perLine = Math.max(1, Math.floor((LINE_WIDTH - ind) / elementLength));
      const items = shownIndices(size, summarize).map((i) => (i === null ? " ..." : fmt.format(flat[base + i])));
      const lines: string[] = [];
      for (let i = 0; i < items.length; i += perLine) lines.push(items.slice(i, i + perLine).join(", "));
      return `[${lines.join(`,\n${" ".repeat(ind + 1)}`)}]`;
    }
    const rows = shownIndices(size, summarize).map((i) => (i === null ? "..." : walk(dim + 1, base + i * strides[dim], ind + 1)));
    const sep = `,${"\n".repeat(shape.length - dim - 1)}${" ".repeat(ind + 1)}`;
    return `[${rows.join(sep)}]`;
  };
  return walk(0, 0, indent);
}

/** The string PyTorch prints for a tensor: `tensor([1., 2.], requires_grad=True)`. */
export function formatTensor(t: Tensor): string {
  const prefix = "tensor(";
  const indent = prefix.length;
  const n = numel(t.shape);
  const suffixes: string[] = [];
  const floating = isFloat(t.dtype);
  let text: string;
  if (n === 0) {
    text = "[]";
    if (t.ndim !== 1) suffixes.push(`size=(${t.shape.join(", ")}${t.ndim === 1 ? "," : ""})`);
  } else {
    const flat = toArray(t);
    const summarize = n > THRESHOLD;
    const shown = t.ndim === 0 ? [flat[0]] : collectShown(flat, t.shape, summarize);
    const fmt = new Formatter(shown, floating, t.dtype === "bool");
    text = t.ndim === 0 ? fmt.format(flat[0]).trim() : body(flat, t.shape, fmt, indent, summarize);
  }
  if (t.dtype !== "float32" && t.dtype !== "bool") suffixes.push(`dtype=torch.${t.dtype}`);
  if (t._gradFn !== null) suffixes.push(`grad_fn=<${t._gradFn.name}>`);
  else if (t._requiresGrad) suffixes.push("requires_grad=True");
  const tail = suffixes.length > 0 ? `, ${suffixes.join(", ")}` : "";
  return `${prefix}${text}${tail})`;
}
