#!/usr/bin/env node
// Builds the optional MPI binding (native/mpi → native/mpi/build/Release/tensorgrad_mpi.node) when an MPI
// compiler wrapper is found, and never fails: tensorgrad works without it, and distributed.initProcessGroup
// then says how to get it. Without mpicc it is silent (most installs have no MPI and need no notice); a
// failed build is one line. Run by scripts/install.js and `npm run build:native`;
// TENSORGRAD_INSTALL_VERBOSE=1 shows the build log.
"use strict";
const { spawnSync } = require("child_process");
const fs = require("fs");
const path = require("path");

const dir = path.join(__dirname, "..", "native", "mpi");
const verbose =
  process.env.TENSORGRAD_INSTALL_VERBOSE === "1" || /^(verbose|silly)$/.test(process.env.npm_config_loglevel || "");

if (spawnSync(process.execPath, [path.join(dir, "mpi_flags.js"), "cflags"], { stdio: "ignore" }).status !== 0) {
  if (verbose) console.log("tensorgrad: no MPI compiler wrapper (mpicc) found; skipping the optional MPI binding (distributed training).");
  process.exit(0);
}

/** node-gyp: npm's own during `npm install`, else the one in node_modules, else whatever is on PATH. */
function nodeGyp() {
  if (process.env.npm_config_node_gyp) return [process.execPath, process.env.npm_config_node_gyp];
  try {
    return [process.execPath, require.resolve("node-gyp/bin/node-gyp.js", { paths: [path.join(__dirname, "..")] })];
  } catch {
    return ["node-gyp"];
  }
}

// Node's own headers when installed (as scripts/prebuild.js), so that a build outside npm needs no download.
const env = { ...process.env };
const prefix = path.dirname(path.dirname(process.execPath));
if (!env.npm_config_nodedir && fs.existsSync(path.join(prefix, "include", "node", "node_api.h"))) env.npm_config_nodedir = prefix;

const [cmd, ...pre] = nodeGyp();
const r = spawnSync(cmd, [...pre, "rebuild"], { cwd: dir, env, stdio: verbose ? "inherit" : "pipe", encoding: "utf8" });
if (r.status === 0 && !r.error) {
  console.log("tensorgrad: built the MPI binding (native/mpi/build/Release/tensorgrad_mpi.node).");
} else {
  const log = `${r.stdout || ""}\n${r.stderr || ""}`;
  const lines = log.split("\n");
  const line = r.error
    ? r.error.message
    : lines.find((l) => /error:/.test(l)) || lines.find((l) => /ENOTFOUND|not found/i.test(l)) || `node-gyp exited with status ${r.status}`;
  console.warn(`tensorgrad: building the optional MPI binding failed (${line.trim()}); distributed training is unavailable.`);
}
