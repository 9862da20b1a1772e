/**
 * Long reductions with few outputs split into fixed chunks whose partials now live in a stack buffer, a wave
 * at a time (no heap scratch that could throw inside the addon). Results must not change across waves.
 */
import { afterAll, describe, expect, it } from "vitest";
import { getBackend, getNumThreads, setBackend, setNumThreads, tensor } from "../../ts/index";
import { nativeUnavailableReason } from "../../ts/backend/index";
import { reduceRaw } from "../../ts/ops/reduce";

const chunk = 1 << 16; // kChunk in native/reduce/reduce.cc
const initialBackend = getBackend();
const initialThreads = getNumThreads();
afterAll(() => {
  setBackend(initialBackend);
  setNumThreads(initialThreads);
});

describe.skipIf(nativeUnavailableReason() !== null)("native long reductions", () => {
  it("sum/max/min over more chunks than one wave of partials match exact references", () => {
    setBackend("native");
    setNumThreads(2); // the chunked path needs more than one thread and fewer outputs than 2·threads
    const rows = 2, len = 131 * chunk + 123; // 2·132 = 264 partials: two waves of 256, the last chunk short
    const data = new Float32Array(rows * len);
    for (let i = 0; i < data.length; i++) data[i] = (i % 7) - 3 + (i % 1009 === 0 ? 0.5 : 0);
    data[len + 77 * chunk + 5] = 1000; // in row 1, in the second wave's range of chunks for row 0's order
    data[len - 1] = -2000; // the last element of row 0, in its short last chunk
    const x = tensor(data).reshape([rows, len]);
    const exact = (r: number, f: (acc: number, v: number) => number, init: number) => {
      let acc = init;
      for (let i = r * len; i < (r + 1) * len; i++) acc = f(acc, data[i]);
      return acc;
    };
    const sums = x.sum(1).tolist() as number[];
    const maxs = reduceRaw("max", x, [1], false, "float32").tolist() as number[];
    const mins = reduceRaw("min", x, [1], false, "float32").tolist() as number[];
    for (let r = 0; r < rows; r++) {
      expect(sums[r]).toBe(Math.fround(exact(r, (a, v) => a + v, 0))); // integers and halves: exact in double
      expect(maxs[r]).toBe(exact(r, Math.max, -Infinity));
      expect(mins[r]).toBe(exact(r, Math.min, Infinity));
    }
    expect(maxs[1]).toBe(1000);
    expect(mins[0]).toBe(-2000);
  });
});
