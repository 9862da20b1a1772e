// Replay gives eager's bits: the seed workloads (bench W1–W5 and the notebook's styles), Dropout + Adam + StepLR,
// BatchNorm in train mode, grad accumulation over two calls, a small CNN. Runs on whichever backend
// TENSORGRAD_BACKEND selects (both are run in CI).
import { describe, expect, it } from "vitest";
import * as tg from "../../ts/index";
import { type Tensor, nn, optim } from "../../ts/index";
import { type Setup, eagerVsCompiled } from "./harness";

function expectSame(make: () => Setup, calls: number, recordings?: number): void {
  const { eager, compiled } = eagerVsCompiled(make, calls);
  expect(compiled.outputs).toEqual(eager.outputs);
  expect(compiled.state).toEqual(eager.state);
  expect(compiled.stats!.recordings + compiled.stats!.replays).toBe(calls);
  if (recordings !== undefined) expect(compiled.stats!.recordings).toBe(recordings);
  expect(compiled.stats!.replays).toBeGreaterThan(0);
}

describe("compile: replay is bit-identical to eager", () => {
  it("W1: logistic regression on plain tensors with SGD", () => {
    expectSame(() => {
      const X = tg.randn([200, 2]), y = tg.rand([200]).gt(0.5).float();
      const W = tg.ones([2], { requiresGrad: true }), b = tg.zeros([1], { requiresGrad: true });
      const opt = new optim.SGD([W, b], { lr: 0.5 });
      const step = () => {
        opt.zeroGrad();
        const loss = X.mul(W).sum(1).add(b).sigmoid().sub(y).pow(2).mean();
        loss.backward();
        opt.step();
        return loss;
      };
      return { step, args: () => [], tensors: () => [W, b], optimizers: [opt] };
    }, 12);
  });

  it("W2: Linear–Tanh–Linear, MSELoss, SGD with momentum", () => {
    expectSame(() => {
      const net = new nn.Sequential(new nn.Linear(1, 64), new nn.Tanh(), new nn.Linear(64, 1));
      const x = tg.randn([50, 1]), y = x.sin();
      const lossFn = new nn.MSELoss();
      const opt = new optim.SGD(net.parameters(), { lr: 0.003, momentum: 0.9 });
      const step = (xx: Tensor, yy: Tensor) => {
        opt.zeroGrad();
        const loss = lossFn(net(xx), yy);
        loss.backward();
        opt.step();
        return loss;
      };
      return { step, args: () => [x, y], modules: [net], optimizers: [opt] };
    }, 10, 2);
  });

  it("W3: manual autograd updates under noGrad (the notebook's style)", () => {
    expectSame(() => {
      const x = tg.randn([64, 100]), y = tg.randn([64, 10]);
      const w1 = tg.randn([100, 30], { requiresGrad: true }), w2 = tg.randn([30, 10], { requiresGrad: true });
      const lr = 1e-4;
      const step = () => {
        const loss = x.mm(w1).clamp(0).mm(w2).sub(y).pow(2).sum();
        loss.backward();
        tg.noGrad(() => {
          w1.sub_(w1.grad!.mul(lr));
          w2.sub_(w2.grad!.mul(lr));
          w1.grad!.zero_();
          w2.grad!.zero_();
        });
        return loss;
      };
      return { step, args: () => [], tensors: () => [w1, w2] };
    }, 8, 2);
  });

  it("nn.Sequential with model.zeroGrad() and manual parameter updates", () => {
    expectSame(() => {
      const model = new nn.Sequential(new nn.Linear(40, 20), new nn.ReLU(), new nn.Linear(20, 5));
      const x = tg.randn([16, 40]), y = tg.randn([16, 5]);
      const lossFn = new nn.MSELoss({ reduction: "sum" });
      const step = () => {
        const loss = lossFn(model(x), y);
        model.zeroGrad();
        loss.backward();
        tg.noGrad(() => {
          for (const p of model.parameters()) p.sub_(p.grad!.mul(1e-3));
        });
        return loss;
      };
      return { step, args: () => [], modules: [model] };
    }, 8);
  });

  it("W4: Linear–ReLU–Linear, MSELoss(sum), Adam (step count read at each replay)", () => {
    expectSame(() => {
      const model = new nn.Sequential(new nn.Linear(100, 30), new nn.ReLU(), new nn.Linear(30, 10));
      const x = tg.randn([64, 100]), y = tg.randn([64, 10]);
      const lossFn = new nn.MSELoss({ reduction: "sum" });
      const opt = new optim.Adam(model.parameters(), { lr: 1e-3 });
      const step = () => {
        const loss = lossFn(model(x), y);
        opt.zeroGrad();
        loss.backward();
        opt.step();
        return loss;
      };
      return { step, args: () => [], modules: [model], optimizers: [opt] };
    }, 10, 2);
  });

  it("W5: MLP classifier, CrossEntropyLoss, SGD momentum, a new batch every call", () => {
    expectSame(() => {
      const model = new nn.Sequential(new nn.Linear(30, 24), new nn.ReLU(), new nn.Linear(24, 24), new nn.ReLU(), new nn.Linear(24, 10));
      const xs = Array.from({ length: 3 }, () => tg.randn([16, 30]));
      const ys = Array.from({ length: 3 }, () => tg.randint(0, 10, [16]));
      const lossFn = new nn.CrossEntropyLoss();
      const opt = new optim.SGD(model.parameters(), { lr: 0.01, momentum: 0.9 });
      const step = (x: Tensor, y: Tensor) => {
        opt.zeroGrad();
        const out = model(x);
        const loss = lossFn(out, y);
        loss.backward();
        opt.step();
        return { loss, out };
      };
      return { step, args: (i) => [xs[i % 3], ys[i % 3]], modules: [model], optimizers: [opt] };
    }, 9, 2);
  });

  it("MLP with Dropout, Adam and StepLR: masks drawn fresh, the scheduler's lr honoured", () => {
    expectSame(() => {
      const model = new nn.Sequential(new nn.Linear(20, 32), new nn.ReLU(), new nn.Dropout(0.3), new nn.Linear(32, 4));
      const x = tg.randn([8, 20]), y = tg.randint(0, 4, [8]);
      const opt = new optim.Adam(model.parameters(), { lr: 1e-2 });
      const sched = new optim.lrScheduler.StepLR(opt, 2, { gamma: 0.5 });
      const lossFn = new nn.CrossEntropyLoss();
      const step = () => {
        opt.zeroGrad();
        const loss = lossFn(model(x), y);
        loss.backward();
        opt.step();
        return loss;
      };
      return { step, args: () => [], after: () => sched.step(), modules: [model], optimizers: [opt] };
    }, 9, 2);
  });

  it("a draw inside the step (randn noise) replays from the global generator in eager order", () => {
    expectSame(() => {
      const lin = new nn.Linear(6, 3);
      const x = tg.randn([4, 6]);
      const opt = new optim.SGD(lin.parameters(), { lr: 0.1 });
      const step = () => {
        opt.zeroGrad();
        const loss = lin(x.add(tg.randn([4, 6]).mul(0.1))).pow(2).mean();
        loss.backward();
        opt.step();
        return loss;
      };
      return { step, args: () => [], after: () => void tg.rand([3]), modules: [lin], optimizers: [opt] };
    }, 7);
  });

  it("BatchNorm1d in train mode (running statistics and num_batches_tracked), then eval", () => {
    expectSame(() => {
      const model = new nn.Sequential(new nn.Linear(10, 12), new nn.BatchNorm1d(12), new nn.ReLU(), new nn.Linear(12, 2));
      const xs = Array.from({ length: 2 }, () => tg.randn([8, 10]));
      const y = tg.randn([8, 2]);
      const opt = new optim.SGD(model.parameters(), { lr: 0.05 });
      const step = (x: Tensor) => {
        opt.zeroGrad();
        const loss = model(x).sub(y).pow(2).mean();
        loss.backward();
        opt.step();
        return loss;
      };
      // Calls 6–8 in eval mode: a new signature (training flags are guarded), recorded again.
      return { step, args: (i) => [xs[i % 2]], after: (i) => (i === 5 ? model.eval() : undefined), modules: [model], optimizers: [opt] };
    }, 9, 3);
  });

  it("gradient accumulation over two calls (step and zeroGrad every other call)", () => {
    expectSame(() => {
      const model = new nn.Sequential(new nn.Linear(8, 8), new nn.Tanh(), new nn.Linear(8, 1));
      const xs = Array.from({ length: 4 }, () => tg.randn([5, 8]));
      const y = tg.randn([5, 1]);
      const opt = new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.5 });
      const step = (x: Tensor, apply: boolean) => {
        const loss = model(x).sub(y).pow(2).mean();
        loss.backward();
        if (apply) {
          opt.step();
          opt.zeroGrad();
        }
        return loss;
      };
      return { step, args: (i) => [xs[i % 4], i % 2 === 1], modules: [model], optimizers: [opt] };
    }, 12);
  });

  it("a small CNN: Conv2d, MaxPool2d, Flatten, Linear, CrossEntropyLoss, Adam", () => {
    expectSame(() => {
      const model = new nn.Sequential(
        new nn.Conv2d(1, 4, 3, { padding: 1 }), new nn.ReLU(), new nn.MaxPool2d(2), new nn.Flatten(), new nn.Linear(4 * 4 * 4, 3),
      );
      const x = tg.randn([2, 1, 8, 8]), y = tg.randint(0, 3, [2]);
      const opt = new optim.Adam(model.parameters(), { lr: 1e-2 });
      const lossFn = new nn.CrossEntropyLoss();
      const step = () => {
        opt.zeroGrad();
        const loss = lossFn(model(x), y);
        loss.backward();
        opt.step();
        return loss;
      };
      return { step, args: () => [], modules: [model], optimizers: [opt] };
    }, 6, 2);
  });
});

describe("compile: sequence models replay bit-identically", () => {
  it("LSTM (batch first) with a linear head and Adam", () => {
    expectSame(() => {
      const lstm = new nn.LSTM(4, 6, { batchFirst: true });
      const head = new nn.Linear(6, 2);
      const x = tg.randn([3, 5, 4]);
      const opt = new optim.Adam([...lstm.parameters(), ...head.parameters()], { lr: 1e-2 });
      const step = () => {
        opt.zeroGrad();
        const [out] = lstm(x) as unknown as [Tensor];
        const loss = head(out).pow(2).mean();
        loss.backward();
        opt.step();
        return loss;
      };
      return { step, args: () => [], modules: [lstm, head], optimizers: [opt] };
    }, 5, 2);
  });

  it("a character model: Embedding, TransformerEncoderLayer (with dropout), Linear, CrossEntropyLoss, AdamW", () => {
    expectSame(() => {
      const emb = new nn.Embedding(12, 8);
      const layer = new nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 16, batchFirst: true, dropout: 0.1 });
      const head = new nn.Linear(8, 12);
      const model = new nn.Sequential(emb, layer, head);
      const xs = Array.from({ length: 2 }, () => tg.randint(0, 12, [2, 6]));
      const ys = Array.from({ length: 2 }, () => tg.randint(0, 12, [12]));
      const opt = new optim.AdamW(model.parameters(), { lr: 1e-2 });
      const lossFn = new nn.CrossEntropyLoss();
      const step = (x: Tensor, y: Tensor) => {
        opt.zeroGrad();
        const loss = lossFn((model(x) as Tensor).reshape([12, 12]), y);
        loss.backward();
        opt.step();
        return loss;
      };
      return { step, args: (i) => [xs[i % 2], ys[i % 2]], modules: [model], optimizers: [opt] };
    }, 6, 2);
  });
});

describe("compile: storages made inside the step and kept", () => {
  it("a .grad assigned fresh zeros inside the step, then accumulated into, starts from zeros at each replay", () => {
    expectSame(() => {
      const lin = new nn.Linear(4, 2);
      const x = tg.randn([3, 4]);
      const step = () => {
        for (const p of lin.parameters()) p.grad = tg.zerosLike(p);
        const loss = lin(x).pow(2).sum();
        loss.backward();
        tg.noGrad(() => {
          for (const p of lin.parameters()) p.sub_(p.grad!.mul(0.01));
        });
        return loss;
      };
      return { step, args: () => [], modules: [lin] };
    }, 6, 1);
  });
});

describe("compile: gradient clipping inside the step", () => {
  it("clipGradNorm_ (coefficient computed in kernels) replays bit-identically", () => {
    expectSame(() => {
      const model = new nn.Sequential(new nn.Linear(6, 6), new nn.Tanh(), new nn.Linear(6, 1));
      const x = tg.randn([4, 6]).mul(5), y = tg.randn([4, 1]);
      const opt = new optim.SGD(model.parameters(), { lr: 0.1 });
      const step = () => {
        opt.zeroGrad();
        const loss = model(x).sub(y).pow(2).mean();
        loss.backward();
        const norm = nn.utils.clipGradNorm_(model.parameters(), 0.5);
        opt.step();
        return [loss, norm];
      };
      return { step, args: () => [], modules: [model], optimizers: [opt] };
    }, 6, 2);
  });
});

describe("compile: more layers", () => {
  it("Conv2d, BatchNorm2d (train), AvgPool2d, LayerNorm, GELU, GRU pieces", () => {
    expectSame(() => {
      const conv = new nn.Sequential(new nn.Conv2d(2, 3, 3), new nn.BatchNorm2d(3), new nn.ReLU(), new nn.AvgPool2d(2), new nn.Flatten());
      const norm = new nn.LayerNorm(12);
      const gru = new nn.GRU(12, 5, { batchFirst: true });
      const x = tg.randn([4, 2, 6, 6]);
      const opt = new optim.RMSprop([...conv.parameters(), ...norm.parameters(), ...gru.parameters()], { lr: 1e-2 });
      const step = () => {
        opt.zeroGrad();
        const h = norm(conv(x) as Tensor).reshape([2, 2, 12]);
        const [out] = gru(h) as unknown as [Tensor];
        const loss = out.pow(2).mean();
        loss.backward();
        opt.step();
        return loss;
      };
      return { step, args: () => [], modules: [conv, norm, gru], optimizers: [opt] };
    }, 5, 2);
  });
});
