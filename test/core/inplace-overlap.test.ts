import { describe, expect, it } from "vitest";
import * as tg from "../../ts/index";

const OVERLAP = "unsupported operation: more than one element of the written-to tensor refers to a single memory location. Please clone() the tensor before performing the operation.";

/** An expanded (stride-0) view: three elements, one memory location. */
const expanded = (dtype: "float32" | "int32" = "float32") => tg.zeros(1, { dtype }).expand(3);

describe("in-place writes into a tensor whose elements share memory (PyTorch's internal-overlap check)", () => {
  const refused: [string, (t: tg.Tensor) => unknown][] = [
    ["add_ tensor", (t) => t.add_(tg.ones(3))],
    ["add_ number", (t) => t.add_(1)],
    ["sub_", (t) => t.sub_(1)],
    ["mul_", (t) => t.mul_(2)],
    ["div_", (t) => t.div_(2)],
    ["clamp_", (t) => t.clamp_(0, 1)],
    ["copy_", (t) => t.copy_(tg.tensor([1, 2, 3]))],
    ["uniform_", (t) => t.uniform_()],
    ["normal_", (t) => t.normal_()],
  ];
  for (const [name, op] of refused) {
    it(`${name} throws PyTorch's error and leaves the storage alone`, () => {
      const base = tg.zeros(1);
      expect(() => op(base.expand(3))).toThrow(OVERLAP);
      expect(base.tolist()).toEqual([0]);
    });
  }

  it("a refused random fill draws nothing from the generator", () => {
    tg.manualSeed(7);
    expect(() => expanded().uniform_()).toThrow(OVERLAP);
    const after = tg.rand(2).tolist();
    tg.manualSeed(7);
    expect(tg.rand(2).tolist()).toEqual(after);
  });

  it("also when autograd records the write (the operand requires grad)", () => {
    const w = tg.ones(3, { requiresGrad: true });
    expect(() => expanded().add_(w)).toThrow(OVERLAP);
    expect(() => expanded().copy_(w)).toThrow(OVERLAP);
  });

  it("fill_ and zero_ are allowed, as in PyTorch (every element gets the same value)", () => {
    const base = tg.zeros(1);
    expect(base.expand(3).fill_(2).tolist()).toEqual([2, 2, 2]);
    expect(base.tolist()).toEqual([2]);
    expect(base.expand(2, 3).zero_().tolist()).toEqual([[0, 0, 0], [0, 0, 0]]);
  });

  it("views without shared elements still take in-place writes (transpose, narrow, select, size-1 expand)", () => {
    const x = tg.zeros(2, 3);
    x.t().add_(1);
    x.narrow(1, 0, 2).mul_(3);
    x.at(1).sub_(1);
    tg.zeros(1).expand(1).add_(1);
    expect(x.tolist()).toEqual([[3, 3, 1], [2, 2, 0]]);
  });
});

describe("expand validates its sizes like view/reshape", () => {
  it("a negative size other than -1 is an error", () => {
    expect(() => tg.ones(1).expand(-2)).toThrow("Trying to create tensor with negative dimension -2: [-2]");
    expect(() => tg.ones(2, 1).expand(2, -3)).toThrow("Trying to create tensor with negative dimension -3: [2, -3]");
  });
  it("-1 in a leading, new dimension is PyTorch's error; -1 elsewhere keeps the size", () => {
    expect(() => tg.ones(1).expand(-1, 2)).toThrow("The expanded size of the tensor (-1) isn't allowed in a leading, non-existing dimension 0");
    expect(() => tg.ones(1).expand(-2, 2)).toThrow("The expanded size of the tensor (-2) isn't allowed in a leading, non-existing dimension 0");
    expect(tg.ones(2, 1).expand(-1, 4).shape).toEqual([2, 4]);
  });
  it("non-integer sizes (1.5, NaN, Infinity, strings) are type errors naming expand and the size argument", () => {
    for (const bad of [1.5, NaN, Infinity]) {
      expect(() => tg.ones(1).expand(bad)).toThrow(
        "expand(): argument 'size' (position 1) must be tuple of ints, but found element of type float at pos 0",
      );
    }
    expect(() => tg.ones(1).expand([2, "a" as unknown as number])).toThrow("but found element of type str at pos 1");
    expect(() => tg.expand(tg.ones(1), 1.5)).toThrow("expand(): argument 'size' (position 2)");
  });
});
