import { describe } from "vitest";
import { casesOf } from "./reference";
import { defineOpCases } from "./op-suite";

describe("matmul follows torch.matmul for 1-D, 2-D and batched (broadcast) operands", () => {
  defineOpCases(casesOf(["matmul"]));
});

describe("mm, dot, t and transpose match PyTorch", () => {
  defineOpCases(casesOf(["mm", "dot", "t", "transpose"]));
});
