#!/usr/bin/env node
// npm `install` script: use the prebuilt addon when one loads, otherwise build from source with
// node-gyp-build, and never fail `npm install`: without a toolchain tensorgrad runs on its pure-TypeScript
// backend, so a failed build is a one-line notice, not an error. Set TENSORGRAD_INSTALL_VERBOSE=1
// (or npm's --verbose) to see the full build log.
"use strict";
const { spawnSync } = require("child_process");
const fs = require("fs");
const path = require("path");

const root = path.join(__dirname, "..");
const verbose =
  process.env.TENSORGRAD_INSTALL_VERBOSE === "1" || /^(verbose|silly)$/.test(process.env.npm_config_loglevel || "");

/** Why the build failed, in a few words, from node-gyp's output. */
function reason(log, status, error) {
  if (error) return error.message;
  const known = [
    [/Could not find any Python|find Python|python.*not found/i, "no Python found (node-gyp needs python3)"],
    [/not found: make|make: (command )?not found|spawn make ENOENT/i, "`make` not found"],
    [/(g\+\+|c\+\+|cc|gcc|clang\+\+|clang): (command )?not found|No such file or directory.*(g\+\+|c\+\+)|CXX.*not found/i,
      "no C++ compiler found (g++ or clang++)"],
    [/node-gyp: (command )?not found|spawn node-gyp ENOENT/i, "node-gyp not found"],
    [/gyp ERR! (?:stack )?Error: (.*)/, null],
  ];
  for (const [re, text] of known) {
    const m = re.exec(log);
    if (m) return text ?? m[1].trim();
  }
  const errLine = log.split("\n").reverse().find((l) => /error|ERR!/i.test(l));
  return errLine ? errLine.trim() : `the build exited with status ${status}`;
}

function fallback(why) {
  console.warn(
    `tensorgrad: no prebuilt binary for ${process.platform}-${process.arch} and building the native addon ` +
      `failed (${why}); the pure-TypeScript backend will be used. Install python3, make and g++ and run ` +
      "`npm rebuild tensorgrad` for native speed.",
  );
  // Without a working toolchain the MPI binding cannot build either: one line is enough.
  process.exit(0);
}

/** Ends the install after building the optional MPI binding, which never fails the install either. */
function done() {
  const mpi = path.join(__dirname, "build-mpi.js");
  if (fs.existsSync(mpi)) spawnSync(process.execPath, [mpi], { cwd: root, stdio: "inherit" });
  process.exit(0);
}

// In a child process: a binary that crashes on load (wrong libc, say) must not take the install down with it.
function loads() {
  const probe = `const a = require("node-gyp-build")(${JSON.stringify(root)}); process.exit(typeof a.gemm === "function" ? 0 : 1)`;
  const r = spawnSync(process.execPath, ["-e", probe], { cwd: root, stdio: "ignore" });
  return r.status === 0;
}

let bin;
try {
  bin = require.resolve("node-gyp-build/bin.js");
} catch (e) {
  fallback("the node-gyp-build package is missing");
}

// A prebuild (or an earlier build) that loads is all we need; node-gyp-build's own check runs a shell command.
if (process.env.npm_config_build_from_source !== "true" && loads()) done();

const r = spawnSync(process.execPath, [bin], {
  cwd: root,
  stdio: verbose ? "inherit" : "pipe",
  encoding: "utf8",
  env: process.env,
});
if (r.status === 0 && !r.error && loads()) done();
const log = `${r.stdout || ""}\n${r.stderr || ""}`;
fallback(r.status === 0 && !r.error ? "the built addon does not load" : reason(log, r.status, r.error));
