/**
 * Loads the optional MPI binding (native/mpi, built at install when an MPI compiler wrapper is found) on
 * first use only: tensorgrad itself never needs libmpi. TENSORGRAD_MPI_PATH loads a specific .node file.
 */
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { constants } from "node:os";
import { findPackageRoot } from "../backend/native/addon";

/** Positions match native/mpi/comm_thread.h's enums (Kind and ReduceOp). */
export const COLLECTIVE = { allReduce: 0, broadcast: 1, allGather: 2, reduceScatter: 3, barrier: 4 } as const;
export type CollectiveKind = (typeof COLLECTIVE)[keyof typeof COLLECTIVE];
export const REDUCE_OP_CODE = { sum: 0, avg: 1, max: 2, min: 3, product: 4 } as const;

/** The functions native/mpi/bind_mpi.cc exports; ids name queued collectives. */
export interface MpiBinding {
  init(): { rank: number; size: number; threadLevel: string; library: string };
  /** Queues a collective on the communication thread; `output` is written in place. */
  submit(kind: CollectiveKind, op: number, root: number, output: Float32Array | Float64Array | Int32Array | null, input: Float32Array | Float64Array | Int32Array | null): number;
  /** Blocks until done; [queued, started, finished] in wall-clock milliseconds. */
  wait(id: number): [number, number, number];
  waitAsync(id: number): Promise<[number, number, number] | undefined>;
  isCompleted(id: number): boolean;
  finalize(): void;
  abort(message: string): never;
}

export const HOW_TO_GET_MPI =
  "tensorgrad's MPI binding is not built: install an MPI library with its compiler wrapper " +
  "(Debian/Ubuntu: `apt-get install openmpi-bin libopenmpi-dev`), then run `npm rebuild tensorgrad` " +
  "(in a checkout of tensorgrad: `npm run build:native`)";

function thisDir(): string {
  if (typeof __dirname === "string") return __dirname;
  try {
    return dirname(fileURLToPath(import.meta.url));
  } catch {
    return process.cwd();
  }
}

let cached: MpiBinding | null = null;

/** The binding, or an Error saying how to get it. */
export function loadMpiBinding(): MpiBinding {
  if (cached !== null) return cached;
  const override = process.env.TENSORGRAD_MPI_PATH;
  const root = findPackageRoot(thisDir());
  const file = override ? resolve(override) : root === null ? null : join(root, "native", "mpi", "build", "Release", "tensorgrad_mpi.node");
  if (file === null || !existsSync(file)) throw new Error(`${HOW_TO_GET_MPI}.${file === null ? "" : ` (looked for ${file})`}`);
  const mod = { exports: {} as MpiBinding };
  try {
    // RTLD_GLOBAL: some MPI builds load their transport plugins with dlopen and expect libmpi's symbols global.
    process.dlopen(mod, file, constants.dlopen.RTLD_NOW | constants.dlopen.RTLD_GLOBAL);
  } catch (e) {
    throw new Error(`${HOW_TO_GET_MPI}. Loading ${file} failed: ${e instanceof Error ? e.message : String(e)}`);
  }
  cached = mod.exports;
  return cached;
}
