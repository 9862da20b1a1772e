import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { distributed, nn } from "../../ts/index";

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

describe("building the binding", () => {
  it("without an MPI compiler wrapper the build step is silent and succeeds", () => {
    const r = spawnSync(process.execPath, [join(root, "scripts", "build-mpi.js")], {
      encoding: "utf8",
      env: { ...process.env, MPICC: join(root, "no-such-dir", "mpicc"), TENSORGRAD_INSTALL_VERBOSE: "0", npm_config_loglevel: "" },
    });
    expect(r.status).toBe(0);
    expect(r.stdout + r.stderr).toBe("");
  });

  it("mpi_flags.js asks the wrapper for include and library flags", () => {
    const cflags = spawnSync(process.execPath, [join(root, "native", "mpi", "mpi_flags.js"), "cflags"], { encoding: "utf8" });
    if (cflags.status !== 0) return; // no MPI here (mpi.test.ts reports that)
    expect(cflags.stdout).toMatch(/^-I/m);
    const libs = spawnSync(process.execPath, [join(root, "native", "mpi", "mpi_flags.js"), "libs"], { encoding: "utf8" });
    expect(libs.stdout).toMatch(/^-lmpi/m);
  });
});

describe("DistributedDataParallel's checks before any communication", () => {
  it("refuses a module without trainable parameters, as PyTorch, and needs a process group", () => {
    expect(() => new nn.parallel.DistributedDataParallel(new nn.ReLU())).toThrow(
      "DistributedDataParallel is not needed when a module doesn't have any parameter that requires a gradient.",
    );
    expect(() => new nn.parallel.DistributedDataParallel(new nn.Linear(2, 2), { bucketCapMB: 0 })).toThrow("bucketCapMB must be a positive number");
    expect(() => new nn.parallel.DistributedDataParallel(new nn.Linear(2, 2))).toThrow("Default process group has not been initialized");
  });
});
