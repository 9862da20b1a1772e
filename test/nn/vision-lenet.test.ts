import { describe, expect, it } from "vitest";
import { tensor, nn, optim, manualSeed } from "../../ts/index";
import { near, vref } from "./vision-reference";

describe("LeNet-5 (28×28, padding 2, batch 8) trained 5 SGD steps matches PyTorch 1.13", () => {
  it("same initial weights from manualSeed(0), same repr, same losses", () => {
    manualSeed(0);
    const model = new nn.Sequential(
      new nn.Conv2d(1, 6, 5, { padding: 2 }), new nn.ReLU(), new nn.MaxPool2d(2),
      new nn.Conv2d(6, 16, 5), new nn.ReLU(), new nn.MaxPool2d(2),
      new nn.Flatten(), new nn.Linear(400, 120), new nn.ReLU(), new nn.Linear(120, 84), new nn.ReLU(), new nn.Linear(84, 10),
    );
    const L = vref.lenet as { x: number[]; y: number[]; first: Record<string, number[]>; losses: number[]; repr: string };
    expect(String(model)).toBe(L.repr);
    const sd = model.stateDict();
    expect(Object.keys(sd)).toEqual(Object.keys(L.first));
    for (const [k, v] of Object.entries(L.first)) near(Array.from(sd[k].toArray()).slice(0, 5), v, 1e-6, 1e-7, k);
    const x = tensor(Float32Array.from(L.x), { shape: [8, 1, 28, 28] });
    const y = tensor(L.y, { dtype: "int32" });
    const opt = new optim.SGD(model.parameters(), { lr: 0.05, momentum: 0.9 });
    const lossFn = new nn.CrossEntropyLoss();
    const losses: number[] = [];
    for (let s = 0; s < 5; s++) {
      opt.zeroGrad();
      const loss = lossFn(model(x), y);
      loss.backward();
      opt.step();
      losses.push(loss.item());
    }
    near(losses, L.losses, 1e-4, 1e-5, "losses");
  });
});
