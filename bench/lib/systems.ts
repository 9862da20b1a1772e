// The systems the runner compares, and how to start each one as its own child process.
import * as fs from "node:fs";
import * as path from "node:path";

export const BENCH_DIR = path.join(__dirname, "..");
export const REPO_DIR = path.join(BENCH_DIR, "..");
export const PYTHON = "/usr/bin/python3";

export interface SystemSpec {
  id: string;
  /** Command and arguments, before "--workload W --data dir". */
  command: string;
  args: string[];
  env?: Record<string, string>;
  /** Reason it cannot run at all here, or null. */
  unavailable: () => string | null;
  /** Run in --quick mode unless named explicitly with --systems. */
  inQuick: boolean;
  isTensorgrad?: boolean;
}

const tsChild = (file: string, extra: string[] = []): Pick<SystemSpec, "command" | "args"> => ({
  command: process.execPath,
  args: ["--import", "tsx", path.join(BENCH_DIR, "systems", file), ...extra],
});

const tgIndex = (): string | null =>
  fs.existsSync(path.join(REPO_DIR, "ts", "index.ts")) ? null : "ts/index.ts does not exist yet";
const peersInstalled = (): string | null =>
  fs.existsSync(path.join(BENCH_DIR, "node_modules", "@tensorflow", "tfjs")) ? null : "run `npm install --ignore-scripts` in bench/";
const python = (): string | null => (fs.existsSync(PYTHON) ? null : `${PYTHON} not found`);

export const SYSTEMS: readonly SystemSpec[] = [
  { id: "tensorgrad-native-1t", ...tsChild("tensorgrad.ts", ["--backend", "native", "--threads", "1"]), unavailable: tgIndex, inQuick: true, isTensorgrad: true },
  { id: "tensorgrad-native-2t", ...tsChild("tensorgrad.ts", ["--backend", "native", "--threads", "2"]), unavailable: tgIndex, inQuick: true, isTensorgrad: true },
  { id: "tensorgrad-js", ...tsChild("tensorgrad.ts", ["--backend", "js"]), unavailable: tgIndex, inQuick: true, isTensorgrad: true },
  { id: "pytorch-1/1", command: PYTHON, args: [path.join(BENCH_DIR, "systems", "pytorch.py"), "--threads", "1", "--blas", "1", "--system", "pytorch-1/1"], env: { OPENBLAS_NUM_THREADS: "1" }, unavailable: python, inQuick: true },
  { id: "pytorch-1/2stock", command: PYTHON, args: [path.join(BENCH_DIR, "systems", "pytorch.py"), "--threads", "1", "--blas", "stock", "--system", "pytorch-1/2stock"], unavailable: python, inQuick: false },
  { id: "tfjs-cpu", ...tsChild("tfjs.ts", ["--backend", "cpu"]), unavailable: peersInstalled, inQuick: true },
  { id: "tfjs-wasm", ...tsChild("tfjs.ts", ["--backend", "wasm"]), unavailable: peersInstalled, inQuick: true },
  { id: "js-pytorch", ...tsChild("jspytorch.ts"), unavailable: peersInstalled, inQuick: true },
];

/** Listed in every table, never run. */
export const NOT_INSTALLABLE: Record<string, string> = {
  "tfjs-node": "cannot install here (its install script downloads libtensorflow)",
};

export const MAIN_TG = "tensorgrad-native-1t";
export const MAIN_PYTORCH = "pytorch-1/1";

const ALIASES: Record<string, string[]> = {
  tensorgrad: ["tensorgrad-native-1t", "tensorgrad-native-2t", "tensorgrad-js"],
  pytorch: ["pytorch-1/1", "pytorch-1/2stock"],
  tfjs: ["tfjs-cpu", "tfjs-wasm"],
};

/** Systems selected by --systems (ids or aliases), or the defaults for the mode. */
export function selectSystems(list: string | undefined, quick: boolean): SystemSpec[] {
  if (!list) return SYSTEMS.filter((s) => !quick || s.inQuick);
  const wanted = new Set(list.split(",").flatMap((n) => ALIASES[n.trim()] ?? [n.trim()]));
  const unknown = [...wanted].filter((w) => !SYSTEMS.some((s) => s.id === w));
  if (unknown.length) throw new Error(`unknown system(s) ${unknown.join(", ")}; known: ${SYSTEMS.map((s) => s.id).join(", ")}, or ${Object.keys(ALIASES).join(", ")}`);
  return SYSTEMS.filter((s) => wanted.has(s.id));
}
