import { describe, expect, it } from "vitest";
import * as tg from "../../ts/index";
import { flat } from "../support/tensors";
import { ref } from "./reference";

const E = ref.errors;

describe("in-place ops compute like their out-of-place forms and return the tensor", () => {
  const a = () => tg.tensor([[1, -2, 3], [-4, 5, -6]]);
  const row = () => tg.tensor([10, 20, 30]);
  const cases: [string, (t: tg.Tensor) => tg.Tensor, (t: tg.Tensor) => tg.Tensor][] = [
    ["add_ tensor (broadcast)", (t) => t.add_(row()), (t) => t.add(row())],
    ["add_ number", (t) => t.add_(2.5), (t) => t.add(2.5)],
    ["sub_ tensor (broadcast)", (t) => t.sub_(row()), (t) => t.sub(row())],
    ["mul_ number", (t) => t.mul_(-3), (t) => t.mul(-3)],
    ["div_ tensor (broadcast)", (t) => t.div_(row()), (t) => t.div(row())],
    ["clamp_ min and max", (t) => t.clamp_(-3, 4), (t) => t.clamp(-3, 4)],
    ["clamp_ max only", (t) => t.clamp_(undefined, 0), (t) => t.clamp(undefined, 0)],
  ];
  for (const [name, inPlace, outOfPlace] of cases) {
    it(name, () => {
      const t = a();
      const expected = flat(outOfPlace(a()));
      const r = inPlace(t);
      expect(r).toBe(t);
      expect(flat(t)).toEqual(expected);
    });
  }

  it("zero_ and fill_ set every element", () => {
    const t = tg.tensor([1, 2, 3]);
    expect(t.fill_(4)).toBe(t);
    expect(flat(t)).toEqual([4, 4, 4]);
    expect(t.zero_()).toBe(t);
    expect(flat(t)).toEqual([0, 0, 0]);
  });

  it("copy_ copies values with broadcasting and dtype conversion", () => {
    const t = tg.zeros(2, 3);
    t.copy_(tg.tensor([1, 2, 3], { dtype: "float64" }));
    expect(t.dtype).toBe("float32");
    expect(t.tolist()).toEqual([[1, 2, 3], [1, 2, 3]]);
  });

  it("add_ with an int32 tensor and a float operand is an error (PyTorch's casting rule)", () => {
    expect(() => tg.ones([2], { dtype: "int32" }).add_(2.5)).toThrow(E["in-place int32 with float"]!);
  });

  it("add_ whose broadcast shape is larger than the tensor is an error", () => {
    expect(() => tg.ones(3).add_(tg.ones(2, 3))).toThrow(E["in-place broadcast output shape"]!);
  });
});

describe("requiresGrad flags", () => {
  it("requiresGrad_(false) on a non-leaf is an error", () => {
    const y = tg.ones(2, { requiresGrad: true }).mul(2);
    expect(() => y.requiresGrad_(false)).toThrow("you can only change requires_grad flags of leaf variables");
  });

  it("an int32 tensor cannot require gradients", () => {
    expect(() => tg.ones([2], { dtype: "int32" }).requiresGrad_()).toThrow(E["int32 requiresGrad"]!);
  });

  it("gradients have the dtype of their leaf (float64 stays float64)", () => {
    const x = tg.tensor([1, 2], { dtype: "float64", requiresGrad: true });
    x.mul(x).sum().backward();
    expect(x.grad!.dtype).toBe("float64");
    expect(flat(x.grad!)).toEqual([2, 4]);
  });
});

describe("ops read strided views correctly (same result as on a contiguous copy)", () => {
  const base = () => tg.arange(0, 24, 1, { dtype: "float32" }).div(7).sub(1.5).reshape(2, 3, 4);
  const views: [string, (t: tg.Tensor) => tg.Tensor][] = [
    ["transpose", (t) => t.transpose(0, 2)],
    ["permute", (t) => t.permute(1, 2, 0)],
    ["narrow", (t) => t.narrow(2, 1, 2)],
    ["expand", (t) => t.narrow(1, 0, 1).expand(2, 5, 4)],
    ["at", (t) => t.at(1).t()],
  ];
  const ops: [string, (t: tg.Tensor) => tg.Tensor][] = [
    ["exp", (t) => t.exp()],
    ["add self transposed-back", (t) => t.add(t.mul(2))],
    ["sum(-1)", (t) => t.sum(-1)],
    ["max(0).values", (t) => t.max(0).values],
    ["softmax(-1)", (t) => t.softmax(-1)],
    ["matmul with its transpose", (t) => t.matmul(t.transpose(-1, -2))],
  ];
  for (const [vn, view] of views) {
    for (const [on, op] of ops) {
      it(`${on} of a ${vn} view`, () => {
        const v = view(base());
        const got = op(v);
        const exp = op(v.contiguous());
        expect([...got.shape]).toEqual([...exp.shape]);
        const g = flat(got);
        const e = flat(exp);
        g.forEach((x, i) => expect(Math.abs(x - e[i]!)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(e[i]!))));
      });
    }
  }
});
