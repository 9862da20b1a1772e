/**
 * kill -9 during checkpoint saves: child processes save in a loop and are killed at random moments, mostly while
 * a temp file is being written. After every kill the checkpoint on disk must load and be one complete save
 * (its parameter values, step and extra agree); the temp files that killed writers leave behind are removed by
 * the next save to that path, so none are left at the end.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadCheckpointSync, nn, noGrad, saveCheckpointSync, zeros } from "../../ts/index";

const KILLS = Number(process.env.TENSORGRAD_KILL_TEST_KILLS ?? 8); // more for a longer run
const SIZE = 1 << 21; // 2M float32: an 8 MiB checkpoint, so a write takes long enough to be caught in the middle
const child = path.join(__dirname, "checkpoint-kill-child.ts");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tensorgrad-kill-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

class Big extends nn.Module {
  w = new nn.Parameter(zeros(SIZE));
}

const temps = () => fs.readdirSync(dir).filter((f) => f.endsWith(".tmp"));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The step of the checkpoint on disk, after checking it is one whole save. */
function checkIntact(target: string): number {
  const model = new Big();
  const info = loadCheckpointSync(target, { model });
  const step = info.step as number;
  expect(info.extra).toEqual({ step, note: "kill test" });
  const w = model.w.toArray() as Float32Array;
  expect(w.length).toBe(SIZE);
  expect(w[0]).toBe(step);
  expect(w.every((v) => v === step)).toBe(true);
  return step;
}

describe("checkpoint saves killed with SIGKILL", () => {
  it(`${KILLS} kills: the previous checkpoint always loads whole, and no temp file is left`, async () => {
    const target = path.join(dir, "ckpt.safetensors");
    const seed = new Big();
    saveCheckpointSync(target, { model: seed, step: 0, extra: { step: 0, note: "kill test" } });
    let next = 1;
    let midWrite = 0;
    let leakedSeen = 0;
    const stepsSeen: number[] = [];
    for (let k = 0; k < KILLS; k++) {
      const proc = spawn(process.execPath, ["--import", "tsx", child, target, String(SIZE), String(next)], { stdio: ["ignore", "pipe", "inherit"] });
      let saves = 0;
      proc.stdout.on("data", (b: Buffer) => (saves += (b.toString().match(/saved/g) ?? []).length));
      const exited = new Promise<void>((r) => proc.on("exit", () => r()));
      // Wait until the child has finished a save or two, then until it is writing a temp file, plus a random delay.
      const wantSaves = 1 + (k % 2);
      const deadline = Date.now() + 60_000;
      while (saves < wantSaves && Date.now() < deadline) await sleep(2);
      const before = new Set(temps());
      while (Date.now() < deadline && !temps().some((f) => !before.has(f))) await sleep(1);
      await sleep(Math.floor(Math.random() * 4));
      const writing = temps().some((f) => !before.has(f));
      proc.kill("SIGKILL");
      await exited;
      if (writing) midWrite++;
      expect(saves).toBeGreaterThanOrEqual(wantSaves);
      leakedSeen += temps().length;
      stepsSeen.push(checkIntact(target));
      next += saves + 2;
    }
    // The next save to the path removes what the killed writers left.
    const tempsBeforeFinalSave = temps().length;
    const last = new Big();
    noGrad(() => last.w.fill_(999));
    saveCheckpointSync(target, { model: last, step: 999, extra: { step: 999, note: "kill test" } });
    expect(checkIntact(target)).toBe(999);
    const left = temps().length;
    console.log(
      `kill -9 during saves: ${KILLS} kills (${midWrite} while a temp file was being written), ` +
        `${KILLS}/${KILLS} checkpoints intact after the kill (steps ${stepsSeen.join(", ")}), ` +
        `temp files seen right after kills (summed): ${leakedSeen}, before the final save: ${tempsBeforeFinalSave}, left after it: ${left}`,
    );
    expect(midWrite).toBeGreaterThan(0);
    expect(left).toBe(0);
  }, 180_000);
});
