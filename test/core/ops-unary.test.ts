import { describe } from "vitest";
import { casesOf } from "./reference";
import { defineOpCases } from "./op-suite";

const UNARY = ["neg", "abs", "exp", "log", "sqrt", "square", "sin", "cos", "tanh", "sigmoid", "relu",
  "leakyRelu", "elu", "clamp"];

describe("elementwise unary ops match PyTorch", () => {
  defineOpCases(casesOf(UNARY, (c) => !c.name.startsWith("promotion")));
});

describe("pow with a scalar exponent matches PyTorch", () => {
  defineOpCases(casesOf(["pow"], (c) => c.name.startsWith("pow scalar")));
});
