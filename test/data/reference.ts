import { readFileSync } from "node:fs";
import { join } from "node:path";
import { data } from "../../ts/index";

/** Goldens from test/reference/gen_data.py (PyTorch 1.13). */
export interface SplitCase {
  counts: number[][];
  fractions: number[][];
  fractionsRemainder: number[][];
  fractionsLengths: number[];
  globalCounts: number[][];
  globalAfter: number[];
}
export interface SamplerCase {
  random: number[][];
  randomGlobal: number[][];
  randomGlobalAfter: number[];
  randomReplacement: number[];
  randomNumSamples: number[];
  randomNumSamplesSmall: number[];
  subsetRandom: number[][];
  subsetRandomGlobal: number[];
  subsetRandomGlobalAfter: number[];
  weighted: number[][];
  weightedNoReplacement: number[];
  weightedNoReplacementAll: number[];
  weightedGlobal: number[];
  weightedGlobalAfter: number[];
  batch: number[][];
  batchDropLast: number[][];
}
type Epochs = number[][][];
export interface LoaderCase {
  subsetSampler: Epochs;
  weightedSampler: Epochs;
  batchSampler: Epochs;
  sharedGenerator: Epochs;
  globalSampler: Epochs;
  globalSamplerAfter: number[];
  sequentialSamplerDropLast: Epochs;
  listSampler: Epochs;
  collateFn: number[];
}
export interface DataRef {
  seeds: number[];
  randomSplit: Record<string, SplitCase>;
  fractionLengths: Record<string, number[]>;
  subset: { indices: number[]; items: number[]; length: number };
  concat: { sizes: number[]; cumulativeSizes: number[]; items: Record<string, number>; length: number };
  weights: number[];
  samplers: Record<string, SamplerCase>;
  weightedLarge: Record<string, { noReplacement: number[]; replacement: number[] }>;
  sequentialBatch: number[][];
  loaders: Record<string, LoaderCase>;
  csv: { text: string; batch5: [number[][], number[]][]; batch5DropLast: [number[][], number[]][] };
}

export const ref = JSON.parse(readFileSync(join(__dirname, "../reference/data.json"), "utf8")) as DataRef;

/** Item i is i + offset, as gen_data.py's Range. */
export class Range extends data.Dataset<number> {
  constructor(
    public n: number,
    private readonly offset = 0,
  ) {
    super();
  }
  get length(): number {
    return this.n;
  }
  getItem(i: number): number {
    if (!(i >= 0 && i < this.n)) throw new RangeError(`Range: no item ${i}`);
    return i + this.offset;
  }
}
