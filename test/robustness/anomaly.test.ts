import { afterEach, describe, expect, it } from "vitest";
import { autograd, getBackend, log, setBackend, sqrt, tensor, type BackendName } from "../../ts/index";

function available(): BackendName[] {
  const prev = getBackend();
  const out: BackendName[] = ["js"];
  try {
    setBackend("native");
    out.push("native");
  } catch {
    // the addon did not build: the js backend alone
  }
  setBackend(prev);
  return out;
}

const initial = getBackend();
afterEach(() => {
  autograd.setDetectAnomaly(false);
  setBackend(initial);
});

describe.each(available())("anomaly mode (%s backend)", (backend) => {
  const use = () => setBackend(backend);

  it("is off by default: non-finite gradients pass through silently", () => {
    use();
    expect(autograd.isAnomalyEnabled()).toBe(false);
    const x = tensor([0, 4, -1], { requiresGrad: true });
    sqrt(x).sum().backward();
    const g = x.grad!.tolist() as number[];
    expect(g[0]).toBe(Infinity);
    expect(g[1]).toBeCloseTo(0.25);
    expect(Number.isNaN(g[2])).toBe(true);
  });

  it("setDetectAnomaly(true) names sqrt's backward when sqrt at 0 gives an inf gradient", () => {
    use();
    autograd.setDetectAnomaly(true);
    expect(autograd.isAnomalyEnabled()).toBe(true);
    const x = tensor([0, 1], { requiresGrad: true });
    const y = sqrt(x).mul(3).sum();
    expect(() => y.backward()).toThrow(/Function 'SqrtBackward0' returned nan or inf values in its 0th output/);
  });

  it("names sqrt's backward for a NaN gradient (sqrt of a negative number)", () => {
    use();
    autograd.setDetectAnomaly(true);
    const x = tensor([-2, 1], { requiresGrad: true });
    expect(() => sqrt(x).sum().backward()).toThrow(/SqrtBackward0/);
  });

  it("detectAnomaly(fn) names log's backward at 0 and restores the previous mode, also after a throw", () => {
    use();
    const x = tensor([0, 2], { requiresGrad: true });
    expect(() => autograd.detectAnomaly(() => log(x).sum().backward())).toThrow(/Function 'LogBackward0' returned nan or inf/);
    expect(autograd.isAnomalyEnabled()).toBe(false);
    const r = autograd.detectAnomaly(() => autograd.isAnomalyEnabled());
    expect(r).toBe(true);
    expect(autograd.isAnomalyEnabled()).toBe(false);
  });

  it("a NaN from log of a negative number is blamed on the op whose backward turns it into a gradient", () => {
    use();
    autograd.setDetectAnomaly(true);
    const x = tensor([-1], { requiresGrad: true });
    const w = tensor([2], { requiresGrad: true });
    // d(log(x)·w)/dw = log(x) = NaN: MulBackward0 produces it, in its 1st output (the gradient for w).
    expect(() => log(x).mul(w).sum().backward()).toThrow(/Function 'MulBackward0' returned nan or inf values in its 1th output/);
  });

  it("the op in the middle of a chain is the one named, through autograd.grad too", () => {
    use();
    const x = tensor([1, 2], { requiresGrad: true });
    const z = x.mul(2).tanh();
    const out = sqrt(z.sub(z.detach())).exp().mean(); // sqrt at exactly 0
    expect(() => autograd.detectAnomaly(() => autograd.grad([out], [x]))).toThrow(/SqrtBackward0/);
  });

  it("finite gradients are unchanged with anomaly mode on", () => {
    use();
    const run = () => {
      const x = tensor([0.5, 1.5, 3], { requiresGrad: true });
      log(x).mul(sqrt(x)).tanh().sum().backward();
      return x.grad!.tolist();
    };
    const off = run();
    autograd.setDetectAnomaly(true);
    expect(run()).toEqual(off);
  });
});
