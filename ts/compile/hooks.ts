/**
 * The points where compile's recorder listens, kept free of imports so that the tensor, autograd, nn, optim
 * and random layers can call them without depending on compile. With no recorder active each hook is one
 * null check.
 */
import type { TypedArray } from "../backend/types";

export interface RecorderHooks {
  /** A tensor's value is being read in JavaScript (item, tolist, toArray, printing): throws while recording. */
  valueRead(what: string): void;
  /** `t.grad` is about to be reassigned (zeroGrad's set-to-none, a user's assignment). */
  gradAssigned(t: object): void;
  /** The autograd engine is about to accumulate a gradient into leaf `t`. */
  leafAccumulate(t: object): void;
  /** A module's forward is being called. */
  moduleCalled(m: object): void;
  /** Runs `run` as a host step: JavaScript that compile re-runs at each replay (an optimizer's step). */
  hostStep(owner: object, run: () => void): void;
  /** Fills `out` from a random generator: recorded so that a replay draws afresh, in eager order. */
  randomFill(out: TypedArray, draw: (out: TypedArray) => void): void;
}

export const compileHooks: { recorder: RecorderHooks | null } = { recorder: null };

/** Throws while recording: a value read inside a compiled function. */
export function noteValueRead(what: string): void {
  const r = compileHooks.recorder;
  if (r !== null) r.valueRead(what);
}

/** `draw(out)`, or recorded as a random step while compile records. */
export function randomFill<A extends TypedArray>(out: A, draw: (out: A) => void): void {
  const r = compileHooks.recorder;
  if (r === null) draw(out);
  else r.randomFill(out, draw as (o: TypedArray) => void);
}

/** `run()`, or recorded as a host step (re-run in JavaScript at each replay) while compile records. */
export function hostStep(owner: object, run: () => void): void {
  const r = compileHooks.recorder;
  if (r === null) run();
  else r.hostStep(owner, run);
}
