// Harness shared by the JS system modules: parses argv, runs one workload, prints one result line.
import { DataDir } from "./data";
import type { Plan } from "./plan";
import { RESULT_PREFIX, type ChildResult, type Row } from "./result";

export interface WorkloadContext { data: DataDir; plan: Plan; notes: string[] }
export type WorkloadFn = (ctx: WorkloadContext) => Row[] | Promise<Row[]>;

export interface ChildArgs { workload: string; dataDir: string; options: Map<string, string> }

export function parseArgs(argv: readonly string[]): ChildArgs {
  const options = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith("--")) { options.set(a.slice(2), argv[i + 1] ?? ""); i++; }
  }
  const workload = options.get("workload");
  const dataDir = options.get("data");
  if (!workload || !dataDir) throw new Error("usage: <system> --workload W1 --data <dir> [--backend ...] [--threads n]");
  return { workload, dataDir, options };
}

export function emit(r: ChildResult): void {
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(r)}\n`);
}

const maxRssKB = (): number => process.resourceUsage().maxRSS;

/** Runs a workload and always prints a result record, with the error if it threw. */
export async function runChild(
  system: string,
  args: ChildArgs,
  versions: Record<string, string>,
  workloads: Partial<Record<string, WorkloadFn>>,
  notes: string[] = [],
): Promise<void> {
  const fn = workloads[args.workload];
  const base = { system, workload: args.workload, versions, notes };
  if (!fn) {
    emit({ ...base, ok: false, error: `${args.workload} not implemented for ${system}`, rows: [], maxRssKB: maxRssKB() });
    return;
  }
  try {
    const data = new DataDir(args.dataDir);
    const cpu0 = process.cpuUsage(), t0 = performance.now();
    const rows = await fn({ data, plan: data.plan, notes });
    const cpu = process.cpuUsage(cpu0);
    const cpuPerWall = (cpu.user + cpu.system) / 1e3 / (performance.now() - t0);
    emit({ ...base, ok: true, rows, maxRssKB: maxRssKB(), cpuPerWall });
  } catch (e) {
    const msg = e instanceof Error ? `${e.message}` : String(e);
    emit({ ...base, ok: false, error: msg, rows: [], maxRssKB: maxRssKB() });
  }
}
