/**
 * Transformer blocks as PyTorch 1.13 builds them: TransformerEncoderLayer / TransformerDecoderLayer (post- or
 * pre-norm), and TransformerEncoder / TransformerDecoder, which stack copies of one layer (same initial
 * weights, as PyTorch's deepcopy; making the copies draws no random numbers).
 */
import { checkNnOptions } from "./options";
import type { Tensor } from "../tensor";
import type { DType } from "../backend/types";
import { defaultGenerator } from "../random/index";
import { full } from "../creation";
import * as ops from "../ops/index";
import { Module } from "./module";
import { ModuleList } from "./containers";
import { Linear } from "./linear";
import { Dropout } from "./dropout";
import { LayerNorm } from "./layer-norm";
import { MultiheadAttention } from "./attention";
import { gelu } from "./functional/activation-more";

export interface TransformerLayerOptions {
  dimFeedforward?: number;
  dropout?: number;
  /** "relu", "gelu", or a function of a tensor. */
  activation?: "relu" | "gelu" | ((x: Tensor) => Tensor);
  layerNormEps?: number;
  batchFirst?: boolean;
  normFirst?: boolean;
  dtype?: DType;
}

function activationOf(a: TransformerLayerOptions["activation"]): (x: Tensor) => Tensor {
  if (a === undefined || a === "relu") return ops.relu;
  if (a === "gelu") return (x) => gelu(x);
  if (typeof a === "function") return a;
  throw new RangeError(`activation should be relu/gelu, not ${String(a)}`);
}

/** A copy of a layer with the same weights and mode, built without drawing from the global generator. */
function copyLayer<L extends Module<never[], unknown>>(layer: L, make: () => L): L {
  const state = defaultGenerator.getState();
  const copy = make();
  defaultGenerator.setState(state);
  copy.loadStateDict(layer.stateDict());
  copy.train(layer.training);
  return copy;
}

const LAYER_OPTIONS: Record<keyof TransformerLayerOptions, true> = { dimFeedforward: true, dropout: true, activation: true, layerNormEps: true, batchFirst: true, normFirst: true, dtype: true };

export interface EncoderLayerForwardOptions {
  srcMask?: Tensor | null;
  srcKeyPaddingMask?: Tensor | null;
  isCausal?: boolean;
}

export class TransformerEncoderLayer extends Module<[Tensor, EncoderLayerForwardOptions?], Tensor> {
  readonly dModel: number;
  readonly nhead: number;
  readonly opts: TransformerLayerOptions;
  readonly normFirst: boolean;
  private readonly act: (x: Tensor) => Tensor;
  linear1: Linear;
  dropout: Dropout;
  linear2: Linear;
  norm1: LayerNorm;
  norm2: LayerNorm;
  dropout1: Dropout;
  dropout2: Dropout;

  /** Registered as "self_attn", PyTorch's state-dict key. */
  get selfAttn(): MultiheadAttention {
    return this._modules.get("self_attn") as unknown as MultiheadAttention;
  }

  constructor(dModel: number, nhead: number, opts: TransformerLayerOptions = {}) {
    super();
    checkNnOptions(new.target.name, opts, LAYER_OPTIONS);
    const { dimFeedforward = 2048, dropout = 0.1, layerNormEps = 1e-5, batchFirst = false, normFirst = false, dtype } = opts;
    this.dModel = dModel;
    this.nhead = nhead;
    this.opts = opts;
    this.normFirst = normFirst;
    this.act = activationOf(opts.activation);
    this.addModule("self_attn", new MultiheadAttention(dModel, nhead, { dropout, batchFirst, dtype }));
    this.linear1 = new Linear(dModel, dimFeedforward, { dtype });
    this.dropout = new Dropout(dropout);
    this.linear2 = new Linear(dimFeedforward, dModel, { dtype });
    this.norm1 = new LayerNorm(dModel, { eps: layerNormEps, dtype });
    this.norm2 = new LayerNorm(dModel, { eps: layerNormEps, dtype });
    this.dropout1 = new Dropout(dropout);
    this.dropout2 = new Dropout(dropout);
  }

  override forward(src: Tensor, opts: EncoderLayerForwardOptions = {}): Tensor {
    checkNnOptions("TransformerEncoderLayer.forward", opts, { srcMask: true, srcKeyPaddingMask: true, isCausal: true });
    let mask = opts.srcMask ?? null;
    if (opts.isCausal && mask === null) mask = causalMask(src.shape[this.selfAttn.batchFirst ? 1 : 0], src.dtype);
    const sa = (x: Tensor): Tensor =>
      this.dropout1(this.selfAttn(x, x, x, { attnMask: mask, keyPaddingMask: opts.srcKeyPaddingMask ?? null, needWeights: false })[0]);
    const ff = (x: Tensor): Tensor => this.dropout2(this.linear2(this.dropout(this.act(this.linear1(x)))));
    let x = src;
    if (this.normFirst) {
      x = ops.add(x, sa(this.norm1(x)));
      x = ops.add(x, ff(this.norm2(x)));
    } else {
      x = this.norm1(ops.add(x, sa(x)));
      x = this.norm2(ops.add(x, ff(x)));
    }
    return x;
  }

  /** @internal A copy with the same weights (TransformerEncoder's deepcopy). */
  _copy(): TransformerEncoderLayer {
    return copyLayer(this, () => new TransformerEncoderLayer(this.dModel, this.nhead, this.opts));
  }
}

export interface DecoderLayerForwardOptions {
  tgtMask?: Tensor | null;
  memoryMask?: Tensor | null;
  tgtKeyPaddingMask?: Tensor | null;
  memoryKeyPaddingMask?: Tensor | null;
  tgtIsCausal?: boolean;
}

export class TransformerDecoderLayer extends Module<[Tensor, Tensor, DecoderLayerForwardOptions?], Tensor> {
  readonly dModel: number;
  readonly nhead: number;
  readonly opts: TransformerLayerOptions;
  readonly normFirst: boolean;
  private readonly act: (x: Tensor) => Tensor;
  linear1: Linear;
  dropout: Dropout;
  linear2: Linear;
  norm1: LayerNorm;
  norm2: LayerNorm;
  norm3: LayerNorm;
  dropout1: Dropout;
  dropout2: Dropout;
  dropout3: Dropout;

  /** Registered as "self_attn" and "multihead_attn", PyTorch's state-dict keys. */
  get selfAttn(): MultiheadAttention {
    return this._modules.get("self_attn") as unknown as MultiheadAttention;
  }
  get multiheadAttn(): MultiheadAttention {
    return this._modules.get("multihead_attn") as unknown as MultiheadAttention;
  }

  constructor(dModel: number, nhead: number, opts: TransformerLayerOptions = {}) {
    super();
    checkNnOptions(new.target.name, opts, LAYER_OPTIONS);
    const { dimFeedforward = 2048, dropout = 0.1, layerNormEps = 1e-5, batchFirst = false, normFirst = false, dtype } = opts;
    this.dModel = dModel;
    this.nhead = nhead;
    this.opts = opts;
    this.normFirst = normFirst;
    this.act = activationOf(opts.activation);
    this.addModule("self_attn", new MultiheadAttention(dModel, nhead, { dropout, batchFirst, dtype }));
    this.addModule("multihead_attn", new MultiheadAttention(dModel, nhead, { dropout, batchFirst, dtype }));
    this.linear1 = new Linear(dModel, dimFeedforward, { dtype });
    this.dropout = new Dropout(dropout);
    this.linear2 = new Linear(dimFeedforward, dModel, { dtype });
    this.norm1 = new LayerNorm(dModel, { eps: layerNormEps, dtype });
    this.norm2 = new LayerNorm(dModel, { eps: layerNormEps, dtype });
    this.norm3 = new LayerNorm(dModel, { eps: layerNormEps, dtype });
    this.dropout1 = new Dropout(dropout);
    this.dropout2 = new Dropout(dropout);
    this.dropout3 = new Dropout(dropout);
  }

  override forward(tgt: Tensor, memory: Tensor, opts: DecoderLayerForwardOptions = {}): Tensor {
    checkNnOptions("TransformerDecoderLayer.forward", opts, { tgtMask: true, memoryMask: true, tgtKeyPaddingMask: true, memoryKeyPaddingMask: true, tgtIsCausal: true });
    let tgtMask = opts.tgtMask ?? null;
    if (opts.tgtIsCausal && tgtMask === null) tgtMask = causalMask(tgt.shape[this.selfAttn.batchFirst ? 1 : 0], tgt.dtype);
    const sa = (x: Tensor): Tensor =>
      this.dropout1(this.selfAttn(x, x, x, { attnMask: tgtMask, keyPaddingMask: opts.tgtKeyPaddingMask ?? null, needWeights: false })[0]);
    const mha = (x: Tensor): Tensor =>
      this.dropout2(
        this.multiheadAttn(x, memory, memory, { attnMask: opts.memoryMask ?? null, keyPaddingMask: opts.memoryKeyPaddingMask ?? null, needWeights: false })[0],
      );
    const ff = (x: Tensor): Tensor => this.dropout3(this.linear2(this.dropout(this.act(this.linear1(x)))));
    let x = tgt;
    if (this.normFirst) {
      x = ops.add(x, sa(this.norm1(x)));
      x = ops.add(x, mha(this.norm2(x)));
      x = ops.add(x, ff(this.norm3(x)));
    } else {
      x = this.norm1(ops.add(x, sa(x)));
      x = this.norm2(ops.add(x, mha(x)));
      x = this.norm3(ops.add(x, ff(x)));
    }
    return x;
  }

  /** @internal */
  _copy(): TransformerDecoderLayer {
    return copyLayer(this, () => new TransformerDecoderLayer(this.dModel, this.nhead, this.opts));
  }
}

/** A float mask of −inf above the diagonal (nn.Transformer.generate_square_subsequent_mask). */
export function causalMask(size: number, dtype: DType = "float32"): Tensor {
  return ops.triu(full([size, size], -Infinity, { dtype }), 1);
}

export interface EncoderForwardOptions {
  mask?: Tensor | null;
  srcKeyPaddingMask?: Tensor | null;
  isCausal?: boolean;
}

export class TransformerEncoder extends Module<[Tensor, EncoderForwardOptions?], Tensor> {
  layers: ModuleList;
  readonly numLayers: number;
  norm: LayerNorm | null;

  constructor(encoderLayer: TransformerEncoderLayer, numLayers: number, opts: { norm?: LayerNorm | null } = {}) {
    super();
    if (!(encoderLayer instanceof TransformerEncoderLayer)) throw new TypeError("TransformerEncoder: encoder_layer must be a TransformerEncoderLayer");
    this.layers = new ModuleList(Array.from({ length: numLayers }, () => encoderLayer._copy()));
    this.numLayers = numLayers;
    this.norm = opts.norm ?? null;
  }

  override forward(src: Tensor, opts: EncoderForwardOptions = {}): Tensor {
    checkNnOptions("TransformerEncoder.forward", opts, { mask: true, srcKeyPaddingMask: true, isCausal: true });
    let x = src;
    for (const layer of this.layers) {
      x = (layer as TransformerEncoderLayer)(x, { srcMask: opts.mask ?? null, srcKeyPaddingMask: opts.srcKeyPaddingMask ?? null, isCausal: opts.isCausal });
    }
    return this.norm === null ? x : this.norm(x);
  }
}

export interface DecoderForwardOptions extends DecoderLayerForwardOptions {}

export class TransformerDecoder extends Module<[Tensor, Tensor, DecoderForwardOptions?], Tensor> {
  layers: ModuleList;
  readonly numLayers: number;
  norm: LayerNorm | null;

  constructor(decoderLayer: TransformerDecoderLayer, numLayers: number, opts: { norm?: LayerNorm | null } = {}) {
    super();
    if (!(decoderLayer instanceof TransformerDecoderLayer)) throw new TypeError("TransformerDecoder: decoder_layer must be a TransformerDecoderLayer");
    this.layers = new ModuleList(Array.from({ length: numLayers }, () => decoderLayer._copy()));
    this.numLayers = numLayers;
    this.norm = opts.norm ?? null;
  }

  override forward(tgt: Tensor, memory: Tensor, opts: DecoderForwardOptions = {}): Tensor {
    let x = tgt;
    for (const layer of this.layers) x = (layer as TransformerDecoderLayer)(x, memory, opts);
    return this.norm === null ? x : this.norm(x);
  }
}
