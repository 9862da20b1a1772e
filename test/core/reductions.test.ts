import { describe } from "vitest";
import { casesOf } from "./reference";
import { defineOpCases } from "./op-suite";

const notPromotion = (c: { name: string }) => !c.name.startsWith("promotion");

describe("sum and mean over no dim, a dim, a negative dim, an array of dims, keepdim", () => {
  defineOpCases(casesOf(["sum", "mean"], notPromotion));
});

describe("max and min: 0-d without dim, { values, indices } with dim", () => {
  defineOpCases(casesOf(["max", "min"], notPromotion));
});

describe("argmax and argmin return int32 indices", () => {
  defineOpCases(casesOf(["argmax", "argmin"]));
});

describe("std and var are unbiased", () => {
  defineOpCases(casesOf(["std", "var"]));
});

describe("logsumexp, softmax and logSoftmax (stable for large inputs)", () => {
  defineOpCases(casesOf(["logsumexp", "softmax", "logSoftmax"]));
});
