// W10/W11: timed training steps (after the caller's warm-up) as a rate, measured the same way in every JS system.
import type { WorkloadContext } from "./child";
import type { SeqRun } from "./plan";
import type { Row } from "./result";
import { nowS, repeat } from "./stats";

/** Runs up to `run.steps` steps (or until `run.budgetS`) per repetition; reports `perStep` units per second. */
export function stepRate(ctx: WorkloadContext, run: SeqRun, step: () => void, perStep: number, unit: Row["unit"], loss: number): Row[] {
  const values = repeat(ctx.plan.reps, ctx.plan.repBudgetS, () => {
    const t0 = nowS();
    let n = 0;
    while (n < run.steps && (n === 0 || nowS() - t0 < run.budgetS)) {
      step();
      n++;
    }
    return (n * perStep) / (nowS() - t0);
  });
  return [{ variant: "", unit, higherIsBetter: true, values, loss }];
}
