import { describe } from "vitest";
import { casesOf } from "./reference";
import { defineOpCases } from "./op-suite";

describe("elementwise binary ops with broadcasting and number operands match PyTorch", () => {
  defineOpCases(casesOf(["add", "sub", "mul", "div", "maximum", "minimum"], (c) => !c.name.startsWith("promotion")));
});

describe("pow with tensor exponents and a number base matches PyTorch", () => {
  defineOpCases(casesOf(["pow"], (c) => !c.name.startsWith("pow scalar")));
});

describe("type promotion follows PyTorch (int64 results read as int32)", () => {
  defineOpCases(casesOf(["add", "mul", "div", "sum", "neg", "abs", "exp", "max"], (c) => c.name.startsWith("promotion")));
});

describe("comparisons return bool tensors as PyTorch", () => {
  defineOpCases(casesOf(["eq", "gt", "lt", "ge", "le"]));
});

describe("where selects with broadcasting and routes gradients as PyTorch", () => {
  defineOpCases(casesOf(["where"]));
});
