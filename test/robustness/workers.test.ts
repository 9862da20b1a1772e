/**
 * worker_threads: the addon loads in several workers at once; a worker trains while the main thread stays
 * responsive; 4 concurrent workers give exactly the losses and parameters of single-threaded runs.
 * Workers run the TypeScript sources through tsx (train-worker.cjs registers it), the same code the main thread runs.
 */
import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { loadAddon } from "../../ts/backend/native/addon";
import type { BackendName } from "../../ts/index";
import { train, type TrainResult } from "./train-fn";

const workerFile = path.join(__dirname, "train-worker.cjs");
const loaded = loadAddon();
// The native backend when it loads, unless the run asks for the TypeScript one (TENSORGRAD_BACKEND=js).
const backend: BackendName = "error" in loaded || process.env.TENSORGRAD_BACKEND === "js" ? "js" : "native";
const note =
  "error" in loaded ? ` (js backend: the native addon did not load: ${loaded.error})` : backend === "js" ? " (js backend, as TENSORGRAD_BACKEND asks)" : " (native backend)";

function runWorker(data: { seed: number; steps: number; backend: BackendName; hidden?: number; batch?: number }): Promise<TrainResult> {
  return new Promise((resolve, reject) => {
    const w = new Worker(workerFile, { workerData: data, execArgv: [], env: { ...process.env, TENSORGRAD_BACKEND: data.backend } });
    let settled = false;
    w.on("message", (m: { ok: boolean; result?: TrainResult; error?: string }) => {
      settled = true;
      if (m.ok) resolve(m.result as TrainResult);
      else reject(new Error(`worker failed: ${m.error}`));
    });
    w.on("error", (e) => {
      settled = true;
      reject(e);
    });
    w.on("exit", (code) => {
      if (!settled) reject(new Error(`worker exited with code ${code} before reporting`));
    });
  });
}

// Smaller work on the TypeScript backend, which is several times slower on these sizes.
const big = backend === "native";
const bits = (xs: number[]) => Array.from(new Uint32Array(new Float32Array(xs).buffer));

describe(`worker_threads${note}`, () => {
  it("loads the backend in several workers at once", async () => {
    const results = await Promise.all([1, 2, 3].map((seed) => runWorker({ seed, steps: 2, backend })));
    for (const r of results) {
      expect(r.backend).toBe(backend);
      expect(Number.isFinite(r.finalLoss)).toBe(true);
    }
  }, 60_000);

  it("a worker trains while the main thread keeps answering", async () => {
    const h = monitorEventLoopDelay({ resolution: 10 });
    h.enable();
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const t0 = performance.now();
    const r = await runWorker({ seed: 11, steps: big ? 800 : 300, backend, hidden: big ? 128 : 64, batch: big ? 128 : 64 });
    const elapsed = performance.now() - t0;
    clearInterval(timer);
    h.disable();
    expect(Number.isFinite(r.finalLoss)).toBe(true);
    expect(r.losses[r.losses.length - 1]).toBeLessThan(r.losses[0]);
    const p99 = h.percentile(99) / 1e6;
    console.log(`worker training: ${elapsed.toFixed(0)} ms, main-thread event-loop delay p50 ${(h.percentile(50) / 1e6).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${(h.max / 1e6).toFixed(1)} ms`);
    // Generous, load-tolerant bounds: the main thread was never blocked for long, and its timers kept firing.
    expect(p99, `event-loop delay p99 ${p99.toFixed(1)} ms`).toBeLessThan(200);
    expect(ticks).toBeGreaterThan(Math.min(20, elapsed / 50));
  }, 60_000);

  it("4 workers training at once each match a single-threaded run with the same seed, bit for bit", async () => {
    const seeds = [21, 22, 23, 24];
    const steps = 40;
    const parallel = await Promise.all(seeds.map((seed) => runWorker({ seed, steps, backend, hidden: big ? 256 : 64, batch: big ? 256 : 64 })));
    for (let i = 0; i < seeds.length; i++) {
      const single = train(seeds[i], steps, backend, big ? 256 : 64, big ? 256 : 64);
      expect(parallel[i].backend).toBe(backend);
      expect(bits(parallel[i].losses)).toEqual(bits(single.losses));
      expect(parallel[i].finalLoss).toBe(single.finalLoss);
      parallel[i].params.forEach((p, j) => expect(bits(p)).toEqual(bits(single.params[j])));
    }
    // Different seeds really are different runs.
    expect(parallel[0].finalLoss).not.toBe(parallel[1].finalLoss);
  }, 90_000);
});
