/**
 * Allreduce latency and bandwidth vs message size through tensorgrad's MPI binding (the communication
 * thread's queue included): `mpirun -np 2 node --import tsx bench/distributed/allreduce.ts`.
 * algbw = bytes / time; busbw = algbw × 2(n − 1)/n, the figure comparable across rank counts (NCCL's).
 */
import { distributed, setNumThreads, tensor, zeros } from "../../ts/index";

distributed.initProcessGroup({ backend: "mpi" });
setNumThreads(1);
const rank = distributed.getRank();
const size = distributed.getWorldSize();
const sizes = [4, 64, 1024, 16 << 10, 256 << 10, 1 << 20, 4 << 20, 25 << 20, 64 << 20];
if (rank === 0) console.log(`${size} ranks; float32 allReduce(sum); median of the repetitions\n${"bytes".padStart(10)} ${"µs".padStart(10)} ${"algbw MB/s".padStart(11)} ${"busbw MB/s".padStart(11)}`);
for (const bytes of sizes) {
  const t = zeros([bytes / 4]);
  const reps = bytes <= 64 << 10 ? 200 : bytes <= 4 << 20 ? 20 : 8;
  for (let i = 0; i < 3; i++) distributed.allReduce(t);
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    distributed.barrier();
    const t0 = performance.now();
    distributed.allReduce(t);
    times.push(performance.now() - t0);
  }
  // Every rank's time is the slowest rank's (they finish together); take the max over ranks per repetition.

  const all = tensor(times, { dtype: "float64" });
  distributed.allReduce(all, "max");
  const sorted = (all.tolist() as number[]).sort((a, b) => a - b);
  const ms = sorted[Math.floor(sorted.length / 2)];
  const algbw = bytes / (ms / 1000) / 1e6;
  if (rank === 0) {
    console.log(`${String(bytes).padStart(10)} ${(ms * 1000).toFixed(1).padStart(10)} ${algbw.toFixed(0).padStart(11)} ${((algbw * 2 * (size - 1)) / size).toFixed(0).padStart(11)}`);
  }
}
distributed.destroyProcessGroup();
