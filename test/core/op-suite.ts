/** Declares, for each reference case, tests of its forward result, its gradients and its free-function form. */
import { it } from "vitest";
import { checkBackward, checkForward, type OpCase } from "./reference";

export function defineOpCases(cases: readonly OpCase[]): void {
  if (cases.length === 0) throw new Error("no reference cases selected");
  for (const c of cases) {
    it(`${c.name}: forward values, shape and dtype match PyTorch`, () => checkForward(c));
    if (c.g !== null) it(`${c.name}: backward(g) gives PyTorch's gradients`, () => checkBackward(c));
    if (c.free && c.call.kind === "method") {
      it(`${c.name}: free function tg.${c.call.name} gives the same result`, () => checkForward(c, true));
    }
  }
}
