import { resolve } from "node:path";

/** --quick shortens the long loops (the demo's quick mode and the tests use it). */
export const quick = process.argv.includes("--quick") || process.env.TENSORGRAD_QUICK === "1";

/** A numeric flag `--name=value` / `--name value`, or the fallback. */
export function numberFlag(name: string, fallback: number): number {
  const argv = process.argv;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === `--${name}` && argv[i + 1] !== undefined) return Number(argv[i + 1]);
    if (argv[i].startsWith(`--${name}=`)) return Number(argv[i].slice(name.length + 3));
  }
  return fallback;
}

/** Where the examples write their SVG plots (gitignored). */
export const outDir = resolve(__dirname, "../out");

/** Shared by the examples: what to run and how much to print. */
export interface RunOptions {
  /** Fewer epochs (for the demo's quick mode and tests). */
  quick?: boolean;
  /** Print the tutorial's periodic lines (default true); the demo turns them off. */
  verbose?: boolean;
  /** Write SVG plots (default true). */
  plots?: boolean;
}

/** Python's str() of a float: 0.0, 49.0, 0.5. */
export function pyFloat(v: number): string {
  return Number.isInteger(v) ? v.toFixed(1) : String(v);
}

/** torch.Size([12, 2]) */
export function size(shape: readonly number[]): string {
  return `torch.Size([${shape.join(", ")}])`;
}
