/**
 * The bfloat16 GEMM: A and B are bfloat16 words, C is float32; products are exact in float32 and summed in
 * float32 order-independent up to rounding — the TypeScript kernel widens A and B (exactly) and runs the
 * float32 GEMM. Same layout rules as GemmArgs.
 */
import { halfToFloat32 } from "../half.js";
import type { GemmArgs } from "../types.js";
import { gemm } from "./gemm.js";

export interface GemmBf16Args extends Omit<GemmArgs, "a" | "b" | "c"> {
  a: Uint16Array;
  b: Uint16Array;
  c: Float32Array;
}

declare module "../types" {
  interface Kernels {
    /** C (float32) = alpha · op(A) · op(B) + beta · C with A and B in bfloat16, float32 accumulation. */
    gemmBf16(args: GemmBf16Args): void;
  }
}

function widened(words: Uint16Array): Float32Array {
  const out = new Float32Array(words.length);
  halfToFloat32("bfloat16", words, 0, out, words.length);
  return out;
}

export function gemmBf16(g: GemmBf16Args): void {
  gemm({ ...g, a: widened(g.a), b: g.b === g.a ? widened(g.a) : widened(g.b) });
}
