/**
 * conv2d 3×3, 64→64 channels, 32×32, batch 32, padding 1: forward + backward (input, weight, bias grads)
 * on the native and the TypeScript backends, GFLOP/s counting 3 × 2·N·Co·Ci·9·H·W flops (fwd, dX, dW).
 * Run: node --import tsx bench/conv2d.ts [reps]
 */
import { nn, randn, setBackend, manualSeed, getNumThreads } from "../ts/index";

const reps = Number(process.argv[2] ?? 3);
const [n, c, co, h, w, k] = [32, 64, 64, 32, 32, 3];
const flops = 3 * 2 * n * co * c * k * k * h * w;

for (const backend of ["native", "js"] as const) {
  setBackend(backend);
  manualSeed(0);
  const conv = new nn.Conv2d(c, co, k, { padding: 1 });
  const x = randn(n, c, h, w, { requiresGrad: true });
  const step = () => {
    conv.zeroGrad();
    x.grad = null;
    conv(x).sum().backward();
  };
  step(); // warm-up
  const times: number[] = [];
  const fwd: number[] = [];
  for (let r = 0; r < (backend === "js" ? 1 : reps); r++) {
    let t0 = performance.now();
    const y = conv(x);
    fwd.push(performance.now() - t0);
    t0 = performance.now();
    conv.zeroGrad();
    x.grad = null;
    const t1 = performance.now();
    conv(x).sum().backward();
    times.push(performance.now() - t1);
    void y;
  }
  const best = Math.min(...times);
  const bestF = Math.min(...fwd);
  console.log(
    `${backend.padEnd(6)} threads=${getNumThreads()} fwd ${bestF.toFixed(1)} ms (${((flops / 3) / bestF / 1e6).toFixed(1)} GFLOP/s), ` +
      `fwd+bwd ${best.toFixed(1)} ms (${(flops / best / 1e6).toFixed(1)} GFLOP/s)`,
  );
}
