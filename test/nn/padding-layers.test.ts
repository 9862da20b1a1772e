/** The padding layers: PyTorch 1.13's reprs (test/reference/seq_ops.json) and forwards equal to F.pad. */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import * as tg from "../../ts/index";

const { nn } = tg;
const ref = JSON.parse(readFileSync(fileURLToPath(new URL("../reference/seq_ops.json", import.meta.url)), "utf8")) as { reprs: Record<string, string> };

describe("padding layers", () => {
  const layers: Record<string, tg.nn.Module<[tg.Tensor], tg.Tensor>> = {
    "ConstantPad1d(2, 3.5)": new nn.ConstantPad1d(2, 3.5),
    "ConstantPad2d([1, 1, 2, 0], 0)": new nn.ConstantPad2d([1, 1, 2, 0], 0),
    "ConstantPad3d(1, -1e-5)": new nn.ConstantPad3d(1, -1e-5),
    "ZeroPad2d([1, 1, 2, 0])": new nn.ZeroPad2d([1, 1, 2, 0]),
    "ZeroPad2d(2)": new nn.ZeroPad2d(2),
    "ReflectionPad1d(2)": new nn.ReflectionPad1d(2),
    "ReflectionPad2d([1, 1, 2, 0])": new nn.ReflectionPad2d([1, 1, 2, 0]),
    "ReflectionPad3d(1)": new nn.ReflectionPad3d(1),
    "ReplicationPad1d([3, 1])": new nn.ReplicationPad1d([3, 1]),
    "ReplicationPad2d(1)": new nn.ReplicationPad2d(1),
    "ReplicationPad3d(1)": new nn.ReplicationPad3d(1),
  };

  it("print as PyTorch's", () => {
    expect(Object.keys(ref.reprs).sort()).toEqual(Object.keys(layers).sort());
    for (const [k, m] of Object.entries(layers)) expect(m.toString(), k).toBe(ref.reprs[k]);
  });

  it("forward is nn.functional.pad with the expanded padding, with PyTorch's gradFn", () => {
    const x = tg.randn([1, 2, 4, 4, 4], { requiresGrad: true });
    const y = new nn.ReflectionPad3d(1)(x);
    expect(y.shape).toEqual([1, 2, 6, 6, 6]);
    expect(y.gradFn?.name).toBe("ReflectionPad3DBackward0");
    expect(y.tolist()).toEqual(tg.nn.functional.pad(x, [1, 1, 1, 1, 1, 1], "reflect").tolist());
    const z = new nn.ConstantPad2d([1, 0, 0, 2], 7)(x.select(0, 0));
    expect(z.shape).toEqual([2, 4, 6, 5]);
    expect(z.gradFn?.name).toBe("ConstantPadNdBackward0");
    expect(new nn.ReplicationPad1d(2)(tg.tensor([[1, 2, 3]])).tolist()).toEqual([[1, 1, 1, 2, 3, 3, 3]]);
  });

  it("refuse a non-integer padding with a clear error", () => {
    expect(() => new nn.ReflectionPad2d(1.5)).toThrow("ReflectionPad2d(): argument 'padding' (position 1) must be tuple of ints, not float");
    expect(() => new nn.ConstantPad1d(1, "a" as unknown as number)).toThrow("ConstantPad1d(): argument 'value' (position 2) must be Number, not str");
  });
});
