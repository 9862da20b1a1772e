/**
 * The default process group (torch.distributed's init_process_group over the MPI backend): one per
 * process, spanning MPI_COMM_WORLD. Once initialized, an uncaught exception on any rank ends the whole job
 * through MPI_Abort with a message naming the rank, instead of leaving the others blocked in a collective.
 */
import { loadMpiBinding, type MpiBinding } from "./binding";

export type Backend = "mpi";

export interface InitProcessGroupOptions {
  /** Only "mpi": ranks and world size come from the MPI launcher (mpirun). */
  backend?: Backend;
}

interface Group {
  binding: MpiBinding;
  rank: number;
  size: number;
  threadLevel: string;
  library: string;
}

let group: Group | null = null;
let destroyed = false;

const NOT_INITIALIZED = "Default process group has not been initialized, please make sure to call initProcessGroup.";

/** @internal The live group, or the error PyTorch gives without one. */
export function defaultGroup(): Group {
  if (group === null) throw new Error(NOT_INITIALIZED);
  return group;
}

function onUncaught(err: unknown): void {
  if (group === null) return;
  // A program that handles uncaught exceptions itself keeps its own policy.
  if (process.listenerCount("uncaughtException") > 0) return;
  const detail = err instanceof Error ? (err.stack ?? `${err.name}: ${err.message}`) : String(err);
  group.binding.abort(
    `${detail}\n\ntensorgrad.distributed: rank ${group.rank} of ${group.size} failed with the error above; ` +
      "aborting the MPI job (MPI_Abort) so that the other ranks do not wait for it.",
  );
}

function onExit(code: number): void {
  if (group === null) return;
  if (code !== 0) {
    group.binding.abort(`tensorgrad.distributed: rank ${group.rank} of ${group.size} exited with code ${code}; aborting the MPI job.`);
  }
  destroyProcessGroup();
}

/**
 * Joins the job's process group. Rank and world size come from the launcher: run the script under
 * `mpirun -np N node script.js`; run alone, it is rank 0 of 1.
 */
export function initProcessGroup(opts: InitProcessGroupOptions = {}): void {
  if (opts === null || typeof opts !== "object") throw new TypeError("initProcessGroup: expected an options object");
  const backend = opts.backend ?? "mpi";
  if (backend !== "mpi") {
    throw new Error(`Invalid backend: '${String(backend)}'. tensorgrad supports the "mpi" backend (launch with mpirun).`);
  }
  if (group !== null) throw new Error("trying to initialize the default process group twice!");
  if (destroyed) throw new Error("initProcessGroup: MPI cannot be initialized again in a process after destroyProcessGroup");
  const binding = loadMpiBinding();
  const info = binding.init();
  group = { binding, ...info };
  process.on("uncaughtExceptionMonitor", onUncaught);
  process.on("exit", onExit);
}

/** Whether initProcessGroup has run (and destroyProcessGroup not since). */
export function isInitialized(): boolean {
  return group !== null;
}

/** Whether the MPI binding is built and loads (torch.distributed.is_mpi_available). */
export function isMpiAvailable(): boolean {
  try {
    loadMpiBinding();
    return true;
  } catch {
    return false;
  }
}

/** This process's rank in the default group, 0 … worldSize − 1. */
export function getRank(): number {
  return defaultGroup().rank;
}

/** The number of processes in the default group. */
export function getWorldSize(): number {
  return defaultGroup().size;
}

/** The backend of the default group ("mpi"). */
export function getBackend(): Backend {
  defaultGroup();
  return "mpi";
}

/** @internal The MPI library and thread level in use, for diagnostics and benchmarks. */
export function mpiInfo(): { library: string; threadLevel: string } {
  const g = defaultGroup();
  return { library: g.library, threadLevel: g.threadLevel };
}

/**
 * Leaves the process group: finishes the queued collectives and finalizes MPI. Every rank must call it
 * (MPI_Finalize is collective); a process that exits normally without it calls it on exit.
 */
export function destroyProcessGroup(): void {
  if (group === null) throw new Error(NOT_INITIALIZED);
  const g = group;
  group = null;
  destroyed = true;
  process.off("uncaughtExceptionMonitor", onUncaught);
  process.off("exit", onExit);
  g.binding.finalize();
}
