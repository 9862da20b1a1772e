#!/usr/bin/env node
// `npm run prebuildify [-- --arch arm64]`: builds the N-API addon into prebuilds/<platform>-<arch>/ with
// prebuildify — one binary for every Node version with N-API 8 — tagged with its libc on Linux
// (tensorgrad.glibc.node; node-gyp-build never loads it on musl/Alpine), then checks it: on Linux that it
// needs no glibc/libstdc++ newer than the release supports (scripts/check-symbols.js), and that it loads
// when it is for this machine.
//
// The build runs in a scratch copy of the native sources, so build/Release (the developer build) is left
// alone. Another --arch cross-compiles on Linux with Debian's cross toolchain (g++-aarch64-linux-gnu for
// arm64; CC/CXX from the environment win). Node's headers are the running Node's (no download), and they are
// the same for every architecture. Other arguments go to prebuildify.
"use strict";
const { spawnSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");

const root = path.join(__dirname, "..");
const argv = process.argv.slice(2);
const archAt = argv.indexOf("--arch");
const arch = archAt >= 0 ? argv[archAt + 1] : process.arch;
const platform = process.platform;
const cross = arch !== process.arch;

// Debian's cross toolchains, by Node's architecture name.
const TRIPLES = { arm64: "aarch64-linux-gnu", x64: "x86_64-linux-gnu" };

const env = { ...process.env };
const prefix = path.dirname(path.dirname(process.execPath));
if (!env.npm_config_nodedir && fs.existsSync(path.join(prefix, "include", "node", "node_api.h"))) {
  env.npm_config_nodedir = prefix;
}
if (cross) {
  const triple = TRIPLES[arch];
  if (platform !== "linux" || !triple) {
    console.error(`prebuild: cross-compiling ${platform}-${process.arch} -> ${platform}-${arch} is not set up here`);
    process.exit(1);
  }
  const gxx = `${triple}-g++`;
  if (!env.CXX && spawnSync(gxx, ["--version"]).status !== 0) {
    console.error(`prebuild: ${gxx} not found; on Debian/Ubuntu: apt-get install g++-${triple.replace(/_/g, "-")}`);
    process.exit(1);
  }
  env.CC ??= `${triple}-gcc`;
  env.CXX ??= gxx;
  env.LINK ??= env.CXX;
  env.AR ??= `${triple}-ar`;
  env.PREBUILD_STRIP_BIN ??= `${triple}-strip`;
}

// Only what binding.gyp reads; node_modules is linked for node-addon-api's headers.
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), `tensorgrad-prebuild-${arch}-`));
for (const f of ["binding.gyp", "package.json", "native"]) {
  fs.cpSync(path.join(root, f), path.join(scratch, f), {
    recursive: true,
    filter: (src) => path.relative(root, src) !== path.join("native", "tests"),
  });
}
fs.symlinkSync(path.join(root, "node_modules"), path.join(scratch, "node_modules"), "dir");

const out = path.join(root, "prebuilds", `${platform}-${arch}`);
fs.rmSync(out, { recursive: true, force: true });

const bin = require.resolve("prebuildify/bin.js", { paths: [root] });
const nodeGyp = require.resolve("node-gyp/bin/node-gyp.js", { paths: [root] });
const args = [
  "--napi", "--strip", "--target", `node@${process.versions.node}`, "--cwd", scratch, "--out", root,
  "--node-gyp", nodeGyp, ...(platform === "linux" ? ["--tag-libc"] : []), ...argv,
];
if (archAt < 0) args.push("--arch", arch);
const started = Date.now();
const r = spawnSync(process.execPath, [bin, ...args], { cwd: scratch, stdio: "inherit", env });
fs.rmSync(scratch, { recursive: true, force: true });
if (r.status !== 0) process.exit(r.status ?? 1);

const files = fs.existsSync(out) ? fs.readdirSync(out).filter((f) => f.endsWith(".node")) : [];
if (files.length === 0) {
  console.error(`prebuild: prebuildify wrote nothing to ${path.relative(root, out)}`);
  process.exit(1);
}
for (const f of files) {
  const kb = (fs.statSync(path.join(out, f)).size / 1024).toFixed(1);
  console.log(`prebuilds/${platform}-${arch}/${f}: ${kb} kB, built in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}
if (platform === "linux") {
  const check = spawnSync(process.execPath, [path.join(__dirname, "check-symbols.js"), ...files.map((f) => path.join(out, f))],
    { stdio: "inherit" });
  if (check.status !== 0) process.exit(1);
}
if (!cross) {
  // Straight from the file: node-gyp-build would prefer build/Release when there is one.
  const addon = require(path.join(out, files[0]));
  if (typeof addon.cpuLevel === "function") console.log(`loads; CPU level here: ${addon.cpuLevel()}`);
}
