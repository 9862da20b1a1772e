/** torch.nn.init: in-place initializers, run without recording gradients. */
import { warnOnce } from "../warn";
import type { Tensor } from "../tensor";
import { noGrad } from "../autograd/grad-mode";

export type Nonlinearity =
  | "linear" | "conv1d" | "conv2d" | "conv3d" | "conv_transpose1d" | "conv_transpose2d" | "conv_transpose3d"
  | "sigmoid" | "tanh" | "relu" | "leaky_relu" | "leakyRelu" | "selu";
export type FanMode = "fan_in" | "fan_out" | "fanIn" | "fanOut";

export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  switch (nonlinearity) {
    case "linear": case "conv1d": case "conv2d": case "conv3d":
    case "conv_transpose1d": case "conv_transpose2d": case "conv_transpose3d": case "sigmoid":
      return 1;
    case "tanh":
      return 5.0 / 3;
    case "relu":
      return Math.sqrt(2.0);
    case "leaky_relu": case "leakyRelu": {
      const slope = param ?? 0.01;
      if (typeof slope !== "number") throw new TypeError(`negative_slope ${slope} not a valid number`);
      return Math.sqrt(2.0 / (1 + slope * slope));
    }
    case "selu":
      return 3.0 / 4;
    default:
      throw new Error(`Unsupported nonlinearity ${String(nonlinearity)}`);
  }
}

/** fan_in = size(1)·receptive field, fan_out = size(0)·receptive field (PyTorch's rule). */
export function calculateFanInAndFanOut(t: Tensor): [number, number] {
  if (t.ndim < 2) throw new Error("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions");
  let receptive = 1;
  for (let i = 2; i < t.ndim; i++) receptive *= t.shape[i];
  return [t.shape[1] * receptive, t.shape[0] * receptive];
}

function fan(t: Tensor, mode: FanMode): number {
  const [fin, fout] = calculateFanInAndFanOut(t);
  if (mode === "fan_in" || mode === "fanIn") return fin;
  if (mode === "fan_out" || mode === "fanOut") return fout;
  throw new Error(`Mode ${String(mode)} not supported, please use one of fan_in, fan_out`);
}

export function uniform_(t: Tensor, a = 0, b = 1): Tensor {
  return noGrad(() => t.uniform_(a, b));
}
export function normal_(t: Tensor, mean = 0, std = 1): Tensor {
  return noGrad(() => t.normal_(mean, std));
}
export function constant_(t: Tensor, val: number): Tensor {
  return noGrad(() => t.fill_(val));
}
export function zeros_(t: Tensor): Tensor {
  return noGrad(() => t.zero_());
}
export function ones_(t: Tensor): Tensor {
  return noGrad(() => t.fill_(1));
}

export function xavierUniform_(t: Tensor, gain = 1): Tensor {
  const [fin, fout] = calculateFanInAndFanOut(t);
  const std = gain * Math.sqrt(2.0 / (fin + fout));
  const a = Math.sqrt(3.0) * std;
  return uniform_(t, -a, a);
}

export function xavierNormal_(t: Tensor, gain = 1): Tensor {
  const [fin, fout] = calculateFanInAndFanOut(t);
  return normal_(t, 0, gain * Math.sqrt(2.0 / (fin + fout)));
}

export interface KaimingOptions {
  a?: number;
  mode?: FanMode;
  nonlinearity?: Nonlinearity;
}

export function kaimingUniform_(t: Tensor, opts: KaimingOptions = {}): Tensor {
  if (t.shape.includes(0)) {
    warnOnce("Initializing zero-element tensors is a no-op");
    return t;
  }
  const gain = calculateGain(opts.nonlinearity ?? "leaky_relu", opts.a ?? 0);
  const std = gain / Math.sqrt(fan(t, opts.mode ?? "fan_in"));
  const bound = Math.sqrt(3.0) * std;
  return uniform_(t, -bound, bound);
}

export function kaimingNormal_(t: Tensor, opts: KaimingOptions = {}): Tensor {
  if (t.shape.includes(0)) {
    warnOnce("Initializing zero-element tensors is a no-op");
    return t;
  }
  const gain = calculateGain(opts.nonlinearity ?? "leaky_relu", opts.a ?? 0);
  return normal_(t, 0, gain / Math.sqrt(fan(t, opts.mode ?? "fan_in")));
}
