import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tensor, ones, manualSeed, nn, Tensor, saveSync, loadSync } from "../../ts/index";
import { expectClose, ref } from "./reference";

class WideNet extends nn.Module {
  layers: nn.Sequential;
  constructor() {
    super();
    this.layers = new nn.Sequential(new nn.Linear(1, 512), new nn.Tanh(), new nn.Linear(512, 1));
  }
  override forward(x: Tensor): Tensor {
    return this.layers(x);
  }
}

class Custom extends nn.Module {
  scale = new nn.Parameter(ones(1));
  fc: nn.Linear;
  notAParam = ones(2);
  constructor() {
    super();
    this.fc = new nn.Linear(2, 3, { bias: false });
  }
  override forward(x: Tensor): Tensor {
    return this.fc(x).mul(this.scale);
  }
}

describe("nn.Module", () => {
  it("prints WideNet exactly as PyTorch", () => {
    expect(String(new WideNet())).toBe(ref.wideNetRepr);
  });

  it("registers submodules and parameters in assignment order, class fields included", () => {
    const m = new Custom();
    expect(m.namedParameters().map(([k]) => k)).toEqual(["scale", "fc.weight"]);
    expect(m.namedChildren().map(([k]) => k)).toEqual(["fc"]);
    expect(m.modules().length).toBe(2);
    expect(new WideNet().namedParameters().map(([k]) => k)).toEqual(["layers.0.weight", "layers.0.bias", "layers.2.weight", "layers.2.bias"]);
    expect(m(ones(4, 2)).shape).toEqual([4, 3]);
  });

  it("train/eval switch training on every submodule", () => {
    const net = new WideNet();
    net.eval();
    expect(net.modules().every((m) => !m.training)).toBe(true);
    net.train();
    expect(net.layers.at(1).training).toBe(true);
  });

  it("zeroGrad sets gradients to null by default, zeroes them otherwise", () => {
    const lin = new nn.Linear(2, 1);
    lin(ones(1, 2)).sum().backward();
    lin.zeroGrad(false);
    expect(Array.from((lin.weight.grad as Tensor).toArray())).toEqual([0, 0]);
    lin.zeroGrad();
    expect(lin.weight.grad).toBeNull();
  });

  it("stateDict round trips through loadStateDict and safetensors files", () => {
    manualSeed(1);
    const a = new WideNet();
    const b = new WideNet();
    const file = join(mkdtempSync(join(tmpdir(), "tg-nn-")), "w.safetensors");
    saveSync(a.stateDict(), file);
    b.loadStateDict(loadSync(file));
    const x = tensor([[0.3]]);
    expect(b(x).item()).toBe(a(x).item());
    expect(Object.keys(a.stateDict())).toEqual(["layers.0.weight", "layers.0.bias", "layers.2.weight", "layers.2.bias"]);
  });

  it("loadStateDict reports missing and unexpected keys in PyTorch's words", () => {
    const net = new WideNet();
    const sd = net.stateDict();
    delete sd["layers.2.bias"];
    sd.extra = ones(1);
    expect(() => net.loadStateDict(sd)).toThrow(
      'Error(s) in loading state_dict for WideNet:\n\tMissing key(s) in state_dict: "layers.2.bias". \n\tUnexpected key(s) in state_dict: "extra". ',
    );
    expect(net.loadStateDict(sd, { strict: false })).toEqual({ missingKeys: ["layers.2.bias"], unexpectedKeys: ["extra"] });
    sd["layers.0.bias"] = ones(3);
    expect(() => net.loadStateDict(sd, { strict: false })).toThrow(
      "size mismatch for layers.0.bias: copying a param with shape torch.Size([3]) from checkpoint, the shape in current model is torch.Size([512]).",
    );
  });

  it("Parameter prints with its header, and to() converts parameters in place", () => {
    expect(String(new nn.Parameter(tensor([1, 2])))).toBe("Parameter containing:\ntensor([1., 2.], requires_grad=True)");
    const lin = new nn.Linear(2, 2);
    const w = lin.weight;
    lin.to("float64");
    expect(lin.weight).toBe(w);
    expect(w.dtype).toBe("float64");
  });

  it("apply visits children before the module", () => {
    const seen: string[] = [];
    new WideNet().apply((m) => seen.push(m.constructor.name));
    expect(seen).toEqual(["Linear", "Tanh", "Linear", "Sequential", "WideNet"]);
  });

  it("layers print their options as PyTorch does", () => {
    expect(String(new nn.Sequential(new nn.LeakyReLU(0.2), new nn.ELU(), new nn.Dropout(0.5), new nn.Softmax(1), new nn.Flatten(), new nn.Linear(2, 3, { bias: false })))).toBe(
      "Sequential(\n  (0): LeakyReLU(negative_slope=0.2)\n  (1): ELU(alpha=1.0)\n  (2): Dropout(p=0.5, inplace=False)\n  (3): Softmax(dim=1)\n  (4): Flatten(start_dim=1, end_dim=-1)\n  (5): Linear(in_features=2, out_features=3, bias=False)\n)",
    );
  });
});

describe("nn.Linear", () => {
  it("forward and backward match PyTorch", () => {
    const c = ref.linear;
    const lin = new nn.Linear(3, 2);
    lin.loadStateDict({ weight: tensor(c.weight), bias: tensor(c.bias) });
    const x = tensor(c.x, { requiresGrad: true });
    const y = lin(x);
    expectClose(y, c.y);
    expect(y.gradFn?.name).toBe(c.gradFn);
    y.mul(tensor([[0, 1], [2, 3], [4, 5], [6, 7]])).sum().backward();
    expectClose(x.grad as Tensor, c.gradX);
    expectClose(lin.weight.grad as Tensor, c.gradW);
    expectClose(lin.bias?.grad as Tensor, c.gradB);
  });

  it("initializes as PyTorch after manualSeed(2021)", () => {
    manualSeed(2021);
    const lin = new nn.Linear(3, 4);
    expectClose(lin.weight, ref.linearInit.weight, 0, 0);
    expectClose(lin.bias as Tensor, ref.linearInit.bias, 0, 0);
  });

  it("dropout draws PyTorch's mask and is the identity in eval mode", () => {
    manualSeed(0);
    const d = new nn.Dropout(0.5);
    expectClose(d(ones(20)), ref.dropout, 0, 0);
    d.eval();
    expect(Array.from(d(ones(3)).toArray())).toEqual([1, 1, 1]);
  });
});
