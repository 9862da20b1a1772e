import type { Tensor } from "../../tensor";
import { noGrad } from "../../autograd/grad-mode";
import { stack } from "../../ops/index";
import { scalarTensor } from "../../ops/core";

export interface ClipGradNormOptions {
  /** The p of the p-norm (Infinity for the max norm); 2 by default. */
  normType?: number;
  /** Throw instead of scaling when the total norm is NaN or infinite. */
  errorIfNonfinite?: boolean;
}

function gradsOf(parameters: Tensor | Iterable<Tensor>, what: string): Tensor[] {
  const list = (Symbol.iterator in Object(parameters) ? [...(parameters as Iterable<Tensor>)] : [parameters as Tensor]) as Tensor[];
  return list.filter((p) => {
    if (p === null || typeof p !== "object" || !("grad" in p)) throw new TypeError(`${what}: parameters must be Tensors`);
    return p.grad !== null;
  }).map((p) => p.grad!);
}

function pNorm(g: Tensor, p: number): Tensor {
  if (p === Infinity) return g.abs().max();
  if (p === 2) return g.mul(g).sum().sqrt();
  if (p === 1) return g.abs().sum();
  return g.abs().pow(p).sum().pow(1 / p);
}

/**
 * Scales the gradients of `parameters` in place so their total p-norm is at most `maxNorm`
 * (torch.nn.utils.clip_grad_norm_); returns the total norm before clipping as a 0-d tensor.
 */
export function clipGradNorm_(parameters: Tensor | Iterable<Tensor>, maxNorm: number, opts: ClipGradNormOptions = {}): Tensor {
  const normType = opts.normType ?? 2;
  if (typeof maxNorm !== "number" || Number.isNaN(maxNorm)) throw new TypeError(`clip_grad_norm_(): max_norm must be a number, got ${String(maxNorm)}`);
  if (typeof normType !== "number" || Number.isNaN(normType)) throw new TypeError(`clip_grad_norm_(): norm_type must be a number, got ${String(normType)}`);
  const grads = gradsOf(parameters, "clip_grad_norm_()");
  return noGrad(() => {
    if (grads.length === 0) return scalarTensor(0, "float32");
    const norms = grads.map((g) => pNorm(g, normType));
    const total = normType === Infinity ? (norms.length === 1 ? norms[0] : stack(norms).max()) : pNorm(stack(norms), normType);
    // Read only when asked to check it: a value read, which a compiled step cannot make.
    if (opts.errorIfNonfinite && !Number.isFinite(total.item())) {
      throw new Error(
        `The total norm of order ${normType} for gradients from \`parameters\` is non-finite, so it cannot be clipped. To disable this error and scale the gradients by the non-finite norm anyway, set \`errorIfNonfinite: false\``,
      );
    }
    const coef = total.add(1e-6).reciprocal().mul(maxNorm).clamp(undefined, 1.0);
    for (const g of grads) g.mul_(coef.to(g.dtype));
    return total;
  });
}

/** Clamps every gradient of `parameters` to [−clipValue, clipValue] in place (torch.nn.utils.clip_grad_value_). */
export function clipGradValue_(parameters: Tensor | Iterable<Tensor>, clipValue: number): void {
  if (typeof clipValue !== "number" || Number.isNaN(clipValue)) throw new TypeError(`clip_grad_value_(): clip_value must be a number, got ${String(clipValue)}`);
  const grads = gradsOf(parameters, "clip_grad_value_()");
  noGrad(() => {
    for (const g of grads) g.clamp_(-clipValue, clipValue);
  });
}
