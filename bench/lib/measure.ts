// The measuring loops every JS system shares, so W5 and W6 are timed the same way in each.
import type { WorkloadContext } from "./child";
import type { Row } from "./result";
import { nowS, predictS, repeat, timePerCall } from "./stats";

/** W5 (W9 with p = plan.w9): timed training steps (after the caller's warm-up) as samples per second. */
export function samplesPerSecond(ctx: WorkloadContext, step: () => void, loss: number, p: StepPlan = ctx.plan.w5, variant = ""): Row[] {
  const values = repeat(ctx.plan.reps, ctx.plan.repBudgetS, () => {
    const t0 = nowS();
    let n = 0;
    while (n < p.steps && (n === 0 || nowS() - t0 < p.budgetS)) {
      step();
      n++;
    }
    return (n * p.batch) / (nowS() - t0);
  });
  return [{ variant, unit: "samples/s", higherIsBetter: true, values, loss }];
}

interface StepPlan { batch: number; steps: number; budgetS: number }

/** The W9 conv2d rows: 3×3 convolution, padding 1, on [n, c, s, s] → [n, c, s, s]. */
export const W9_CONV_FWD = "conv2d 3×3 fwd";
export const W9_CONV_BWD = "conv2d 3×3 fwd+bwd";

/**
 * W9's conv2d alone, in GFLOP/s: forward (2·N·Co·Ci·9·H·W flops) and forward + backward (input and weight
 * gradients too: 3× that). `prepare` returns the two calls for the plan's sizes.
 */
export function convRows(ctx: WorkloadContext, prepare: (n: number, c: number, s: number) => { fwd: () => void; fwdBwd: () => void }): Row[] {
  const p = ctx.plan.w9;
  const flops = 2 * p.convBatch * p.convChannels * p.convChannels * 9 * p.convSize * p.convSize;
  const { fwd, fwdBwd } = prepare(p.convBatch, p.convChannels, p.convSize);
  const shape = `${p.convChannels}→${p.convChannels} ${p.convSize}×${p.convSize} b${p.convBatch}`;
  return ([[W9_CONV_FWD, fwd, 1], [W9_CONV_BWD, fwdBwd, 3]] as const).map(([variant, call, times]): Row => {
    const t0 = nowS();
    call();
    const warm = nowS() - t0;
    // A slow peer (a pure-JS convolution) would spend minutes here: one call longer than the cap is the figure.
    if (warm > p.convCapS) return { variant, unit: "GFLOP/s", higherIsBetter: true, values: [(times * flops) / warm / 1e9], note: `${shape}; one call (${warm.toFixed(1)} s > cap)` };
    const secs = repeat(ctx.plan.reps, ctx.plan.repBudgetS, () => timePerCall(call, p.minTimeS));
    return { variant, unit: "GFLOP/s", higherIsBetter: true, values: secs.map((s) => (times * flops) / s / 1e9), note: shape };
  });
}

/**
 * W6: GFLOP/s of an n×n product for each planned size, skipping sizes the previous one predicts to be
 * too slow. `prepare(n)` returns the call to time and a cleanup.
 */
export function gemmSweep(ctx: WorkloadContext, prepare: (n: number) => { call: () => void; done?: () => void }): Row[] {
  const p = ctx.plan.w6;
  const rows: Row[] = [];
  let prev: { n: number; s: number } | null = null;
  for (const n of p.sizes) {
    if (prev && predictS(prev.s, prev.n, n, 3) > p.capS) {
      const predicted = predictS(prev.s, prev.n, n, 3).toFixed(0);
      rows.push({ variant: `n=${n}`, unit: "GFLOP/s", higherIsBetter: true, values: [], note: `skipped: predicted ${predicted} s per matmul > cap` });
      continue;
    }
    const { call, done } = prepare(n);
    const t1 = nowS();
    call();
    const warm = nowS() - t1;
    const secs = repeat(ctx.plan.reps, ctx.plan.repBudgetS, () => timePerCall(call, p.minTimeS));
    prev = { n, s: Math.min(warm, ...secs) };
    rows.push({ variant: `n=${n}`, unit: "GFLOP/s", higherIsBetter: true, values: secs.map((s) => (2 * n ** 3) / s / 1e9) });
    done?.();
  }
  return rows;
}
