import { describe, expect, it } from "vitest";
import * as tg from "../../ts/index";
import { nn } from "../../ts/index";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

class Stats extends nn.Module {
  lin = new nn.Linear(2, 2);
  constructor() {
    super();
    this.registerBuffer("runningMean", tg.zeros(2));
    this.registerBuffer("scratch", tg.ones(3), { persistent: false });
  }
  override forward(x: tg.Tensor): tg.Tensor {
    return this.lin(x);
  }
}

describe("buffers", () => {
  it("are in buffers() and stateDict (persistent ones only), not in parameters()", () => {
    const m = new Stats();
    expect(m.namedBuffers().map(([k]) => k)).toEqual(["runningMean", "scratch"]);
    expect(m.parameters().length).toBe(2);
    // PyTorch's order: the module's own parameters and buffers, then its children's.
    expect(Object.keys(m.stateDict())).toEqual(["runningMean", "lin.weight", "lin.bias"]);
  });

  it("move with to(), keeping persistence", () => {
    const m = new Stats().double();
    expect((m as unknown as { runningMean: tg.Tensor }).runningMean.dtype).toBe("float64");
    expect((m as unknown as { scratch: tg.Tensor }).scratch.dtype).toBe("float64");
    expect(Object.keys(m.stateDict())).toEqual(["runningMean", "lin.weight", "lin.bias"]);
  });

  it("round-trip through loadStateDict and a checkpoint file; non-persistent ones are neither expected nor saved", async () => {
    const a = new Stats();
    (a as unknown as { runningMean: tg.Tensor }).runningMean.data.fill_(7);
    const b = new Stats();
    expect(b.loadStateDict(a.stateDict())).toEqual({ missingKeys: [], unexpectedKeys: [] });
    expect((b as unknown as { runningMean: tg.Tensor }).runningMean.tolist()).toEqual([7, 7]);
    const file = path.join(mkdtempSync(path.join(tmpdir(), "tg-buf-")), "m.safetensors");
    await tg.save(a.stateDict(), file);
    const loaded = await tg.load(file);
    expect(Object.keys(loaded).sort()).toEqual(["lin.bias", "lin.weight", "runningMean"]);
  });
});
