#!/usr/bin/env node
// `npm run prebuildify`: builds the N-API addon into prebuilds/<platform>-<arch>/ with prebuildify — one
// binary for every Node version with N-API 8 — then checks that it loads. Run it on each platform to publish
// (Linux x64, macOS arm64/x64, Windows x64...); `npm pack` ships whatever prebuilds/ holds.
// It builds against the running Node's headers (local ones when installed, so no download is needed).
// Extra arguments go to prebuildify (e.g. `npm run prebuildify -- --arch arm64`).
"use strict";
const { spawnSync } = require("child_process");
const fs = require("fs");
const path = require("path");

const root = path.join(__dirname, "..");
const env = { ...process.env };
const prefix = path.dirname(path.dirname(process.execPath));
if (!env.npm_config_nodedir && fs.existsSync(path.join(prefix, "include", "node", "node_api.h"))) {
  env.npm_config_nodedir = prefix;
}

const bin = require.resolve("prebuildify/bin.js", { paths: [root] });
const args = ["--napi", "--strip", "--target", `node@${process.versions.node}`, ...process.argv.slice(2)];
const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, stdio: "inherit", env });
if (r.status !== 0) process.exit(r.status ?? 1);

const dir = path.join(root, "prebuilds", `${process.platform}-${process.arch}`);
for (const f of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
  console.log(`prebuilds/${process.platform}-${process.arch}/${f}: ${(fs.statSync(path.join(dir, f)).size / 1024).toFixed(1)} kB`);
}
const addon = require("node-gyp-build")(root);
if (typeof addon.cpuLevel === "function") console.log(`loads; CPU level here: ${addon.cpuLevel()}`);
