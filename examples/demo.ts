/**
 * `npm start`: runs the seed tutorials and the sin(x) polynomial fits end to end on the default backend, then
 * again on the pure TypeScript backend, and prints the wall time of each; then the seeds' training steps eager and
 * through compile(fn). `--quick` shortens the training loops.
 */
import { getBackend, setBackend } from "tensorgrad";
import { quick } from "./lib/args";
import * as lecture from "./lecture-neuron";
import * as widenet from "./neuromatch-widenet";
import * as notebook from "./notebook-mlp";
import * as polynomialSin from "./polynomial-sin";
import * as charTransformer from "./char-transformer";
import * as mnistCnn from "./mnist-cnn";
import * as compiledSteps from "./compiled-steps";

const examples: [string, (o: { quick: boolean; verbose: boolean; plots: boolean }) => unknown][] = [
  ["lecture-neuron", lecture.main],
  ["neuromatch-widenet", widenet.main],
  ["notebook-mlp", notebook.main],
  ["polynomial-sin", polynomialSin.main],
  // 150 steps on each backend for the timing (the full run is `npm run example char-transformer`).
  ["char-transformer", (o) => charTransformer.main({ ...o, steps: o.quick ? 20 : 150 })],
  // One epoch of 30 batches on each backend for the timing (the full run is `npm run example mnist-cnn`).
  ["mnist-cnn", (o) => mnistCnn.main({ ...o, epochs: 1, maxBatches: o.quick ? 5 : 30 })],
];

function runAll(plots: boolean): number[] {
  const times: number[] = [];
  for (const [name, main] of examples) {
    console.log(`\n━━━ ${name} (${getBackend()} backend) ━━━`);
    const t0 = performance.now();
    main({ quick, verbose: false, plots });
    times.push((performance.now() - t0) / 1000);
  }
  return times;
}

/** A short silent pass on each backend first, so neither timed run pays for the JIT warming up. */
function warmUp(): void {
  const initial = getBackend();
  for (const backend of [initial, "js" as const]) {
    setBackend(backend);
    for (const [, main] of examples) main({ quick: true, verbose: false, plots: false });
  }
  setBackend(initial);
}

const first = getBackend();
warmUp();
const firstTimes = runAll(true);
setBackend("js");
const jsTimes = runAll(false);

console.log(`\nWall time per example${quick ? " (--quick)" : ""}; plots in examples/out/`);
const rows = [["example", first, "js", "js ÷ " + first]];
examples.forEach(([name], i) => {
  rows.push([name, `${firstTimes[i].toFixed(2)} s`, `${jsTimes[i].toFixed(2)} s`, `${(jsTimes[i] / firstTimes[i]).toFixed(2)}×`]);
});
const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
rows.forEach((r, i) => {
  console.log(r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join("  "));
  if (i === 0) console.log(widths.map((w) => "─".repeat(w)).join("  "));
});

setBackend(first);
console.log(`\nTraining steps, eager vs compile(fn), ${first} backend${quick ? " (--quick)" : ""}:`);
compiledSteps.main({ quick });
