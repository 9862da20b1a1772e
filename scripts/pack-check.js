#!/usr/bin/env node
// `npm run pack:check`: what `npm pack` would ship, checked. The tarball must carry dist/ (ESM, CJS, types),
// a prebuild for this platform, and what a source build needs; it must not carry tests, sources of the
// TypeScript, or local build output.
// With --release (npm's prepack runs it so): a glibc-tagged prebuild for every platform in RELEASE_PLATFORMS,
// each newer than every native source and passing scripts/check-symbols.js (oldest glibc/libstdc++ supported).
"use strict";
const { execFileSync, spawnSync } = require("child_process");
const fs = require("fs");
const path = require("path");

const RELEASE_PLATFORMS = ["linux-x64", "linux-arm64"];
const release = process.argv.includes("--release");

const root = path.join(__dirname, "..");
const npm = process.env.npm_execpath;
const out = npm
  ? execFileSync(process.execPath, [npm, "pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: root, encoding: "utf8" })
  : execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: root, encoding: "utf8" });
const [info] = JSON.parse(out.slice(out.indexOf("[")));
const files = info.files.map((f) => f.path);
const platform = `${process.platform}-${process.arch}`;

const problems = [];
const need = (re, what) => files.some((f) => re.test(f)) || problems.push(`missing ${what}`);
need(/^dist\/index\.mjs$/, "dist/index.mjs (run `npm run build:ts`)");
need(/^dist\/index\.cjs$/, "dist/index.cjs (run `npm run build:ts`)");
need(/^dist\/index\.d\.ts$/, "dist/index.d.ts (run `npm run build:ts`)");
if (release) {
  const newestSource = Math.max(newestMtime(path.join(root, "native"), (f) => /\.(cc|h)$/.test(f)),
    fs.statSync(path.join(root, "binding.gyp")).mtimeMs);
  const prebuilds = [];
  for (const p of RELEASE_PLATFORMS) {
    const [, arch] = p.split("-");
    const how = `run \`npm run prebuildify${arch === process.arch ? "" : ` -- --arch ${arch}`}\` or \`npm run release\``;
    const file = files.find((f) => new RegExp(`^prebuilds/${p}/[^/]+\\.glibc\\.node$`).test(f));
    if (!file) {
      problems.push(`missing the glibc prebuild for ${p} (${how})`);
    } else if (fs.statSync(path.join(root, file)).mtimeMs < newestSource) {
      problems.push(`${file} is older than the native sources (${how})`);
    } else {
      prebuilds.push(path.join(root, file));
    }
  }
  if (prebuilds.length > 0) {
    const check = spawnSync(process.execPath, [path.join(__dirname, "check-symbols.js"), ...prebuilds], { stdio: "inherit" });
    if (check.status !== 0) problems.push("a prebuild needs a newer glibc or libstdc++ than the release supports");
  }
} else {
  need(new RegExp(`^prebuilds/${platform}/[^/]+\\.node$`), `a prebuild in prebuilds/${platform}/ (run \`npm run prebuildify\`)`);
}
need(/^scripts\/install\.js$/, "scripts/install.js");
need(/^binding\.gyp$/, "binding.gyp");
need(/^native\/addon\/list_sources\.js$/, "native/addon/list_sources.js");
need(/^scripts\/build-mpi\.js$/, "scripts/build-mpi.js");
need(/^native\/mpi\/binding\.gyp$/, "native/mpi/binding.gyp");
for (const f of files) {
  if (/^(build|test|ts|bench|examples|native\/tests|native\/mpi\/build|node_modules)\//.test(f)) problems.push(`should not ship ${f}`);
}

function newestMtime(dir, keep) {
  let t = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newestMtime(p, keep));
    else if (keep(e.name)) t = Math.max(t, fs.statSync(p).mtimeMs);
  }
  return t;
}

const kb = (n) => `${(n / 1024).toFixed(1)} kB`;
console.log(`${info.filename}: ${files.length} files, ${kb(info.size)} packed, ${kb(info.unpackedSize)} unpacked`);
for (const f of info.files.filter((f) => f.path.startsWith("prebuilds/"))) console.log(`  ${f.path}  ${kb(f.size)}`);
if (problems.length) {
  for (const p of problems) console.error(`pack:check: ${p}`);
  process.exit(1);
}
console.log("pack:check: ok");
