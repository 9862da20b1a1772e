import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { readFileBytes, readFileBytesSync, writeFileAtomic, writeFileAtomicSync } from "../../ts/io/checkpoint-file";

let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "tensorgrad-io-"));
});

afterEach(() => {
  vi.restoreAllMocks();
  fs.rmSync(dir, { recursive: true, force: true });
});

const OLD = Uint8Array.from([1, 2, 3]);
const NEW = Uint8Array.from({ length: 100_000 }, (_, i) => i & 0xff);

type Variant = {
  name: string;
  write: (p: string, b: Uint8Array) => Promise<void>;
  read: (p: string) => Promise<Uint8Array>;
  /** Makes the write fail after part of the data went to the temp file. */
  injectWriteFailure: () => Promise<void>;
  injectRenameFailure: () => void;
};

const variants: Variant[] = [
  {
    name: "sync",
    write: async (p, b) => writeFileAtomicSync(p, b),
    read: async (p) => readFileBytesSync(p),
    injectWriteFailure: async () => {
      const real = fs.writeSync;
      let calls = 0;
      vi.spyOn(fs, "writeSync").mockImplementation(((fd: number, buf: Uint8Array, off: number) => {
        if (++calls > 1) throw Object.assign(new Error("ENOSPC: no space left on device"), { code: "ENOSPC" });
        return real(fd, buf, off, 10); // a short write, so the loop comes back for more
      }) as typeof fs.writeSync);
    },
    injectRenameFailure: () => {
      vi.spyOn(fs, "renameSync").mockImplementation(() => {
        throw Object.assign(new Error("EIO: i/o error, rename"), { code: "EIO" });
      });
    },
  },
  {
    name: "async",
    write: writeFileAtomic,
    read: readFileBytes,
    injectWriteFailure: async () => {
      const probe = await fs.promises.open(path.join(dir, "probe"), "w");
      const proto = Object.getPrototypeOf(probe) as fs.promises.FileHandle;
      await probe.close();
      type WriteBytes = (this: fs.promises.FileHandle, b: Uint8Array, off: number, len: number) => Promise<{ bytesWritten: number }>;
      const real = proto.write as unknown as WriteBytes;
      let calls = 0;
      const failing: WriteBytes = function (buf, off) {
        if (++calls > 1) return Promise.reject(Object.assign(new Error("ENOSPC: no space left on device"), { code: "ENOSPC" }));
        return real.call(this, buf, off, 10); // a short write, so the loop comes back for more
      };
      vi.spyOn(proto, "write").mockImplementation(failing as unknown as typeof proto.write);
      fs.rmSync(path.join(dir, "probe"));
    },
    injectRenameFailure: () => {
      // The async writer renames synchronously (so that no sync save can slip in between), as the sync one does.
      vi.spyOn(fs, "renameSync").mockImplementation(() => {
        throw Object.assign(new Error("EIO: i/o error, rename"), { code: "EIO" });
      });
    },
  },
];

const leftovers = () => fs.readdirSync(dir).filter((f) => f !== "model.safetensors" && f !== "target");

for (const v of variants) {
  describe(`writeFileAtomic (${v.name})`, () => {
    it("writes the bytes and replaces an existing file", async () => {
      const p = path.join(dir, "model.safetensors");
      await v.write(p, OLD);
      expect(Array.from(await v.read(p))).toEqual([1, 2, 3]);
      await v.write(p, NEW);
      expect(Buffer.from(await v.read(p)).equals(Buffer.from(NEW))).toBe(true);
      expect(leftovers()).toEqual([]);
    });

    it("keeps the previous file and leaves no temp file when a write fails midway", async () => {
      const p = path.join(dir, "model.safetensors");
      await v.write(p, OLD);
      await v.injectWriteFailure();
      await expect(v.write(p, NEW)).rejects.toThrow(`cannot write "${p}": ENOSPC: no space left on device`);
      vi.restoreAllMocks();
      expect(Array.from(await v.read(p))).toEqual([1, 2, 3]);
      expect(leftovers()).toEqual([]);
    });

    it("keeps the previous file and leaves no temp file when the rename fails", async () => {
      const p = path.join(dir, "model.safetensors");
      await v.write(p, OLD);
      v.injectRenameFailure();
      await expect(v.write(p, NEW)).rejects.toThrow(/EIO/);
      vi.restoreAllMocks();
      expect(Array.from(await v.read(p))).toEqual([1, 2, 3]);
      expect(leftovers()).toEqual([]);
    });

    it("fails cleanly when a directory stands where the file should go", async () => {
      const p = path.join(dir, "target");
      fs.mkdirSync(p);
      fs.writeFileSync(path.join(p, "inside"), "keep");
      await expect(v.write(p, NEW)).rejects.toThrow(`cannot write "${p}"`);
      expect(fs.readFileSync(path.join(p, "inside"), "utf8")).toBe("keep");
      expect(leftovers()).toEqual([]);
    });

    it("fails cleanly when the directory does not exist", async () => {
      const p = path.join(dir, "missing", "model.safetensors");
      await expect(v.write(p, NEW)).rejects.toThrow(`cannot write "${p}"`);
      expect(leftovers()).toEqual([]);
    });
  });

  describe(`readFileBytes (${v.name})`, () => {
    it("names a missing file", async () => {
      const p = path.join(dir, "nope.safetensors");
      await expect(v.read(p)).rejects.toThrow(`cannot read "${p}": no such file`);
    });

    it("names a directory", async () => {
      await expect(v.read(dir)).rejects.toThrow(`cannot read "${dir}": it is a directory`);
    });
  });
}
