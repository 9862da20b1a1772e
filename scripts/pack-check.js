#!/usr/bin/env node
// `npm run pack:check`: what `npm pack` would ship, checked. The tarball must carry dist/ (ESM, CJS, types),
// a prebuild for this platform, and what a source build needs; it must not carry tests, sources of the
// TypeScript, or local build output.
"use strict";
const { execFileSync } = require("child_process");
const path = require("path");

const root = path.join(__dirname, "..");
const npm = process.env.npm_execpath;
const out = npm
  ? execFileSync(process.execPath, [npm, "pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: root, encoding: "utf8" })
  : execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: root, encoding: "utf8" });
const [info] = JSON.parse(out);
const files = info.files.map((f) => f.path);
const platform = `${process.platform}-${process.arch}`;

const problems = [];
const need = (re, what) => files.some((f) => re.test(f)) || problems.push(`missing ${what}`);
need(/^dist\/index\.mjs$/, "dist/index.mjs (run `npm run build:ts`)");
need(/^dist\/index\.cjs$/, "dist/index.cjs (run `npm run build:ts`)");
need(/^dist\/index\.d\.ts$/, "dist/index.d.ts (run `npm run build:ts`)");
need(new RegExp(`^prebuilds/${platform}/[^/]+\\.node$`), `a prebuild in prebuilds/${platform}/ (run \`npm run prebuildify\`)`);
need(/^scripts\/install\.js$/, "scripts/install.js");
need(/^binding\.gyp$/, "binding.gyp");
need(/^native\/addon\/list_sources\.js$/, "native/addon/list_sources.js");
need(/^scripts\/build-mpi\.js$/, "scripts/build-mpi.js");
need(/^native\/mpi\/binding\.gyp$/, "native/mpi/binding.gyp");
for (const f of files) {
  if (/^(build|test|ts|bench|examples|native\/tests|native\/mpi\/build|node_modules)\//.test(f)) problems.push(`should not ship ${f}`);
}

const kb = (n) => `${(n / 1024).toFixed(1)} kB`;
console.log(`${info.filename}: ${files.length} files, ${kb(info.size)} packed, ${kb(info.unpackedSize)} unpacked`);
for (const f of info.files.filter((f) => f.path.startsWith("prebuilds/"))) console.log(`  ${f.path}  ${kb(f.size)}`);
if (problems.length) {
  for (const p of problems) console.error(`pack:check: ${p}`);
  process.exit(1);
}
console.log("pack:check: ok");
