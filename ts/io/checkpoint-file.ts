/**
 * Whole-file reads and crash-safe writes. A write goes to a temporary file in the target's directory
 * (same filesystem, so the rename is atomic), is fsynced, then renamed over the target: readers see
 * either the old file or the complete new one, never a half-written file.
 *
 * - Temp names are short (a hash of the target's name, the writer's pid, a random tag), so any name the
 *   filesystem accepts can be saved, and a save removes the temp files that killed writers left behind.
 * - A symlink target is written through (the link stays, the file it points to is replaced).
 * - Async saves to one path run one after another in call order; a save never replaces a newer one.
 * - Reads and writes go in chunks (one call is limited to 2 GiB), reads only from regular files, and a
 *   file that changes while it is read is an error rather than a mix of old and new bytes.
 *
 * fs is used through its default export so tests can inject failures with vi.spyOn.
 */
import fs from "node:fs";
import path from "node:path";
import { createHash, randomBytes } from "node:crypto";
import { type DecodedSafetensors, type ReadRequest, safetensorsReadPlan } from "./safetensors-codec";

/** The largest single read or write. Node refuses more than 2 GiB per call; tests make it small. */
export const ioLimits = { chunkBytes: 1 << 30 };

/** What a write takes: one buffer, or the file as consecutive runs of bytes. */
export type FileBytes = Uint8Array | readonly Uint8Array[];

const partsOf = (bytes: FileBytes): readonly Uint8Array[] => (bytes instanceof Uint8Array ? [bytes] : bytes);

// ---------------------------------------------------------------------------------------------- temp files

/** `.tg-<hash of the target's name>.<pid>.<random>.tmp`: about 50 bytes whatever the target's name is. */
const TEMP_RE = /^\.tg-([0-9a-f]{12})\.(\d+)\.[0-9a-f]{12}\.tmp$/;

function nameHash(target: string): string {
  return createHash("sha256").update(path.basename(target)).digest("hex").slice(0, 12);
}

function tempPathFor(target: string): string {
  return path.join(path.dirname(target), `.tg-${nameHash(target)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
}

/** Temp files this process is writing right now (a stale file may carry our pid from an earlier process). */
const activeTemps = new Set<string>();

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM"; // exists, owned by someone else
  }
}

/** The temp files in `names` that belong to `target` and whose writer is gone. */
function staleTemps(target: string, names: readonly string[]): string[] {
  const hash = nameHash(target);
  const dir = path.dirname(target);
  const out: string[] = [];
  for (const name of names) {
    const m = TEMP_RE.exec(name);
    if (m === null || m[1] !== hash) continue;
    const full = path.join(dir, name);
    const pid = Number(m[2]);
    if (pid === process.pid ? !activeTemps.has(full) : !pidAlive(pid)) out.push(full);
  }
  return out;
}

function removeStaleTempsSync(target: string): void {
  let names: string[];
  try {
    names = fs.readdirSync(path.dirname(target));
  } catch {
    return; // the write itself will report a missing directory
  }
  for (const f of staleTemps(target, names)) {
    try {
      fs.unlinkSync(f);
    } catch {
      // another writer may have removed it first
    }
  }
}

async function removeStaleTemps(target: string): Promise<void> {
  let names: string[];
  try {
    names = await fs.promises.readdir(path.dirname(target));
  } catch {
    return;
  }
  for (const f of staleTemps(target, names)) await fs.promises.unlink(f).catch(() => undefined);
}

// ---------------------------------------------------------------------------------------------- errors

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

class ReadFailure extends Error {}

// ---------------------------------------------------------------------------------------------- symlinks

const MAX_LINKS = 40; // Linux's limit before ELOOP

function loopError(target: string): Error {
  return Object.assign(new Error(`ELOOP: too many levels of symbolic links, '${target}'`), { code: "ELOOP" });
}

/** The file a write to `target` should replace: the end of its symlink chain (which may not exist yet). */
function resolveTargetSync(target: string): string {
  let p = path.resolve(target);
  for (let i = 0; i < MAX_LINKS; i++) {
    let st: fs.Stats;
    try {
      st = fs.lstatSync(p);
    } catch {
      return p;
    }
    if (!st.isSymbolicLink()) return p;
    p = path.resolve(path.dirname(p), fs.readlinkSync(p));
  }
  throw loopError(target);
}

async function resolveTarget(target: string): Promise<string> {
  let p = path.resolve(target);
  for (let i = 0; i < MAX_LINKS; i++) {
    let st: fs.Stats;
    try {
      st = await fs.promises.lstat(p);
    } catch {
      return p;
    }
    if (!st.isSymbolicLink()) return p;
    p = path.resolve(path.dirname(p), await fs.promises.readlink(p));
  }
  throw loopError(target);
}

// ---------------------------------------------------------------------------------------------- ordering

/**
 * Per target path (as given, made absolute): async saves wait for the previous one (`tail`); `issued` numbers every save at its call,
 * `committed` is the number of the newest one renamed into place, so an older save never replaces a newer
 * one (a sync save can complete while an async one is still writing).
 */
interface PathState {
  tail: Promise<void>;
  issued: number;
  committed: number;
  users: number;
}
const pathStates = new Map<string, PathState>();

function enter(real: string): PathState {
  let st = pathStates.get(real);
  if (st === undefined) {
    st = { tail: Promise.resolve(), issued: 0, committed: 0, users: 0 };
    pathStates.set(real, st);
  }
  st.users++;
  return st;
}

function leave(real: string, st: PathState): void {
  if (--st.users === 0) pathStates.delete(real);
}

// ---------------------------------------------------------------------------------------------- writes

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

export function writeFileAtomicSync(target: string, bytes: FileBytes): void {
  const key = path.resolve(target);
  const st = enter(key);
  try {
    const seq = ++st.issued;
    let real: string;
    try {
      real = resolveTargetSync(target);
    } catch (e) {
      throw writeError(target, e);
    }
    removeStaleTempsSync(real);
    const temp = tempPathFor(real);
    activeTemps.add(temp);
    let fd: number | undefined;
    try {
      fd = fs.openSync(temp, "wx", 0o644);
      for (const part of partsOf(bytes)) {
        let written = 0;
        while (written < part.length) {
          written += fs.writeSync(fd, part, written, Math.min(ioLimits.chunkBytes, part.length - written));
        }
      }
      fs.fsyncSync(fd);
      fs.closeSync(fd);
      fd = undefined;
      fs.renameSync(temp, real);
      st.committed = Math.max(st.committed, seq);
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
    } finally {
      activeTemps.delete(temp);
    }
    syncDirSync(path.dirname(real));
  } finally {
    leave(key, st);
  }
}

export async function writeFileAtomic(target: string, bytes: FileBytes): Promise<void> {
  // The slot in the per-path order is taken at the call, before anything asynchronous.
  const key = path.resolve(target);
  const st = enter(key);
  const seq = ++st.issued;
  const previous = st.tail;
  let done!: () => void;
  st.tail = new Promise<void>((resolve) => (done = resolve));
  try {
    await previous;
    let real: string;
    try {
      real = await resolveTarget(target);
    } catch (e) {
      throw writeError(target, e);
    }
    await removeStaleTemps(real);
    const temp = tempPathFor(real);
    activeTemps.add(temp);
    let handle: fs.promises.FileHandle | undefined;
    try {
      handle = await fs.promises.open(temp, "wx", 0o644);
      for (const part of partsOf(bytes)) {
        let written = 0;
        while (written < part.length) {
          const { bytesWritten } = await handle.write(part, written, Math.min(ioLimits.chunkBytes, part.length - written));
          written += bytesWritten;
        }
      }
      await handle.sync();
      await handle.close();
      handle = undefined;
      if (st.committed > seq) {
        // A newer (sync) save finished while this one was writing: the file already holds newer data.
        await fs.promises.unlink(temp).catch(() => undefined);
        return;
      }
      // Synchronous, so that no sync save can land between the check above and the rename.
      fs.renameSync(temp, real);
      st.committed = seq;
    } catch (e) {
      await handle?.close().catch(() => undefined);
      await fs.promises.unlink(temp).catch(() => undefined);
      throw writeError(target, e);
    } finally {
      activeTemps.delete(temp);
    }
    await syncDir(path.dirname(real));
  } finally {
    done();
    leave(key, st);
  }
}

// ---------------------------------------------------------------------------------------------- reads

function kindOf(st: fs.Stats): string {
  if (st.isFIFO()) return "a FIFO";
  if (st.isCharacterDevice()) return "a character device";
  if (st.isBlockDevice()) return "a block device";
  if (st.isSocket()) return "a socket";
  return "not a regular file";
}

function checkRegular(st: fs.Stats): void {
  if (st.isDirectory()) throw Object.assign(new Error("it is a directory"), { code: "EISDIR" });
  if (!st.isFile()) throw new ReadFailure(`it is ${kindOf(st)}, not a regular file`);
}

/** O_NONBLOCK: opening a FIFO must not wait for a writer (the fstat check then refuses it). */
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0);

function sameFile(a: fs.Stats, b: fs.Stats): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.ino === b.ino && a.dev === b.dev;
}

function shrunk(pos: number, size: number): ReadFailure {
  return new ReadFailure(`it changed while being read (it ended at byte ${pos}, ${size} were expected)`);
}

const changed = (): ReadFailure => new ReadFailure("it changed while being read");

/** Runs a read plan against an open file: every request is answered in chunks of at most ioLimits.chunkBytes. */
function runPlanSync<T>(fd: number, plan: Generator<ReadRequest, T, void>, size: number): T {
  for (let step = plan.next(); ; ) {
    if (step.done) return step.value;
    const { buf, pos } = step.value;
    let got = 0;
    while (got < buf.length) {
      const n = fs.readSync(fd, buf, got, Math.min(ioLimits.chunkBytes, buf.length - got), pos + got);
      if (n === 0) throw shrunk(pos + got, size);
      got += n;
    }
    step = plan.next();
  }
}

async function runPlan<T>(handle: fs.promises.FileHandle, plan: Generator<ReadRequest, T, void>, size: number): Promise<T> {
  for (let step = plan.next(); ; ) {
    if (step.done) return step.value;
    const { buf, pos } = step.value;
    let got = 0;
    while (got < buf.length) {
      const { bytesRead } = await handle.read(buf, got, Math.min(ioLimits.chunkBytes, buf.length - got), pos + got);
      if (bytesRead === 0) throw shrunk(pos + got, size);
      got += bytesRead;
    }
    step = plan.next();
  }
}

/** The plan of a whole-file read. */
function* wholeFile(size: number): Generator<ReadRequest, Uint8Array, void> {
  const buf = new Uint8Array(size);
  if (size > 0) yield { buf, pos: 0 };
  return buf;
}

/**
 * Opens a regular file, runs `makePlan(size)` on it and checks that the file did not change meanwhile.
 * Errors of the plan itself (e.g. SafetensorsError) pass through unchanged; file errors name the file.
 */
function readWithPlanSync<T>(target: string, makePlan: (size: number) => Generator<ReadRequest, T, void>): T {
  let fd: number | undefined;
  let before: fs.Stats;
  try {
    checkRegular(fs.statSync(target));
    fd = fs.openSync(target, OPEN_FLAGS);
    before = fs.fstatSync(fd);
    checkRegular(before);
  } catch (e) {
    if (fd !== undefined) fs.closeSync(fd);
    throw e instanceof ReadFailure ? new Error(`cannot read "${target}": ${e.message}`) : readError(target, e);
  }
  try {
    const out = runPlanSync(fd, makePlan(before.size), before.size);
    if (!sameFile(before, fs.fstatSync(fd))) throw changed();
    return out;
  } catch (e) {
    if (e instanceof ReadFailure) throw new Error(`cannot read "${target}": ${e.message}`);
    if ((e as NodeJS.ErrnoException | null)?.code !== undefined) throw readError(target, e);
    throw e;
  } finally {
    fs.closeSync(fd);
  }
}

async function readWithPlan<T>(target: string, makePlan: (size: number) => Generator<ReadRequest, T, void>): Promise<T> {
  let handle: fs.promises.FileHandle | undefined;
  let before: fs.Stats;
  try {
    checkRegular(await fs.promises.stat(target));
    handle = await fs.promises.open(target, OPEN_FLAGS);
    before = await handle.stat();
    checkRegular(before);
  } catch (e) {
    await handle?.close().catch(() => undefined);
    throw e instanceof ReadFailure ? new Error(`cannot read "${target}": ${e.message}`) : readError(target, e);
  }
  try {
    const out = await runPlan(handle, makePlan(before.size), before.size);
    if (!sameFile(before, await handle.stat())) throw changed();
    return out;
  } catch (e) {
    if (e instanceof ReadFailure) throw new Error(`cannot read "${target}": ${e.message}`);
    if ((e as NodeJS.ErrnoException | null)?.code !== undefined) throw readError(target, e);
    throw e;
  } finally {
    await handle.close().catch(() => undefined);
  }
}

export function readFileBytesSync(target: string): Uint8Array {
  return readWithPlanSync(target, wholeFile);
}

export async function readFileBytes(target: string): Promise<Uint8Array> {
  return readWithPlan(target, wholeFile);
}

/**
 * Reads and decodes a safetensors file piece by piece: sizes are checked against the header before the data
 * is read, and each tensor is read into its own buffer. Format errors are thrown as SafetensorsError.
 */
export function readSafetensorsFileSync(target: string): DecodedSafetensors {
  return readWithPlanSync(target, safetensorsReadPlan);
}

export async function readSafetensorsFile(target: string): Promise<DecodedSafetensors> {
  return readWithPlan(target, safetensorsReadPlan);
}
