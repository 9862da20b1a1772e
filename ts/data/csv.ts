import { readFileSync } from "node:fs";
import { tensor } from "../creation";
import { TensorDataset } from "./dataset";
import { checkOptions } from "./options";

export interface CsvDatasetOptions {
  /** The feature columns, by header name or index; default every column but the target. */
  columns?: readonly (string | number)[];
  /** The target column, by header name or index; without it the dataset holds the features only. */
  target?: string | number;
  /** The cell separator (default ","). Cells are not quoted: this reader is for plain numeric tables. */
  delimiter?: string;
  /** Whether the first line names the columns (default true). */
  header?: boolean;
}

/**
 * Reads a numeric CSV file into a TensorDataset: features [rows, columns] and, with `target`, the
 * target [rows], both float32. Blank lines are skipped; a cell that is not a number, or a row with
 * the wrong number of cells, is an error naming the file, line and column.
 */
export function csvDataset(path: string, opts: CsvDatasetOptions = {}): TensorDataset {
  checkOptions("csvDataset", opts, ["columns", "target", "delimiter", "header"]);
  const delimiter = opts.delimiter ?? ",";
  const lines = readFileSync(path, "utf8").split(/\r?\n/);
  const rows: { line: number; cells: string[] }[] = [];
  lines.forEach((text, i) => {
    if (text.trim() !== "") rows.push({ line: i + 1, cells: text.split(delimiter) });
  });
  const hasHeader = opts.header ?? true;
  const names = hasHeader ? (rows.shift()?.cells.map((c) => c.trim()) ?? []) : [];
  const width = names.length || (rows[0]?.cells.length ?? 0);
  const columnOf = (c: string | number): number => {
    if (typeof c === "number") {
      if (!Number.isInteger(c) || c < 0 || c >= width) throw new RangeError(`csvDataset: column index ${c} is out of range for ${width} columns`);
      return c;
    }
    const k = names.indexOf(c);
    if (k < 0) throw new Error(`csvDataset: no column named ${JSON.stringify(c)}${hasHeader ? ` (columns: ${names.join(", ")})` : " (header: false)"}`);
    return k;
  };
  const target = opts.target === undefined ? undefined : columnOf(opts.target);
  const features = opts.columns?.map(columnOf) ?? Array.from({ length: width }, (_, k) => k).filter((k) => k !== target);
  const x = new Float32Array(rows.length * features.length);
  const y = new Float32Array(rows.length);
  rows.forEach(({ line, cells }, r) => {
    if (cells.length !== width) throw new Error(`csvDataset: ${path}:${line}: expected ${width} cells, found ${cells.length}`);
    const num = (k: number): number => {
      const cell = cells[k].trim();
      const v = Number(cell);
      // Number("") is 0: an empty cell is missing data, not a zero.
      if (cell === "" || Number.isNaN(v)) throw new Error(`csvDataset: ${path}:${line}: column ${names[k] ?? k} is not a number: ${JSON.stringify(cells[k])}`);
      return v;
    };
    features.forEach((k, j) => (x[r * features.length + j] = num(k)));
    if (target !== undefined) y[r] = num(target);
  });
  const xs = tensor(x, { shape: [rows.length, features.length] });
  return target === undefined ? new TensorDataset(xs) : new TensorDataset(xs, tensor(y));
}
