import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { data } from "../../ts/index";
import { ref } from "./reference";

const dir = mkdtempSync(join(tmpdir(), "tg-csv-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe("csvDataset", () => {
  it("reads features and a named target into a TensorDataset that batches as PyTorch's CSV rows", () => {
    const ds = data.csvDataset(file("rows.csv", ref.csv.text), { target: "label" });
    expect(ds.length).toBe(23);
    expect(ds.tensors.map((t) => t.shape)).toEqual([[23, 2], [23]]);
    const batches = [...new data.DataLoader(ds, { batchSize: 5 })].map(([x, y]) => [x.tolist(), y.tolist()]);
    expect(batches).toEqual(ref.csv.batch5);
  });

  it("selects columns by name or index, takes other delimiters, CRLF and no header", () => {
    const p = file("semi.csv", "a;b;c\r\n1;2;3\r\n4;5;6\r\n\r\n");
    expect(data.csvDataset(p, { delimiter: ";", columns: ["c", 0] }).tensors[0].tolist()).toEqual([[3, 1], [6, 4]]);
    const noHeader = data.csvDataset(file("nh.csv", "1,2,3\n4,5,6\n"), { header: false, target: 0 });
    expect(noHeader.tensors.map((t) => t.tolist())).toEqual([[[2, 3], [5, 6]], [1, 4]]);
  });

  it("bad cells, ragged rows and unknown columns are errors naming where", () => {
    const bad = file("bad.csv", "x,y\n1,2\n3,\n");
    expect(() => data.csvDataset(bad)).toThrow(`csvDataset: ${bad}:3: column y is not a number: ""`);
    const ragged = file("ragged.csv", "x,y\n1,2\n3\n");
    expect(() => data.csvDataset(ragged)).toThrow(`csvDataset: ${ragged}:3: expected 2 cells, found 1`);
    expect(() => data.csvDataset(ragged, { target: "z" })).toThrow('csvDataset: no column named "z" (columns: x, y)');
    expect(() => data.csvDataset(ragged, { columns: [2] })).toThrow("csvDataset: column index 2 is out of range for 2 columns");
    expect(() => data.csvDataset(ragged, { sep: ";" } as never)).toThrow('csvDataset got an unknown option "sep"');
  });
});
