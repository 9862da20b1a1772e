#!/usr/bin/env node
// `node scripts/verify-tarball.js tensorgrad-X.Y.Z.tgz`: installs a release tarball into a fresh project with
// only node, npm and sh on PATH (no compiler, make or python), then checks that it runs on the native backend
// with nothing compiled at install; that with LIBC=musl (what node-gyp-build assumes on Alpine) the glibc
// prebuild is not loaded and the TypeScript backend takes over; and, when qemu-user and Debian's arm64 sysroot
// are installed, that the arm64 prebuild runs natively under qemu (scripts/arm64-qemu.js).
"use strict";
const { spawnSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");

const tarball = path.resolve(process.argv[2] || "");
if (!process.argv[2] || !fs.existsSync(tarball)) {
  console.error("usage: node scripts/verify-tarball.js PACKAGE.tgz");
  process.exit(1);
}

function which(name) {
  for (const dir of (process.env.PATH || "").split(path.delimiter)) {
    const p = path.join(dir, name);
    if (dir && fs.existsSync(p)) return fs.realpathSync(p);
  }
  return null;
}

const npmCli = process.env.npm_execpath || which("npm");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "tensorgrad-verify-"));
const bin = path.join(work, "bin");
fs.mkdirSync(bin);
fs.symlinkSync(process.execPath, path.join(bin, "node"));
fs.symlinkSync(npmCli, path.join(bin, "npm"));
fs.symlinkSync(fs.realpathSync("/bin/sh"), path.join(bin, "sh"));
const env = { HOME: process.env.HOME || work, PATH: bin, TMPDIR: os.tmpdir(), LANG: "C" };
const app = path.join(work, "app");
fs.mkdirSync(app);
fs.writeFileSync(path.join(app, "package.json"), JSON.stringify({ name: "tg-verify", version: "1.0.0", private: true }));

let failed = false;
function expectOk(what, r, test) {
  const out = `${r.stdout || ""}${r.stderr || ""}`.trim();
  const ok = r.status === 0 && test(out);
  console.log(`${ok ? "ok  " : "FAIL"} ${what}${out ? `\n     ${out.split("\n").join("\n     ")}` : ""}`);
  if (!ok) failed = true;
  return ok;
}

const install = spawnSync(process.execPath, [npmCli, "install", "--prefer-offline", "--no-audit", "--no-fund", tarball],
  { cwd: app, env, encoding: "utf8" });
if (!expectOk("npm install with no compiler on PATH", install, () => true)) process.exit(1);
const pkg = path.join(app, "node_modules", "tensorgrad");
expectOk("nothing was compiled at install (no build/)", { status: fs.existsSync(path.join(pkg, "build")) ? 1 : 0 }, () => true);

// A small training step; prints the backend, the CPU level and the loss.
const probe = `
const tg = require("tensorgrad");
tg.manualSeed(0);
const x = tg.randn([64, 32]), w = tg.randn([32, 8], { requiresGrad: true });
const loss = x.matmul(w).relu().sum();
loss.backward();
console.log(process.platform + "-" + process.arch, tg.getBackend(), "loss", loss.item().toFixed(3), "grad", w.grad.abs().sum().item().toFixed(3));
`;
const native = spawnSync(process.execPath, ["-e", probe], { cwd: app, env, encoding: "utf8" });
expectOk("runs on the native backend", native, (o) => / native /.test(o));

const musl = spawnSync(process.execPath, ["-e", probe], { cwd: app, env: { ...env, LIBC: "musl" }, encoding: "utf8" });
expectOk("LIBC=musl (Alpine): the glibc prebuild is not loaded, the TypeScript backend runs", musl, (o) => / js /.test(o));

const haveQemu = spawnSync("qemu-aarch64", ["--version"]).status === 0 && fs.existsSync("/usr/aarch64-linux-gnu/lib");
if (haveQemu) {
  const started = Date.now();
  const arm = spawnSync(process.execPath, [path.join(__dirname, "arm64-qemu.js"), "-e", probe],
    { cwd: app, env: { ...process.env, ...env, PATH: process.env.PATH }, encoding: "utf8" });
  expectOk(`linux-arm64 under qemu runs on the native backend (${((Date.now() - started) / 1000).toFixed(0)} s)`, arm,
    (o) => /linux-arm64 native /.test(o));
} else {
  console.log("skip linux-arm64: qemu-aarch64 or /usr/aarch64-linux-gnu missing (apt-get install qemu-user g++-aarch64-linux-gnu)");
}

fs.rmSync(work, { recursive: true, force: true });
process.exit(failed ? 1 : 0);
