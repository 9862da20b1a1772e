import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createReadStream } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, describe, expect, it } from "vitest";
import { data, manualSeed, randint, tensor, type Tensor } from "../../ts/index";
import { Range, ref } from "./reference";

const dir = mkdtempSync(join(tmpdir(), "tg-data-"));
const csvPath = join(dir, "rows.csv");
writeFileSync(csvPath, ref.csv.text);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Row = [Tensor, number];

function parse(line: string, row: number): Row {
  const cells = line.split(",").map(Number);
  if (cells.length !== 3 || cells.some(Number.isNaN)) throw new Error(`bad row ${row}: ${line}`);
  return [tensor(cells.slice(0, 2)), cells[2]];
}

/** The CSV's rows read line by line from a file stream; counts the rows it has handed out. */
class CsvStream extends data.IterableDataset<Row> {
  pulled = 0;
  closed = false;
  constructor(
    readonly path: string,
    private readonly onRow: (pulled: number) => void = () => undefined,
  ) {
    super();
  }
  async *[Symbol.asyncIterator](): AsyncGenerator<Row> {
    const stream = createReadStream(this.path);
    const lines = createInterface({ input: stream, crlfDelay: Infinity });
    let header = true;
    try {
      for await (const line of lines) {
        if (header || line === "") {
          header = false;
          continue;
        }
        const row = parse(line, this.pulled + 1);
        this.pulled++;
        this.onRow(this.pulled);
        yield row;
      }
    } finally {
      lines.close();
      stream.destroy();
      this.closed = true;
    }
  }
}

/** The same rows, synchronously, with a length. */
class CsvSync extends data.IterableDataset<Row> {
  *[Symbol.iterator](): Iterator<Row> {
    const lines = readFileSync(csvPath, "utf8").split("\n").slice(1).filter((l) => l !== "");
    for (let i = 0; i < lines.length; i++) yield parse(lines[i], i + 1);
  }
  get length(): number {
    return 23;
  }
}

const asLists = (b: Tensor[]) => [b[0].tolist(), b[1].tolist()];

async function collect<B>(it: AsyncIterable<B>): Promise<B[]> {
  const out: B[] = [];
  for await (const b of it) out.push(b);
  return out;
}

/** Resolves once cond() holds (the producer runs while we wait), or after ~2 s. */
async function until(cond: () => boolean): Promise<void> {
  const end = Date.now() + 2000;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 1));
}

describe("DataLoader over an iterable dataset", () => {
  it("batches an async file stream with for await as PyTorch batches the same rows", async () => {
    const batches = await collect(new data.DataLoader(new CsvStream(csvPath), { batchSize: 5 }));
    expect(batches.map(asLists)).toEqual(ref.csv.batch5);
    const dropped = await collect(new data.DataLoader(new CsvStream(csvPath), { batchSize: 5, dropLast: true }));
    expect(dropped.map(asLists)).toEqual(ref.csv.batch5DropLast);
  });

  it("batches a sync iterable dataset with for...of, and its length comes from the dataset's", () => {
    const dl = new data.DataLoader(new CsvSync(), { batchSize: 5 });
    expect(dl.length).toBe(5);
    expect([...dl].map(asLists)).toEqual(ref.csv.batch5);
    expect(new data.DataLoader(new CsvSync(), { batchSize: 5, dropLast: true }).length).toBe(4);
    expect(() => new data.DataLoader(new CsvStream(csvPath)).length).toThrow("object of type 'CsvStream' has no len()");
  });

  for (const prefetchFactor of [undefined, 1, 3]) {
    it(`reads ahead while the consumer waits, never more than ${prefetchFactor ?? "2 (the default)"} batches`, async () => {
      const ahead = prefetchFactor ?? 2;
      const bs = 2;
      let consumed = 0;
      let inBody = false;
      let maxLead = 0;
      // While the loop body awaits, the batches handed out are exactly `consumed`: measure the lead of each
      // row pulled then (the batch it belongs to, minus the batches taken). Between a handover and the body's
      // start the count lags by one, so there the bound is checked when the body starts.
      const ds = new CsvStream(csvPath, (pulled) => {
        if (inBody) maxLead = Math.max(maxLead, Math.ceil(pulled / bs) - consumed);
      });
      const dl = new data.DataLoader(ds, { batchSize: bs, prefetchFactor });
      for await (const [x] of dl) {
        consumed++;
        inBody = true;
        expect(ds.pulled).toBeLessThanOrEqual((consumed + ahead) * bs);
        expect(x.shape[0]).toBeLessThanOrEqual(bs);
        // "Training" that awaits: the producer fills up to `ahead` batches, and stops there.
        const target = Math.min(23, (consumed + ahead) * bs);
        await until(() => ds.pulled >= target);
        expect(ds.pulled).toBe(target);
        await new Promise((r) => setTimeout(r, 5));
        expect(ds.pulled).toBe(target);
        inBody = false;
      }
      expect(consumed).toBe(12);
      expect(maxLead).toBe(ahead);
    });
  }

  it("an error in the source rejects the loop after the batches read before it", async () => {
    const bad = ref.csv.text.split("\n");
    bad[8] = "1.5,oops,2"; // row 8
    const badPath = join(dir, "bad.csv");
    writeFileSync(badPath, bad.join("\n"));
    const ds = new CsvStream(badPath);
    const seen: number[][] = [];
    await expect(
      (async () => {
        for await (const [, y] of new data.DataLoader(ds, { batchSize: 3 })) seen.push(y.tolist() as number[]);
      })(),
    ).rejects.toThrow("bad row 8: 1.5,oops,2");
    // Rows 1–6 (labels i mod 3) came through in two batches before row 8 failed.
    expect(seen).toEqual([[0, 1, 2], [0, 1, 2]]);
    expect(ds.closed).toBe(true);

    await expect(collect(new data.DataLoader(new CsvStream(join(dir, "missing.csv")), { batchSize: 3 }))).rejects.toMatchObject({ code: "ENOENT" });
    const failingCollate = new data.DataLoader(new CsvStream(csvPath), {
      batchSize: 4,
      collateFn: (b: Row[]) => {
        if (b[0][1] === 1) throw new Error("collate failed");
        return b.length;
      },
    });
    await expect(collect(failingCollate)).rejects.toThrow("collate failed");
  });

  it("leaving the loop early closes the file stream", async () => {
    const ds = new CsvStream(csvPath);
    for await (const batch of new data.DataLoader(ds, { batchSize: 3 })) {
      expect(batch[0].shape).toEqual([3, 2]);
      break;
    }
    expect(ds.closed).toBe(true);
    expect(ds.pulled).toBeLessThanOrEqual(9);
    // An exception in the loop body leaves the loop the same way.
    const ds2 = new CsvStream(csvPath);
    await expect(
      (async () => {
        for await (const _ of new data.DataLoader(ds2, { batchSize: 3 })) throw new Error("training failed");
      })(),
    ).rejects.toThrow("training failed");
    expect(ds2.closed).toBe(true);
  });

  it("draws the base seed per epoch as a map-style loader does", async () => {
    manualSeed(3);
    [...new data.DataLoader(new Range(4))];
    const expected = randint(0, 1000, [4]).tolist();
    manualSeed(3);
    await collect(new data.DataLoader(new CsvStream(csvPath), { batchSize: 8 }));
    expect(randint(0, 1000, [4]).tolist()).toEqual(expected);
    manualSeed(3);
    expect(randint(0, 1000, [4]).tolist()).not.toEqual(expected);
  });

  it("for await over a map-style loader gives its usual batches", async () => {
    const batches = await collect(new data.DataLoader(new Range(5), { batchSize: 2 }));
    expect(batches.map((b) => b.tolist())).toEqual([[0, 1], [2, 3], [4]]);
  });

  it("refuses sync iteration of an async dataset, and PyTorch's refused options", () => {
    expect(() => [...new data.DataLoader(new CsvStream(csvPath))]).toThrow(
      "the dataset CsvStream is async (it has only [Symbol.asyncIterator]): iterate the DataLoader with for await",
    );
    const ds = new CsvSync();
    expect(() => new data.DataLoader(ds, { batchSize: -1 })).toThrow("batch_size should be a positive integer value, but got batch_size=-1");
    expect(() => new data.DataLoader(ds, { shuffle: true })).toThrow("DataLoader with IterableDataset: expected unspecified shuffle option, but got shuffle=true");
    expect(() => new data.DataLoader(ds, { sampler: [0, 1] })).toThrow("DataLoader with IterableDataset: expected unspecified sampler option, but got sampler=Array");
    expect(() => new data.DataLoader(ds, { batchSampler: [[0, 1]] })).toThrow(
      "DataLoader with IterableDataset: expected unspecified batch_sampler option, but got batch_sampler=Array",
    );
  });
});
