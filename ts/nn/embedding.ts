import { checkNnOptions } from "./options";
import { Tensor } from "../tensor";
import { empty } from "../creation";
import type { DType } from "../backend/types";
import { noGrad } from "../autograd/grad-mode";
import * as ops from "../ops/index";
import { checkTensor, needsGrad, record } from "../ops/core";
import { indexAddInto } from "../ops/index-ops";
import { Module } from "./module";
import { Parameter } from "./parameter";

export interface EmbeddingOptions {
  paddingIdx?: number | null;
  dtype?: DType;
}

function checkIndices(input: Tensor, n: number): void {
  if (input.dtype !== "int32") {
    throw new TypeError(`Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; but got ${input.dtype} instead (while checking arguments for embedding)`);
  }
  // Read in place, not through toArray (a value read compile refuses): a compiled step's kernels check the indices again.
  const d = input.isContiguous() ? input._data.subarray(input.offset, input.offset + input.numel()) : input.contiguous()._data;
  for (let i = 0; i < d.length; i++) {
    // Checked before any kernel reads the weight: an out-of-range index is an error, never a stray read.
    if (d[i] < 0 || d[i] >= n) throw new RangeError(`index ${d[i]} is out of bounds for dimension 0 with size ${n}`);
  }
}

/** Rows of `weight` picked by int32 indices (torch.nn.functional.embedding); the padding row gets no gradient. */
export function embedding(input: Tensor, weight: Tensor, paddingIdx: number | null = null): Tensor {
  checkTensor(input, "embedding", "input");
  checkTensor(weight, "embedding", "weight");
  if (weight.ndim !== 2) throw new RangeError(`'weight' must be 2-D`);
  const n = weight.shape[0];
  checkIndices(input, n);
  const flat = input.reshape(-1);
  const rows = noGrad(() => ops.indexSelect(weight, 0, flat));
  const out = rows.reshape([...input.shape, weight.shape[1]]);
  if (needsGrad(weight)) {
    const pad = paddingIdx === null ? null : paddingIdx < 0 ? paddingIdx + n : paddingIdx;
    const shape = weight.shape;
    record("EmbeddingBackward0", [weight], out, [flat], (g, [ix]) => {
      let g2 = g.reshape([-1, shape[1]]);
      if (pad !== null) g2 = ops.maskedFill(g2, ix.eq(pad).unsqueeze(1), 0);
      return [indexAddInto(shape, 0, ix, g2)];
    }, { padding_idx: pad });
  }
  return out;
}

/** A lookup table of `numEmbeddings` vectors (torch.nn.Embedding), initialised N(0, 1) with the padding row zero. */
export class Embedding extends Module<[Tensor], Tensor> {
  readonly numEmbeddings: number;
  readonly embeddingDim: number;
  readonly paddingIdx: number | null;
  weight: Parameter;

  constructor(numEmbeddings: number, embeddingDim: number, opts: EmbeddingOptions = {}) {
    super();
    checkNnOptions("Embedding", opts, { paddingIdx: true, dtype: true });
    if (!Number.isInteger(numEmbeddings) || !Number.isInteger(embeddingDim) || numEmbeddings < 0 || embeddingDim < 0) {
      throw new RangeError(`Embedding(): num_embeddings and embedding_dim must be non-negative integers, got ${numEmbeddings} and ${embeddingDim}`);
    }
    let pad = opts.paddingIdx ?? null;
    if (pad !== null) {
      if (pad > 0 && pad >= numEmbeddings) throw new RangeError("Padding_idx must be within num_embeddings");
      if (pad < 0 && pad < -numEmbeddings) throw new RangeError("Padding_idx must be within num_embeddings");
      if (pad < 0) pad += numEmbeddings;
    }
    this.numEmbeddings = numEmbeddings;
    this.embeddingDim = embeddingDim;
    this.paddingIdx = pad;
    this.weight = new Parameter(empty([numEmbeddings, embeddingDim], { dtype: opts.dtype ?? "float32" }));
    this.resetParameters();
  }

  /** PyTorch's reset_parameters: normal_(0, 1) from the global generator, then the padding row zeroed. */
  resetParameters(): void {
    noGrad(() => {
      this.weight.normal_(0, 1);
      if (this.paddingIdx !== null) this.weight.select(0, this.paddingIdx).fill_(0);
    });
  }

  override forward(input: Tensor): Tensor {
    return embedding(input, this.weight, this.paddingIdx);
  }

  override extraRepr(): string {
    return `${this.numEmbeddings}, ${this.embeddingDim}${this.paddingIdx !== null ? `, padding_idx=${this.paddingIdx}` : ""}`;
  }
}
