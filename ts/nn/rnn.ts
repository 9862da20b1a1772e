/**
 * Recurrent layers as PyTorch 1.13 defines them: RNN, LSTM, GRU (layers, directions, dropout between layers,
 * batchFirst, unbatched input) and their cells. Parameters carry PyTorch's names (weight_ih_l0, ...) and
 * initialisation (every parameter uniform in ±1/√hidden, in registration order), and each step computes
 * as ATen does: the input projection of the whole sequence first, then per step gates = ih[t] + h·W_hhᵀ + b_hh.
 */
import { checkNnOptions } from "./options";
import { warnOnce } from "../warn";
import type { Tensor } from "../tensor";
import { empty, zeros } from "../creation";
import type { DType } from "../backend/types";
import { noGrad } from "../autograd/grad-mode";
import * as ops from "../ops/index";
import { checkTensor } from "../ops/core";
import { Module } from "./module";
import { Parameter } from "./parameter";
import { dropout as dropoutFn } from "./functional/dropout";
import { fusable, gruCell, lstmCell, unbind0 } from "../ops/sequence";

type Mode = "RNN_TANH" | "RNN_RELU" | "LSTM" | "GRU";

const GATES: Record<Mode, number> = { RNN_TANH: 1, RNN_RELU: 1, LSTM: 4, GRU: 3 };

function initUniform(params: readonly Parameter[], hidden: number): void {
  const stdv = hidden > 0 ? 1 / Math.sqrt(hidden) : 0;
  noGrad(() => {
    for (const p of params) p.uniform_(-stdv, stdv);
  });
}

/** One step of a cell: the next hidden state(s) from the precomputed input projection `gi` and h (and c). */
function cellStep(mode: Mode, gi: Tensor, h: Tensor, c: Tensor | null, wHh: Tensor, bHh: Tensor | null): [Tensor, Tensor | null] {
  const gh = ops.linear(h, wHh, bHh);
  // Float steps of 2-D states run the fused gate kernels (one node per step, PyTorch's fused-cell gradFn names).
  if (mode === "LSTM" && h.ndim === 2 && fusable(gi, gh, c)) return lstmCell(gi, gh, c!);
  if (mode === "GRU" && h.ndim === 2 && fusable(gi, gh, h)) return [gruCell(gi, gh, h), null];
  if (mode === "LSTM") {
    const [i, f, g, o] = ops.chunk(ops.add(gi, gh), 4, -1);
    const cy = ops.add(ops.mul(ops.sigmoid(f), c!), ops.mul(ops.sigmoid(i), ops.tanh(g)));
    return [ops.mul(ops.sigmoid(o), ops.tanh(cy)), cy];
  }
  if (mode === "GRU") {
    const [ir, iz, inn] = ops.chunk(gi, 3, -1);
    const [hr, hz, hn] = ops.chunk(gh, 3, -1);
    const r = ops.sigmoid(ops.add(ir, hr));
    const z = ops.sigmoid(ops.add(iz, hz));
    const n = ops.tanh(ops.add(inn, ops.mul(r, hn)));
    return [ops.add(ops.mul(ops.sub(h, n), z), n), null];
  }
  const pre = ops.add(gi, gh);
  return [mode === "RNN_TANH" ? ops.tanh(pre) : ops.relu(pre), null];
}

export interface RNNBaseOptions {
  numLayers?: number;
  bias?: boolean;
  batchFirst?: boolean;
  dropout?: number;
  bidirectional?: boolean;
  dtype?: DType;
}

export interface RNNOptions extends RNNBaseOptions {
  nonlinearity?: "tanh" | "relu";
}

abstract class RNNBase<H> extends Module<[Tensor, H?], [Tensor, H]> {
  readonly mode: Mode;
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly bias: boolean;
  readonly batchFirst: boolean;
  readonly dropout: number;
  readonly bidirectional: boolean;

  constructor(mode: Mode, inputSize: number, hiddenSize: number, opts: RNNBaseOptions) {
    super();
    checkNnOptions(new.target.name, opts, {
      numLayers: true, bias: true, batchFirst: true, dropout: true, bidirectional: true, dtype: true,
      ...(mode === "RNN_TANH" || mode === "RNN_RELU" ? { nonlinearity: true } : {}),
    } as Record<keyof RNNBaseOptions, true>);
    const { numLayers = 1, bias = true, batchFirst = false, dropout = 0, bidirectional = false, dtype = "float32" } = opts;
    if (!Number.isInteger(hiddenSize) || hiddenSize <= 0) throw new RangeError("hidden_size must be greater than zero");
    if (!Number.isInteger(numLayers) || numLayers <= 0) throw new RangeError("num_layers must be greater than zero");
    if (!(dropout >= 0 && dropout <= 1)) throw new RangeError("dropout should be a number in range [0, 1] representing the probability of an element being zeroed");
    if (dropout > 0 && numLayers === 1) {
      warnOnce(
        `dropout option adds dropout after all but last recurrent layer, so non-zero dropout expects num_layers greater than 1, but got dropout=${dropout} and num_layers=${numLayers}`,
      );
    }
    this.mode = mode;
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    this.numLayers = numLayers;
    this.bias = bias;
    this.batchFirst = batchFirst;
    this.dropout = dropout;
    this.bidirectional = bidirectional;
    const G = GATES[mode] * hiddenSize;
    const dirs = bidirectional ? 2 : 1;
    for (let layer = 0; layer < numLayers; layer++) {
      for (let d = 0; d < dirs; d++) {
        const inSize = layer === 0 ? inputSize : hiddenSize * dirs;
        const sfx = `_l${layer}${d === 1 ? "_reverse" : ""}`;
        this.registerParameter(`weight_ih${sfx}`, new Parameter(empty([G, inSize], { dtype })));
        this.registerParameter(`weight_hh${sfx}`, new Parameter(empty([G, hiddenSize], { dtype })));
        if (bias) {
          this.registerParameter(`bias_ih${sfx}`, new Parameter(empty([G], { dtype })));
          this.registerParameter(`bias_hh${sfx}`, new Parameter(empty([G], { dtype })));
        }
      }
    }
    this.resetParameters();
  }

  /** PyTorch's reset_parameters: every parameter uniform in ±1/√hidden_size, in order. */
  resetParameters(): void {
    initUniform(this.parameters(), this.hiddenSize);
  }

  /** @internal Runs all layers; `h0`/`c0` are [layers·dirs, N, H]. */
  _run(input: Tensor, h0: Tensor | null, c0: Tensor | null): [Tensor, Tensor, Tensor | null] {
    checkTensor(input, this.constructor.name, "input");
    const batched = input.ndim === 3;
    if (input.ndim !== 2 && input.ndim !== 3) {
      throw new RangeError(`${this.constructor.name}: Expected input to be 2D or 3D, got ${input.ndim}D instead`);
    }
    let x = batched ? input : ops.unsqueeze(input, 1);
    if (batched && this.batchFirst) x = ops.transpose(x, 0, 1);
    const [L, N, I] = x.shape;
    if (I !== this.inputSize) throw new RangeError(`input.size(-1) must be equal to input_size. Expected ${this.inputSize}, got ${I}`);
    const dirs = this.bidirectional ? 2 : 1;
    const H = this.hiddenSize;
    const hShape = [this.numLayers * dirs, N, H];
    const prep = (s: Tensor | null, what: string): Tensor | null => {
      if (s === null) return null;
      const t = batched ? s : ops.unsqueeze(s, 1);
      if (t.ndim !== 3 || t.shape.some((d, i) => d !== hShape[i])) {
        throw new RangeError(`Expected ${what} size (${hShape.join(", ")}), got [${t.shape.join(", ")}]`);
      }
      return t;
    };
    const hx = prep(h0, "hidden") ?? zeros(hShape, { dtype: x.dtype });
    const cx = this.mode === "LSTM" ? (prep(c0, "hidden[1]") ?? zeros(hShape, { dtype: x.dtype })) : null;
    const p = (name: string): Tensor | null => (this._parameters.get(name) as Parameter | null | undefined) ?? null;
    const hs: Tensor[] = [];
    const cs: Tensor[] = [];
    let layerInput = x;
    for (let layer = 0; layer < this.numLayers; layer++) {
      const outs: Tensor[] = [];
      for (let d = 0; d < dirs; d++) {
        const sfx = `_l${layer}${d === 1 ? "_reverse" : ""}`;
        const k = layer * dirs + d;
        // The whole sequence's input projection in one GEMM, as ATen's FullLayer does.
        const gi = ops.linear(layerInput, p(`weight_ih${sfx}`)!, p(`bias_ih${sfx}`));
        let h = ops.select(hx, 0, k);
        let c = cx === null ? null : ops.select(cx, 0, k);
        const steps: Tensor[] = new Array<Tensor>(L);
        // All time steps as views with one backward node: per-step selects would each add a full-size gradient.
        const giSteps = unbind0(gi);
        for (let s = 0; s < L; s++) {
          const t = d === 1 ? L - 1 - s : s;
          [h, c] = cellStep(this.mode, giSteps[t], h, c, p(`weight_hh${sfx}`)!, p(`bias_hh${sfx}`));
          steps[t] = h;
        }
        outs.push(L === 0 ? zeros([0, N, H], { dtype: x.dtype }) : ops.stack(steps, 0));
        hs.push(h);
        if (c !== null) cs.push(c);
      }
      layerInput = dirs === 1 ? outs[0] : ops.cat(outs, 2);
      if (this.dropout > 0 && this.training && layer < this.numLayers - 1) layerInput = dropoutFn(layerInput, this.dropout, true);
    }
    let output = layerInput;
    if (batched && this.batchFirst) output = ops.transpose(output, 0, 1);
    let hn = ops.stack(hs, 0);
    let cn = cs.length > 0 ? ops.stack(cs, 0) : null;
    if (!batched) {
      output = ops.squeeze(output, 1);
      hn = ops.squeeze(hn, 1);
      cn = cn === null ? null : ops.squeeze(cn, 1);
    }
    return [output, hn, cn];
  }

  override extraRepr(): string {
    let s = `${this.inputSize}, ${this.hiddenSize}`;
    if (this.numLayers !== 1) s += `, num_layers=${this.numLayers}`;
    if (!this.bias) s += ", bias=False";
    if (this.batchFirst) s += ", batch_first=True";
    if (this.dropout !== 0) s += `, dropout=${this.dropout}`;
    if (this.bidirectional) s += ", bidirectional=True";
    return s;
  }
}

/** Elman RNN (torch.nn.RNN): forward(x, h0?) → [output, hN]. */
export class RNN extends RNNBase<Tensor> {
  constructor(inputSize: number, hiddenSize: number, opts: RNNOptions = {}) {
    const nl = opts.nonlinearity ?? "tanh";
    if (nl !== "tanh" && nl !== "relu") throw new RangeError(`Unknown nonlinearity '${String(nl)}'`);
    super(nl === "tanh" ? "RNN_TANH" : "RNN_RELU", inputSize, hiddenSize, opts);
  }
  override forward(input: Tensor, h0?: Tensor): [Tensor, Tensor] {
    const [out, h] = this._run(input, h0 ?? null, null);
    return [out, h];
  }
}

/** Long short-term memory (torch.nn.LSTM): forward(x, [h0, c0]?) → [output, [hN, cN]]. */
export class LSTM extends RNNBase<[Tensor, Tensor]> {
  constructor(inputSize: number, hiddenSize: number, opts: RNNBaseOptions = {}) {
    super("LSTM", inputSize, hiddenSize, opts);
  }
  override forward(input: Tensor, state?: [Tensor, Tensor]): [Tensor, [Tensor, Tensor]] {
    const [out, h, c] = this._run(input, state?.[0] ?? null, state?.[1] ?? null);
    return [out, [h, c!]];
  }
}

/** Gated recurrent unit (torch.nn.GRU): forward(x, h0?) → [output, hN]. */
export class GRU extends RNNBase<Tensor> {
  constructor(inputSize: number, hiddenSize: number, opts: RNNBaseOptions = {}) {
    super("GRU", inputSize, hiddenSize, opts);
  }
  override forward(input: Tensor, h0?: Tensor): [Tensor, Tensor] {
    const [out, h] = this._run(input, h0 ?? null, null);
    return [out, h];
  }
}

export interface RNNCellOptions {
  bias?: boolean;
  dtype?: DType;
}

abstract class CellBase<S> extends Module<[Tensor, S?], S> {
  readonly mode: Mode;
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly bias: boolean;
  weight_ih: Parameter;
  weight_hh: Parameter;
  bias_ih!: Parameter | null;
  bias_hh!: Parameter | null;

  constructor(mode: Mode, inputSize: number, hiddenSize: number, opts: RNNCellOptions) {
    super();
    checkNnOptions(new.target.name, opts, {
      bias: true, dtype: true, ...(mode === "RNN_TANH" || mode === "RNN_RELU" ? { nonlinearity: true } : {}),
    } as Record<keyof RNNCellOptions, true>);
    const dtype = opts.dtype ?? "float32";
    this.mode = mode;
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    this.bias = opts.bias ?? true;
    const G = GATES[mode] * hiddenSize;
    this.weight_ih = new Parameter(empty([G, inputSize], { dtype }));
    this.weight_hh = new Parameter(empty([G, hiddenSize], { dtype }));
    if (this.bias) {
      this.bias_ih = new Parameter(empty([G], { dtype }));
      this.bias_hh = new Parameter(empty([G], { dtype }));
    } else {
      this.registerParameter("bias_ih", null);
      this.registerParameter("bias_hh", null);
    }
    initUniform(this.parameters(), hiddenSize);
  }

  /** @internal */
  _step(input: Tensor, h: Tensor | null, c: Tensor | null): [Tensor, Tensor | null] {
    checkTensor(input, this.constructor.name, "input");
    const batched = input.ndim === 2;
    const x = batched ? input : ops.unsqueeze(input, 0);
    if (x.shape[1] !== this.inputSize) throw new RangeError(`input has inconsistent input_size: got ${x.shape[1]} expected ${this.inputSize}`);
    const zero = (): Tensor => zeros([x.shape[0], this.hiddenSize], { dtype: x.dtype });
    const h0 = h === null ? zero() : batched ? h : ops.unsqueeze(h, 0);
    const c0 = this.mode !== "LSTM" ? null : c === null ? zero() : batched ? c : ops.unsqueeze(c, 0);
    const gi = ops.linear(x, this.weight_ih, this.bias_ih);
    let [hy, cy] = cellStep(this.mode, gi, h0, c0, this.weight_hh, this.bias_hh);
    if (!batched) {
      hy = ops.squeeze(hy, 0);
      cy = cy === null ? null : ops.squeeze(cy, 0);
    }
    return [hy, cy];
  }

  override extraRepr(): string {
    // PyTorch 1.13 prints a cell's non-default nonlinearity unquoted (RNN layers do not print it at all).
    return `${this.inputSize}, ${this.hiddenSize}${this.bias ? "" : ", bias=False"}${this.mode === "RNN_RELU" ? ", nonlinearity=relu" : ""}`;
  }
}

export class RNNCell extends CellBase<Tensor> {
  constructor(inputSize: number, hiddenSize: number, opts: RNNCellOptions & { nonlinearity?: "tanh" | "relu" } = {}) {
    super(opts.nonlinearity === "relu" ? "RNN_RELU" : "RNN_TANH", inputSize, hiddenSize, opts);
  }
  override forward(input: Tensor, h?: Tensor): Tensor {
    return this._step(input, h ?? null, null)[0];
  }
}

export class LSTMCell extends CellBase<[Tensor, Tensor]> {
  constructor(inputSize: number, hiddenSize: number, opts: RNNCellOptions = {}) {
    super("LSTM", inputSize, hiddenSize, opts);
  }
  override forward(input: Tensor, state?: [Tensor, Tensor]): [Tensor, Tensor] {
    const [h, c] = this._step(input, state?.[0] ?? null, state?.[1] ?? null);
    return [h, c!];
  }
}

export class GRUCell extends CellBase<Tensor> {
  constructor(inputSize: number, hiddenSize: number, opts: RNNCellOptions = {}) {
    super("GRU", inputSize, hiddenSize, opts);
  }
  override forward(input: Tensor, h?: Tensor): Tensor {
    return this._step(input, h ?? null, null)[0];
  }
}
