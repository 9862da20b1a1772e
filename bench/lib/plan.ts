// What every system runs: workload sizes, iteration counts and time caps, identical for all systems.
// The runner writes it to plan.json beside the data so the Python child reads the same numbers.
export type WorkloadId = "W1" | "W2" | "W3" | "W4" | "W5" | "W6" | "W7" | "W8" | "W9" | "W10" | "W11";
export const ALL_WORKLOADS: readonly WorkloadId[] = ["W1", "W2", "W3", "W4", "W5", "W6", "W7", "W8", "W9", "W10", "W11"];

export interface Plan {
  quick: boolean;
  /** Timed repetitions per measurement (the median is reported). */
  reps: number;
  /** A system stops repeating a measurement once it has spent this long on it (slow peers). */
  repBudgetS: number;
  w1: { epochs: number; warmupEpochs: number };
  w2: { steps: number; warmupSteps: number };
  w3: { iters: number; warmupIters: number };
  w4: { steps: number; warmupSteps: number };
  /** W5: warm-up steps, then up to `steps` timed steps or until `budgetS` (at least one). */
  w5: { batch: number; warmupSteps: number; steps: number; budgetS: number; batches: number };
  /** W6: sizes; a size is skipped when the previous one predicts more than `capS` per matmul. */
  w6: { sizes: number[]; capS: number; minTimeS: number };
  /** W7: up to `iters` ops or `budgetS` per variant. */
  w7: { iters: number; budgetS: number };
  w8: { sizes: number[]; minTimeS: number; maxCallS: number };
  /**
   * W9: LeNet-5 training as W5 (warm-up, then up to `steps` timed steps or `budgetS`), cycling `batches`
   * batches of `batch` 1×28×28 images; then conv2d alone (3×3, padding 1) on [convBatch, convChannels,
   * convSize, convSize], each call timed until `minTimeS` (one call only when it takes more than `convCapS`).
   */
  w9: { batch: number; warmupSteps: number; steps: number; budgetS: number; batches: number; convBatch: number; convChannels: number; convSize: number; minTimeS: number; convCapS: number };
  /** W10: character transformer training steps (sizes fixed by the issue); `batches` token batches cycled. */
  w10: SeqRun & { vocab: number; context: number; dModel: number; heads: number; layers: number; dimFeedforward: number };
  /** W11: LSTM sequence-classifier training steps. */
  w11: SeqRun & { seq: number; input: number; hidden: number; layers: number; classes: number };
}

/** Warm-up steps, then up to `steps` timed steps or until `budgetS` (at least one), over `batches` cycled batches. */
export interface SeqRun { batch: number; warmupSteps: number; steps: number; budgetS: number; batches: number }

const W10_SIZES = { vocab: 64, context: 64, dModel: 128, heads: 4, layers: 2, dimFeedforward: 512 };
const W11_SIZES = { seq: 64, input: 64, hidden: 256, layers: 2, classes: 10 };

export function makePlan(quick: boolean): Plan {
  if (quick) {
    return {
      quick, reps: 1, repBudgetS: 3,
      w1: { epochs: 500, warmupEpochs: 200 },
      w2: { steps: 1 + 29, warmupSteps: 10 },
      w3: { iters: 10, warmupIters: 1 },
      w4: { steps: 10, warmupSteps: 1 },
      w5: { batch: 128, warmupSteps: 1, steps: 5, budgetS: 0.5, batches: 2 },
      w6: { sizes: [64, 256], capS: 1, minTimeS: 0.05 },
      w7: { iters: 10_000, budgetS: 0.1 },
      w8: { sizes: [1 << 20], minTimeS: 0.05, maxCallS: 3 },
      w9: { batch: 64, warmupSteps: 2, steps: 5, budgetS: 0.5, batches: 2, convBatch: 4, convChannels: 64, convSize: 32, minTimeS: 0.05, convCapS: 1 },
      w10: { batch: 16, warmupSteps: 1, steps: 3, budgetS: 0.5, batches: 2, ...W10_SIZES },
      w11: { batch: 32, warmupSteps: 1, steps: 3, budgetS: 0.5, batches: 2, ...W11_SIZES },
    };
  }
  return {
    quick, reps: 3, repBudgetS: 60,
    w1: { epochs: 20_000, warmupEpochs: 500 },
    w2: { steps: 1 + 1847, warmupSteps: 20 },
    w3: { iters: 100, warmupIters: 5 },
    w4: { steps: 100, warmupSteps: 5 },
    w5: { batch: 128, warmupSteps: 20, steps: 200, budgetS: 10, batches: 8 },
    w6: { sizes: [64, 128, 256, 512, 1024, 2048], capS: 10, minTimeS: 0.3 },
    w7: { iters: 100_000, budgetS: 1.5 },
    w8: { sizes: [1 << 20, 1 << 24], minTimeS: 0.5, maxCallS: 5 },
    w9: { batch: 64, warmupSteps: 10, steps: 200, budgetS: 5, batches: 8, convBatch: 32, convChannels: 64, convSize: 32, minTimeS: 1, convCapS: 5 },
    w10: { batch: 16, warmupSteps: 5, steps: 40, budgetS: 8, batches: 4, ...W10_SIZES },
    w11: { batch: 32, warmupSteps: 3, steps: 20, budgetS: 8, batches: 4, ...W11_SIZES },
  };
}
