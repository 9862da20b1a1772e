import { format, inspect } from "node:util";
import { describe, expect, it } from "vitest";
import * as tg from "../../ts/index";
import { fromEncoded, ref, type Encoded } from "./reference";

const P = ref.printing;
const str = (key: string): string => {
  const s = P[key]?.str;
  if (s === undefined) throw new Error(`no printing reference ${key}`);
  return s;
};

describe("toString() prints exactly as PyTorch's str(t)", () => {
  const valueCases = Object.entries(P).filter(([, v]) => v.values !== undefined);
  for (const [key, v] of valueCases) {
    it(`${key}`, () => {
      const rg = key.includes("requires_grad");
      const t = fromEncoded(v as Encoded, rg);
      expect(t.toString()).toBe(v.str);
    });
  }

  it("ones(3, requiresGrad) shows requires_grad=True", () => {
    expect(tg.ones(3, { requiresGrad: true }).toString()).toBe(str("ones requires_grad"));
  });

  it("results show their grad_fn (AddBackward0, MulBackward0, MeanBackward0, SumBackward0)", () => {
    const w = tg.ones(3, { requiresGrad: true });
    const x = w.add(tg.tensor([2]));
    const y = x.mul(3);
    const z = y.mean();
    expect(x.toString()).toBe(str("add grad_fn"));
    expect(y.toString()).toBe(str("mul grad_fn"));
    expect(z.toString()).toBe(str("mean grad_fn 0-d"));
    expect(tg.ones(4, { requiresGrad: true }).mul(3).sum().toString()).toBe(str("sum grad_fn"));
  });

  it("a result computed under noGrad prints without grad_fn", () => {
    const w = tg.ones(3, { requiresGrad: true });
    const x = tg.noGrad(() => w.add(2));
    expect(x.toString()).toBe(str("add grad_fn").replace(", grad_fn=<AddBackward0>", ""));
  });
});

describe("util.inspect and console.log show the same text as toString()", () => {
  for (const key of ["2-d", "int32", "float64 requires_grad", "long 1-d summarized"]) {
    it(`util.inspect: ${key}`, () => {
      const v = P[key]!;
      const t = fromEncoded(v as Encoded, key.includes("requires_grad"));
      expect(inspect(t)).toBe(v.str);
    });
  }

  it("console.log's formatting (util.format) prints toString()'s text", () => {
    expect(format(tg.tensor([1, 2, 3]))).toBe(str("float vector integers"));
    expect(format("%s", tg.tensor([1, 2, 3]))).toBe(str("float vector integers"));
  });

  it("template literals use toString()", () => {
    expect(`${tg.tensor(27)}`).toBe(str("0-d integral float"));
  });
});
