// worker_threads entry (run with --import tsx): trains as told by workerData and posts the result.
import { parentPort, workerData } from "node:worker_threads";
import { train } from "./train-fn";

const { seed, steps, backend, hidden, batch } = workerData as { seed: number; steps: number; backend: "native" | "js"; hidden?: number; batch?: number };
try {
  parentPort!.postMessage({ ok: true, result: train(seed, steps, backend, hidden, batch) });
} catch (e) {
  parentPort!.postMessage({ ok: false, error: e instanceof Error ? `${e.message}\n${e.stack}` : String(e) });
}
