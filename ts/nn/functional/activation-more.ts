/** Activations of transformer-era models, with PyTorch 1.13's formulas and gradFn names. */
import { Tensor } from "../../tensor";
import * as ops from "../../ops/index";
import { checkTensor, needsGrad, record } from "../../ops/core";
import { gradMode, noGrad } from "../../autograd/grad-mode";
import { isFloat } from "../../dtype";
import { binaryRaw, unaryRaw } from "../../ops/elementwise-kernels";
import { checkNnOptions } from "../options";

const SQRT1_2 = Math.SQRT1_2;
const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

export interface GeluOptions {
  /** "none" (exact, with erf) or "tanh" (the tanh approximation). */
  approximate?: "none" | "tanh";
}

/** x·Φ(x) (torch.nn.functional.gelu); backward GeluBackward0 as PyTorch computes it. */
export function gelu(x: Tensor, opts: GeluOptions = {}): Tensor {
  checkTensor(x, "gelu", "input");
  checkNnOptions("gelu()", opts, { approximate: true });
  const approximate = opts.approximate ?? "none";
  if (approximate !== "none" && approximate !== "tanh") throw new RangeError(`approximate argument must be either none or tanh.`);
  // Float inputs take the one-pass kernels; the backward is composed only when its own graph is wanted.
  const fused = isFloat(x.dtype);
  const tanhForm = approximate === "tanh";
  const out = fused ? unaryRaw(tanhForm ? "geluTanh" : "gelu", x, x.dtype) : noGrad(() => geluValue(x, approximate));
  if (needsGrad(x)) {
    record("GeluBackward0", [x], out, [x], (g, [a]) =>
      [fused && !(gradMode.enabled && (g._requiresGrad || a._requiresGrad)) && g.dtype === a.dtype
        ? binaryRaw(tanhForm ? "geluTanhBackward" : "geluBackward", g, a, a.dtype, a.dtype)
        : ops.mul(g, geluDerivative(a, approximate))], { approximate });
  }
  return out;
}

function geluValue(x: Tensor, approximate: "none" | "tanh"): Tensor {
  if (approximate === "none") return ops.mul(x, ops.mul(ops.add(ops.erf(ops.mul(x, SQRT1_2)), 1), 0.5));
  const inner = ops.mul(ops.add(x, ops.mul(ops.mul(ops.mul(x, x), x), 0.044715)), SQRT_2_OVER_PI);
  return ops.mul(ops.mul(x, 0.5), ops.add(ops.tanh(inner), 1));
}

/** dGELU/dx in tensor ops (differentiable again). */
function geluDerivative(x: Tensor, approximate: "none" | "tanh"): Tensor {
  if (approximate === "none") {
    const cdf = ops.mul(ops.add(ops.erf(ops.mul(x, SQRT1_2)), 1), 0.5);
    const pdf = ops.mul(ops.exp(ops.mul(ops.mul(x, x), -0.5)), INV_SQRT_2PI);
    return ops.add(cdf, ops.mul(x, pdf));
  }
  const x2 = ops.mul(x, x);
  const inner = ops.mul(ops.add(x, ops.mul(ops.mul(x2, x), 0.044715)), SQRT_2_OVER_PI);
  const t = ops.tanh(inner);
  const left = ops.mul(ops.add(t, 1), 0.5);
  const dInner = ops.mul(ops.add(ops.mul(x2, 3 * 0.044715), 1), SQRT_2_OVER_PI);
  const right = ops.mul(ops.mul(ops.mul(x, 0.5), ops.sub(1, ops.mul(t, t))), dInner);
  return ops.add(left, right);
}

/** x·σ(x) (torch.nn.functional.silu). */
export function silu(x: Tensor): Tensor {
  checkTensor(x, "silu", "input");
  const out = noGrad(() => ops.mul(x, ops.sigmoid(x)));
  if (needsGrad(x)) {
    record("SiluBackward0", [x], out, [x], (g, [a]) => {
      const s = ops.sigmoid(a);
      return [ops.mul(g, ops.mul(s, ops.add(ops.mul(a, ops.sub(1, s)), 1)))];
    });
  }
  return out;
}

export interface SoftplusOptions {
  beta?: number;
  threshold?: number;
}

/** log(1 + e^{βx})/β, and x itself where βx > threshold (torch.nn.functional.softplus). */
export function softplus(x: Tensor, opts: SoftplusOptions = {}): Tensor {
  checkTensor(x, "softplus", "input");
  checkNnOptions("softplus()", opts, { beta: true, threshold: true });
  const beta = opts.beta ?? 1;
  const threshold = opts.threshold ?? 20;
  const out = noGrad(() => {
    const bx = ops.mul(x, beta);
    return ops.where(ops.gt(bx, threshold), x, ops.div(ops.log1p(ops.exp(bx)), beta));
  });
  if (needsGrad(x)) {
    record("SoftplusBackward0", [x], out, [x], (g, [a]) => {
      const bx = ops.mul(a, beta);
      return [ops.where(ops.gt(bx, threshold), g, ops.mul(g, ops.sigmoid(bx)))];
    }, { beta, threshold });
  }
  return out;
}

/** x·tanh(softplus(x)) (torch.nn.functional.mish). */
export function mish(x: Tensor): Tensor {
  checkTensor(x, "mish", "input");
  const out = noGrad(() => ops.mul(x, ops.tanh(softplus(x))));
  if (needsGrad(x)) {
    record("MishBackward0", [x], out, [x], (g, [a]) => {
      const tsp = ops.tanh(softplus(a));
      const s = ops.sigmoid(a);
      return [ops.mul(g, ops.add(tsp, ops.mul(ops.mul(a, s), ops.sub(1, ops.mul(tsp, tsp)))))];
    });
  }
  return out;
}

export function isTensor(v: unknown): v is Tensor {
  return v instanceof Tensor;
}
