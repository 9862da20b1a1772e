import { describe, expect, it } from "vitest";
import { jsBackend } from "../../../ts/backend/js/index.js";
import type { ArgReduceOp, BinaryOp, ReduceOp, UnaryOp } from "../../../ts/backend/types.js";
import { viewOf } from "../../support/views.js";

describe("jsBackend rejects inconsistent views with a clear error", () => {
  it("unary: shapes of input and out differ", () => {
    const x = viewOf(new Float32Array(6), [2, 3], [3, 1]);
    const out = viewOf(new Float32Array(6), [3, 2], [2, 1]);
    expect(() => jsBackend.unary("neg", x, out)).toThrow(/neg: input has shape \[2,3\] but \[3,2\] was expected/);
  });

  it("binary: a view reaching past its storage", () => {
    const a = viewOf(new Float64Array(4), [2, 3], [3, 1]);
    const b = viewOf(new Float64Array(6), [2, 3], [3, 1]);
    expect(() => jsBackend.binary("add", a, b, b)).toThrow(/add: a addresses elements \[0, 5\] outside its storage of 4/);
  });

  it("where and fill: an offset past the end", () => {
    const out = viewOf(new Float32Array(3), [3], [1], 1);
    expect(() => jsBackend.fill(out, 1)).toThrow(/fill: out addresses/);
    const cond = viewOf(new Uint8Array(3), [3], [1]);
    expect(() => jsBackend.where(cond, cond, cond, out)).toThrow(/where: out addresses/);
  });

  it("empty views are fine whatever their offset", () => {
    const empty = viewOf(new Float32Array(0), [0, 3], [3, 1], 5);
    expect(() => jsBackend.unary("exp", empty, empty)).not.toThrow();
  });

  it("softmax: a block larger than its arrays", () => {
    expect(() => jsBackend.softmax(new Float32Array(5), 0, 2, 3, 1, false, new Float32Array(6))).toThrow(/softmax/);
  });

  it("reduce: an output too small", () => {
    expect(() => jsBackend.reduce("sum", viewOf(new Float32Array(6), [2, 3], [3, 1]), 1, new Float32Array(1))).toThrow(/out holds 1/);
  });

  it("an unknown op name (from untyped JavaScript) is an error, not a no-op", () => {
    const v = viewOf(new Float32Array(2), [2], [1]);
    expect(() => jsBackend.unary("cube" as UnaryOp, v, v)).toThrow(/unary: unknown op "cube"/);
    expect(() => jsBackend.binary("xor" as BinaryOp, v, v, v)).toThrow(/binary: unknown op "xor"/);
    expect(() => jsBackend.reduce("mean" as ReduceOp, v, 1, new Float32Array(1))).toThrow(/reduce: unknown op "mean"/);
    expect(() => jsBackend.argReduce("argmid" as ArgReduceOp, v, new Int32Array(1), null)).toThrow(/unknown op "argmid"/);
  });
});
