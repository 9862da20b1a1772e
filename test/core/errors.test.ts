import { describe, expect, it } from "vitest";
import * as tg from "../../ts/index";
import { ref } from "./reference";

const E = ref.errors;
const msg = (key: string): string => {
  const m = E[key];
  if (m === undefined) throw new Error(`no error reference ${key}`);
  return m;
};
const ones = (...s: number[]) => tg.ones(s);

describe("errors keep PyTorch's wording, with the sizes", () => {
  it("broadcasting mismatch names both sizes and the dimension", () => {
    expect(() => ones(2, 3).add(ones(2, 4))).toThrow(msg("broadcast mismatch"));
    expect(() => tg.mul(ones(2, 3), ones(2, 4))).toThrow(msg("broadcast mismatch"));
  });

  it("mm and 2-D matmul with mismatched inner sizes", () => {
    expect(() => ones(2, 3).mm(ones(4, 5))).toThrow(msg("mm shapes"));
    expect(() => ones(2, 3).matmul(ones(4, 5))).toThrow(msg("matmul 2-D shapes"));
  });

  it("dot of vectors of different lengths", () => {
    expect(() => ones(3).dot(ones(4))).toThrow(msg("dot sizes"));
  });

  it("dim out of range gives the valid range", () => {
    expect(() => ones(2, 3).sum(2)).toThrow(msg("dim out of range sum"));
    expect(() => ones(2, 3).sum(-3)).toThrow(msg("dim out of range negative"));
    expect(() => ones(2, 3).unsqueeze(3)).toThrow(msg("dim out of range unsqueeze"));
    expect(() => ones(2, 3).softmax(2)).toThrow(msg("dim out of range softmax"));
  });

  it("impossible reshape / view names the shape and the size", () => {
    expect(() => ones(6).reshape(4, 4)).toThrow(msg("reshape invalid"));
    expect(() => ones(2, 3).view(4, -1)).toThrow(msg("view invalid"));
    expect(() => ones(6).reshape(-1, -1)).toThrow(msg("reshape two -1"));
  });

  it("view of a non-contiguous tensor points to reshape", () => {
    expect(() => ones(2, 3).t().view(6)).toThrow(
      "view size is not compatible with input tensor's size and stride",
    );
  });

  it("negative sizes are rejected", () => {
    expect(() => tg.zeros(-1)).toThrow(msg("negative size"));
  });

  it("non-integer sizes are rejected", () => {
    expect(() => tg.zeros(2.5)).toThrow();
    expect(() => tg.ones([2, 1.5])).toThrow();
    expect(() => ones(6).reshape(2.5, 2)).toThrow();
  });

  it("item() of a tensor of several elements (API.md wording)", () => {
    expect(() => ones(2, 3).item()).toThrow("a Tensor with 6 elements cannot be converted to Scalar");
  });

  it("cat and stack of mismatched sizes", () => {
    expect(() => tg.cat([ones(2, 3), ones(2, 4)], 0)).toThrow(msg("cat sizes"));
    expect(() => tg.stack([ones(2, 3), ones(2, 4)])).toThrow(msg("stack sizes"));
  });

  it("expand to an incompatible size", () => {
    expect(() => ones(2, 3).expand(4, 3)).toThrow(msg("expand invalid"));
  });

  it("narrow past the end", () => {
    expect(() => ones(5).narrow(0, 3, 4)).toThrow(msg("narrow out of range"));
  });

  it("at() with an index out of bounds", () => {
    expect(() => ones(3).at(5)).toThrow(msg("index out of range"));
  });

  it("indexSelect with an index out of range", () => {
    expect(() => ones(3).indexSelect(0, tg.tensor([5], { dtype: "int32" }))).toThrow(msg("indexSelect out of range"));
  });

  it("mean of an int32 tensor cannot infer its output dtype", () => {
    expect(() => tg.tensor([1, 2], { dtype: "int32" }).mean()).toThrow(
      "mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype",
    );
  });
});
