// Turns the children's results into one printed table per workload, the tensorgrad ÷ peer ratios,
// and the issue's goals marked met/missed.
import type { WorkloadId } from "./plan";
import type { ChildResult, Row } from "./result";
import { median } from "./stats";
import { ANCHOR_NUMPY, ANCHOR_PYTORCH } from "./anchors";
import { MAIN_PYTORCH, MAIN_TG, NOT_INSTALLABLE } from "./systems";

/** numpy.matmul (OpenBLAS) runs inside the PyTorch child for W6; shown as its own system. */
export const MAIN_NUMPY = "numpy-1/1";
const NUMPY_PREFIX = "numpy ";

/** Splits a PyTorch child's "numpy n=..." rows into a separate "numpy-<threads>" result. */
export function splitNumpy(r: ChildResult): ChildResult[] {
  const np = r.rows.filter((x) => x.variant.startsWith(NUMPY_PREFIX));
  if (!np.length) return [r];
  const torchRows = r.rows.filter((x) => !x.variant.startsWith(NUMPY_PREFIX));
  return [
    { ...r, rows: torchRows },
    { ...r, system: r.system.replace(/^pytorch/, "numpy"), rows: np.map((x) => ({ ...x, variant: x.variant.slice(NUMPY_PREFIX.length) })) },
  ];
}

export const TITLES: Record<WorkloadId, string> = {
  W1: "W1 neuron: 12×2, sigmoid, MSE, SGD lr 0.01 (total time)",
  W2: "W2 WideNet: Linear(1,512)-Tanh-Linear(512,1), SGD momentum, 1+1847 steps (total time)",
  W3: "W3 mlp-manual: 64×1000→100→10, clamp, sum-squared loss, manual update (per iteration)",
  W4: "W4 mlp-nn-adam: Sequential + MSELoss(sum) + Adam 1e-4 (per step)",
  W5: "W5 mnist-mlp: batch 128, 784-512-512-10, CrossEntropy, SGD momentum 0.9 (loss: last warm-up step)",
  W6: "W6 GEMM fp32 C = A·B (square n)",
  W7: "W7 per-op overhead: a + b (ns/op)",
  W8: "W8 elementwise throughput, fp32",
  W9: "W9 LeNet-5 (padding 2): batch 64 of 1×28×28, CrossEntropy, SGD momentum 0.9 (loss: last warm-up step); conv2d alone (compare W6's GEMM GFLOP/s)",
  W10: "W10 char transformer: vocab 64, context 64, d_model 128, 4 heads, 2 pre-norm GELU layers (ff 512), batch 16, AdamW 3e-4 (loss: last warm-up step)",
  W11: "W11 LSTM classifier: 2 layers, hidden 256, input 64, sequence 64, batch 32, last step → Linear(256,10), CrossEntropy, Adam 1e-3",
};

export interface Summary { median: number; min: number; max: number; n: number }
export const summarize = (r: Row): Summary | null =>
  r.values.length ? { median: median(r.values), min: Math.min(...r.values), max: Math.max(...r.values), n: r.values.length } : null;

export interface GoalResult {
  workload: WorkloadId; goal: string; variant: string; against: string; value: number | null; status: "met" | "missed" | "not measured";
}

interface GoalSpec { workload: WorkloadId; text: string; variants: string[]; peers: string[]; target: number; atMost: boolean }

const PT = [MAIN_PYTORCH, ANCHOR_PYTORCH];
const GOALS: GoalSpec[] = [
  { workload: "W1", text: "time ≤ 0.1× PyTorch", variants: [""], peers: PT, target: 0.1, atMost: true },
  { workload: "W2", text: "time ≤ 0.2× PyTorch", variants: [""], peers: PT, target: 0.2, atMost: true },
  { workload: "W3", text: "time ≤ 0.6× PyTorch", variants: [""], peers: PT, target: 0.6, atMost: true },
  { workload: "W4", text: "time ≤ 0.5× PyTorch", variants: [""], peers: PT, target: 0.5, atMost: true },
  { workload: "W5", text: "samples/s ≥ 2× PyTorch", variants: [""], peers: PT, target: 2, atMost: false },
  { workload: "W6", text: "GFLOP/s ≥ 0.9× OpenBLAS (numpy.matmul, 1 thread)", variants: ["n=64", "n=128", "n=256", "n=512", "n=1024", "n=2048"], peers: [MAIN_NUMPY, ANCHOR_NUMPY], target: 0.9, atMost: false },
  { workload: "W7", text: "per-op overhead ≤ 500 ns", variants: ["numel=1", "numel=1 grad", "numel=1000", "numel=1000 grad"], peers: [], target: 500, atMost: true },
  { workload: "W8", text: "tanh Melem/s ≥ 5× PyTorch", variants: ["tanh 1M", "tanh 16M"], peers: PT, target: 5, atMost: false },
  { workload: "W9", text: "samples/s ≥ PyTorch", variants: ["LeNet-5 train"], peers: [MAIN_PYTORCH], target: 1, atMost: false },
  { workload: "W10", text: "tokens/s ≥ PyTorch", variants: [""], peers: [MAIN_PYTORCH], target: 1, atMost: false },
];

const rowOf = (rs: ChildResult[], system: string, variant: string): Row | undefined =>
  rs.find((r) => r.system === system && r.ok)?.rows.find((x) => x.variant === variant);
const med = (r: Row | undefined): number | null => (r && r.values.length ? median(r.values) : null);

export function evaluateGoals(workload: WorkloadId, rs: ChildResult[]): GoalResult[] {
  const out: GoalResult[] = [];
  for (const g of GOALS.filter((x) => x.workload === workload)) {
    for (const v of g.variants) {
      const tg = med(rowOf(rs, MAIN_TG, v));
      for (const against of g.peers.length ? g.peers : ["absolute"]) {
        const peer = against === "absolute" ? 1 : med(rowOf(rs, against, v));
        if (against !== "absolute" && peer === null && tg === null) continue; // size not run (e.g. --quick caps)
        const value = tg !== null && peer !== null ? tg / peer : null;
        const status = value === null ? "not measured" : (g.atMost ? value <= g.target : value >= g.target) ? "met" : "missed";
        out.push({ workload, goal: g.text, variant: v, against, value, status });
      }
    }
  }
  return out;
}

export function fmt(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return "–";
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-3 || a >= 1e7)) return x.toExponential(3);
  if (a >= 1000) return x.toFixed(0);
  return x.toPrecision(4);
}

/** Losses get 7 significant digits: they are the cross-system correctness check. */
const fmtLoss = (x: number | null): string => (x === null || !Number.isFinite(x) ? "–" : x.toPrecision(7));

function pad(rows: string[][]): string {
  const w = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(w[i]!)).join("  ").trimEnd()).join("\n");
}

export function renderWorkload(workload: WorkloadId, rs: ChildResult[], goals: GoalResult[]): string {
  const lines = [`\n## ${TITLES[workload]}`];
  const variants: string[] = [];
  for (const r of rs) for (const row of r.rows) if (!variants.includes(row.variant)) variants.push(row.variant);
  for (const v of variants.length ? variants : [""]) {
    const unitRow = rs.flatMap((r) => r.rows).find((x) => x.variant === v);
    const unit = unitRow?.unit ?? "";
    const better = unitRow ? (unitRow.higherIsBetter ? "higher is better" : "lower is better") : "";
    if (v) lines.push(`\n### ${v}`);
    const table: string[][] = [["system", `median ${unit}`, "range", "reps", "loss", "peak RSS MB", "cpu/wall", "1t ÷ this", "2t ÷ this", "note"]];
    const tg1 = med(rowOf(rs, MAIN_TG, v)), tg2 = med(rowOf(rs, "tensorgrad-native-2t", v));
    for (const r of rs) {
      if (!r.ok) { table.push([r.system, "–", "", "", "", "", "", "", "", r.error ?? "failed"]); continue; }
      const row = r.rows.find((x) => x.variant === v);
      if (!row) continue;
      const s = summarize(row);
      const m = s?.median ?? null;
      const loss = row.loss !== undefined ? (row.firstLoss !== undefined ? `${fmtLoss(row.firstLoss)} → ${fmtLoss(row.loss)}` : fmtLoss(row.loss)) : "";
      table.push([
        r.system, s ? fmt(m) : "–", s && s.n > 1 ? `${fmt(s.min)}–${fmt(s.max)}` : "", s && Number.isFinite(r.maxRssKB) ? String(s.n) : "",
        loss, Number.isFinite(r.maxRssKB) ? fmt(r.maxRssKB / 1024) : "", r.cpuPerWall !== undefined ? r.cpuPerWall.toFixed(2) : "", tg1 !== null && m ? fmt(tg1 / m) : "–", tg2 !== null && m ? fmt(tg2 / m) : "–", row.note ?? "",
      ]);
    }
    for (const [id, why] of Object.entries(NOT_INSTALLABLE)) table.push([id, "–", "", "", "", "", "", "", "", why]);
    lines.push(pad(table));
    lines.push(`(${better}; "1t ÷ this" = ${MAIN_TG} median ÷ this system's median; cpu/wall over the whole workload shows how many cores it kept busy)`);
  }
  const notes = rs.filter((r) => r.notes.length).map((r) => `  ${r.system}: ${r.notes.join("; ")}`);
  if (notes.length) lines.push("notes:", ...notes);
  lines.push(...renderGoals(goals));
  return lines.join("\n");
}

/** One line per goal and variant: met/missed against each reference. */
export function renderGoals(goals: GoalResult[]): string[] {
  const keyOf = (g: GoalResult): string => `${g.workload}|${g.goal}|${g.variant}`;
  return [...new Set(goals.map(keyOf))].map((key) => {
    const gs = goals.filter((g) => keyOf(g) === key);
    const parts = gs.map((g) => {
      const val = g.value === null ? "" : g.against === "absolute" ? ` (${fmt(g.value)} ns)` : ` (${fmt(g.value)}×)`;
      return `${g.against === "absolute" ? "" : `vs ${g.against}: `}${g.status.toUpperCase()}${val}`;
    });
    return `goal ${gs[0]!.workload}${gs[0]!.variant ? ` ${gs[0]!.variant}` : ""}: ${gs[0]!.goal} — ${parts.join("; ")}`;
  });
}
