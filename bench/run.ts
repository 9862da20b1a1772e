// tensorgrad vs PyTorch, TensorFlow.js and js-pytorch on W1–W8 (see /work/shared/reference/ANCHORS.md).
// Usage: npx tsx bench/run.ts [--quick] [--only W1,W2] [--systems tensorgrad,pytorch-1/1,tfjs-cpu,...]
// Each system × workload runs in its own child process (own peak RSS, own timeout) on the same data.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { anchorResults } from "./lib/anchors";
import { generate, writeDataDir } from "./lib/data";
import { machineInfo } from "./lib/machine";
import { ALL_WORKLOADS, makePlan, type WorkloadId } from "./lib/plan";
import { evaluateGoals, renderGoals, renderWorkload, splitNumpy, summarize, type GoalResult } from "./lib/report";
import type { ChildResult } from "./lib/result";
import { runSystem } from "./lib/spawn";
import { BENCH_DIR, MAIN_TG, NOT_INSTALLABLE, selectSystems } from "./lib/systems";

interface Cli { quick: boolean; only: WorkloadId[]; systems: string | undefined }

function parseCli(argv: string[]): Cli {
  const get = (flag: string): string | undefined => { const i = argv.indexOf(flag); return i >= 0 ? argv[i + 1] : undefined; };
  const only = get("--only")?.split(",").map((s) => s.trim().toUpperCase());
  const bad = only?.filter((w) => !ALL_WORKLOADS.includes(w as WorkloadId));
  if (bad?.length) throw new Error(`unknown workload(s) ${bad.join(", ")}; known: ${ALL_WORKLOADS.join(", ")}`);
  return { quick: argv.includes("--quick"), only: (only as WorkloadId[] | undefined) ?? [...ALL_WORKLOADS], systems: get("--systems") };
}

async function main(): Promise<void> {
  const cli = parseCli(process.argv.slice(2));
  const plan = makePlan(cli.quick);
  const systems = selectSystems(cli.systems, cli.quick);
  const timeoutS = cli.quick ? 60 : 900;
  const t0 = performance.now();
  const machine = machineInfo();
  console.log(`tensorgrad bench ${cli.quick ? "(quick)" : "(full)"} — ${machine.cpuModel}, ${machine.cores} cores, node ${machine.node}, torch ${machine.torch ?? "?"}, tfjs ${machine.tfjs ?? "?"}, load ${machine.loadAvgAtStart.map((l) => l.toFixed(2)).join(" ")}`);
  if (machine.pythonBlas && !/openblas/i.test(machine.pythonBlas)) {
    console.log(`NOTE: numpy/torch here use ${machine.pythonBlas}, not OpenBLAS: PyTorch's GEMM-bound figures (W3–W6) are far below ANCHORS.md's; compare with the "(ANCHORS)" rows too.`);
  }
  if (cli.quick) console.log("--quick is a smoke test: few iterations, 1 repetition; small workloads (W1, W2, W7) still include JIT warm-up. Use the full run for figures.");
  console.log("Timings on this shared 2-vCPU machine are noisy: differences under ~1.5× are not significant.");

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "tensorgrad-bench-"));
  writeDataDir(dataDir, plan, generate(plan));

  const unavailable: Record<string, string> = { ...NOT_INSTALLABLE }; // id → why it did not run
  const runs: (ChildResult & { wallS: number; stderrTail?: string })[] = [];
  const goals: GoalResult[] = [];
  try {
    for (const w of cli.only) {
      const results: ChildResult[] = [];
      for (const s of systems) {
        const why = s.unavailable();
        if (why) {
          unavailable[s.id] = `not available (${why})`;
          results.push({ system: s.id, workload: w, ok: false, error: `not available (${why})`, rows: [], maxRssKB: 0, versions: {}, notes: [] });
          continue;
        }
        process.stderr.write(`  ${w} ${s.id} ...`);
        const run = await runSystem(s, w, dataDir, timeoutS);
        process.stderr.write(` ${run.wallS.toFixed(1)} s${run.result.ok ? "" : " (failed)"}\n`);
        for (const r of splitNumpy(run.result)) {
          results.push(r);
          runs.push({ ...r, wallS: run.wallS, ...(r.ok ? {} : { stderrTail: run.stderrTail }) });
        }
      }
      results.push(...anchorResults(w, plan));
      const g = evaluateGoals(w, results);
      goals.push(...g);
      console.log(renderWorkload(w, results, g));
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }

  console.log(`\n## Goals (${MAIN_TG} vs PyTorch in this run, and vs ANCHORS.md's OpenBLAS figures)`);
  console.log(renderGoals(goals).join("\n"));
  for (const [id, why] of Object.entries(unavailable)) console.log(`${id}: ${why}`);
  const totalS = (performance.now() - t0) / 1000;
  const outDir = path.join(BENCH_DIR, "results");
  fs.mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, `${machine.date.replace(/:/g, "-").replace(/\.\d+Z$/, "Z")}${cli.quick ? "-quick" : ""}.json`);
  const withStats = runs.map((r) => ({ ...r, rows: r.rows.map((row) => ({ ...row, summary: summarize(row) })) }));
  fs.writeFileSync(file, JSON.stringify({ machine, plan, systems: systems.map((s) => s.id), unavailable, totalS, goals, runs: withStats }, null, 1));
  console.log(`\ntotal ${totalS.toFixed(1)} s; results written to ${path.relative(process.cwd(), file)}`);
}

main().catch((e: unknown) => { console.error(e instanceof Error ? e.message : e); process.exit(1); });
