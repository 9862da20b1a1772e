import { describe, expect, it } from "vitest";
import * as tg from "../../ts/index";
import { nn } from "../../ts/index";

class Net extends nn.Module {
  layers = new nn.ModuleList([new nn.Linear(1, 1)]);
  ps = new nn.ParameterList([tg.ones(2)]);
}

describe("containers", () => {
  it("ModuleList registers, indexes, inserts and prints as PyTorch 1.13", () => {
    const ml = new nn.ModuleList([new nn.Linear(2, 3), new nn.ReLU()]);
    expect(ml.toString()).toBe("ModuleList(\n  (0): Linear(in_features=2, out_features=3, bias=True)\n  (1): ReLU()\n)");
    expect(new nn.ModuleList().toString()).toBe("ModuleList()");
    expect(ml.length).toBe(2);
    expect(ml.at(-1)).toBeInstanceOf(nn.ReLU);
    ml.insert(0, new nn.Tanh());
    expect([...ml].map((m) => m.constructor.name)).toEqual(["Tanh", "Linear", "ReLU"]);
    expect(ml.namedParameters().map(([n]) => n)).toEqual(["1.weight", "1.bias"]);
    expect(() => ml.at(3)).toThrow(/out of range/);
    expect(() => (ml as unknown as () => unknown)()).toThrow(/missing the required "forward" function/);
  });

  it("ModuleDict keeps insertion order and prints as PyTorch", () => {
    const md = new nn.ModuleDict({ lin: new nn.Linear(2, 3), act: new nn.ReLU() });
    expect(md.toString()).toBe("ModuleDict(\n  (lin): Linear(in_features=2, out_features=3, bias=True)\n  (act): ReLU()\n)");
    expect(md.keys()).toEqual(["lin", "act"]);
    expect(md.get("act")).toBeInstanceOf(nn.ReLU);
    md.pop("lin");
    expect(md.keys()).toEqual(["act"]);
    expect(md.parameters().length).toBe(0);
    expect(() => md.set("a.b", new nn.ReLU())).toThrow(/can't contain/);
  });

  it("ParameterList and ParameterDict register parameters and print PyTorch 1.13's forms", () => {
    const pl = new nn.ParameterList([tg.randn(3, 4), tg.randn([2], { dtype: "float64" })]);
    expect(pl.toString()).toBe(
      "ParameterList(\n    (0): Parameter containing: [torch.float32 of size 3x4]\n    (1): Parameter containing: [torch.float64 of size 2]\n)",
    );
    expect(pl.at(0)).toBeInstanceOf(nn.Parameter);
    expect(pl.at(0).requiresGrad).toBe(true);
    const pd = new nn.ParameterDict({ a: tg.randn(2), b: tg.randn(1, 2) });
    expect(pd.toString()).toBe(
      "ParameterDict(\n    (a): Parameter containing: [torch.FloatTensor of size 2]\n    (b): Parameter containing: [torch.FloatTensor of size 1x2]\n)",
    );
    expect(pd.namedParameters().map(([n]) => n)).toEqual(["a", "b"]);
  });

  it("nested containers: names, stateDict and printing as PyTorch", () => {
    const n = new Net();
    expect(n.namedParameters().map(([k]) => k)).toEqual(["layers.0.weight", "layers.0.bias", "ps.0"]);
    expect(Object.keys(n.stateDict())).toEqual(["layers.0.weight", "layers.0.bias", "ps.0"]);
    expect(n.toString()).toBe(
      "Net(\n  (layers): ModuleList(\n    (0): Linear(in_features=1, out_features=1, bias=True)\n  )\n  (ps): ParameterList(  (0): Parameter containing: [torch.float32 of size 2])\n)",
    );
  });
});
