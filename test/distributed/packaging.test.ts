import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { distributed } from "../../ts/index";

const root = join(__dirname, "..", "..");

describe("the MPI binding is optional", () => {
  it("the main addon does not link libmpi", () => {
    const addon = join(root, "build", "Release", "tensorgrad.node");
    const ldd = spawnSync("ldd", [addon], { encoding: "utf8" });
    if (!existsSync(addon) || ldd.status !== 0) return; // no local build, or no ldd (not Linux)
    expect(ldd.stdout).toMatch(/libc\.so/);
    expect(ldd.stdout).not.toMatch(/libmpi/);
  });

  it("without the binding, initProcessGroup says how to get it", () => {
    const prev = process.env.TENSORGRAD_MPI_PATH;
    process.env.TENSORGRAD_MPI_PATH = join(root, "no-such-dir", "tensorgrad_mpi.node");
    try {
      expect(distributed.isMpiAvailable()).toBe(false);
      expect(() => distributed.initProcessGroup({ backend: "mpi" })).toThrow(
        /apt-get install openmpi-bin libopenmpi-dev`\), then run `npm rebuild tensorgrad`/,
      );
      expect(distributed.isInitialized()).toBe(false);
    } finally {
      if (prev === undefined) delete process.env.TENSORGRAD_MPI_PATH;
      else process.env.TENSORGRAD_MPI_PATH = prev;
    }
  });

  it("without a process group, the collectives and getRank give PyTorch's error", () => {
    const msg = "Default process group has not been initialized, please make sure to call initProcessGroup.";
    expect(() => distributed.getRank()).toThrow(msg);
    expect(() => distributed.getWorldSize()).toThrow(msg);
    expect(() => distributed.barrier()).toThrow(msg);
    expect(() => distributed.destroyProcessGroup()).toThrow(msg);
  });
});
