/**
 * scatter, advanced indexing, indexPut, maskedSelect, einsum, oneHot, pad and N-d losses beyond the goldens:
 * float64 gradchecks (first and second order through createGraph), in-place forms under autograd, refused
 * indices that leave the target untouched, views, and einsum's contraction going through the batched GEMM.
 */
import { describe, expect, it } from "vitest";
import * as tg from "../../ts/index";

const F = tg.nn.functional;
const I = (v: unknown) => tg.tensor(v as number[], { dtype: "int32" });
const R = (...shape: number[]) => tg.randn(shape, { dtype: "float64", requiresGrad: true });
const check = (f: (...t: tg.Tensor[]) => tg.Tensor, inputs: tg.Tensor[]) => expect(tg.autograd.gradcheck(f, inputs)).toBe(true);

/** gradcheck of the gradient itself: d/dx of sum(grad(f(x)) · v), through createGraph. */
function checkSecondOrder(f: (x: tg.Tensor) => tg.Tensor, x: tg.Tensor): void {
  const v = tg.randn(x.shape, { dtype: "float64" });
  check((t) => {
    const y = f(t);
    const [g] = tg.autograd.grad([y.mul(y).sum()], [t], { createGraph: true });
    return g!.mul(v).sum();
  }, [x]);
}

function nodeNames(t: tg.Tensor): Set<string> {
  const seen = new Set<string>();
  const stack = [t.gradFn];
  while (stack.length > 0) {
    const n = stack.pop();
    if (!n || seen.has(n.name)) continue;
    seen.add(n.name);
    for (const [next] of n.nextFunctions) stack.push(next);
  }
  return seen;
}

describe("gradcheck in float64", () => {
  it("scatter (src and value), scatterAdd", () => {
    const idx = I([[1, 2, 0, 1], [0, 1, 2, 2]]);
    check((x, s) => x.scatter(0, idx, s), [R(3, 4), R(2, 4)]);
    check((x) => x.scatter(1, I([[3], [0], [1]]), 1.5), [R(3, 4)]);
    check((x, s) => x.scatterAdd(0, idx, s), [R(3, 4), R(2, 4)]);
    check((x, s) => x.scatter(1, I([[0, 2], [1, 3]]), s), [R(2, 4), R(2, 3)]);
    check((x, s) => x.indexAdd(1, I([2, 0, 2]), s, { alpha: 0.5 }), [R(2, 4), R(2, 3)]);
  });

  it("index: tensors, masks, adjacent and separated, with numbers and slices", () => {
    const a = R(2, 3, 4);
    const mask = tg.tensor([[true, false, true, true], [false, false, true, false], [true, true, false, false]], { dtype: "bool" });
    check((t) => t.index([I([1, 0, 1])]), [a]);
    check((t) => t.index([null, I([[0, 2], [2, 2]])]), [a]);
    check((t) => t.index([I([0, 1]), null, I([3, 3])]), [a]);
    check((t) => t.index([null, mask]), [a]);
    check((t) => t.index([1, { start: 0, stop: 3, step: 2 }, I([0, 0, 2])]), [a]);
    check((t) => t.index(["...", I([-1, 0])]), [a]);
    checkSecondOrder((t) => t.index([null, I([0, 2, 0])]), R(2, 3));
  });

  it("indexPut: set and accumulate, gradients for the tensor and the values", () => {
    const i = I([0, 2, 0]);
    const j = I([1, 1, 3]);
    check((x, v) => x.indexPut([i, j], v, true), [R(3, 4), R(3)]);
    check((x, v) => x.indexPut([I([2, 0])], v), [R(3, 4), R(4)]);
    check((x, v) => x.indexPut([null, I([1, 3])], v), [R(2, 4), R(2, 1)]);
    checkSecondOrder((x) => x.indexPut([I([1])], x.index([I([0])]).mul(2)), R(2, 3));
  });

  it("maskedSelect, with the mask or the input broadcast", () => {
    check((x) => x.maskedSelect(tg.tensor([true, false, true], { dtype: "bool" })), [R(2, 3)]);
    check((x) => x.maskedSelect(tg.tensor([[true, false, true], [false, true, true]], { dtype: "bool" })), [R(3)]);
  });

  it("einsum: matmul, batch, trace, diagonal, ellipsis broadcast, three operands", () => {
    check((a, b) => tg.einsum("ij,jk->ik", a, b), [R(2, 3), R(3, 4)]);
    check((a, b) => tg.einsum("bij,bjk->bik", a, b), [R(2, 2, 3), R(2, 3, 2)]);
    check((a) => tg.einsum("ii", a), [R(3, 3)]);
    check((a) => tg.einsum("iij->ji", a), [R(3, 3, 2)]);
    check((a, b) => tg.einsum("...ij,...jk->...ik", a, b), [R(2, 1, 2, 3), R(3, 3, 2)]);
    check((a, b, c) => tg.einsum("ab,bc,cd->ad", a, b, c), [R(2, 3), R(3, 2), R(2, 2)]);
    check((a, b) => tg.einsum("i,i->i", a, b), [R(1), R(3)]);
    checkSecondOrder((a) => tg.einsum("ij,kj->ik", a, a), R(2, 3));
  });

  it("pad: constant (with cropping), reflect, replicate, circular", () => {
    check((x) => F.pad(x, [1, -1, 2, 0], "constant", 0.5), [R(1, 2, 3, 4)]);
    check((x) => F.pad(x, [2, 1], "reflect"), [R(2, 4)]);
    check((x) => F.pad(x, [1, 2, 2, 1], "reflect"), [R(1, 1, 3, 4)]);
    check((x) => F.pad(x, [1, 2, 0, 1, 1, 0], "replicate"), [R(1, 2, 2, 3)]);
    check((x) => F.pad(x, [2, -1, 1, 1], "circular"), [R(1, 1, 3, 3)]);
    checkSecondOrder((x) => F.pad(x, [2, 1], "reflect").mul(tg.arange(6).double()), R(1, 3));
  });

  it("N-d nllLoss and crossEntropy (class weights, ignore index, label smoothing, probabilities)", () => {
    const t = I([[[0, 2], [1, -100]], [[2, 2], [0, 1]]]);
    const w = tg.tensor([0.5, 2, 1.25], { dtype: "float64" });
    check((x) => F.nllLoss(x, t, { weight: w }), [R(2, 3, 2, 2)]);
    check((x) => F.crossEntropy(x, t, { weight: w, labelSmoothing: 0.2 }), [R(2, 3, 2, 2)]);
    check((x) => F.crossEntropy(x, I([[0, 2, 1], [1, 1, 0]]), { reduction: "none" }), [R(2, 3, 3)]);
    const probs = tg.randn([2, 3, 4], { dtype: "float64" }).softmax(1);
    check((x) => F.crossEntropy(x, probs, { labelSmoothing: 0.1, weight: w }), [R(2, 3, 4)]);
    const m = new tg.nn.CrossEntropyLoss({ ignoreIndex: 1 });
    check((x) => m.forward(x, I([[0, 1, 2], [1, 2, 0]])), [R(2, 3, 3)]);
  });
});

describe("behaviour", () => {
  it("scatter_ and indexPut_ write in place; under autograd the gradient follows the writes", () => {
    const x = R(3, 4);
    const y = x.mul(1);
    const v = R(2);
    y.indexPut_([I([0, 2]), I([1, 3])], v);
    y.scatter_(1, I([[0], [0], [0]]), 7);
    expect(y.gradFn?.name).toBe("ScatterBackward1");
    y.sum().backward();
    const g = x.grad!.tolist() as number[][];
    expect(g).toEqual([[0, 0, 1, 1], [0, 1, 1, 1], [0, 1, 1, 0]]);
    expect(v.grad!.tolist()).toEqual([1, 1]);
    expect(() => x.scatter_(0, I([[0]]), 1)).toThrow("a leaf Variable that requires grad is being used in an in-place operation.");
  });

  it("a refused index leaves the target untouched, on every path", () => {
    const y = tg.arange(12).reshape(3, 4).float();
    const before = y.tolist();
    expect(() => y.scatter_(0, I([[0, 1, 3, 0]]), 9)).toThrow("index 3 is out of bounds for dimension 0 with size 3");
    expect(() => y.indexPut_([I([0, 3])], tg.tensor(1))).toThrow("index 3 is out of bounds for dimension 0 with size 3");
    expect(() => y.indexPut_([I([0, 1]), I([0, -5])], tg.tensor(1), true)).toThrow("index -5 is out of bounds for dimension 1 with size 4");
    expect(() => y.index([null, I([2 ** 31 - 1])])).toThrow("out of bounds");
    expect(y.tolist()).toEqual(before);
    expect(y.version).toBe(0);
  });

  it("in-place writes into a contiguous view with an offset (large enough for the native kernels) reach the right elements", () => {
    const base = tg.zeros(4, 300);
    const y = base.narrow(0, 2, 2);
    const idx = I([Array.from({ length: 300 }, (_, k) => k % 2), Array.from({ length: 300 }, (_, k) => (k + 1) % 2)]);
    y.scatter_(0, idx, tg.ones(2, 300), "add");
    y.indexPut_([I([1, 1])], tg.full([2, 300], 2), true);
    y.indexPut_([I([0])], tg.full([300], 3));
    expect(base.sum(1).tolist()).toEqual([0, 0, 900, 1500]);
    const expected = tg.zeros(4, 300);
    expected.index([{ start: 2, stop: 4 }]).copy_(tg.tensor([3, 5]).reshape(2, 1).expand(2, 300));
    expect(base.tolist()).toEqual(expected.tolist());
  });

  it("scatter with reduce has no derivative, as in PyTorch 1.13", () => {
    const x = R(2, 3);
    const out = x.scatter(0, I([[1, 0, 1]]), 2, "multiply");
    expect(out.gradFn?.name).toBe("NotImplemented");
    expect(() => out.sum().backward()).toThrow("derivative for aten::scatter is not implemented");
  });

  it("numbers and slices alone give views that write through; tensors give copies", () => {
    const x = tg.zeros(3, 4);
    x.index([1, { start: 1, stop: 3 }]).fill_(5);
    expect(x.tolist()).toEqual([[0, 0, 0, 0], [0, 5, 5, 0], [0, 0, 0, 0]]);
    x.index([I([0])]).fill_(7);
    expect(x.sum().item()).toBe(10);
    expect(x.index(["..."]).shape).toEqual([3, 4]);
    expect(() => x.index(["...", "..."])).toThrow("an index can only have a single ellipsis ('...')");
  });

  it("items after a 2-d mask index the dims after both of the mask's (NumPy's rule; PyTorch 1.13 shifts them by one)", () => {
    const x = tg.randn(3, 4, 5, 6);
    const m = tg.randn(3, 4).gt(0);
    const y = x.index([m, null, { start: 1, stop: 4 }]);
    expect(y.tolist()).toEqual(x.index([m]).index([null, null, { start: 1, stop: 4 }]).tolist());
  });

  it("nested arrays are index lists or masks, as Python's x[[0, 2]]", () => {
    const x = tg.randn(3, 4);
    expect(x.index([[2, 0, -1]]).tolist()).toEqual(x.index([I([2, 0, -1])]).tolist());
    expect(x.index([null, [true, false, true, true]]).tolist()).toEqual(x.index([null, I([0, 2, 3])]).tolist());
    expect(x.index([[[0], [1]], [1, 3]]).shape).toEqual([2, 2]);
    expect(x.index([[]]).shape).toEqual([0, 4]);
    expect(() => x.index([["a"] as unknown as number[]])).toThrow("index(): argument 'indices' (position 1) must be a tuple of Tensor, int, slice, None or '...', not list");
    expect(() => x.index([[[0], [1, 2]]])).toThrow(TypeError);
    expect(() => x.index([[0, true]])).toThrow(TypeError);
  });

  it("maskedSelect and index with an all-false mask give empty results", () => {
    const x = tg.randn(2, 3);
    const none = tg.zeros([2, 3], { dtype: "bool" });
    expect(x.maskedSelect(none).shape).toEqual([0]);
    expect(x.index([none]).shape).toEqual([0]);
    expect(x.index([tg.tensor(false, { dtype: "bool" })]).shape).toEqual([0, 2, 3]);
  });

  it("strided (transposed) self, src and index work as their contiguous copies", () => {
    const x = tg.arange(12).reshape(3, 4).float().t();
    const src = tg.arange(12).reshape(4, 3).float().t();
    const idx = I([[3, 1], [2, 0], [0, 2]]).t();
    expect(x.scatter(0, idx, src).tolist()).toEqual(x.contiguous().scatter(0, idx.contiguous(), src.contiguous()).tolist());
    expect(x.index([I([1, 0]), { start: 1 }]).tolist()).toEqual([[5, 9], [4, 8]]);
    expect(x.indexPut([null, I([2])], tg.tensor([-1, -2, -3, -4]).reshape(4, 1)).tolist()).toEqual([[0, 4, -1], [1, 5, -2], [2, 6, -3], [3, 7, -4]]);
  });

  it("scatter on a 0-d tensor, as PyTorch treats it as one element", () => {
    expect(tg.tensor(3).scatter(0, I(0), 5).item()).toBe(5);
  });

  it("oneHot is int32 and composes with float math", () => {
    const h = F.oneHot(I([2, 0]), 3);
    expect(h.dtype).toBe("int32");
    expect(h.float().matmul(tg.tensor([1, 10, 100])).tolist()).toEqual([100, 1]);
  });

  it("einsum contracts through the batched GEMM, never a scalar loop", () => {
    const names = nodeNames(tg.einsum("bij,bjk->bik", R(2, 3, 4), R(2, 4, 5)));
    expect(names.has("BmmBackward0")).toBe(true);
    expect(nodeNames(tg.einsum("ij,jk,kl->il", R(2, 3), R(3, 4), R(4, 5))).has("BmmBackward0")).toBe(true);
    // The operands may also be one array, as torch.einsum's list form.
    const a = tg.randn(2, 3);
    expect(tg.einsum("ij->j", [a]).tolist()).toEqual(a.sum(0).tolist());
  });

  it("pad with negative constant padding crops; modes check the input's rank", () => {
    const x = tg.arange(6).reshape(1, 2, 3).float();
    expect(F.pad(x, [-1, -1]).tolist()).toEqual([[[1], [4]]]);
    expect(() => F.pad(x, [1, 1, 1, 1, 1, 1], "replicate")).toThrow("Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now");
    expect(() => F.pad(x, [-3, -1])).toThrow("start (0) + length (-1) exceeds dimension size (0).");
  });
});
