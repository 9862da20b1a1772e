// The record each child prints (one line, prefixed) and the runner collects.
export const RESULT_PREFIX = "@@BENCH_RESULT ";

/** One measured quantity of a workload, e.g. W6 at n=512 or W8 tanh at 1M. */
export interface Row {
  /** "" for single-figure workloads, else e.g. "n=512", "numel=1 grad", "tanh 1M". */
  variant: string;
  unit: "s" | "ms/iter" | "ms/step" | "samples/s" | "GFLOP/s" | "ns/op" | "Melem/s" | "tokens/s";
  higherIsBetter: boolean;
  /** One figure per timed repetition. */
  values: number[];
  /** Correctness check printed beside the time (final loss, first loss, ...). */
  loss?: number;
  firstLoss?: number;
  note?: string;
}

export interface ChildResult {
  system: string;
  workload: string;
  ok: boolean;
  error?: string;
  rows: Row[];
  /** CPU time ÷ wall time over the workload: ~1 on one busy thread, up to ~2 with two (when the machine is idle). */
  cpuPerWall?: number;
  /** Peak resident set size of the child process, KiB. */
  maxRssKB: number;
  versions: Record<string, string>;
  /** What the system lacks for this workload and how it was composed instead. */
  notes: string[];
}
