// compile's guards and promises besides exactness: signatures and the bounded number of recordings, value
// reads refused while recording, fresh outputs, what is read at each replay, errors that name the problem.
import { PerformanceObserver, constants } from "node:perf_hooks";
import { describe, expect, it } from "vitest";
import * as tg from "../../ts/index";
import { type Tensor, compile, nn, optim } from "../../ts/index";

const statsOf = (f: unknown) => (f as { stats: { recordings: number; replays: number } }).stats;

describe("compile: signatures", () => {
  it("records once per signature (shape, dtype, grad mode, primitive arguments) and replays after", () => {
    const f = compile((x: Tensor, k: number) => x.mul(k).add(1));
    f(tg.ones([2]), 2);
    f(tg.ones([2]), 2);
    expect(statsOf(f)).toEqual({ recordings: 1, replays: 1 });
    f(tg.ones([3]), 2);
    f(tg.ones([2]), 3);
    f(tg.ones([2], { dtype: "float64" }), 2);
    expect(statsOf(f)).toEqual({ recordings: 4, replays: 1 });
    expect(f(tg.ones([2]), 3).tolist()).toEqual([4, 4]);
    tg.noGrad(() => f(tg.ones([2]), 3));
    expect(statsOf(f)).toEqual({ recordings: 5, replays: 2 });
  });

  it("keeps at most 8 recordings, dropping the least recently used", () => {
    const f = compile((x: Tensor) => x.add(1));
    for (let n = 1; n <= 9; n++) f(tg.zeros([n]));
    expect(statsOf(f).recordings).toBe(9);
    f(tg.zeros([9]));
    expect(statsOf(f)).toEqual({ recordings: 9, replays: 1 });
    f(tg.zeros([1])); // evicted by the ninth
    expect(statsOf(f)).toEqual({ recordings: 10, replays: 1 });
  });

  it("a module's training flag is part of the signature", () => {
    const drop = new nn.Dropout(0.5);
    const f = compile((x: Tensor) => drop(x));
    const x = tg.ones([100]);
    f(x);
    drop.eval();
    expect(f(x).tolist()).toEqual(x.tolist());
    expect(statsOf(f).recordings).toBe(2);
    drop.train();
    f(x);
    expect(statsOf(f)).toEqual({ recordings: 2, replays: 1 });
  });
});

describe("compile: values read at each replay", () => {
  it("a learning rate set on paramGroups between calls and a scheduler stepped inside the step are honoured", () => {
    const run = (compiled: boolean): number[] => {
      tg.manualSeed(3);
      const lin = new nn.Linear(3, 1);
      const opt = new optim.SGD(lin.parameters(), { lr: 0.1 });
      const sched = new optim.lrScheduler.ExponentialLR(opt, 0.5);
      const x = tg.randn([4, 3]);
      const body = () => {
        opt.zeroGrad();
        const loss = lin(x).pow(2).sum();
        loss.backward();
        opt.step();
        sched.step();
        return loss;
      };
      const step = compiled ? compile(body) : body;
      const out: number[] = [];
      for (let i = 0; i < 6; i++) {
        if (i === 3) opt.paramGroups[0].lr = 0.7;
        out.push(step().item(), opt.paramGroups[0].lr);
      }
      return [...out, ...lin.weight.toArray()];
    };
    expect(run(true)).toEqual(run(false));
  });
});

describe("compile: decisions made on values are made again at replay", () => {
  it("logsumexp's shift for an all -inf row, with the row appearing only in a replayed call", () => {
    const f = compile((x: Tensor) => tg.logsumexp(x, 1));
    const finite = tg.tensor([[1, 2], [3, 4]]);
    const withInf = tg.tensor([[1, 2], [-Infinity, -Infinity]]);
    f(finite);
    expect(f(withInf).tolist()).toEqual(tg.logsumexp(withInf, 1).tolist());
    expect(f(finite).tolist()).toEqual(tg.logsumexp(finite, 1).tolist());
    expect(statsOf(f)).toEqual({ recordings: 1, replays: 2 });
  });
});

describe("compile: reading values while recording", () => {
  const message = /control flow may not depend on tensor values.*return the tensor/i;
  for (const [what, read] of [
    ["item()", (t: Tensor) => t.item()],
    ["tolist()", (t: Tensor) => t.tolist()],
    ["toArray()", (t: Tensor) => t.toArray()],
    ["printing", (t: Tensor) => String(t)],
  ] as const) {
    it(`${what} inside the function throws, saying why and what to do`, () => {
      const f = compile((x: Tensor) => {
        const s = x.sum();
        read(s);
        return s;
      });
      expect(() => f(tg.ones([3]))).toThrow(message);
      // Nothing stays hooked: eager code runs as before.
      expect(tg.ones([2]).add(1).tolist()).toEqual([2, 2]);
      expect(statsOf(f).recordings).toBe(0);
    });
  }
});

describe("compile: errors name the problem", () => {
  it("inputs that require grad, arguments that are not tensors or primitives, non-tensor results", () => {
    expect(() => compile((x: Tensor) => x)(tg.ones([1], { requiresGrad: true }))).toThrow(/argument 0 requires grad/);
    expect(() => compile((o: object) => o)({})).toThrow(/argument 0 is a Object/);
    expect(() => compile(() => 3)()).toThrow(/returned a number/);
  });

  it("a random draw compile cannot record (multinomial) is refused at recording time; randperm is recorded", () => {
    const probs = tg.tensor([0.2, 0.3, 0.5]);
    const f = compile(() => tg.multinomial(probs, 2).float());
    expect(() => f()).toThrow(/random numbers .* compile cannot record/);
    const g = compile(() => tg.randperm(6).float().mul(2));
    tg.manualSeed(1);
    const eager = [0, 1, 2].map(() => tg.randperm(6).float().mul(2).tolist());
    tg.manualSeed(1);
    expect([0, 1, 2].map(() => g().tolist())).toEqual(eager);
    expect(statsOf(g)).toEqual({ recordings: 1, replays: 2 });
  });

  it("a tensor written in JavaScript between kernels (not through a kernel) is refused at recording time", () => {
    const f = compile((x: Tensor) => {
      const h = x.mul(2);
      h._data[0] = 7;
      return h.add(1);
    });
    expect(() => f(tg.ones([3]))).toThrow(/storage was changed in JavaScript, outside the kernels, before the kernel unary; compile cannot record that write/);
  });

  it("a compiled function called while another records is refused", () => {
    const inner = compile((x: Tensor) => x.add(1));
    const outer = compile((x: Tensor) => inner(x).mul(2));
    expect(() => outer(tg.ones([2]))).toThrow(/while another one is being recorded/);
  });

  it("out-of-range class indices are still checked at replay", () => {
    const f = compile((x: Tensor, y: Tensor) => tg.nn.functional.crossEntropy(x, y));
    const x = tg.randn([2, 3]);
    f(x, tg.tensor([0, 2], { dtype: "int32" }));
    f(x, tg.tensor([1, 2], { dtype: "int32" }));
    expect(() => f(x, tg.tensor([1, 3], { dtype: "int32" }))).toThrow("Target 3 is out of bounds.");
  });
});

describe("compile: outputs and memory", () => {
  it("returned tensors are fresh: a later call does not change an earlier result", () => {
    const w = tg.randn([4, 4]);
    const f = compile((x: Tensor) => [x.mm(w).relu(), x.sum()]);
    const x = tg.randn([2, 4]);
    const first = f(x) as Tensor[];
    const second = f(x) as Tensor[];
    const third = f(x.mul(2)) as Tensor[];
    expect(second[0].tolist()).toEqual(first[0].tolist());
    expect(third[0]._data).not.toBe(second[0]._data);
    expect(third[0]._data.buffer).not.toBe(second[0]._data.buffer);
    expect(second[1].item()).toBe(first[1].item());
    expect(third[1].item()).not.toBe(second[1].item());
  });

  it("a replay allocates no ArrayBuffer for temporaries (1,000 replays)", async () => {
    tg.manualSeed(0);
    const model = new nn.Sequential(new nn.Linear(32, 128), new nn.ReLU(), new nn.Linear(128, 128), new nn.ReLU(), new nn.Linear(128, 10));
    const opt = new optim.SGD(model.parameters(), { lr: 1e-3, momentum: 0.9 });
    const x = tg.randn([16, 32]), y = tg.randint(0, 10, [16]);
    const lossFn = new nn.CrossEntropyLoss();
    const step = compile(() => {
      opt.zeroGrad();
      const loss = lossFn(model(x), y);
      loss.backward();
      opt.step();
      return loss;
    });
    for (let i = 0; i < 3; i++) step();
    const plan = (step as unknown as { _plans: { temporaryBytes: number; arenaBytes: number }[] })._plans.at(-1)!;
    expect(plan.temporaryBytes).toBeGreaterThan(40_000);
    expect(plan.arenaBytes).toBeLessThan(plan.temporaryBytes);

    let majorGcs = 0;
    const obs = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if ((e as unknown as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) majorGcs++;
    });
    obs.observe({ entryTypes: ["gc"] });
    const before = process.memoryUsage().arrayBuffers;
    for (let i = 0; i < 1000; i++) step();
    const grown = process.memoryUsage().arrayBuffers - before;
    await new Promise((r) => setTimeout(r, 50)); // gc entries are delivered asynchronously
    obs.disconnect();
    // Eager allocates temporaryBytes per step (over 40 MB here); a replay allocates only its 4-byte loss.
    expect(grown).toBeLessThan(200_000);
    expect(majorGcs).toBeLessThanOrEqual(1);
    expect(statsOf(step).replays).toBe(1001);
  });
});

describe("compile: inputs as views", () => {
  it("transposed and offset inputs are rebound at each call; a returned input or parameter is copied", () => {
    const w = tg.randn([3, 4]);
    const f = compile((a: Tensor, b: Tensor) => [a.mm(w).add(b), a, w]);
    const big = tg.randn([6, 3]);
    const calls: [Tensor, Tensor][] = [
      [tg.randn([3, 5]).t(), tg.randn([10, 4]).narrow(0, 2, 5)],
      [tg.randn([3, 5]).t(), tg.randn([10, 4]).narrow(0, 2, 5)],
      [big.narrow(0, 1, 5), tg.randn([5, 4])],
      [big.narrow(0, 1, 5), tg.randn([5, 4])],
    ];
    calls.forEach(([a, b], i) => {
      const [out, aOut, wOut] = f(a, b) as Tensor[];
      expect(out.tolist()).toEqual(a.mm(w).add(b).tolist());
      expect(aOut.tolist()).toEqual(a.tolist());
      expect(wOut.tolist()).toEqual(w.tolist());
      // The recording call returns what eager returns (a and w themselves); replays return copies.
      if (i % 2 === 1) {
        expect(aOut._data).not.toBe(a._data);
        expect(wOut._data).not.toBe(w._data);
      }
    });
    expect(statsOf(f)).toEqual({ recordings: 2, replays: 2 });
  });
});

describe("compile: rebound parameters record again", () => {
  it("a module parameter replaced, or a leaf's storage rebound (p.data = t), between calls", () => {
    const run = (compiled: boolean): { out: number[][]; recordings: number } => {
      tg.manualSeed(5);
      const lin = new nn.Linear(3, 2);
      const w = tg.randn([2], { requiresGrad: true });
      const x = tg.randn([4, 3]);
      const body = () => {
        lin.zeroGrad();
        w.grad = null;
        const loss = lin(x).mul(w).sum();
        loss.backward();
        tg.noGrad(() => {
          for (const p of [...lin.parameters(), w]) p.sub_(p.grad!.mul(0.1));
        });
        return loss;
      };
      const step = compiled ? compile(body) : body;
      const out: number[][] = [];
      for (let i = 0; i < 6; i++) {
        if (i === 2) lin.weight = new nn.Parameter(tg.randn([2, 3]));
        if (i === 4) w.data = tg.randn([2]);
        out.push([step().item(), ...lin.weight.toArray(), ...w.toArray()]);
      }
      return { out, recordings: compiled ? statsOf(step).recordings : 0 };
    };
    const eager = run(false), comp = run(true);
    expect(comp.out).toEqual(eager.out);
    // Calls 0, 2 (new weight, its .grad still null) and 4 (w rebound) record, and so do 1 and 3: a .grad null at the
    // start of a recorded call and set at the start of the next one is a new signature (backward creates it, then not).
    expect(comp.recordings).toBe(5);
  });
});
