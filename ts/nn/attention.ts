/**
 * Attention: nn.functional.scaledDotProductAttention (PyTorch 2.x's API) and nn.MultiheadAttention with
 * PyTorch 1.13's parameters, initialisation order, masks and arithmetic (multi_head_attention_forward).
 */
import { checkNnOptions } from "./options";
import type { Tensor } from "../tensor";
import { empty, ones, zeros } from "../creation";
import type { DType } from "../backend/types";
import { noGrad } from "../autograd/grad-mode";
import * as ops from "../ops/index";
import { checkTensor } from "../ops/core";
import { Module } from "./module";
import { Parameter } from "./parameter";
import { Linear } from "./linear";
import { dropout } from "./functional/dropout";
import { xavierUniform_ } from "./init";
import { maskedSoftmax } from "../ops/sequence";

export interface SdpaOptions {
  /** Float mask added to the scores, or bool mask where true means "may attend" (PyTorch 2.x's convention). */
  attnMask?: Tensor | null;
  dropoutP?: number;
  /** Each query attends to keys at positions ≤ its own (a lower-triangular mask). */
  isCausal?: boolean;
}

/** softmax(q·kᵀ/√d + mask)·v over the last two dims (torch.nn.functional.scaled_dot_product_attention). */
export function scaledDotProductAttention(q: Tensor, k: Tensor, v: Tensor, opts: SdpaOptions = {}): Tensor {
  checkTensor(q, "scaled_dot_product_attention", "query");
  checkTensor(k, "scaled_dot_product_attention", "key");
  checkTensor(v, "scaled_dot_product_attention", "value");
  checkNnOptions("scaled_dot_product_attention", opts, { attnMask: true, dropoutP: true, isCausal: true });
  const { attnMask = null, dropoutP = 0, isCausal = false } = opts;
  if (isCausal && attnMask !== null) throw new RangeError("_scaled_dot_product_attention: Explicit attn_mask should not be set when is_causal=True");
  const d = q.shape[q.ndim - 1];
  let scores = ops.div(ops.matmul(q, ops.transpose(k, -2, -1)), Math.sqrt(d));
  const L = q.shape[q.ndim - 2], S = k.shape[k.ndim - 2];
  if (isCausal) scores = ops.maskedFill(scores, ops.logicalNot(ops.tril(ones([L, S], { dtype: "bool" }))), -Infinity);
  // A float mask is added inside the fused softmax (one pass per row); bool masks fill −inf first.
  let floatMask: Tensor | null = null;
  if (attnMask !== null) {
    if (attnMask.dtype === "bool") scores = ops.maskedFill(scores, ops.logicalNot(attnMask), -Infinity);
    else floatMask = attnMask;
  }
  let attn = maskedSoftmax(scores, floatMask);
  if (dropoutP > 0) attn = dropout(attn, dropoutP, true);
  return ops.matmul(attn, v);
}

/** The output projection's class name, as PyTorch prints it inside MultiheadAttention. */
export class NonDynamicallyQuantizableLinear extends Linear {}

export interface MultiheadAttentionOptions {
  dropout?: number;
  bias?: boolean;
  kdim?: number | null;
  vdim?: number | null;
  batchFirst?: boolean;
  dtype?: DType;
}

export interface MhaForwardOptions {
  /** True (or −inf) where a key position must be ignored, per batch element: [N, S]. */
  keyPaddingMask?: Tensor | null;
  needWeights?: boolean;
  /** [L, S] or [N·heads, L, S]; bool (true = masked out) or float (added). */
  attnMask?: Tensor | null;
  averageAttnWeights?: boolean;
}

/** Multi-head attention (torch.nn.MultiheadAttention); forward returns [output, weights or null]. */
export class MultiheadAttention extends Module<[Tensor, Tensor, Tensor, MhaForwardOptions?], [Tensor, Tensor | null]> {
  readonly embedDim: number;
  readonly numHeads: number;
  readonly dropout: number;
  readonly batchFirst: boolean;
  readonly headDim: number;
  readonly kdim: number;
  readonly vdim: number;
  readonly qkvSameEmbedDim: boolean;
  // Registered under PyTorch's names (in_proj_weight, out_proj, ...) so state dicts interchange; the
  // camelCase getters below are the TypeScript spelling.
  get inProjWeight(): Parameter | null {
    return this._parameters.get("in_proj_weight") ?? null;
  }
  get qProjWeight(): Parameter | null {
    return this._parameters.get("q_proj_weight") ?? null;
  }
  get kProjWeight(): Parameter | null {
    return this._parameters.get("k_proj_weight") ?? null;
  }
  get vProjWeight(): Parameter | null {
    return this._parameters.get("v_proj_weight") ?? null;
  }
  get inProjBias(): Parameter | null {
    return this._parameters.get("in_proj_bias") ?? null;
  }
  get outProj(): NonDynamicallyQuantizableLinear {
    return this._modules.get("out_proj") as unknown as NonDynamicallyQuantizableLinear;
  }

  constructor(embedDim: number, numHeads: number, opts: MultiheadAttentionOptions = {}) {
    super();
    checkNnOptions("MultiheadAttention", opts, { dropout: true, bias: true, kdim: true, vdim: true, batchFirst: true, dtype: true });
    if (!Number.isInteger(embedDim) || embedDim <= 0 || !Number.isInteger(numHeads) || numHeads <= 0) {
      throw new RangeError(`embed_dim and num_heads must be greater than 0, got embed_dim=${embedDim} and num_heads=${numHeads} instead`);
    }
    this.embedDim = embedDim;
    this.kdim = opts.kdim ?? embedDim;
    this.vdim = opts.vdim ?? embedDim;
    this.qkvSameEmbedDim = this.kdim === embedDim && this.vdim === embedDim;
    this.numHeads = numHeads;
    this.dropout = opts.dropout ?? 0;
    this.batchFirst = opts.batchFirst ?? false;
    this.headDim = Math.floor(embedDim / numHeads);
    if (this.headDim * numHeads !== embedDim) throw new RangeError("embed_dim must be divisible by num_heads");
    const dtype = opts.dtype ?? "float32";
    const bias = opts.bias ?? true;
    // PyTorch's registration order: in_proj_weight (or q/k/v_proj_weight), in_proj_bias, out_proj.
    if (this.qkvSameEmbedDim) {
      this.registerParameter("in_proj_weight", new Parameter(empty([3 * embedDim, embedDim], { dtype })));
      this.registerParameter("q_proj_weight", null);
      this.registerParameter("k_proj_weight", null);
      this.registerParameter("v_proj_weight", null);
    } else {
      this.registerParameter("q_proj_weight", new Parameter(empty([embedDim, embedDim], { dtype })));
      this.registerParameter("k_proj_weight", new Parameter(empty([embedDim, this.kdim], { dtype })));
      this.registerParameter("v_proj_weight", new Parameter(empty([embedDim, this.vdim], { dtype })));
      this.registerParameter("in_proj_weight", null);
    }
    this.registerParameter("in_proj_bias", bias ? new Parameter(empty([3 * embedDim], { dtype })) : null);
    // Linear initialises itself (drawing from the generator) before the projections are reset, as in PyTorch.
    this.addModule("out_proj", new NonDynamicallyQuantizableLinear(embedDim, embedDim, { bias, dtype }));
    this.resetParameters();
  }

  /** PyTorch's _reset_parameters: xavier_uniform_ on the input projections, zero biases. */
  resetParameters(): void {
    noGrad(() => {
      if (this.qkvSameEmbedDim) {
        xavierUniform_(this.inProjWeight!);
      } else {
        xavierUniform_(this.qProjWeight!);
        xavierUniform_(this.kProjWeight!);
        xavierUniform_(this.vProjWeight!);
      }
      if (this.inProjBias !== null) {
        this.inProjBias.fill_(0);
        this.outProj.bias!.fill_(0);
      }
    });
  }

  override forward(query: Tensor, key: Tensor, value: Tensor, opts: MhaForwardOptions = {}): [Tensor, Tensor | null] {
    checkNnOptions("MultiheadAttention.forward", opts, { keyPaddingMask: true, needWeights: true, attnMask: true, averageAttnWeights: true });
    const { keyPaddingMask = null, needWeights = true, attnMask = null, averageAttnWeights = true } = opts;
    checkTensor(query, "MultiheadAttention", "query");
    checkTensor(key, "MultiheadAttention", "key");
    checkTensor(value, "MultiheadAttention", "value");
    const batched = query.ndim === 3;
    let q = batched ? query : ops.unsqueeze(query, this.batchFirst ? 0 : 1);
    let k = batched ? key : ops.unsqueeze(key, this.batchFirst ? 0 : 1);
    let v = batched ? value : ops.unsqueeze(value, this.batchFirst ? 0 : 1);
    if (this.batchFirst) [q, k, v] = [q, k, v].map((t) => ops.transpose(t, 0, 1));
    const [L, N, E] = q.shape;
    const S = k.shape[0];
    if (E !== this.embedDim) throw new RangeError(`was expecting embedding dimension of ${this.embedDim}, but got ${E}`);
    const H = this.numHeads, D = this.headDim;
    const b = this.inProjBias;
    const bq = b === null ? null : ops.narrow(b, 0, 0, E), bk = b === null ? null : ops.narrow(b, 0, E, E), bv = b === null ? null : ops.narrow(b, 0, 2 * E, E);
    let qp: Tensor, kp: Tensor, vp: Tensor;
    if (this.qkvSameEmbedDim) {
      const w = this.inProjWeight!;
      if (query === key && key === value) {
        [qp, kp, vp] = ops.chunk(ops.linear(q, w, b), 3, -1);
      } else if (key === value) {
        qp = ops.linear(q, ops.narrow(w, 0, 0, E), bq);
        [kp, vp] = ops.chunk(ops.linear(k, ops.narrow(w, 0, E, 2 * E), b === null ? null : ops.narrow(b, 0, E, 2 * E)), 2, -1);
      } else {
        qp = ops.linear(q, ops.narrow(w, 0, 0, E), bq);
        kp = ops.linear(k, ops.narrow(w, 0, E, E), bk);
        vp = ops.linear(v, ops.narrow(w, 0, 2 * E, E), bv);
      }
    } else {
      qp = ops.linear(q, this.qProjWeight!, bq);
      kp = ops.linear(k, this.kProjWeight!, bk);
      vp = ops.linear(v, this.vProjWeight!, bv);
    }
    // Masks: key padding merges into the attention mask; bool masks become −inf where true.
    let mask: Tensor | null = null;
    if (attnMask !== null) {
      mask = attnMask.ndim === 2 ? ops.unsqueeze(attnMask, 0) : attnMask;
      const want = attnMask.ndim === 2 ? [1, L, S] : [N * H, L, S];
      if (mask.shape.some((d, i) => d !== want[i])) {
        throw new RangeError(`The shape of the ${attnMask.ndim}D attn_mask is [${attnMask.shape.join(", ")}], but should be (${(attnMask.ndim === 2 ? [L, S] : want).join(", ")}).`);
      }
    }
    if (keyPaddingMask !== null) {
      if (keyPaddingMask.ndim !== 2 || keyPaddingMask.shape[0] !== N || keyPaddingMask.shape[1] !== S) {
        throw new RangeError(`expecting key_padding_mask shape of (${N}, ${S}), but got [${keyPaddingMask.shape.join(", ")}]`);
      }
      const kpm = ops.reshape(ops.expand(ops.reshape(keyPaddingMask, [N, 1, 1, S]), [N, H, 1, S]), [N * H, 1, S]);
      if (mask === null) mask = kpm;
      else if (mask.dtype === "bool" && kpm.dtype === "bool") mask = ops.add(mask, kpm); // logical or
      else mask = ops.add(toFloatMask(mask, qp.dtype), toFloatMask(kpm, qp.dtype));
    }
    if (mask !== null) mask = toFloatMask(mask, qp.dtype);
    const heads = (t: Tensor, len: number): Tensor => ops.transpose(ops.reshape(ops.contiguous(t), [len, N * H, D]), 0, 1);
    const qh = ops.div(heads(qp, L), Math.sqrt(D));
    const kh = heads(kp, S), vh = heads(vp, S);
    const kt = ops.transpose(kh, 1, 2);
    // The mask is added inside the fused softmax (PyTorch: baddbmm(mask, q, kᵀ), then softmax).
    const attn = maskedSoftmax(ops.bmm(qh, kt), mask);
    const dropped = this.training && this.dropout > 0 ? dropout(attn, this.dropout, true) : attn;
    let out = ops.bmm(dropped, vh);
    out = ops.reshape(ops.contiguous(ops.transpose(out, 0, 1)), [L * N, E]);
    out = ops.reshape(this.outProj(out), [L, N, E]);
    if (this.batchFirst) out = ops.transpose(out, 0, 1);
    if (!batched) out = ops.squeeze(out, this.batchFirst ? 0 : 1);
    if (!needWeights) return [out, null];
    let weights = ops.reshape(attn, [N, H, L, S]);
    if (averageAttnWeights) weights = ops.div(ops.sum(weights, 1), H);
    if (!batched) weights = ops.squeeze(weights, 0);
    return [out, weights];
  }
}

function toFloatMask(m: Tensor, dtype: DType): Tensor {
  if (m.dtype !== "bool") return m;
  return ops.maskedFill(zeros(m.shape, { dtype }), m, -Infinity);
}

