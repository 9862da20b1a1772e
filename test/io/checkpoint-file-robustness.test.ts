import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  ioLimits,
  readFileBytes,
  readFileBytesSync,
  readSafetensorsFile,
  readSafetensorsFileSync,
  writeFileAtomic,
  writeFileAtomicSync,
} from "../../ts/io/checkpoint-file";
import { encodeSafetensors, encodeSafetensorsParts } from "../../ts/io/safetensors-codec";
import { load, loadSync, save, saveSync, tensor } from "../../ts/index";

let dir: string;
const defaultChunk = ioLimits.chunkBytes;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "tensorgrad-io-rob-"));
});

afterEach(() => {
  vi.restoreAllMocks();
  ioLimits.chunkBytes = defaultChunk;
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The temp name a writer with this pid uses for target (the format is part of the cleanup contract). */
function tempName(target: string, pid: number, tag = "abcdef012345"): string {
  const hash = createHash("sha256").update(path.basename(target)).digest("hex").slice(0, 12);
  return `.tg-${hash}.${pid}.${tag}.tmp`;
}

function deadPid(): number {
  const r = spawnSync(process.execPath, ["-e", ""]);
  return r.pid as number;
}

async function fileHandleProto(): Promise<fs.promises.FileHandle> {
  const probe = await fs.promises.open(path.join(dir, "probe"), "w");
  const proto = Object.getPrototypeOf(probe) as fs.promises.FileHandle;
  await probe.close();
  fs.rmSync(path.join(dir, "probe"));
  return proto;
}

const syncAsync = [
  { name: "sync", write: async (p: string, b: Uint8Array) => writeFileAtomicSync(p, b), read: async (p: string) => readFileBytesSync(p) },
  { name: "async", write: writeFileAtomic, read: readFileBytes },
];

describe("temp files of killed writers", () => {
  for (const v of syncAsync) {
    it(`${v.name}: a save removes the stale temp files of dead writers, and only those`, async () => {
      const target = path.join(dir, "model.safetensors");
      const dead = tempName(target, deadPid());
      const ownStale = tempName(target, process.pid, "0123456789ab"); // our pid, but not a write of ours
      const live = tempName(target, process.ppid); // a writer that is still running: not ours to remove
      const otherTarget = tempName(path.join(dir, "other.safetensors"), deadPid());
      for (const f of [dead, ownStale, live, otherTarget, "unrelated.tmp"]) fs.writeFileSync(path.join(dir, f), "x".repeat(1000));
      await v.write(target, Uint8Array.from([1, 2, 3]));
      expect(fs.readdirSync(dir).sort()).toEqual([live, otherTarget, "model.safetensors", "unrelated.tmp"].sort());
    });
  }

  for (const v of syncAsync) {
    it(`${v.name}: names up to 255 bytes can be saved (the temp name does not grow with the target's)`, async () => {
      for (const len of [228, 229, 240, 255]) {
        const target = path.join(dir, "m".repeat(len - ".safetensors".length) + ".safetensors");
        expect(Buffer.byteLength(path.basename(target))).toBe(len);
        await v.write(target, Uint8Array.from([len & 0xff]));
        expect(Array.from(await v.read(target))).toEqual([len & 0xff]);
      }
      // Multi-byte characters count in bytes, too.
      const target = path.join(dir, "é".repeat(127)); // 254 bytes
      await v.write(target, Uint8Array.from([9]));
      expect(Array.from(await v.read(target))).toEqual([9]);
      expect(fs.readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    });
  }
});

describe("symlinks", () => {
  for (const v of syncAsync) {
    it(`${v.name}: a save through a symlink replaces the file it points to and keeps the link`, async () => {
      fs.mkdirSync(path.join(dir, "store"));
      const real = path.join(dir, "store", "real.safetensors");
      fs.writeFileSync(real, "old");
      const link = path.join(dir, "latest.safetensors");
      fs.symlinkSync(path.join("store", "real.safetensors"), link);
      await v.write(link, Uint8Array.from([4, 5]));
      expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
      expect(Array.from(fs.readFileSync(real))).toEqual([4, 5]);

      // A chain of links, ending in a file that does not exist yet: the file is created where the chain ends.
      const dangling = path.join(dir, "next.safetensors");
      fs.symlinkSync("latest2.safetensors", dangling);
      fs.symlinkSync(path.join(dir, "store", "new.safetensors"), path.join(dir, "latest2.safetensors"));
      await v.write(dangling, Uint8Array.from([6]));
      expect(fs.lstatSync(dangling).isSymbolicLink()).toBe(true);
      expect(Array.from(fs.readFileSync(path.join(dir, "store", "new.safetensors")))).toEqual([6]);
      expect(fs.readdirSync(path.join(dir, "store")).sort()).toEqual(["new.safetensors", "real.safetensors"]);

      // A loop is an error, not a hang.
      fs.symlinkSync("loop-b", path.join(dir, "loop-a"));
      fs.symlinkSync("loop-a", path.join(dir, "loop-b"));
      await expect(v.write(path.join(dir, "loop-a"), Uint8Array.from([1]))).rejects.toThrow(/cannot write .*ELOOP/);
    });
  }
});

describe("overlapping saves to one path", () => {
  it("async saves land in call order: the last one called is the one on disk", async () => {
    const target = path.join(dir, "c.safetensors");
    const first = new Uint8Array(50_000).fill(1);
    const second = new Uint8Array(10).fill(2);
    // Make the first save's writes slow, so that without ordering the second one would finish first.
    const proto = await fileHandleProto();
    const real = proto.write;
    vi.spyOn(proto, "write").mockImplementation(async function (this: fs.promises.FileHandle, ...args: unknown[]) {
      if (args[0] === first) await new Promise((r) => setTimeout(r, 30));
      return (real as (...a: unknown[]) => Promise<unknown>).apply(this, args);
    } as unknown as typeof proto.write);
    const a = writeFileAtomic(target, first);
    const b = writeFileAtomic(target, second);
    await Promise.all([a, b]);
    expect(Array.from(fs.readFileSync(target))).toEqual(Array.from(second));
    expect(fs.readdirSync(dir)).toEqual(["c.safetensors"]);
  });

  it("the order is taken at the call, even when resolving the first target is slower", async () => {
    const target = path.join(dir, "c.safetensors");
    const realLstat = fs.promises.lstat;
    let calls = 0;
    vi.spyOn(fs.promises, "lstat").mockImplementation((async (...args: Parameters<typeof fs.promises.lstat>) => {
      if (++calls === 1) await new Promise((r) => setTimeout(r, 30));
      return realLstat(...args);
    }) as typeof fs.promises.lstat);
    await Promise.all([writeFileAtomic(target, Uint8Array.from([1])), writeFileAtomic(target, Uint8Array.from([2]))]);
    expect(Array.from(fs.readFileSync(target))).toEqual([2]);
  });

  it("an async save that finishes after a newer sync save does not replace it", async () => {
    const target = path.join(dir, "c.safetensors");
    const older = new Uint8Array(1000).fill(1);
    const proto = await fileHandleProto();
    const real = proto.write;
    vi.spyOn(proto, "write").mockImplementation(async function (this: fs.promises.FileHandle, ...args: unknown[]) {
      await new Promise((r) => setTimeout(r, 30));
      return (real as (...a: unknown[]) => Promise<unknown>).apply(this, args);
    } as unknown as typeof proto.write);
    const pending = writeFileAtomic(target, older);
    await new Promise((r) => setTimeout(r, 5));
    writeFileAtomicSync(target, Uint8Array.from([7, 7]));
    await pending;
    expect(Array.from(fs.readFileSync(target))).toEqual([7, 7]);
    expect(fs.readdirSync(dir)).toEqual(["c.safetensors"]);
  });

  it("public save(): ten overlapping async saves leave the last one", async () => {
    const target = path.join(dir, "w.safetensors");
    await Promise.all(Array.from({ length: 10 }, (_, i) => save({ w: tensor(Array.from({ length: 1000 + (9 - i) * 20000 }, () => i)) }, target)));
    const w = (await load(target)).w;
    expect(w.numel()).toBe(1000);
    expect(w.at(0).item()).toBe(9);
  });
});

describe("chunked reads and writes (a small chunk size stands in for Node's 2 GiB limit per call)", () => {
  const parts = encodeSafetensorsParts(
    { a: { dtype: "float32", shape: [37], data: Float32Array.from({ length: 37 }, (_, i) => i / 3) }, b: { dtype: "int32", shape: [5], data: Int32Array.from([1, 2, 3, 4, 5]) } },
    { format: "pt" },
    { checksum: true },
  );
  const whole = encodeSafetensors(
    { a: { dtype: "float32", shape: [37], data: Float32Array.from({ length: 37 }, (_, i) => i / 3) }, b: { dtype: "int32", shape: [5], data: Int32Array.from([1, 2, 3, 4, 5]) } },
    { format: "pt" },
    { checksum: true },
  );

  it("sync: no call moves more than the chunk size, and the bytes are the same", () => {
    ioLimits.chunkBytes = 7;
    const target = path.join(dir, "c.safetensors");
    const writes: number[] = [];
    const reads: number[] = [];
    const realWrite = fs.writeSync;
    const realRead = fs.readSync;
    vi.spyOn(fs, "writeSync").mockImplementation(((fd: number, buf: Uint8Array, off: number, len: number) => {
      writes.push(len);
      return realWrite(fd, buf, off, len);
    }) as typeof fs.writeSync);
    vi.spyOn(fs, "readSync").mockImplementation(((fd: number, buf: Uint8Array, off: number, len: number, pos: number) => {
      reads.push(len);
      return realRead(fd, buf, off, len, pos);
    }) as typeof fs.readSync);
    writeFileAtomicSync(target, parts);
    expect(Buffer.from(fs.readFileSync(target)).equals(Buffer.from(whole))).toBe(true);
    reads.length = 0; // fs.readFileSync itself goes through fs.readSync
    expect(Buffer.from(readFileBytesSync(target)).equals(Buffer.from(whole))).toBe(true);
    const back = readSafetensorsFileSync(target);
    expect(Array.from(back.tensors.b.data)).toEqual([1, 2, 3, 4, 5]);
    expect(Array.from(back.tensors.a.data)).toEqual(Array.from(Float32Array.from({ length: 37 }, (_, i) => i / 3)));
    expect(writes.length).toBeGreaterThan(whole.length / 7);
    expect(Math.max(...writes)).toBeLessThanOrEqual(7);
    expect(reads.length).toBeGreaterThan(whole.length / 7);
    expect(Math.max(...reads)).toBeLessThanOrEqual(7);
  });

  it("async: no call moves more than the chunk size, and the bytes are the same", async () => {
    ioLimits.chunkBytes = 5;
    const target = path.join(dir, "c.safetensors");
    const proto = await fileHandleProto();
    const lengths: number[] = [];
    const realWrite = proto.write;
    const realRead = proto.read;
    vi.spyOn(proto, "write").mockImplementation(function (this: fs.promises.FileHandle, ...args: unknown[]) {
      lengths.push(args[2] as number);
      return (realWrite as (...a: unknown[]) => Promise<unknown>).apply(this, args);
    } as unknown as typeof proto.write);
    vi.spyOn(proto, "read").mockImplementation(function (this: fs.promises.FileHandle, ...args: unknown[]) {
      lengths.push(args[2] as number);
      return (realRead as (...a: unknown[]) => Promise<unknown>).apply(this, args);
    } as unknown as typeof proto.read);
    await writeFileAtomic(target, parts);
    expect(Buffer.from(await readFileBytes(target)).equals(Buffer.from(whole))).toBe(true);
    expect(Array.from((await readSafetensorsFile(target)).tensors.b.data)).toEqual([1, 2, 3, 4, 5]);
    expect(lengths.length).toBeGreaterThan((3 * whole.length) / 5);
    expect(Math.max(...lengths)).toBeLessThanOrEqual(5);
  });
});

describe("only regular files are read", () => {
  const hasMkfifo = spawnSync("mkfifo", ["--version"]).status === 0;
  for (const v of [
    { name: "sync", load: async (p: string) => loadSync(p) },
    { name: "async", load },
  ]) {
    it.runIf(hasMkfifo)(`${v.name}: a FIFO is refused at once (no waiting for a writer)`, async () => {
      const fifo = path.join(dir, "pipe.safetensors");
      execFileSync("mkfifo", [fifo]);
      await expect(v.load(fifo)).rejects.toThrow(`cannot read "${fifo}": it is a FIFO, not a regular file`);
    });

    it.runIf(fs.existsSync("/dev/zero"))(`${v.name}: /dev/zero is refused (no unbounded read)`, async () => {
      await expect(v.load("/dev/zero")).rejects.toThrow('cannot read "/dev/zero": it is a character device, not a regular file');
    });
  }

  it("a header that promises more data than the file holds is refused before the data is read", () => {
    const target = path.join(dir, "big.safetensors");
    const header = Buffer.from(JSON.stringify({ w: { dtype: "F32", shape: [1_000_000_000], data_offsets: [0, 4_000_000_000] } }).padEnd(88));
    const prefix = Buffer.alloc(8);
    prefix.writeBigUInt64LE(BigInt(header.length));
    fs.writeFileSync(target, Buffer.concat([prefix, header, Buffer.alloc(16)]));
    const reads: number[] = [];
    const realRead = fs.readSync;
    vi.spyOn(fs, "readSync").mockImplementation(((fd: number, buf: Uint8Array, off: number, len: number, pos: number) => {
      reads.push(len);
      return realRead(fd, buf, off, len, pos);
    }) as typeof fs.readSync);
    expect(() => loadSync(target)).toThrow(/beyond the 16-byte data buffer/);
    expect(reads).toEqual([8, 88]); // the length and the header, nothing more
  });
});

describe("a file rewritten in place while it is read", () => {
  /** Rewrites the file (same size, other values, same inode) just after the header was read. */
  function rewriteDuringRead(target: string, replacement: Buffer): void {
    const realRead = fs.readSync;
    let calls = 0;
    vi.spyOn(fs, "readSync").mockImplementation(((fd: number, buf: Uint8Array, off: number, len: number, pos: number) => {
      if (++calls === 3) {
        const w = fs.openSync(target, "r+");
        fs.writeSync(w, replacement, 0, replacement.length, 0);
        fs.closeSync(w);
      }
      return realRead(fd, buf, off, len, pos);
    }) as typeof fs.readSync);
  }

  it("a checksummed file: the mix of old and new bytes is refused", () => {
    const target = path.join(dir, "c.safetensors");
    const enc = (v: number) =>
      Buffer.from(encodeSafetensors({ a: { dtype: "float32", shape: [4], data: new Float32Array(4).fill(v) }, b: { dtype: "float32", shape: [2], data: new Float32Array(2).fill(v) } }, {}, { checksum: true }));
    fs.writeFileSync(target, enc(1));
    const replacement = enc(2);
    // Same length, same layout: only the data and the checksum differ. Keep mtime equal to defeat the stat check,
    // so that this exercises the checksum alone.
    const st = fs.statSync(target);
    const realRead = fs.readSync;
    let calls = 0;
    vi.spyOn(fs, "readSync").mockImplementation(((fd: number, buf: Uint8Array, off: number, len: number, pos: number) => {
      if (++calls === 3) {
        // Only the second tensor's data changes: the reader has the old "a" and would get the new "b".
        const w = fs.openSync(target, "r+");
        fs.writeSync(w, replacement, replacement.length - 8, 8, replacement.length - 8);
        fs.closeSync(w);
        fs.utimesSync(target, st.atime, st.mtime);
      }
      return realRead(fd, buf, off, len, pos);
    }) as typeof fs.readSync);
    expect(() => readSafetensorsFileSync(target)).toThrow(/the data does not match its checksum .*changed while being read/);
  });

  it("a file without a checksum (another writer's): the change is caught by its size and time", () => {
    const target = path.join(dir, "plain.safetensors");
    saveSync({ a: tensor([1, 1, 1, 1]), b: tensor([1, 1]) }, target);
    const bytes = fs.readFileSync(target);
    const replacement = Buffer.from(bytes);
    replacement.fill(0, replacement.length - 8); // "b" becomes zeros
    rewriteDuringRead(target, replacement);
    expect(() => loadSync(target)).toThrow(`cannot read "${target}": it changed while being read`);
  });

  it("files without a checksum still load, and checksummed files load", () => {
    const plain = path.join(dir, "plain.safetensors");
    saveSync({ a: tensor([1, 2]) }, plain);
    expect(fs.readFileSync(plain).includes("tensorgrad.crc32")).toBe(false); // save() writes what Python writes
    expect(Array.from(loadSync(plain).a.toArray())).toEqual([1, 2]);
    const summed = path.join(dir, "summed.safetensors");
    writeFileAtomicSync(summed, encodeSafetensors({ a: { dtype: "float32", shape: [2], data: Float32Array.from([3, 4]) } }, undefined, { checksum: true }));
    expect(Array.from(loadSync(summed).a.toArray())).toEqual([3, 4]);
    // A damaged byte in the data of a checksummed file is caught.
    const b = fs.readFileSync(summed);
    b[b.length - 1] ^= 1;
    fs.writeFileSync(summed, b);
    expect(() => loadSync(summed)).toThrow(/does not match its checksum/);
  });
});
