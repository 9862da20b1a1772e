// BatchNorm's per-channel coefficients, running statistics and the convolution's bias are read by kernels, so a
// replay sees the values they hold at that call, not those of the recording: here they are changed in place
// between calls, outside the step. Runs on whichever backend TENSORGRAD_BACKEND selects.
import { describe, expect, it } from "vitest";
import * as tg from "../../ts/index";
import { type Tensor, nn } from "../../ts/index";
import { type Setup, eagerVsCompiled } from "./harness";

function expectSame(make: () => Setup, calls: number, recordings: number): void {
  const { eager, compiled } = eagerVsCompiled(make, calls);
  expect(compiled.outputs).toEqual(eager.outputs);
  expect(compiled.state).toEqual(eager.state);
  expect(compiled.stats!.recordings).toBe(recordings);
  expect(compiled.stats!.replays).toBe(calls - recordings);
}

describe("compile: per-channel state changed between calls", () => {
  it("eval-mode Conv2d + BatchNorm2d forward sees updated bias, weight and running statistics", () => {
    expectSame(() => {
      const conv = new nn.Conv2d(2, 3, 3, { padding: 1 });
      const bn = new nn.BatchNorm2d(3);
      const model = new nn.Sequential(conv, bn, new nn.ReLU());
      model.eval();
      const x = tg.randn([2, 2, 5, 5]);
      const step = (input: Tensor) => tg.noGrad(() => model(input));
      const after = (i: number) => tg.noGrad(() => {
        conv.bias!.add_(0.25 * (i + 1));
        bn.weight!.mul_(1.5);
        bn.bias!.sub_(0.125);
        bn.runningMean!.add_(0.3);
        bn.runningVar!.mul_(2);
      });
      return { step, args: () => [x], after, modules: [model] };
    }, 4, 1);
  });

  it("train-mode BatchNorm1d with gradients sees weights changed outside the step", () => {
    expectSame(() => {
      const bn = new nn.BatchNorm1d(4, { momentum: 0.2 });
      const x = tg.randn([6, 4]);
      const step = (input: Tensor) => {
        bn.zeroGrad();
        const loss = bn(input).pow(2).mul(tg.arange(4).add(1)).sum();
        loss.backward();
        return loss;
      };
      const after = (i: number) => tg.noGrad(() => {
        bn.weight!.add_(0.5 * (i + 1));
        bn.bias!.mul_(-2).add_(1);
      });
      // The first call (no .grad yet) and the later ones (.grad reassigned) are two recordings.
      return { step, args: () => [x], after, modules: [bn] };
    }, 5, 2);
  });
});
