// Runs one training setup eagerly and compiled, from the same seed, and returns every value that must agree bit
// for bit: each call's outputs, then the final parameters, .grad, optimizer state and module buffers.
import { type Tensor, compile, manualSeed, nn, optim } from "../../ts/index";

export interface Setup {
  /** The step to compile; it is also run as it is for the eager side. */
  readonly step: (...args: never[]) => unknown;
  /** The arguments of call i. */
  readonly args: (i: number) => unknown[];
  /** Work done between calls, outside the step (a scheduler's step, a zeroGrad, a train/eval switch). */
  readonly after?: (i: number) => void;
  /** Tensors whose final values must agree (besides the modules' and optimizers'). */
  readonly tensors?: () => Tensor[];
  readonly modules?: readonly nn.Module<never[], unknown>[];
  readonly optimizers?: readonly optim.Optimizer<object>[];
}

function bytes(t: Tensor | null): string {
  if (t === null) return "null";
  const a = t.contiguous().toArray();
  return `${t.dtype}[${t.shape.join(",")}]${Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString("hex")}`;
}

function collectTensors(x: unknown, out: Tensor[]): void {
  if (x === null || x === undefined) return;
  if (Array.isArray(x)) for (const e of x) collectTensors(e, out);
  else if (typeof x === "object" && "_data" in (x as object)) out.push(x as Tensor);
  else if (typeof x === "object") for (const v of Object.values(x as object)) collectTensors(v, out);
}

export interface RunResult {
  readonly outputs: string[];
  readonly state: string[];
  readonly stats: { recordings: number; replays: number } | null;
}

export function runSetup(make: () => Setup, calls: number, compiled: boolean, seed = 0): RunResult {
  manualSeed(seed);
  const s = make();
  const step = compiled ? compile(s.step as (...a: unknown[]) => unknown) : (s.step as (...a: unknown[]) => unknown);
  const outputs: string[] = [];
  for (let i = 0; i < calls; i++) {
    const outs: Tensor[] = [];
    collectTensors(step(...s.args(i)), outs);
    outputs.push(outs.map(bytes).join(" "));
    s.after?.(i);
  }
  const state: string[] = [];
  for (const m of s.modules ?? []) {
    for (const [name, p] of m.namedParameters()) state.push(`${name} ${bytes(p)} grad ${bytes(p.grad)}`);
    for (const [name, b] of m.namedBuffers()) state.push(`${name} ${bytes(b)}`);
  }
  for (const o of s.optimizers ?? []) {
    for (const [, st] of o.state) for (const [k, v] of Object.entries(st)) state.push(`${k} ${typeof v === "number" || v === null ? String(v) : bytes(v)}`);
    for (const g of o.paramGroups) state.push(`lr ${(g as { lr?: number }).lr}`);
  }
  for (const t of s.tensors?.() ?? []) state.push(`${bytes(t)} grad ${bytes(t.grad)}`);
  const stats = compiled ? (step as unknown as { stats: { recordings: number; replays: number } }).stats : null;
  return { outputs, state, stats };
}

/** Eager and compiled runs of a setup; their outputs and states (expect them equal). */
export function eagerVsCompiled(make: () => Setup, calls: number, seed = 0): { eager: RunResult; compiled: RunResult } {
  return { eager: runSetup(make, calls, false, seed), compiled: runSetup(make, calls, true, seed) };
}
