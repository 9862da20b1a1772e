import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { decodeSafetensors, encodeSafetensors, type RawTensor } from "../../ts/io/safetensors-codec";
import { loadCheckpoint, loadCheckpointSync, manualSeed, nn, optim, randn, saveCheckpointSync, tensor } from "../../ts/index";

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "tensorgrad-restore-"));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const makeModel = () => new nn.Sequential(new nn.Linear(3, 4), new nn.Tanh(), new nn.Linear(4, 2));
const bits = (m: nn.Module) => m.parameters().map((p) => Array.from(new Uint32Array(Float32Array.from(p.toArray() as Float32Array).buffer)));

type Meta = Record<string, unknown> & { optimizer: { param_groups: Record<string, unknown>[]; state: Record<string, Record<string, unknown>> } };

/** A checkpoint from an Adam run, then `edit` applied to its metadata and tensors (re-encoded with a valid checksum). */
function damagedCheckpoint(edit: (meta: Meta, tensors: Record<string, RawTensor>) => void): string {
  manualSeed(11);
  const model = makeModel();
  const opt = new optim.Adam(model.parameters(), { lr: 0.01 });
  opt.zeroGrad();
  model(randn(5, 3)).sum().backward();
  opt.step();
  const file = path.join(dir, `c${Math.random().toString(36).slice(2)}.safetensors`);
  saveCheckpointSync(file, { model, optimizer: opt, step: 1 });
  const { tensors, metadata } = decodeSafetensors(fs.readFileSync(file));
  const meta = JSON.parse(metadata["tensorgrad.checkpoint"]) as Meta;
  edit(meta, tensors);
  fs.writeFileSync(file, encodeSafetensors(tensors, { ...metadata, "tensorgrad.checkpoint": JSON.stringify(meta) }, { checksum: true }));
  return file;
}

function expectRefusedUntouched(file: string, message: string | RegExp): void {
  manualSeed(12);
  const model = makeModel();
  const before = bits(model);
  const opt = new optim.Adam(model.parameters(), { lr: 0.5 });
  expect(() => loadCheckpointSync(file, { model, optimizer: opt })).toThrow(message);
  expect(bits(model)).toEqual(before);
  expect(opt.paramGroups[0].lr).toBe(0.5);
  expect(opt.state.size).toBe(0);
}

describe("checkpoint restore is all-or-nothing", () => {
  it("bad hyper-parameters in the optimizer section are refused before the model is touched", () => {
    expectRefusedUntouched(damagedCheckpoint((m) => (m.optimizer.param_groups[0].lr = "0.001x")), "Invalid learning rate: '0.001x'");
    expectRefusedUntouched(damagedCheckpoint((m) => (m.optimizer.param_groups[0].lr = { $num: "NaN" })), "Invalid learning rate: nan");
    expectRefusedUntouched(damagedCheckpoint((m) => (m.optimizer.param_groups[0].lr = -1)), "its optimizer state does not fit: loaded state dict parameter group 0: Invalid learning rate: -1");
    expectRefusedUntouched(damagedCheckpoint((m) => (m.optimizer.param_groups[0].betas = [0.9, 2])), "Invalid beta parameter at index 1: 2");
    expectRefusedUntouched(damagedCheckpoint((m) => (m.optimizer.param_groups[0].eps = -1)), "Invalid epsilon value: -1");
  });

  it("optimizer state of the wrong shape or type is refused at load, not at step()", () => {
    expectRefusedUntouched(
      damagedCheckpoint((_m, t) => (t["optimizer.state.1.exp_avg"] = { dtype: "float32", shape: [3], data: new Float32Array(3) })),
      // In the file's names.
      "state of parameter 1: exp_avg has shape [3], the parameter [4]",
    );
    expectRefusedUntouched(damagedCheckpoint((m) => (m.optimizer.state["0"].step = true)), /optimizer state 0\.step is neither a number, null nor the name of a tensor/);
    // A string names a tensor entry, which must exist.
    expectRefusedUntouched(damagedCheckpoint((m) => (m.optimizer.state["0"].step = "optimizer.1")), 'tensor "optimizer.1" is missing');
    expectRefusedUntouched(damagedCheckpoint((m) => (m.optimizer.state["0"].exp_avg = "model.0.weight")), 'names the tensor "model.0.weight", not an optimizer entry');
    expectRefusedUntouched(damagedCheckpoint((m) => (m.optimizer.state["0"].step = 2.5)), "step is 2.5, not a step count");
    expectRefusedUntouched(
      damagedCheckpoint((_m, t) => delete t["optimizer.state.2.exp_avg_sq"]),
      'tensor "optimizer.state.2.exp_avg_sq" is missing',
    );
    expectRefusedUntouched(
      damagedCheckpoint((_m, t) => (t["optimizer.state.9.exp_avg"] = { dtype: "float32", shape: [3], data: new Float32Array(3) })),
      'tensor "optimizer.state.9.exp_avg" belongs to no optimizer state',
    );
  });

  it("a step count that is not a number is refused instead of coming back as a string", () => {
    const file = damagedCheckpoint((m) => (m.step = "5"));
    expect(() => loadCheckpointSync(file)).toThrow('is damaged: its step is "5", not a number');
    expectRefusedUntouched(file, "its step");
  });

  it("a malformed optimizer section is refused", () => {
    expectRefusedUntouched(damagedCheckpoint((m) => (m.optimizer.state = [] as unknown as Meta["optimizer"]["state"])), "its optimizer section is malformed");
    expectRefusedUntouched(damagedCheckpoint((m) => (m.optimizer.param_groups[0].params = "0,1")), /parameter group\(s\) of sizes \[\?\]/);
  });

  it("a valid checkpoint still restores both", () => {
    const file = damagedCheckpoint(() => undefined);
    const model = makeModel();
    const opt = new optim.Adam(model.parameters(), { lr: 0.5 });
    expect(loadCheckpointSync(file, { model, optimizer: opt }).step).toBe(1);
    expect(opt.paramGroups[0].lr).toBe(0.01);
    expect(opt.state.size).toBe(4);
  });
});

describe("checkpoint files carry a checksum of their data", () => {
  it("is written, and a changed data byte makes the file damaged", async () => {
    const file = path.join(dir, "c.safetensors");
    saveCheckpointSync(file, { model: makeModel(), step: 3 });
    const bytes = fs.readFileSync(file);
    expect(decodeSafetensors(bytes).metadata["tensorgrad.crc32"]).toMatch(/^[0-9a-f]{8}$/);
    bytes[bytes.length - 2] ^= 0x10;
    fs.writeFileSync(file, bytes);
    await expect(loadCheckpoint(file)).rejects.toThrow(/is damaged: safetensors: the data does not match its checksum/);
  });

  it("version-1 files (no checksum, older JSON) still load", () => {
    const file = path.join(dir, "v1.safetensors");
    const meta = { version: 1, hasModel: false, step: 4, extra: { best: { $num: "Infinity" }, name: "old" } };
    fs.writeFileSync(file, encodeSafetensors({}, { format: "pt", "tensorgrad.checkpoint": JSON.stringify(meta) }));
    expect(loadCheckpointSync(file)).toMatchObject({ step: 4, extra: { best: Infinity, name: "old" } });
  });
});

describe("checkpoint extra round-trips exactly or is refused", () => {
  const save = (extra: unknown) => {
    const file = path.join(dir, "x.safetensors");
    saveCheckpointSync(file, { extra });
    return file;
  };

  it("keeps values JSON would change, including objects shaped like the codec's own tags", () => {
    const proto = JSON.parse('{"__proto__": {"polluted": true}, "x": 1}') as Record<string, unknown>;
    const extra = {
      tagLike: { $num: "5" },
      undefTag: { $undef: 1 },
      dollars: { $: 1, $$: 2, $$x: 3, $num: "NaN", other: 4 },
      numbers: [NaN, Infinity, -Infinity, -0, 0, 1e-310, Number.MAX_VALUE],
      undefs: [undefined, 1, undefined],
      maybe: undefined,
      text: ["", "\u0000", "\ud800 lone", "é"],
      nested: [[[]], {}, [{ a: [null, true, false] }]],
      proto,
    };
    const back = loadCheckpointSync(save(extra)).extra as typeof extra;
    expect(back).toStrictEqual(extra);
    expect(Object.is(back.numbers[3], -0)).toBe(true);
    expect("maybe" in back).toBe(true);
    expect(Object.getPrototypeOf(back.proto)).toBe(Object.prototype);
    expect(Object.keys(back.proto)).toEqual(["__proto__", "x"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // Scalars too.
    for (const v of [-0, NaN, "s", true, null, 0, { $num: "-0" }]) {
      const got = loadCheckpointSync(save(v)).extra;
      expect(Object.is(got, v) || JSON.stringify(got) === JSON.stringify(v)).toBe(true);
    }
  });

  it("refuses what it cannot keep, saying where it is", () => {
    class Point {
      x = 1;
    }
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    const cases: [unknown, string][] = [
      [{ when: new Date(0) }, "extra.when is a Date"],
      [{ m: new Map() }, "extra.m is a Map"],
      [[1, new Point()], "extra[1] is a Point"],
      [{ f: () => 1 }, "extra.f is a function"],
      [{ big: 10n }, "extra.big is a bigint"],
      [cyclic, "extra.self is a reference to itself (a cycle)"],
      [{ "odd key": [1, , 3] }, 'extra["odd key"] is a sparse array (no element 1)'],
      [{ [Symbol("s")]: 1 }, "extra is an object with symbol keys"],
      [{ t: tensor([1]) }, "extra.t is a Tensor"],
      [{ a: new Float32Array(2) }, "extra.a is a Float32Array"],
    ];
    for (const [extra, where] of cases) {
      expect(() => saveCheckpointSync(path.join(dir, "r.safetensors"), { extra })).toThrow(`saveCheckpoint: ${where}, which a checkpoint cannot hold exactly`);
    }
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it("shared (non-cyclic) references are fine", () => {
    const shared = { v: 1 };
    const back = loadCheckpointSync(save({ a: shared, b: shared })).extra;
    expect(back).toStrictEqual({ a: { v: 1 }, b: { v: 1 } });
  });
});

describe("optimizer state and groups with user keys", () => {
  it("param group keys starting with $ and non-finite options survive a checkpoint", () => {
    const model = makeModel();
    const opt = new optim.SGD(model.parameters(), { lr: Infinity });
    (opt.paramGroups[0] as unknown as Record<string, unknown>).$note = "x";
    const file = path.join(dir, "g.safetensors");
    saveCheckpointSync(file, { model, optimizer: opt });
    const opt2 = new optim.SGD(makeModel().parameters(), { lr: 1 });
    loadCheckpointSync(file, { optimizer: opt2 });
    expect(opt2.paramGroups[0].lr).toBe(Infinity);
    expect((opt2.paramGroups[0] as unknown as Record<string, unknown>).$note).toBe("x");
  });

});
