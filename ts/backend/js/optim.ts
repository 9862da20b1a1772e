import type { AdamArgs, FloatArray, SgdArgs } from "../types.js";

/*
 * These follow torch.optim's single-tensor (foreach=False) code of PyTorch 1.13 step by step.
 * Each PyTorch tensor op rounds to the parameter's dtype, so float32 intermediates go through
 * Math.fround at the same points; float64 ones need no rounding.
 */

function checkLengths(op: string, n: number, ...arrays: (FloatArray | null)[]): void {
  for (const a of arrays) {
    if (a !== null && a.length !== n) throw new RangeError(`${op}: state of length ${a.length} does not match the parameter's ${n}`);
  }
}

export function sgdStep(param: FloatArray, grad: FloatArray, buf: FloatArray | null, args: SgdArgs): void {
  const n = param.length;
  checkLengths("sgdStep", n, grad, buf);
  const { lr, momentum, dampening, weightDecay, nesterov, maximize, firstStep } = args;
  if (momentum !== 0 && buf === null) throw new Error("sgdStep: momentum needs a momentum buffer");
  const f32 = param instanceof Float32Array;
  for (let i = 0; i < n; i++) {
    const p = param[i];
    let d = maximize ? -grad[i] : grad[i];
    if (weightDecay !== 0) {
      d = d + weightDecay * p;
      if (f32) d = Math.fround(d);
    }
    if (buf !== null && momentum !== 0) {
      // buf = d on the first step, else buf·momentum + (1 − dampening)·d; the typed array rounds it.
      buf[i] = firstStep ? d : (f32 ? Math.fround(buf[i] * momentum) : buf[i] * momentum) + (1 - dampening) * d;
      const b = buf[i];
      if (nesterov) {
        d = d + momentum * b;
        if (f32) d = Math.fround(d);
      } else d = b;
    }
    param[i] = p - lr * d;
  }
}

export function adamStep(
  param: FloatArray,
  grad: FloatArray,
  expAvg: FloatArray,
  expAvgSq: FloatArray,
  maxExpAvgSq: FloatArray | null,
  args: AdamArgs,
): void {
  const n = param.length;
  checkLengths("adamStep", n, grad, expAvg, expAvgSq, maxExpAvgSq);
  const { lr, beta1, beta2, eps, weightDecay, decoupled, amsgrad, maximize, step } = args;
  if (amsgrad && maxExpAvgSq === null) throw new Error("adamStep: amsgrad needs maxExpAvgSq");
  const f32 = param instanceof Float32Array;
  const biasCorrection1 = 1 - Math.pow(beta1, step);
  const biasCorrection2 = 1 - Math.pow(beta2, step);
  const stepSize = lr / biasCorrection1;
  const bc2Sqrt = Math.sqrt(biasCorrection2);
  const decay = 1 - lr * weightDecay;
  for (let i = 0; i < n; i++) {
    let g = maximize ? -grad[i] : grad[i];
    if (weightDecay !== 0) {
      if (decoupled) param[i] = param[i] * decay;
      else {
        g = g + weightDecay * param[i];
        if (f32) g = Math.fround(g);
      }
    }
    const m1 = f32 ? Math.fround(expAvg[i] * beta1) : expAvg[i] * beta1;
    expAvg[i] = m1 + (1 - beta1) * g;
    const v1 = f32 ? Math.fround(expAvgSq[i] * beta2) : expAvgSq[i] * beta2;
    expAvgSq[i] = v1 + (1 - beta2) * g * g;
    let v = expAvgSq[i];
    if (maxExpAvgSq !== null && amsgrad) {
      const mv = maxExpAvgSq[i];
      if (!(mv >= v)) maxExpAvgSq[i] = v;
      v = maxExpAvgSq[i];
    }
    let denom = f32 ? Math.fround(Math.sqrt(v)) : Math.sqrt(v);
    denom = f32 ? Math.fround(denom / bc2Sqrt) : denom / bc2Sqrt;
    denom = f32 ? Math.fround(denom + eps) : denom + eps;
    // addcdiv_ computes self + value·t1/t2 in that order.
    param[i] = param[i] + (-stepSize * expAvg[i]) / denom;
  }
}
