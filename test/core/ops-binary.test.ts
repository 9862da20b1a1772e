import { describe } from "vitest";
import { casesOf } from "./reference";
import { defineOpCases } from "./op-suite";
import { BINARY_OP_NAMES, isComparison } from "../../ts/backend/op-table";

// The op table's arithmetic binary ops (their kernel names are their method names); pow, comparisons and
// the fused activation backwards have their own suites.
const ARITHMETIC = BINARY_OP_NAMES.filter((op) => !isComparison(op) && op !== "pow" && !op.endsWith("Backward"));

describe("elementwise binary ops with broadcasting and number operands match PyTorch", () => {
  defineOpCases(casesOf(ARITHMETIC, (c) => !c.name.startsWith("promotion")));
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
