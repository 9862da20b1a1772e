/**
 * The fused ops of the sequence layers: layer norm (PyTorch's NativeLayerNormBackward0), one LSTM or GRU step's
 * gate math (ThnnFusedLstmCellBackward0 / ThnnFusedGruCellBackward0, as PyTorch names its fused cells), softmax
 * over the last dim with an additive float mask (SoftmaxBackward0, the scores of attention) and
 * unbind (one UnbindBackward0 node for all slices, so a recurrence reading every time step of a projected
 * sequence does not pay a full-size gradient per step). Forwards and first backwards run the kernels of
 * ts/backend/js/sequence.ts (native/sequence/); a backward asked to build its own graph (createGraph) is
 * written in tensor ops from the saved inputs instead, so higher derivatives stay right.
 */
import { B } from "../backend/index";
import type { FloatArray } from "../backend/types";
import { Node } from "../autograd/node";
import { gradMode, noGrad } from "../autograd/grad-mode";
import type { Tensor } from "../tensor";
import { emptyTensor, record, zerosTensor } from "./core";
import { add, mul, sub } from "./arithmetic";
import { rsqrt, sigmoid, tanh } from "./math";
import { softmax } from "./softmax";
import { mean, sum } from "./reduce";
import { cat, stack } from "./join";
import { chunk } from "./rearrange";
import { clone, contiguous, reshape, select } from "./views";

type MultiBackwardFn = (grads: readonly (Tensor | null)[], saved: readonly Tensor[]) => readonly (Tensor | null)[];

/** The node of an op with several outputs: one backward call receives every output's gradient (null: none). */
class MultiOutputNode extends Node {
  constructor(name: string, inputs: readonly Tensor[], saved: Tensor[], private readonly fn: MultiBackwardFn, numOutputs: number) {
    super(name, inputs, saved, null, undefined, numOutputs);
  }

  override apply(grad: Tensor): (Tensor | null)[] {
    return this.applyAll([grad]);
  }

  override applyAll(grads: readonly (Tensor | null)[]): (Tensor | null)[] {
    return this.fitInputGrads(this.fn(grads, this.savedTensors()));
  }
}

function recordMulti(name: string, inputs: readonly Tensor[], outs: readonly Tensor[], saved: Tensor[], fn: MultiBackwardFn): void {
  const node = new MultiOutputNode(name, inputs, saved, fn, outs.length);
  outs.forEach((t, k) => {
    t._gradFn = node;
    t._outputNr = k;
    t._requiresGrad = true;
  });
}

/** Contiguous from element 0 of its storage: what the kernels read (no graph). */
function dense(t: Tensor): Tensor {
  return noGrad(() => {
    const c = contiguous(t);
    return c.offset === 0 ? c : clone(c);
  });
}

const data = (t: Tensor): FloatArray => t._data as FloatArray;

/** Whether a backward must build its own graph: createGraph is on and something it reads requires grad. */
function wantsGraph(...ts: (Tensor | null)[]): boolean {
  return gradMode.enabled && ts.some((t) => t !== null && t._requiresGrad);
}

/** Whether the fused kernels serve these tensors: float32 or float64 (16-bit floats take the composed ops), one dtype. */
export function fusable(...ts: (Tensor | null)[]): boolean {
  const first = ts.find((t) => t !== null);
  return first !== undefined && first !== null && (first.dtype === "float32" || first.dtype === "float64") && ts.every((t) => t === null || t.dtype === first.dtype);
}

/**
 * Layer norm over the trailing `k` dims of x (the caller has checked them against weight/bias): biased
 * variance, y = (x − mean)·rstd·weight + bias. Float inputs of one dtype (see fusable).
 */
export function fusedLayerNorm(x: Tensor, k: number, weight: Tensor | null, bias: Tensor | null, eps: number): Tensor {
  let cols = 1;
  for (let i = x.ndim - k; i < x.ndim; i++) cols *= x.shape[i];
  const rows = cols === 0 ? 0 : x.numel() / cols;
  const xs = dense(x), w = weight === null ? null : dense(weight), b = bias === null ? null : dense(bias);
  const y = emptyTensor(x.shape, x.dtype);
  const mu = emptyTensor([rows], x.dtype), rs = emptyTensor([rows], x.dtype);
  B.layerNorm(data(xs), 0, rows, cols, w === null ? null : data(w), b === null ? null : data(b), eps, data(y), data(mu), data(rs));
  const rx = x._requiresGrad, rw = weight !== null && weight._requiresGrad, rb = bias !== null && bias._requiresGrad;
  if (gradMode.enabled && (rx || rw || rb)) {
    const inputs = [x, ...(weight === null ? [] : [weight]), ...(bias === null ? [] : [bias])];
    const dims = Array.from({ length: k }, (_, i) => x.ndim - k + i);
    const lead = Array.from({ length: x.ndim - k }, (_, i) => i);
    const saved = weight === null ? [x, mu, rs] : [x, mu, rs, weight];
    record("NativeLayerNormBackward0", inputs, y, saved, (g, [xv, m, r, wv]) => {
      let gx: Tensor | null = null, gw: Tensor | null = null, gb: Tensor | null = null;
      if (wantsGraph(g, xv, wv ?? null)) {
        // Statistics recomputed from the saved input in tensor ops, so the gradient is differentiable again.
        const xc = sub(xv, mean(xv, dims, true));
        const invstd = rsqrt(add(mean(mul(xc, xc), dims, true), eps));
        const xhat = mul(xc, invstd);
        const gxhat = wv === undefined ? g : mul(g, wv);
        if (rx) gx = mul(invstd, sub(sub(gxhat, mean(gxhat, dims, true)), mul(xhat, mean(mul(gxhat, xhat), dims, true))));
        if (rw) gw = reshape(lead.length ? sum(mul(g, xhat), lead) : mul(g, xhat), weight!.shape);
        if (rb) gb = reshape(lead.length ? sum(g, lead) : g, bias!.shape);
      } else {
        const gs = dense(g), xd = dense(xv), wd = wv === undefined ? null : dense(wv);
        if (rx) gx = emptyTensor(x.shape, x.dtype);
        if (rw) gw = emptyTensor(weight!.shape, x.dtype);
        if (rb) gb = emptyTensor(bias!.shape, x.dtype);
        B.layerNormBackward(data(gs), 0, data(xd), 0, data(m), data(r), wd === null ? null : data(wd), rows, cols,
          gx === null ? null : data(gx), gw === null ? null : data(gw), gb === null ? null : data(gb));
      }
      return [gx, ...(weight === null ? [] : [gw]), ...(bias === null ? [] : [gb])];
    }, { normalized_ndim: k, eps });
  }
  return y;
}

/** The slices x[0], x[1], … along dim 0 as views with one backward node (torch.unbind). */
export function unbind0(x: Tensor): Tensor[] {
  const outs = noGrad(() => Array.from({ length: x.shape[0] }, (_, i) => select(x, 0, i)));
  if (gradMode.enabled && x._requiresGrad && outs.length > 0) {
    const shape = outs[0].shape;
    recordMulti("UnbindBackward0", [x], outs, [], (grads) => [stack(grads.map((g) => g ?? zerosTensor(shape, x.dtype)), 0)]);
  }
  return outs;
}

/** The LSTM step's backward in tensor ops (createGraph), recomputing the gates from the saved inputs. */
function lstmBackwardComposed(gi: Tensor, gh: Tensor, c: Tensor, dh: Tensor | null, dc: Tensor | null): Tensor[] {
  const [i, f, g, o] = chunk(add(gi, gh), 4, -1).map((t, k) => (k === 2 ? tanh(t) : sigmoid(t)));
  const tc = tanh(add(mul(f, c), mul(i, g)));
  const gH = dh ?? zerosTensor(c.shape, c.dtype);
  const fromH = mul(mul(gH, o), sub(1, mul(tc, tc)));
  const gC = dc === null ? fromH : add(dc, fromH);
  const dgates = cat([
    mul(mul(gC, g), mul(i, sub(1, i))),
    mul(mul(gC, c), mul(f, sub(1, f))),
    mul(mul(gC, i), sub(1, mul(g, g))),
    mul(mul(gH, tc), mul(o, sub(1, o))),
  ], -1);
  return [dgates, dgates, mul(gC, f)];
}

/**
 * One LSTM step: gates = gi + gh ([n, 4h], i f g o), c' = σ(f)·c + σ(i)·tanh(g), h' = σ(o)·tanh(c') → [h', c'].
 * Float tensors of one dtype, gi and gh [n, 4h], c [n, h].
 */
export function lstmCell(gi: Tensor, gh: Tensor, c: Tensor): [Tensor, Tensor] {
  const [n, h] = c.shape;
  const a = dense(gi), b = dense(gh), cc = dense(c);
  const hy = emptyTensor([n, h], c.dtype), cy = emptyTensor([n, h], c.dtype), ws = emptyTensor([n, 4 * h], c.dtype);
  B.lstmCell(data(a), 0, data(b), 0, data(cc), 0, n, h, data(hy), data(cy), data(ws));
  if (gradMode.enabled && (gi._requiresGrad || gh._requiresGrad || c._requiresGrad)) {
    recordMulti("ThnnFusedLstmCellBackward0", [gi, gh, c], [hy, cy], [gi, gh, c, ws, cy], (grads, [giv, ghv, cv, w, cyv]) => {
      const [dh, dc] = grads;
      if (wantsGraph(dh, dc, giv, ghv, cv)) return lstmBackwardComposed(giv, ghv, cv, dh, dc);
      const dhd = dh === null ? null : dense(dh), dcd = dc === null ? null : dense(dc);
      const dgates = emptyTensor([n, 4 * h], c.dtype), dcPrev = emptyTensor([n, h], c.dtype);
      B.lstmCellBackward(dhd === null ? null : data(dhd), 0, dcd === null ? null : data(dcd), 0, data(w), data(dense(cv)), 0, data(cyv), n, h, data(dgates), data(dcPrev));
      return [dgates, dgates, dcPrev];
    });
  }
  return [hy, cy];
}

/** The GRU step's backward in tensor ops (createGraph), recomputing the gates from the saved inputs. */
function gruBackwardComposed(gi: Tensor, gh: Tensor, hx: Tensor, dh: Tensor): Tensor[] {
  const [ir, iz, inn] = chunk(gi, 3, -1);
  const [hr, hz, hn] = chunk(gh, 3, -1);
  const r = sigmoid(add(ir, hr));
  const z = sigmoid(add(iz, hz));
  const n = tanh(add(inn, mul(r, hn)));
  const dn = mul(mul(dh, sub(1, z)), sub(1, mul(n, n)));
  const dz = mul(mul(dh, sub(hx, n)), mul(z, sub(1, z)));
  const dr = mul(mul(dn, hn), mul(r, sub(1, r)));
  return [cat([dr, dz, dn], -1), cat([dr, dz, mul(dn, r)], -1), mul(dh, z)];
}

/**
 * One GRU step: r = σ(gi_r + gh_r), z = σ(gi_z + gh_z), n = tanh(gi_n + r·gh_n), h' = (h − n)·z + n.
 * Float tensors of one dtype, gi and gh [n, 3h], hx [n, h].
 */
export function gruCell(gi: Tensor, gh: Tensor, hx: Tensor): Tensor {
  const [n, h] = hx.shape;
  const a = dense(gi), b = dense(gh), hh = dense(hx);
  const hy = emptyTensor([n, h], hx.dtype), ws = emptyTensor([n, 4 * h], hx.dtype);
  B.gruCell(data(a), 0, data(b), 0, data(hh), 0, n, h, data(hy), data(ws));
  if (gradMode.enabled && (gi._requiresGrad || gh._requiresGrad || hx._requiresGrad)) {
    record("ThnnFusedGruCellBackward0", [gi, gh, hx], hy, [gi, gh, hx, ws], (dh, [giv, ghv, hv, w]) => {
      if (wantsGraph(dh, giv, ghv, hv)) return gruBackwardComposed(giv, ghv, hv, dh);
      const dgi = emptyTensor([n, 3 * h], hx.dtype), dgh = emptyTensor([n, 3 * h], hx.dtype), dhPrev = emptyTensor([n, h], hx.dtype);
      B.gruCellBackward(data(dense(dh)), 0, data(w), data(dense(hv)), 0, n, h, data(dgi), data(dgh), data(dhPrev));
      return [dgi, dgh, dhPrev];
    });
  }
  return hy;
}

/** The rows a mask covers when its shape (leading 1s dropped) is a suffix of x's with the same last dim, else null. */
function maskRowsOf(x: Tensor, mask: Tensor): number | null {
  const ms = [...mask.shape];
  while (ms.length > 0 && ms[0] === 1) ms.shift();
  if (ms.length > x.ndim || x.ndim === 0) return null;
  const tail = x.shape.slice(x.ndim - ms.length);
  if (ms.length === 0) return x.shape[x.ndim - 1] === 1 ? 1 : null;
  if (ms.some((d, i) => d !== tail[i])) return null;
  return mask.numel() / x.shape[x.ndim - 1];
}

/**
 * softmax(x + mask) over the last dim, mask a float tensor that broadcasts as a suffix of x's shape (attention
 * scores [N·H, L, S] with a mask [L, S] or [N·H, L, S]), or null. One pass per row, one node; other masks and
 * dtypes take add + softmax.
 */
export function maskedSoftmax(x: Tensor, mask: Tensor | null): Tensor {
  const rowsOfMask = mask === null ? 1 : maskRowsOf(x, mask);
  if (!fusable(x, mask) || rowsOfMask === null || x.ndim === 0) return softmax(mask === null ? x : add(x, mask), -1);
  const cols = x.shape[x.ndim - 1];
  const rows = cols === 0 ? 0 : x.numel() / cols;
  const xs = dense(x), ms = mask === null ? null : dense(mask);
  const out = emptyTensor(x.shape, x.dtype);
  B.maskedSoftmax(data(xs), 0, rows, cols, ms === null ? null : data(ms), 0, Math.max(1, rowsOfMask), data(out));
  const inputs = mask === null ? [x] : [x, mask];
  if (gradMode.enabled && inputs.some((t) => t._requiresGrad)) {
    record("SoftmaxBackward0", inputs, out, [out], (g, [y]) => {
      let dx: Tensor;
      if (wantsGraph(g, y)) {
        dx = mul(y, sub(g, sum(mul(g, y), -1, true)));
      } else {
        const gs = dense(g);
        dx = emptyTensor(x.shape, x.dtype);
        B.softmaxBackward(data(y), data(gs), 0, rows, cols, data(dx));
      }
      return mask === null ? [dx] : [dx, dx];
    }, { dim: x.ndim - 1 });
  }
  return out;
}
