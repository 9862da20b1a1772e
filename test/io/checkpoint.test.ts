import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadCheckpoint, loadCheckpointSync, manualSeed, nn, optim, randn, saveCheckpoint, saveCheckpointSync, type Tensor } from "../../ts/index";

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "tensorgrad-ckpt-"));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function makeModel(): nn.Module {
  return new nn.Sequential(new nn.Linear(5, 8), new nn.Tanh(), new nn.Linear(8, 3));
}

type MakeOpt = (params: Tensor[]) => optim.Optimizer<object>;
const optimizers: [string, MakeOpt][] = [
  ["SGD with momentum", (p) => new optim.SGD(p, { lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 1e-3 })],
  ["Adam", (p) => new optim.Adam(p, { lr: 0.01, betas: [0.8, 0.99], weightDecay: 1e-3 })],
  ["Adam amsgrad", (p) => new optim.Adam(p, { lr: 0.01, amsgrad: true })],
];

function trainSteps(model: nn.Module, opt: optim.Optimizer<object>, data: { x: Tensor; y: Tensor }[], from: number, n: number) {
  const lossFn = new nn.MSELoss();
  for (let i = from; i < from + n; i++) {
    const { x, y } = data[i % data.length];
    opt.zeroGrad();
    lossFn(model(x), y).backward();
    opt.step();
  }
}

function bits(model: nn.Module): number[][] {
  return model.parameters().map((p) => Array.from(new Uint32Array(new Float32Array(p.toArray() as Float32Array).buffer)));
}

describe("checkpoints", () => {
  for (const [name, makeOpt] of optimizers) {
    it(`${name}: save, load into fresh model + optimizer, continue — bit for bit`, async () => {
      manualSeed(7);
      const data = Array.from({ length: 4 }, () => ({ x: randn(6, 5), y: randn(6, 3) }));
      const model = makeModel();
      const opt = makeOpt(model.parameters());
      trainSteps(model, opt, data, 0, 5);
      const file = path.join(dir, "ckpt.safetensors");
      await saveCheckpoint(file, { model, optimizer: opt, step: 5, extra: { note: "hello", lrs: [0.1, 0.2] } });

      trainSteps(model, opt, data, 5, 7);

      manualSeed(999); // a different initialization, so the load has to overwrite it
      const model2 = makeModel();
      const opt2 = makeOpt(model2.parameters());
      const info = await loadCheckpoint(file, { model: model2, optimizer: opt2 });
      expect(info.step).toBe(5);
      expect(info.extra).toEqual({ note: "hello", lrs: [0.1, 0.2] });
      trainSteps(model2, opt2, data, 5, 7);

      expect(bits(model2)).toEqual(bits(model));
      // The hyper-parameters came back as well.
      const { params: _a, ...g1 } = opt.paramGroups[0] as Record<string, unknown>;
      const { params: _b, ...g2 } = opt2.paramGroups[0] as Record<string, unknown>;
      expect(g2).toEqual(g1);
    });
  }

  it("stores optimizer tensors under flat keys and the rest as JSON metadata", () => {
    manualSeed(1);
    const model = makeModel();
    const opt = new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.5 });
    trainSteps(model, opt, [{ x: randn(2, 5), y: randn(2, 3) }], 0, 1);
    const file = path.join(dir, "c.safetensors");
    saveCheckpointSync(file, { model, optimizer: opt, step: 1 });
    const bytes = fs.readFileSync(file);
    const n = Number(bytes.readBigUInt64LE(0));
    const header = JSON.parse(bytes.subarray(8, 8 + n).toString("utf8"));
    expect(Object.keys(header)).toEqual(expect.arrayContaining(["model.0.weight", "model.2.bias", "optimizer.state.0.momentum_buffer", "optimizer.state.3.momentum_buffer"]));
    const meta = JSON.parse(header.__metadata__["tensorgrad.checkpoint"]);
    expect(meta.step).toBe(1);
    expect(meta.optimizer.param_groups[0]).toMatchObject({ lr: 0.1, momentum: 0.5, weight_decay: 0, params: [0, 1, 2, 3] });
    expect(meta.optimizer.state["0"]).toEqual({ momentum_buffer: "optimizer.state.0.momentum_buffer" });
    // The sync loader restores too.
    const m2 = makeModel();
    const o2 = new optim.SGD(m2.parameters(), { lr: 1, momentum: 0 });
    expect(loadCheckpointSync(file, { model: m2, optimizer: o2 }).step).toBe(1);
    expect(bits(m2)).toEqual(bits(model));
    expect(o2.paramGroups[0].momentum).toBe(0.5);
  });

  it("a damaged checkpoint gives a clear error and leaves model and optimizer untouched", async () => {
    manualSeed(2);
    const model = makeModel();
    const opt = new optim.Adam(model.parameters());
    trainSteps(model, opt, [{ x: randn(2, 5), y: randn(2, 3) }], 0, 2);
    const file = path.join(dir, "c.safetensors");
    await saveCheckpoint(file, { model, optimizer: opt, step: 2 });
    const good = fs.readFileSync(file);

    const fresh = makeModel();
    const before = bits(fresh);
    const freshOpt = new optim.Adam(fresh.parameters());

    fs.writeFileSync(file, good.subarray(0, good.length - 17)); // truncated
    await expect(loadCheckpoint(file, { model: fresh, optimizer: freshOpt })).rejects.toThrow(/checkpoint ".*c\.safetensors" is damaged/);
    const flipped = Buffer.from(good);
    flipped[3] = 0x7f; // header length now absurd
    fs.writeFileSync(file, flipped);
    expect(() => loadCheckpointSync(file, { model: fresh, optimizer: freshOpt })).toThrow(/damaged/);
    fs.writeFileSync(file, Buffer.from("not a checkpoint at all"));
    expect(() => loadCheckpointSync(file, { model: fresh })).toThrow(/damaged/);
    expect(bits(fresh)).toEqual(before);
    expect(freshOpt.state.size).toBe(0);
    // A plain safetensors file (no checkpoint metadata) is refused by name.
    const { saveSync } = await import("../../ts/index");
    saveSync({ w: randn(2) }, file);
    expect(() => loadCheckpointSync(file, { model: fresh })).toThrow(/not a tensorgrad checkpoint/);
    await expect(loadCheckpoint(path.join(dir, "missing.safetensors"))).rejects.toThrow(/ENOENT|no such file/);
  });

  it("a checkpoint that does not fit the model or optimizer is refused before anything changes", () => {
    manualSeed(3);
    const model = makeModel();
    const opt = new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
    trainSteps(model, opt, [{ x: randn(2, 5), y: randn(2, 3) }], 0, 1);
    const file = path.join(dir, "c.safetensors");
    saveCheckpointSync(file, { model, optimizer: opt, step: 1 });

    const other = new nn.Sequential(new nn.Linear(5, 4), new nn.Tanh(), new nn.Linear(4, 3));
    const before = bits(other);
    const otherOpt = new optim.SGD(other.parameters(), { lr: 0.1, momentum: 0.9 });
    expect(() => loadCheckpointSync(file, { model: other, optimizer: otherOpt })).toThrow(/does not fit the model: size mismatch for 0\.weight/);
    expect(bits(other)).toEqual(before);
    expect(otherOpt.state.size).toBe(0);

    // Same model, but an optimizer with a different parameter grouping: the model is left alone too.
    const same = makeModel();
    const sameBefore = bits(same);
    const split = new optim.SGD([{ params: same.parameters().slice(0, 2) }, { params: same.parameters().slice(2) }], { lr: 0.1 });
    expect(() => loadCheckpointSync(file, { model: same, optimizer: split })).toThrow(/parameter group\(s\) of sizes \[4\], this optimizer \[2, 2\]/);
    expect(bits(same)).toEqual(sameBefore);
  });

  it("keeps non-finite hyper-parameters and extra data", () => {
    const model = makeModel();
    const opt = new optim.SGD(model.parameters(), { lr: 0.1 });
    const file = path.join(dir, "c.safetensors");
    saveCheckpointSync(file, { model, optimizer: opt, step: 0, extra: { best: Infinity, epochs: [1, 2], name: "run" } });
    const info = loadCheckpointSync(file, { optimizer: new optim.SGD(makeModel().parameters(), { lr: 1 }) });
    expect(info.extra).toEqual({ best: Infinity, epochs: [1, 2], name: "run" });
    expect(Object.keys(info.modelState).sort()).toEqual(Object.keys(model.stateDict()).sort());
  });
});
