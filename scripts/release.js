#!/usr/bin/env node
// `npm run release`: the release tarball from a clean clone, on Linux x64 (Debian/Ubuntu) with
// g++-aarch64-linux-gnu installed (and qemu-user for the arm64 check):
//
//   npm ci --ignore-scripts && npm run release
//
// (--ignore-scripts: the package's own install script would otherwise compile the addon once more.)
// It builds the prebuild of every release platform (linux-x64 natively, linux-arm64 cross-compiled), each
// symbol-checked, then `npm pack`, whose prepack hook rebuilds dist/ and refuses a tarball that lacks a fresh,
// checked prebuild for any of them. Then scripts/verify-tarball.js installs the tarball with no compiler on
// PATH and checks the native backend runs (on arm64 under qemu when qemu-user is installed).
// --no-verify skips that last step.
"use strict";
const { spawnSync } = require("child_process");
const fs = require("fs");
const path = require("path");

const root = path.join(__dirname, "..");
const ARCHES = ["x64", "arm64"];

if (process.platform !== "linux" || process.arch !== "x64") {
  console.error("release: run this on Linux x64 (it cross-compiles the arm64 prebuild)");
  process.exit(1);
}

function step(what, args) {
  console.log(`\n== release: ${what}`);
  const started = Date.now();
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: "inherit" });
  if (r.status !== 0) {
    console.error(`release: ${what} failed`);
    process.exit(1);
  }
  console.log(`== release: ${what}: ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

for (const arch of ARCHES) {
  step(`prebuild linux-${arch}`, [path.join(__dirname, "prebuild.js"), ...(arch === process.arch ? [] : ["--arch", arch])]);
}

console.log("\n== release: npm pack (prepack: build:ts, pack:check --release)");
const npm = process.env.npm_execpath;
const pkg = require(path.join(root, "package.json"));
const tarball = path.join(root, `${pkg.name.replace(/^@/, "").replace("/", "-")}-${pkg.version}.tgz`);
fs.rmSync(tarball, { force: true });
const packed = npm
  ? spawnSync(process.execPath, [npm, "pack"], { cwd: root, stdio: "inherit" })
  : spawnSync("npm", ["pack"], { cwd: root, stdio: "inherit" });
if (packed.status !== 0 || !fs.existsSync(tarball)) {
  console.error("release: npm pack failed");
  process.exit(1);
}
console.log(`== release: ${path.basename(tarball)}: ${(fs.statSync(tarball).size / 1024).toFixed(1)} kB`);

if (!process.argv.includes("--no-verify")) step("verify the tarball", [path.join(__dirname, "verify-tarball.js"), tarball]);
console.log(`\nrelease: ${path.relative(process.cwd(), tarball)} is ready (npm publish ${path.basename(tarball)})`);
