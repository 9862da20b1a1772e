import { warnOnce } from "../warn";
import { Tensor } from "../tensor";
import { numel } from "../shape";
import { grad } from "./api";

export interface GradcheckOptions {
  eps?: number;
  atol?: number;
  rtol?: number;
  /** Throw on mismatch (PyTorch's default) rather than return false. */
  raiseException?: boolean;
}

/** Storage offsets of x's elements in logical (row-major) order. */
function elementOffsets(x: Tensor): number[] {
  const out: number[] = [];
  const walk = (dim: number, base: number): void => {
    if (dim === x.ndim) {
      out.push(base);
      return;
    }
    for (let i = 0; i < x.shape[dim]; i++) walk(dim + 1, base + i * x.strides[dim]);
  };
  walk(0, x.offset);
  return out;
}

function outputsOf(r: Tensor | readonly Tensor[]): Tensor[] {
  return (r instanceof Tensor ? [r] : [...r]).filter((t) => t.dtype === "float32" || t.dtype === "float64");
}

function flatValues(t: Tensor): number[] {
  return elementOffsets(t).map((o) => t._data[o]);
}

/**
 * Compares autograd's Jacobian with central finite differences, input by input and output element by
 * output element. Inputs that require grad should be float64, as in PyTorch.
 */
export function gradcheck(
  fn: (...inputs: Tensor[]) => Tensor | readonly Tensor[],
  inputs: Tensor | readonly Tensor[],
  opts: GradcheckOptions = {},
): boolean {
  const eps = opts.eps ?? 1e-6;
  const atol = opts.atol ?? 1e-5;
  const rtol = opts.rtol ?? 1e-3;
  const raise = opts.raiseException ?? true;
  const ins = inputs instanceof Tensor ? [inputs] : [...inputs];
  const diffIns = ins.map((x, i) => ({ x, i })).filter(({ x }) => x.requiresGrad);
  if (diffIns.length === 0) throw new Error("gradcheck expects at least one input tensor to require gradient");
  for (const { x, i } of diffIns) {
    if (x.dtype !== "float64") {
      warnOnce(`Input #${i} requires gradient and is not a double precision floating point; gradcheck may fail.`);
    }
  }
  const outs = outputsOf(fn(...ins));
  for (let o = 0; o < outs.length; o++) {
    const out = outs[o];
    const m = numel(out.shape);
    for (const { x, i } of diffIns) {
      const offsets = elementOffsets(x);
      const numerical: number[][] = offsets.map((off) => {
        const orig = x._data[off];
        x._data[off] = orig + eps;
        // Evaluated with recording on: fn may itself differentiate (a gradient of a gradient).
        const plus = flatValues(outputsOf(fn(...ins))[o]);
        x._data[off] = orig - eps;
        const minus = flatValues(outputsOf(fn(...ins))[o]);
        x._data[off] = orig;
        return plus.map((p, k) => (p - minus[k]) / (2 * eps));
      });
      for (let k = 0; k < m; k++) {
        const seed = new Tensor(new (out._data.constructor as Float64ArrayConstructor)(m), out.shape, out.dtype);
        seed._data[k] = 1;
        const [g] = grad([out], [x], { gradOutputs: [seed], retainGraph: true, allowUnused: true });
        const analytical = g === null ? offsets.map(() => 0) : flatValues(g);
        for (let j = 0; j < offsets.length; j++) {
          const a = analytical[j];
          const nv = numerical[j][k];
          if (!(Math.abs(a - nv) <= atol + rtol * Math.abs(nv))) {
            if (!raise) return false;
            throw new Error(
              `Jacobian mismatch for output ${o} with respect to input ${i},\nnumerical:${nv}\nanalytical:${a}\n(at input element ${j}, output element ${k})`,
            );
          }
        }
      }
    }
  }
  return true;
}
