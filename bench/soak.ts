/**
 * Soak test (not part of CI): trains a 784-128-10 MLP on random data (batch 32) for many steps on the native
 * backend through a DataLoader, sampling RSS every 1,000 steps, and fails when RSS keeps growing after warm-up.
 *
 *   npx tsx bench/soak.ts [--steps 100000] [--threshold-mb 64] [--warmup 10000] [--backend native|js]
 *
 * Prints RSS at 1k, 10k, 50k and 100k steps (those reached), the least-squares slope of RSS after warm-up
 * (MB per 10k steps), and exits 1 if RSS at the end exceeds RSS at warm-up by more than the threshold.
 */
import { data, getBackend, manualSeed, nn, optim, randint, randn, setBackend } from "../ts/index";

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : dflt;
}

const steps = Number(arg("steps", "100000"));
const thresholdMb = Number(arg("threshold-mb", "64"));
const warmup = Number(arg("warmup", String(Math.min(10_000, Math.floor(steps / 10)))));
const backend = arg("backend", "native");
const every = 1000;

setBackend(backend as "native" | "js");
manualSeed(0);

const N = 2048;
const X = randn(N, 784);
const Y = randint(0, 10, [N], { dtype: "int32" });
const loader = new data.DataLoader(new data.TensorDataset(X, Y), { batchSize: 32, shuffle: true, dropLast: true });

const model = new nn.Sequential(new nn.Linear(784, 128), new nn.ReLU(), new nn.Linear(128, 10));
const lossFn = new nn.CrossEntropyLoss();
const opt = new optim.SGD(model.parameters(), { lr: 0.01, momentum: 0.9 });

const mb = (b: number) => b / (1024 * 1024);
const samples: { step: number; rss: number; heap: number; ab: number }[] = [];
const t0 = Date.now();
let step = 0;
let lastLoss = NaN;

outer: for (;;) {
  for (const [xb, yb] of loader) {
    opt.zeroGrad();
    const loss = lossFn(model(xb), yb);
    loss.backward();
    opt.step();
    step++;
    if (step % every === 0) {
      lastLoss = loss.item();
      const mem = process.memoryUsage();
      const rss = mem.rss;
      samples.push({ step, rss, heap: mem.heapUsed, ab: mem.arrayBuffers });
      if (step % 10_000 === 0) {
        const secs = (Date.now() - t0) / 1000;
        console.log(
          `step ${step}: rss ${mb(rss).toFixed(1)} MB (heapUsed ${mb(mem.heapUsed).toFixed(1)}, arrayBuffers ${mb(mem.arrayBuffers).toFixed(1)}), loss ${lastLoss.toFixed(4)}, ${secs.toFixed(0)} s`,
        );
      }
    }
    if (step >= steps) break outer;
  }
}

const secs = (Date.now() - t0) / 1000;
console.log(`\nbackend ${getBackend()}, ${step} steps in ${secs.toFixed(1)} s (${(step / secs).toFixed(0)} steps/s), final loss ${lastLoss.toFixed(4)}`);
for (const s of [1000, 10_000, 50_000, 100_000]) {
  const hit = samples.find((x) => x.step === s);
  if (hit) console.log(`rss @ ${String(s).padStart(6)}: ${mb(hit.rss).toFixed(1)} MB (heapUsed ${mb(hit.heap).toFixed(1)}, arrayBuffers ${mb(hit.ab).toFixed(1)})`);
}
const after = samples.filter((s) => s.step >= warmup);
let slope = 0;
if (after.length >= 2) {
  const mx = after.reduce((a, s) => a + s.step, 0) / after.length;
  const my = after.reduce((a, s) => a + s.rss, 0) / after.length;
  let num = 0;
  let den = 0;
  for (const s of after) {
    num += (s.step - mx) * (s.rss - my);
    den += (s.step - mx) ** 2;
  }
  slope = num / den;
}
const base = after[0]?.rss ?? samples[0]?.rss ?? 0;
const end = samples[samples.length - 1]?.rss ?? 0;
const growth = mb(end - base);
console.log(`slope after warm-up (${warmup} steps): ${mb(slope * 10_000).toFixed(3)} MB per 10k steps`);
console.log(`growth after warm-up: ${growth.toFixed(1)} MB (threshold ${thresholdMb} MB)`);
if (growth > thresholdMb) {
  console.error(`FAIL: RSS grew by ${growth.toFixed(1)} MB after warm-up`);
  process.exit(1);
}
console.log("OK");
