/**
 * The bfloat16 GEMM at every x86-64 TENSORGRAD_CPU level (AMX, AVX512_BF16, AVX-512, baseline) against a float64
 * reference, each in a fresh process since the level is chosen at load. x86-64 only: the levels are x86 ISA
 * levels (and under qemu-user an arm64 node cannot start a child process).
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { nativeAddon } from "../../../ts/backend/native";
import { noAddon } from "../../support/backends";

const root = fileURLToPath(new URL("../../..", import.meta.url));

const LEVEL_SCRIPT = `
const m = await import(${JSON.stringify(join(root, "ts/backend/native.ts"))});
const n = m.default ?? m;
const A = n.nativeAddon();
const r = n.loadRawNativeBackend().backend;
let worst = 0;
for (const [M, N, K, tA, tB] of [[1, 1, 1, 0, 0], [33, 17, 65, 0, 1], [64, 64, 64, 1, 0], [70, 45, 300, 1, 1], [5, 200, 31, 0, 0]]) {
  const lda = tA ? M : K, ldb = tB ? K : N;
  const a = new Uint16Array(M * K), b = new Uint16Array(K * N);
  let s = 1;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648 - 0.5) * 4;
  const f = new Float32Array(1), u = new Uint32Array(f.buffer);
  const bf = (v) => { f[0] = v; return (u[0] + 0x7fff + ((u[0] >>> 16) & 1)) >>> 16; };
  const val = (w) => { u[0] = w << 16; return f[0]; };
  for (let i = 0; i < a.length; i++) a[i] = bf(rnd());
  for (let i = 0; i < b.length; i++) b[i] = bf(rnd());
  const c = new Float32Array(M * N);
  r.gemmBf16({ transA: !!tA, transB: !!tB, m: M, n: N, k: K, alpha: 1, beta: 0, a, aOffset: 0, lda, b, bOffset: 0, ldb, c, cOffset: 0, ldc: N, batch: 1, strideA: 0, strideB: 0, strideC: 0 });
  for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) {
    let ref = 0, mag = 0;
    for (let k = 0; k < K; k++) {
      const p = val(tA ? a[k * lda + i] : a[i * lda + k]) * val(tB ? b[j * ldb + k] : b[k * ldb + j]);
      ref += p; mag += Math.abs(p);
    }
    worst = Math.max(worst, Math.abs(c[i * N + j] - ref) / (mag * K * 2 ** -24 + 1e-30));
  }
}
console.log(JSON.stringify({ cpu: A.cpuLevel(), bf16: A.bf16Level(), worst }));
`;

describe.skipIf(noAddon || process.arch !== "x64")("the bfloat16 GEMM at every TENSORGRAD_CPU level", () => {
  const detected = nativeAddon()?.bf16Level() ?? "none";
  for (const level of ["amx", "avx512bf16", "avx512", "baseline"]) {
    it(`TENSORGRAD_CPU=${level}: float32 accumulation error within k·2^-24·Σ|a·b| of the float64 sum`, () => {
      const env = { ...process.env, TENSORGRAD_CPU: level };
      const r = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", LEVEL_SCRIPT], { cwd: root, encoding: "utf8", timeout: 60_000, env });
      expect(r.stderr).not.toMatch(/Error/);
      const out = JSON.parse(r.stdout.trim().split("\n").pop()!) as { cpu: string; bf16: string; worst: number };
      const order = ["none", "avx512bf16", "amx"];
      const want = level === "amx" || level === "avx512bf16" ? order[Math.min(order.indexOf(level), order.indexOf(detected))] : "none";
      expect(out.bf16).toBe(want);
      expect(out.worst).toBeLessThanOrEqual(1);
    });
  }
});
