import { afterEach, describe, expect, it, vi } from "vitest";
import { optim, tensor } from "../../ts/index";

// Its own file: like Python's default warning filter, each warning is shown once per process.
const ls = optim.lrScheduler;
const ORDER = "Detected call of `lr_scheduler.step()` before `optimizer.step()`. In PyTorch 1.1.0 and later, you should call them in the opposite order: `optimizer.step()` before `lr_scheduler.step()`.  Failure to do this will result in PyTorch skipping the first value of the learning rate schedule. See more details at https://pytorch.org/docs/stable/optim.html#how-to-adjust-learning-rate";
const OVERRIDDEN = "Seems like `optimizer.step()` has been overridden after learning rate scheduler initialization. Please, make sure to call `optimizer.step()` before `lr_scheduler.step()`. See more details at https://pytorch.org/docs/stable/optim.html#how-to-adjust-learning-rate";

function setup(): { opt: optim.SGD; p: ReturnType<typeof tensor> } {
  const p = tensor([1, 2], { requiresGrad: true });
  p.grad = tensor([1, 1]);
  return { opt: new optim.SGD([p], { lr: 0.1 }), p };
}

describe("the scheduler-before-optimizer warning", () => {
  afterEach(() => vi.restoreAllMocks());

  it("is not given when optimizer.step() comes first", () => {
    const spy = vi.spyOn(process, "emitWarning").mockImplementation(() => {});
    const { opt } = setup();
    const s = new ls.StepLR(opt, 2);
    for (let i = 0; i < 3; i++) {
      opt.step();
      s.step();
    }
    expect(spy).not.toHaveBeenCalled();
  });

  it("is given once, as a UserWarning, when scheduler.step() comes first — however often", () => {
    const spy = vi.spyOn(process, "emitWarning").mockImplementation(() => {});
    const { opt } = setup();
    const s = new ls.ExponentialLR(opt, 0.5);
    s.step();
    s.step();
    const other = setup();
    const s2 = new ls.CosineAnnealingLR(other.opt, 10);
    s2.step();
    expect(spy.mock.calls).toEqual([[ORDER, "UserWarning"]]);
    // The schedule is still applied (PyTorch only warns).
    expect(s.getLastLr()).toEqual([0.025]);
  });

  it("says so when optimizer.step was replaced after the scheduler was attached", () => {
    const spy = vi.spyOn(process, "emitWarning").mockImplementation(() => {});
    const { opt } = setup();
    const s = new ls.StepLR(opt, 2);
    const original = opt.step.bind(opt);
    opt.step = () => original();
    opt.step();
    s.step();
    expect(spy.mock.calls).toEqual([[OVERRIDDEN, "UserWarning"]]);
  });

  it("the optimizer's step is counted once however many schedulers are attached", () => {
    const { opt, p } = setup();
    new ls.StepLR(opt, 2);
    new ls.StepLR(opt, 3);
    opt.step();
    expect(p.tolist()).toEqual([Math.fround(0.9), Math.fround(1.9)]);
  });
});
