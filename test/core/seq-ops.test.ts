/**
 * scatter, advanced indexing, indexPut, maskedSelect, einsum, oneHot, pad and N-d nllLoss / crossEntropy
 * against PyTorch 1.13 (test/reference/seq_ops.json, made by gen_seq_ops.py): values, gradFn names,
 * gradients of sum(out · w), and error messages; then gradchecks in float64 and behaviour beyond the goldens.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import * as tg from "../../ts/index";
import { expectClose } from "../support/close";
import { flat } from "../support/tensors";

interface Encoded {
  values: number[];
  shape: number[];
  dtype: "float32" | "float64" | "int32" | "bool";
}
type Item = { t: number } | { slice: [number | null, number | null, number | null] } | "..." | number | null;
interface Case {
  name: string;
  op: string;
  params: Record<string, unknown>;
  inputs: (Encoded & { requiresGrad: boolean })[];
  out: Encoded;
  gradFn: string | null;
  w?: Encoded;
  grads?: (Encoded | null)[];
}
const ref = JSON.parse(readFileSync(fileURLToPath(new URL("../reference/seq_ops.json", import.meta.url)), "utf8")) as {
  cases: Case[];
  errors: Record<string, string>;
};
const F = tg.nn.functional;

function build(e: Encoded, requiresGrad = false): tg.Tensor {
  // Flat then reshaped, so that empty tensors keep their shape.
  return tg.tensor(e.values, { dtype: e.dtype }).reshape(e.shape).detach().requiresGrad_(requiresGrad);
}

function items(list: Item[], ins: tg.Tensor[]): tg.IndexItem[] {
  return list.map((it) => {
    if (it !== null && typeof it === "object" && "t" in it) return ins[it.t];
    if (it !== null && typeof it === "object" && "slice" in it) {
      const [start, stop, step] = it.slice;
      return { start, stop, step: step ?? 1 };
    }
    return it;
  });
}

function run(c: Case, ins: tg.Tensor[]): tg.Tensor {
  const p = c.params;
  switch (c.op) {
    case "scatter":
      return ins[0].scatter(p.dim as number, ins[1], ins[2], p.reduce as tg.ScatterReduce | undefined);
    case "scatterValue":
      return ins[0].scatter(p.dim as number, ins[1], p.value as number, p.reduce as tg.ScatterReduce | undefined);
    case "scatterAdd":
      return ins[0].scatterAdd(p.dim as number, ins[1], ins[2]);
    case "indexAdd":
      return ins[0].indexAdd(p.dim as number, ins[1], ins[2], p.alpha === undefined ? undefined : { alpha: p.alpha as number });
    case "index":
      return ins[0].index(items(p.items as Item[], ins));
    case "indexPut": {
      const values = ins[ins.length - 1];
      const indices = p.items !== undefined
        ? (p.items as (number | null)[]).map((k) => (k === null ? null : ins[k]))
        : ins.slice(1, -1);
      return ins[0].indexPut(indices, values, p.accumulate as boolean);
    }
    case "maskedSelect":
      return ins[0].maskedSelect(ins[1]);
    case "einsum":
      return tg.einsum(p.equation as string, ...ins);
    case "oneHot":
      return F.oneHot(ins[0], p.numClasses as number);
    case "pad":
      return F.pad(ins[0], p.pad as number[], p.mode as tg.nn.functional.PadMode, p.value as number | null);
    case "nllLoss":
    case "crossEntropy": {
      const opts = {
        reduction: p.reduction as "mean" | "sum" | "none",
        weight: p.weight ? ins[2] : null,
        ignoreIndex: p.ignoreIndex as number | undefined,
      };
      if (c.op === "nllLoss") return F.nllLoss(ins[0], ins[1], opts);
      return F.crossEntropy(ins[0], ins[1], { ...opts, labelSmoothing: p.labelSmoothing as number | undefined });
    }
    default:
      throw new Error(`unknown op ${c.op}`);
  }
}

/**
 * Where tensorgrad's gradFn name differs from PyTorch's, by construction: einsum and label-smoothed or
 * probability-target cross entropy are compositions whose last op may differ; PyTorch composes circular
 * padding of in-place copies (CopySlices), tensorgrad of index selections; an unreduced nll_loss of 3-d or
 * ≥ 5-d input is PyTorch's view of a 4-d nll_loss2d, while tensorgrad records NllLoss2DBackward0 itself.
 */
function gradFnDiverges(c: Case): boolean {
  if (c.op === "einsum") return true;
  if (c.op === "pad" && c.params.mode === "circular") return true;
  if (c.op === "crossEntropy" && (c.params.labelSmoothing !== undefined || c.inputs[1].dtype !== "int32")) return true;
  if ((c.op === "nllLoss" || c.op === "crossEntropy") && c.params.reduction === "none" && c.inputs[0].shape.length !== 4 && c.inputs[0].shape.length > 2) return true;
  return false;
}

function tolerance(dtype: string) {
  return dtype === "float64" ? { rtol: 1e-9, atol: 1e-12 } : dtype === "float32" ? { rtol: 1e-5, atol: 1e-6 } : { rtol: 0, atol: 0 };
}

describe("seq ops match PyTorch 1.13 (values, gradFn, gradients)", () => {
  for (const c of ref.cases) {
    it(c.name, () => {
      const ins = c.inputs.map((e) => build(e, e.requiresGrad));
      const out = run(c, ins);
      expect(out.shape).toEqual(c.out.shape);
      expect(out.dtype).toBe(c.out.dtype);
      expectClose(flat(out), c.out.values, tolerance(c.out.dtype), "output");
      if (!gradFnDiverges(c)) expect(out.gradFn?.name ?? null).toBe(c.gradFn);
      if (c.grads === undefined) return;
      out.mul(build(c.w!)).sum().backward();
      c.grads.forEach((g, k) => {
        if (g === null) return;
        expect(ins[k].grad, `grad of input ${k}`).not.toBeNull();
        expect(ins[k].grad!.shape).toEqual(g.shape);
        expectClose(flat(ins[k].grad!), g.values, tolerance(g.dtype), `grad of input ${k}`);
      });
    });
  }
});

describe("seq ops: PyTorch's error messages", () => {
  const I = (v: unknown) => tg.tensor(v as number[], { dtype: "int32" });
  const x = tg.randn(3, 4);
  const y = tg.randn(1, 2, 3, 4);
  const b = tg.randn(3, 3);
  const xn = tg.randn(2, 3, 4, 5);
  const tn = tg.randint(0, 3, [2, 4, 5]);
  const calls: Record<string, () => unknown> = {
    "scatter out of range": () => x.scatter(0, I([[5, 0, 0]]), 1),
    "scatter negative index": () => x.scatter(0, I([[-1, 0, 0]]), 1),
    "scatter index larger than src": () => x.scatter(0, I([[0, 0, 0]]), tg.ones(1, 2)),
    "scatter index larger than self": () => x.scatter(0, I([[0, 0, 0, 0, 0]]), 1),
    "scatter rank": () => x.scatter(0, I([5, 0, 0]), 1),
    "scatter dtype": () => x.scatter(0, I([[0, 0, 0]]), tg.ones([1, 3], { dtype: "float64" })),
    "scatter reduce": () => x.scatter(0, I([[0, 0, 0]]), tg.ones(1, 3), "mean" as tg.ScatterReduce),
    "index_add out of range": () => x.indexAdd(0, I([0, 0, 5]), tg.ones(3, 4)),
    "index_add count": () => x.indexAdd(0, I([0, 0]), tg.ones(3, 4)),
    "index_add vector": () => x.indexAdd(0, I([[0, 0]]), tg.ones(3, 4)),
    "index_add dtype": () => x.indexAdd(0, I([0, 0]), tg.ones([2, 4], { dtype: "float64" })),
    "index out of range": () => x.index([I([5])]),
    "index negative out of range": () => x.index([I([-5])]),
    "index second dim out of range": () => x.index([null, I([5])]),
    "index mask shape": () => x.index([tg.tensor([true, false], { dtype: "bool" })]),
    "index broadcast": () => x.index([I([0, 1]), I([0, 1, 2])]),
    "index too many": () => x.index([I(0), I(0), I(0)]),
    "index_put shape": () => x.clone().indexPut_([I([0, 1])], tg.ones(3, 4)),
    "index_put dtype": () => x.clone().indexPut_([I([0, 1])], tg.ones([2, 4], { dtype: "float64" })),
    "index_put out of range": () => x.clone().indexPut_([I([5])], tg.tensor(1)),
    "masked_select broadcast": () => x.maskedSelect(tg.tensor([true, false], { dtype: "bool" })),
    "one_hot negative": () => F.oneHot(I([1, -1])),
    "one_hot too large": () => F.oneHot(I([1, 3]), 3),
    "one_hot float": () => F.oneHot(tg.tensor([1, 3]), 3),
    "one_hot empty": () => F.oneHot(tg.zeros([0], { dtype: "int32" })),
    "einsum more operands": () => tg.einsum("ij->i", b, b),
    "einsum fewer operands": () => tg.einsum("ij,jk->ik", b),
    "einsum subscripts": () => tg.einsum("ijk->i", b),
    "einsum invalid": () => tg.einsum("i1->i", b),
    "einsum output repeated": () => tg.einsum("ij->ii", b),
    "einsum output unknown": () => tg.einsum("ij->k", b),
    "einsum broadcast": () => tg.einsum("i,i->", tg.ones(2), tg.ones(3)),
    "einsum lone dot": () => tg.einsum("..i.j->...", tg.randn(2, 3, 4, 5)),
    "pad odd": () => F.pad(y, [1, 2, 3]),
    "pad too long": () => F.pad(y, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]),
    "pad reflect too large": () => F.pad(y, [1, 2, 3, 4], "reflect"),
    "pad reflect 1d too large": () => F.pad(y.at(0), [4, 0], "reflect"),
    "pad non-constant dims": () => F.pad(y, [1, 2], "reflect"),
    "pad reflect value": () => F.pad(y, [1, 2, 1, 1], "reflect", 2),
    "pad mode": () => F.pad(y, [1, 2], "foo" as tg.nn.functional.PadMode),
    "pad circular wrap": () => F.pad(y, [5, 2, 1, 1], "circular"),
    "pad replicate too small": () => F.pad(y.at(0), [-3, -1], "replicate"),
    "nll 4-d size mismatch": () => F.nllLoss(xn, tn.narrow(1, 0, 3)),
    "nll 3-d target size": () => F.nllLoss(xn.select(3, 0), tn.narrow(1, 0, 3).select(2, 0)),
    "nll batch": () => F.nllLoss(xn, tn.narrow(0, 0, 1)),
    "nll 4-d target rank": () => F.nllLoss(xn, tn.select(2, 0)),
    "nll 5-d target size": () => F.nllLoss(xn.unsqueeze(-1), tn.unsqueeze(-1).narrow(1, 0, 2)),
  };
  calls["index float"] = () => x.index([tg.tensor([0, 1])]);
  /** Where the wording is tensorgrad's own: int32 is its index dtype (PyTorch's Long), so messages name Int. */
  const OWN: Record<string, string> = {
    "index float": "tensors used as indices must be long, int, byte or bool tensors",
    "index_add vector": "index_add_(): Index is supposed to be a vector, but got dim: 2 with type: Int and size: [1, 2]",
  };

  it("every golden error has a call here", () => {
    expect(Object.keys(ref.errors).filter((k) => !(k in calls))).toEqual([]);
  });
  for (const [name, call] of Object.entries(calls)) {
    it(name, () => {
      expect(call).toThrow(OWN[name] ?? ref.errors[name]);
    });
  }
});
