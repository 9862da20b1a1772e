/** A small, seeded training run shared by workers.test.ts and its worker (so both run the same code). */
import { getBackend, manualSeed, nn, optim, randn, setBackend, type BackendName } from "../../ts/index";

export interface TrainResult {
  backend: string;
  finalLoss: number;
  losses: number[];
  params: number[][];
}

export function train(seed: number, steps: number, backend: BackendName, hidden = 64, batch = 64): TrainResult {
  setBackend(backend);
  manualSeed(seed);
  const model = new nn.Sequential(new nn.Linear(16, hidden), new nn.Tanh(), new nn.Linear(hidden, 1));
  const opt = new optim.SGD(model.parameters(), { lr: 0.05, momentum: 0.9 });
  const lossFn = new nn.MSELoss();
  const x = randn(batch, 16);
  const y = x.narrow(1, 0, 1).mul(2).sub(x.narrow(1, 1, 1)).tanh();
  const losses: number[] = [];
  for (let i = 0; i < steps; i++) {
    opt.zeroGrad();
    const loss = lossFn(model(x), y);
    loss.backward();
    opt.step();
    losses.push(loss.item());
  }
  return {
    backend: getBackend(),
    finalLoss: losses[losses.length - 1],
    losses,
    params: model.parameters().map((p) => Array.from(p.toArray() as Float32Array)),
  };
}
