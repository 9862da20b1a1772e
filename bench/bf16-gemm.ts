/**
 * The bfloat16 GEMM at 1 thread, GFLOP/s for n = 256 … 2048: tensorgrad's float32 GEMM, its bfloat16 GEMM at
 * each level this CPU has (AMX tiles, AVX512_BF16 VDPBF16PS, none = widened to float32; each in its own
 * process, since TENSORGRAD_CPU is read at load), and PyTorch's float32 and bfloat16 torch.matmul (oneDNN)
 * from bench/bf16-gemm.py, all in one run.
 * Run: npx tsx bench/bf16-gemm.ts
 */
import { spawnSync } from "node:child_process";
import { cpus } from "node:os";
import { fileURLToPath } from "node:url";
import { loadRawNativeBackend, nativeAddon } from "../ts/backend/native";
import { bf16FromNumber } from "../ts/backend/half";

const SIZES = [256, 512, 1024, 2048];
const self = fileURLToPath(import.meta.url);

/** Best seconds per call over 5 timed batches of ~1 GFLOP each (the best: other work on a shared machine only slows runs down). */
function time(fn: () => void, flops: number): number {
  fn();
  const inner = Math.max(1, Math.round(1e10 / 10 / flops));
  const ts: number[] = [];
  for (let r = 0; r < 5; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < inner; i++) fn();
    ts.push(Number(process.hrtime.bigint() - t0) / 1e9 / inner);
  }
  return Math.min(...ts);
}

/** This process's numbers: { level, f32: {n: GFLOP/s}, bf16: {n: GFLOP/s} }. */
function measure(): { level: string; f32: Record<number, number>; bf16: Record<number, number> } {
  const r = loadRawNativeBackend();
  if ("error" in r) throw new Error(r.error);
  const B = r.backend;
  B.setNumThreads(1);
  const out = { level: nativeAddon()!.bf16Level(), f32: {} as Record<number, number>, bf16: {} as Record<number, number> };
  for (const n of SIZES) {
    const a = new Float32Array(n * n).map(() => Math.random() - 0.5);
    const b = new Float32Array(n * n).map(() => Math.random() - 0.5);
    const c = new Float32Array(n * n);
    const aw = Uint16Array.from(a, bf16FromNumber), bw = Uint16Array.from(b, bf16FromNumber);
    const base = { transA: false, transB: false, m: n, n, k: n, alpha: 1, beta: 0, aOffset: 0, lda: n, bOffset: 0, ldb: n, c, cOffset: 0, ldc: n, batch: 1, strideA: 0, strideB: 0, strideC: 0 };
    const flops = 2 * n ** 3;
    out.f32[n] = +(flops / time(() => B.gemm({ ...base, a, b }), flops) / 1e9).toFixed(1);
    out.bf16[n] = +(flops / time(() => B.gemmBf16({ ...base, a: aw, b: bw }), flops) / 1e9).toFixed(1);
  }
  return out;
}

if (process.env.BF16_BENCH_CHILD === "1") {
  console.log(JSON.stringify(measure()));
} else {
  const levels = ["amx", "avx512bf16", "avx512"];
  const runs = levels.map((lv) => {
    const r = spawnSync(process.execPath, ["--import", "tsx", self], { encoding: "utf8", env: { ...process.env, BF16_BENCH_CHILD: "1", TENSORGRAD_CPU: lv } });
    if (r.status !== 0) throw new Error(r.stderr);
    return JSON.parse(r.stdout.trim().split("\n").pop()!) as ReturnType<typeof measure>;
  });
  const py = spawnSync("/usr/bin/python3", [fileURLToPath(new URL("./bf16-gemm.py", import.meta.url))], { encoding: "utf8" });
  const torch = py.status === 0 ? (JSON.parse(py.stdout.trim()) as { f32: Record<number, number>; bf16: Record<number, number> }) : null;
  console.log(`CPU: ${cpus()[0]?.model}; 1 thread; GFLOP/s (2n³ / best of 5 timed batches)`);
  const head = ["n", "tg f32", ...runs.map((r) => `tg bf16 ${r.level}`), "torch f32", "torch bf16"];
  console.log(head.map((h) => h.padStart(20)).join(""));
  for (const n of SIZES) {
    const row = [String(n), String(runs[0].f32[n]), ...runs.map((r) => String(r.bf16[n])), String(torch?.f32[n] ?? "-"), String(torch?.bf16[n] ?? "-")];
    console.log(row.map((h) => h.padStart(20)).join(""));
  }
}
