import { describe } from "vitest";
import { casesOf } from "./reference";
import { defineOpCases } from "./op-suite";

import { UNARY_OP_NAMES } from "../../ts/backend/op-table";

// The op table's unary ops (kernel names are method names where a method exists: the others have no cases).
const UNARY = UNARY_OP_NAMES;

describe("elementwise unary ops match PyTorch", () => {
  defineOpCases(casesOf(UNARY, (c) => !c.name.startsWith("promotion")));
});

describe("pow with a scalar exponent matches PyTorch", () => {
  defineOpCases(casesOf(["pow"], (c) => c.name.startsWith("pow scalar")));
});
