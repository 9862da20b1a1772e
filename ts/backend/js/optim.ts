import type { AdamArgs, FloatArray, SgdArgs } from "../types.js";

/*
 * These follow torch.optim's single-tensor (foreach=False) code of PyTorch 1.13 op by op. For a
 * float32 parameter every tensor op rounds its result to float32 and its scalar arguments (alpha,
 * value) are float32 too, so `r` rounds at the same points; `x + alpha·y` is one rounding, as
 * ATen's fused multiply-add gives. For float64 `r` is the identity.
 */

function identity(v: number): number {
  return v;
}

function checkLengths(op: string, n: number, ...arrays: (FloatArray | null)[]): void {
  for (const a of arrays) {
    if (a !== null && a.length !== n) throw new RangeError(`${op}: state of length ${a.length} does not match the parameter's ${n}`);
  }
}

export function sgdStep(param: FloatArray, grad: FloatArray, buf: FloatArray | null, args: SgdArgs): void {
  const n = param.length;
  checkLengths("sgdStep", n, grad, buf);
  const { nesterov, maximize, firstStep } = args;
  if (args.momentum !== 0 && buf === null) throw new Error("sgdStep: momentum needs a momentum buffer");
  const r = param instanceof Float32Array ? Math.fround : identity;
  const lr = r(args.lr);
  const momentum = r(args.momentum);
  const wd = r(args.weightDecay);
  const keep = r(1 - args.dampening);
  const useBuf = buf !== null && args.momentum !== 0;
  for (let i = 0; i < n; i++) {
    const p = param[i];
    let d = maximize ? -grad[i] : grad[i];
    if (wd !== 0) d = r(d + wd * p);
    if (useBuf) {
      const b = firstStep ? d : r(r(buf[i] * momentum) + keep * d);
      buf[i] = b;
      d = nesterov ? r(d + momentum * b) : b;
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
  const { beta1, beta2, weightDecay, decoupled, amsgrad, maximize, step } = args;
  if (amsgrad && maxExpAvgSq === null) throw new Error("adamStep: amsgrad needs maxExpAvgSq");
  if (!(step >= 1)) throw new RangeError(`adamStep: step must be at least 1, got ${step}`);
  const r = param instanceof Float32Array ? Math.fround : identity;
  // Python-side scalars are doubles; they become float32 only when handed to a tensor op.
  const biasCorrection1 = 1 - Math.pow(beta1, step);
  const biasCorrection2 = 1 - Math.pow(beta2, step);
  const negStepSize = r(-(args.lr / biasCorrection1));
  const bc2Sqrt = r(Math.sqrt(biasCorrection2));
  const decay = r(1 - args.lr * weightDecay);
  const wd = r(weightDecay);
  const b1 = r(beta1);
  const b2 = r(beta2);
  const oneMinusB1 = r(1 - beta1);
  const oneMinusB2 = r(1 - beta2);
  const eps = r(args.eps);
  const useMax = amsgrad && maxExpAvgSq !== null;
  for (let i = 0; i < n; i++) {
    let g = maximize ? -grad[i] : grad[i];
    let p = param[i];
    if (weightDecay !== 0) {
      if (decoupled) p = r(p * decay);
      else g = r(g + wd * p);
    }
    const m = r(r(expAvg[i] * b1) + oneMinusB1 * g);
    expAvg[i] = m;
    let v = r(r(expAvgSq[i] * b2) + r(r(oneMinusB2 * g) * g));
    expAvgSq[i] = v;
    if (useMax) {
      if (!(maxExpAvgSq[i] >= v)) maxExpAvgSq[i] = v;
      v = maxExpAvgSq[i];
    }
    const denom = r(r(r(Math.sqrt(v)) / bc2Sqrt) + eps);
    param[i] = p + r(r(negStepSize * m) / denom);
  }
}
