/**
 * Checkpoints interchange with PyTorch (docs/CHECKPOINTS.md). The fixtures come from
 * test/reference/gen_checkpoint.py: PyTorch 1.13 trained 3 steps and saved with the document's Python code.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { decodeSafetensors, encodeSafetensors, type RawTensor } from "../../ts/io/safetensors-codec";
import { loadCheckpointSync, manualSeed, nn, optim, randn, saveCheckpointSync, tensor, type Tensor } from "../../ts/index";

const REF = path.join(__dirname, "..", "reference");
interface Case { options: Record<string, unknown>; losses_4_to_6: number[]; params_after_6: Record<string, number[]> }
const fixture = JSON.parse(fs.readFileSync(path.join(REF, "checkpoint.json"), "utf8")) as { x: number[][]; y: number[][]; cases: Record<string, Case> };

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "tensorgrad-ckpt-pt-"));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const makeModel = () => new nn.Sequential(new nn.Linear(3, 4), new nn.Tanh(), new nn.Linear(4, 2));
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyOptimizer = optim.Optimizer<any>;

function train(model: nn.Module, opt: AnyOptimizer, steps: number): number[] {
  const x = tensor(fixture.x);
  const y = tensor(fixture.y);
  const losses: number[] = [];
  for (let i = 0; i < steps; i++) {
    opt.zeroGrad();
    const loss = nn.functional.mseLoss(model.forward(x) as Tensor, y);
    loss.backward();
    opt.step();
    losses.push(loss.item());
  }
  return losses;
}

function readFile(file: string): { tensors: Record<string, RawTensor>; meta: Record<string, unknown> } {
  const { tensors, metadata } = decodeSafetensors(fs.readFileSync(file));
  return { tensors, meta: JSON.parse(metadata["tensorgrad.checkpoint"]) as Record<string, unknown> };
}

/** A state dict with tensors as dtype, shape and values, so that equality ignores tensors' bookkeeping. */
const plain = (sd: object): unknown =>
  JSON.parse(JSON.stringify(sd, (_k, v: unknown) => (v !== null && typeof v === "object" && "dtype" in v && "shape" in v ? { dtype: (v as Tensor).dtype, shape: (v as Tensor).shape, values: Array.from((v as Tensor).toArray() as Float32Array) } : v)));

const freshOptimizer = (name: string, model: nn.Module): AnyOptimizer =>
  // Hyper-parameters unlike the file's, so the test sees them come from the checkpoint.
  name === "adam" ? new optim.Adam(model.parameters(), { lr: 1, betas: [0.5, 0.5] }) : new optim.SGD(model.parameters(), { lr: 1 });

describe("a checkpoint written by PyTorch 1.13 resumes in tensorgrad", () => {
  for (const name of ["adam", "sgd"]) {
    it(`${name}: 3 PyTorch steps + 3 tensorgrad steps give PyTorch's parameters after 6 steps`, () => {
      const c = fixture.cases[name];
      manualSeed(99);
      const model = makeModel();
      const opt = freshOptimizer(name, model);
      const { step } = loadCheckpointSync(path.join(REF, `checkpoint_${name}.safetensors`), { model, optimizer: opt });
      expect(step).toBe(3);
      const { params: _p, ...group } = opt.paramGroups[0] as Record<string, unknown>;
      expect(group).toMatchObject(c.options);
      // PyTorch's foreach/fused/capturable/differentiable switches are not carried over.
      for (const k of ["foreach", "fused", "capturable", "differentiable"]) expect(group).not.toHaveProperty(k);
      const losses = train(model, opt, 3);
      losses.forEach((l, i) => expect(l).toBeCloseTo(c.losses_4_to_6[i], 5));
      const sd = model.stateDict();
      expect(Object.keys(sd)).toEqual(Object.keys(c.params_after_6));
      for (const [k, want] of Object.entries(c.params_after_6)) {
        const got = Array.from(sd[k].toArray() as Float32Array);
        got.forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThanOrEqual(2e-6 + 2e-6 * Math.abs(want[i])));
      }
    });

    it(`${name}: saved again by tensorgrad, the file has PyTorch's layout key by key`, () => {
      const model = makeModel();
      const opt = freshOptimizer(name, model);
      const src = path.join(REF, `checkpoint_${name}.safetensors`);
      loadCheckpointSync(src, { model, optimizer: opt });
      const file = path.join(dir, "again.safetensors");
      saveCheckpointSync(file, { model, optimizer: opt, step: 3 });
      const theirs = readFile(src);
      const ours = readFile(file);
      expect(Object.keys(ours.tensors).sort()).toEqual(Object.keys(theirs.tensors).sort());
      for (const [k, t] of Object.entries(theirs.tensors)) expect(Array.from(ours.tensors[k].data)).toEqual(Array.from(t.data));
      type Opt = { state: unknown; param_groups: Record<string, unknown>[] };
      const to = theirs.meta.optimizer as Opt;
      const oo = ours.meta.optimizer as Opt;
      expect(oo.state).toEqual(to.state);
      const pytorchOnly = new Set(["foreach", "fused", "capturable", "differentiable"]);
      const keep = (g: Record<string, unknown>) => Object.fromEntries(Object.entries(g).filter(([k]) => !pytorchOnly.has(k)));
      expect(oo.param_groups.map(keep)).toEqual(to.param_groups.map(keep));
      expect(Object.keys(oo.param_groups[0]).sort()).toEqual(Object.keys(keep(to.param_groups[0])).sort());
      expect(ours.meta).toMatchObject({ version: 3, has_model: true, step: 3 });
    });
  }

  it("step counts stored as 0-d tensors (torch.optim's own form) are read as numbers", () => {
    const src = readFile(path.join(REF, "checkpoint_adam.safetensors"));
    const o = src.meta.optimizer as { state: Record<string, Record<string, unknown>> };
    for (const [i, s] of Object.entries(o.state)) {
      src.tensors[`optimizer.state.${i}.step`] = { dtype: "float32", shape: [], data: Float32Array.of(s.step as number) };
      s.step = `optimizer.state.${i}.step`;
    }
    const file = path.join(dir, "steps.safetensors");
    fs.writeFileSync(file, encodeSafetensors(src.tensors, { format: "pt", "tensorgrad.checkpoint": JSON.stringify(src.meta) }));
    const model = makeModel();
    const opt = freshOptimizer("adam", model);
    loadCheckpointSync(file, { model, optimizer: opt });
    expect([...opt.state.values()].map((s) => s.step)).toEqual([3, 3, 3, 3]);
  });
});

describe("PyTorch group keys tensorgrad does not have", () => {
  const edited = (edit: (g: Record<string, unknown>) => void) => {
    const src = readFile(path.join(REF, "checkpoint_adam.safetensors"));
    edit((src.meta.optimizer as { param_groups: Record<string, unknown>[] }).param_groups[0]);
    const file = path.join(dir, "edited.safetensors");
    fs.writeFileSync(file, encodeSafetensors(src.tensors, { format: "pt", "tensorgrad.checkpoint": JSON.stringify(src.meta) }));
    return file;
  };

  it("implementation switches (foreach, fused, capturable, differentiable) are dropped whatever their value", () => {
    const model = makeModel();
    const opt = freshOptimizer("adam", model);
    loadCheckpointSync(edited((g) => Object.assign(g, { foreach: true, fused: true, capturable: true, differentiable: true })), { model, optimizer: opt });
    expect(Object.keys(opt.paramGroups[0]).sort()).toEqual(["amsgrad", "betas", "eps", "lr", "maximize", "params", "weightDecay"]);
  });

  it("an option that would change the arithmetic (decoupled_weight_decay) loads only when off", () => {
    const model = makeModel();
    const opt = freshOptimizer("adam", model);
    expect(() => loadCheckpointSync(edited((g) => (g.decoupled_weight_decay = true)), { model, optimizer: opt })).toThrow(
      "param_groups[0] has decoupled_weight_decay=true, which tensorgrad does not implement",
    );
    expect(opt.paramGroups[0].lr).toBe(1);
    loadCheckpointSync(edited((g) => (g.decoupled_weight_decay = false)), { model, optimizer: opt });
    expect(opt.paramGroups[0]).not.toHaveProperty("decoupled_weight_decay");
    expect(opt.paramGroups[0].lr).toBe(0.05);
  });
});

describe("docs/CHECKPOINTS.md describes the file tensorgrad writes", () => {
  const doc = fs.readFileSync(path.join(__dirname, "..", "..", "docs", "CHECKPOINTS.md"), "utf8");
  const block = (marker: string) => {
    const m = new RegExp(`<!-- ${marker} -->\\n\`\`\`\\w*\\n([\\s\\S]*?)\`\`\``).exec(doc);
    if (m === null) throw new Error(`docs/CHECKPOINTS.md has no ${marker} block`);
    return m[1];
  };

  it("the layout example: tensor entries, shapes and metadata, key by key", () => {
    manualSeed(5);
    const model = makeModel();
    const opt = new optim.Adam(model.parameters(), { lr: 0.01, amsgrad: true });
    for (let i = 0; i < 3; i++) {
      opt.zeroGrad();
      (model.forward(randn(4, 3)) as Tensor).pow(2).sum().backward();
      opt.step();
    }
    const file = path.join(dir, "doc.safetensors");
    saveCheckpointSync(file, { model, optimizer: opt, step: 3 });
    const { tensors, meta } = readFile(file);
    const documented = [...block("layout-example:tensors").matchAll(/(\S+) \[([\d, ]*)\]/g)].map(([, n, s]) => [n, s.split(", ").map(Number)]);
    expect(Object.entries(tensors).map(([n, t]) => [n, t.shape]).sort()).toEqual(documented.sort());
    expect(Object.values(tensors).every((t) => t.dtype === "float32")).toBe(true);
    expect(meta).toStrictEqual(JSON.parse(block("layout-example:metadata")));
    // Key order too: PyTorch's, with params last in each group.
    expect(JSON.stringify(meta)).toBe(JSON.stringify(JSON.parse(block("layout-example:metadata"))));
  });

  it("every key any optimizer or scheduler writes is PyTorch's snake_case name", () => {
    const p = () => [randn(3, 2, { requiresGrad: true })];
    const opts: AnyOptimizer[] = [
      new optim.SGD(p(), { lr: 0.1, momentum: 0.9 }),
      new optim.Adam(p(), { amsgrad: true }),
      new optim.AdamW(p()),
      new optim.RMSprop(p(), { momentum: 0.5, centered: true }),
      new optim.Adagrad(p()),
      new optim.Adadelta(p()),
      new optim.Adamax(p()),
      new optim.NAdam(p()),
      new optim.RAdam(p()),
    ];
    new optim.lrScheduler.OneCycleLR(opts[0], 0.5, { totalSteps: 10 });
    const keys = new Set<string>();
    opts.forEach((o, i) => {
      for (const q of o.paramGroups[0].params) q.grad = randn(3, 2);
      o.step();
      const file = path.join(dir, `k${i}.safetensors`);
      saveCheckpointSync(file, { optimizer: o });
      const { tensors, meta } = readFile(file);
      const oo = meta.optimizer as { state: Record<string, Record<string, unknown>>; param_groups: Record<string, unknown>[] };
      for (const k of Object.keys(oo.param_groups[0])) keys.add(k);
      for (const k of Object.keys(oo.state["0"])) keys.add(k);
      for (const n of Object.keys(tensors)) keys.add(n.split(".").pop() as string);
      // And each comes back as it was.
      const again = new (o.constructor as new (ps: Tensor[], opts: object) => AnyOptimizer)(o.paramGroups[0].params, { lr: 0.123 });
      loadCheckpointSync(file, { optimizer: again });
      expect(plain(again.stateDict())).toEqual(plain(o.stateDict()));
    });
    expect([...keys].filter((k) => /[A-Z]/.test(k))).toEqual([]);
    for (const k of ["weight_decay", "momentum_buffer", "exp_avg", "max_exp_avg_sq", "square_avg", "grad_avg", "acc_delta", "sum", "exp_inf", "mu_product", "lr_decay", "initial_accumulator_value", "momentum_decay", "initial_lr", "max_lr", "min_lr", "max_momentum", "base_momentum"]) {
      expect(keys).toContain(k);
    }
  });
});

describe("files written before format 3 still load", () => {
  it("a version-2 file (camelCase names, tensorKeys) restores the same optimizer state as its version-3 twin", () => {
    manualSeed(7);
    const model = makeModel();
    const opt = new optim.Adam(model.parameters(), { lr: 0.02, weightDecay: 0.1, amsgrad: true });
    train(model, opt, 2);
    const v2 = path.join(dir, "v2.safetensors");
    const tensors: Record<string, RawTensor> = {};
    for (const [k, t] of Object.entries(model.stateDict())) tensors[`model.${k}`] = { dtype: "float32", shape: [...t.shape], data: t.toArray() as Float32Array };
    const sd = opt.stateDict();
    const state: Record<string, Record<string, unknown>> = {};
    const tensorKeys: Record<string, string[]> = {};
    for (const [i, s] of Object.entries(sd.state)) {
      state[i] = {};
      tensorKeys[i] = [];
      for (const [k, v] of Object.entries(s)) {
        if (typeof v === "number") state[i][k] = v;
        else {
          tensors[`optimizer.state.${i}.${k}`] = { dtype: "float32", shape: [...(v as Tensor).shape], data: (v as Tensor).toArray() as Float32Array };
          tensorKeys[i].push(k);
        }
      }
    }
    const meta = { version: 2, hasModel: true, step: 2, optimizer: { paramGroups: sd.paramGroups, state, tensorKeys } };
    fs.writeFileSync(v2, encodeSafetensors(tensors, { format: "pt", "tensorgrad.checkpoint": JSON.stringify(meta) }));

    const m2 = makeModel();
    const o2 = new optim.Adam(m2.parameters(), { lr: 1 });
    expect(loadCheckpointSync(v2, { model: m2, optimizer: o2 }).step).toBe(2);
    expect(plain(o2.stateDict())).toEqual(plain(sd));
    // Saving again writes version 3.
    const v3 = path.join(dir, "v3.safetensors");
    saveCheckpointSync(v3, { model: m2, optimizer: o2, step: 2 });
    expect(readFile(v3).meta.version).toBe(3);
    expect(Object.keys(readFile(v3).tensors)).toContain("optimizer.state.0.max_exp_avg_sq");
    expect(train(m2, o2, 1)).toEqual(train(model, opt, 1));
  });
});
