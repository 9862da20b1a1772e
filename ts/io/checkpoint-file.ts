/**
 * Whole-file reads and crash-safe writes. A write goes to a temporary file in the target's directory
 * (same filesystem, so the rename is atomic), is fsynced, then renamed over the target: readers see
 * either the old file or the complete new one, never a half-written file.
 * fs is used through its default export so tests can inject failures with vi.spyOn.
 */
import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";

function tempPathFor(target: string): string {
  const dir = path.dirname(target);
  return path.join(dir, `.${path.basename(target)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function writeError(target: string, e: unknown): Error {
  return new Error(`cannot write "${target}": ${describe(e)}`, { cause: e });
}

function readError(target: string, e: unknown): Error {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  if (code === "ENOENT") return new Error(`cannot read "${target}": no such file`, { cause: e });
  if (code === "EISDIR") return new Error(`cannot read "${target}": it is a directory`, { cause: e });
  return new Error(`cannot read "${target}": ${describe(e)}`, { cause: e });
}

/** Makes the rename itself durable; not every platform can open a directory, and that is fine. */
function syncDirSync(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, "r");
    fs.fsyncSync(fd);
  } catch {
    // best effort
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

async function syncDir(dir: string): Promise<void> {
  let handle: fs.promises.FileHandle | undefined;
  try {
    handle = await fs.promises.open(dir, "r");
    await handle.sync();
  } catch {
    // best effort
  } finally {
    await handle?.close();
  }
}

export function writeFileAtomicSync(target: string, bytes: Uint8Array): void {
  const temp = tempPathFor(target);
  let fd: number | undefined;
  try {
    fd = fs.openSync(temp, "wx", 0o644);
    let written = 0;
    while (written < bytes.length) written += fs.writeSync(fd, bytes, written, bytes.length - written);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(temp, target);
  } catch (e) {
    if (fd !== undefined) {
      try {
        fs.closeSync(fd);
      } catch {
        // already failing; the original error matters
      }
    }
    try {
      fs.unlinkSync(temp);
    } catch {
      // it may never have been created
    }
    throw writeError(target, e);
  }
  syncDirSync(path.dirname(target));
}

export async function writeFileAtomic(target: string, bytes: Uint8Array): Promise<void> {
  const temp = tempPathFor(target);
  let handle: fs.promises.FileHandle | undefined;
  try {
    handle = await fs.promises.open(temp, "wx", 0o644);
    let written = 0;
    while (written < bytes.length) {
      const { bytesWritten } = await handle.write(bytes, written, bytes.length - written);
      written += bytesWritten;
    }
    await handle.sync();
    await handle.close();
    handle = undefined;
    await fs.promises.rename(temp, target);
  } catch (e) {
    await handle?.close().catch(() => undefined);
    await fs.promises.unlink(temp).catch(() => undefined);
    throw writeError(target, e);
  }
  await syncDir(path.dirname(target));
}

export function readFileBytesSync(target: string): Uint8Array {
  try {
    const buf = fs.readFileSync(target);
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  } catch (e) {
    throw readError(target, e);
  }
}

export async function readFileBytes(target: string): Promise<Uint8Array> {
  try {
    const buf = await fs.promises.readFile(target);
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  } catch (e) {
    throw readError(target, e);
  }
}
