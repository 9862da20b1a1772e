// PyTorch / NumPy 1-thread figures from /work/shared/reference/ANCHORS.md (run C medians), measured with
// OpenBLAS 0.3.21 (SkylakeX kernels). Shown beside this run's figures because this machine's Python may
// link a different BLAS (e.g. Debian's reference libblas3, ~20× slower at GEMM), which would make the
// goals against "PyTorch in this run" far easier than the issue intends.
import type { Plan, WorkloadId } from "./plan";
import type { ChildResult, Row } from "./result";

export const ANCHOR_PYTORCH = "pytorch-1/1 (ANCHORS)";
export const ANCHOR_NUMPY = "numpy-1/1 (ANCHORS)";

type Fig = [variant: string, unit: Row["unit"], value: number, higherIsBetter: boolean];

function figures(w: WorkloadId, plan: Plan): { system: string; figs: Fig[] }[] {
  switch (w) {
    // Totals scale with the epochs/steps this plan runs (fewer in --quick).
    case "W1": return [{ system: ANCHOR_PYTORCH, figs: [["", "s", (2.78 / 20_000) * plan.w1.epochs, false]] }];
    case "W2": return [{ system: ANCHOR_PYTORCH, figs: [["", "s", (0.642 / 1848) * plan.w2.steps, false]] }];
    case "W3": return [{ system: ANCHOR_PYTORCH, figs: [["", "ms/iter", 0.684, false]] }];
    case "W4": return [{ system: ANCHOR_PYTORCH, figs: [["", "ms/step", 1.6, false]] }];
    case "W5": return [{ system: ANCHOR_PYTORCH, figs: [["", "samples/s", 12_899, true]] }];
    // Typical figures: the median over processes of each process's best rep.
    case "W6": return [
      { system: ANCHOR_PYTORCH, figs: [[64, 85.3], [128, 83.9], [256, 108.2], [512, 83.6], [1024, 85.4], [2048, 89.9]].map(([n, g]) => [`n=${n}`, "GFLOP/s", g!, true] as Fig) },
      { system: ANCHOR_NUMPY, figs: [[64, 78.2], [128, 88.2], [256, 92.8], [512, 85.8], [1024, 87.9], [2048, 95.2]].map(([n, g]) => [`n=${n}`, "GFLOP/s", g!, true] as Fig) },
    ];
    case "W7": return [{ system: ANCHOR_PYTORCH, figs: [["numel=1", "ns/op", 1731, false], ["numel=1 grad", "ns/op", 4238, false], ["numel=1000", "ns/op", 2500, false], ["numel=1000 grad", "ns/op", 4275, false]] }];
    case "W8": return [{ system: ANCHOR_PYTORCH, figs: [
      ["tanh 1M", "Melem/s", 252, true], ["relu 1M", "Melem/s", 2203, true], ["add 1M", "Melem/s", 2031, true], ["sum 1M", "Melem/s", 4267, true],
      ["tanh 16M", "Melem/s", 174, true], ["relu 16M", "Melem/s", 438, true], ["add 16M", "Melem/s", 437, true], ["sum 16M", "Melem/s", 2353, true],
    ] }];
    case "W9": return []; // not in ANCHORS.md: compared with PyTorch in the same run only
    case "W10": case "W11": return []; // not in ANCHORS.md
  }
}

/** Reference rows as pseudo results, limited to the variants this plan runs. */
export function anchorResults(w: WorkloadId, plan: Plan): ChildResult[] {
  const wanted = (v: string): boolean => {
    if (w === "W6") return plan.w6.sizes.some((n) => v === `n=${n}`);
    if (w === "W8") return plan.w8.sizes.some((n) => v.endsWith(n >= 1 << 24 ? " 16M" : " 1M"));
    return true;
  };
  return figures(w, plan).map(({ system, figs }) => ({
    system, workload: w, ok: true, maxRssKB: NaN, versions: {}, notes: [],
    rows: figs.filter(([v]) => wanted(v)).map(([variant, unit, value, higherIsBetter]) => ({ variant, unit, higherIsBetter, values: [value], note: "reference, not run" })),
  }));
}
