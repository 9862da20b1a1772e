#!/usr/bin/env node
// `node scripts/check-symbols.js FILE.node...`: fails, listing the offending symbols, when a Linux binary
// needs a newer glibc or C++ runtime than the release supports: GLIBC_2.17 (RHEL/CentOS 7, Debian 8,
// Ubuntu 14.04; also arm64's first glibc), GLIBCXX_3.4.22 and CXXABI_1.3.9 (GCC 6's libstdc++, so RHEL 8's,
// RHEL 9's and Amazon Linux 2023's too). Without arguments it checks build/Release/tensorgrad.node and every
// prebuilds/linux-*/*.node. Reads `objdump -T` (binutils), or the target's cross objdump for a foreign ELF.
// native/compat/glibc_compat.h is where an offending symbol gets pinned to an older version.
"use strict";
const { spawnSync } = require("child_process");
const fs = require("fs");
const path = require("path");

const LIMITS = { GLIBC: "2.17", GLIBCXX: "3.4.22", CXXABI: "1.3.9" };

const root = path.join(__dirname, "..");

function defaultFiles() {
  const files = [];
  const built = path.join(root, "build", "Release", "tensorgrad.node");
  if (fs.existsSync(built)) files.push(built);
  const prebuilds = path.join(root, "prebuilds");
  for (const dir of fs.existsSync(prebuilds) ? fs.readdirSync(prebuilds) : []) {
    if (!dir.startsWith("linux-")) continue;
    for (const f of fs.readdirSync(path.join(prebuilds, dir))) {
      if (f.endsWith(".node")) files.push(path.join(prebuilds, dir, f));
    }
  }
  return files;
}

/** -1, 0 or 1 as dotted version a is older than, equal to or newer than b. */
function compareVersions(a, b) {
  const x = a.split(".").map(Number);
  const y = b.split(".").map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); ++i) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

// e_machine (ELF header offset 18) -> the cross binutils prefix Debian uses, for when the host objdump
// does not know the architecture.
const CROSS_PREFIX = { 0xb7: "aarch64-linux-gnu-", 0x3e: "x86_64-linux-gnu-" };

function objdump(file) {
  const header = Buffer.alloc(20);
  const fd = fs.openSync(file, "r");
  fs.readSync(fd, header, 0, 20, 0);
  fs.closeSync(fd);
  if (header.readUInt32BE(0) !== 0x7f454c46) throw new Error(`${file}: not an ELF file`);
  const candidates = ["objdump"];
  const prefix = CROSS_PREFIX[header.readUInt16LE(18)];
  if (prefix) candidates.push(`${prefix}objdump`);
  let last = "";
  for (const tool of candidates) {
    const r = spawnSync(tool, ["-T", file], { encoding: "utf8" });
    if (r.status === 0 && /DYNAMIC SYMBOL TABLE/.test(r.stdout)) return r.stdout;
    last = r.error ? `${tool}: ${r.error.message}` : `${tool}: ${(r.stderr || "").trim()}`;
  }
  throw new Error(`${file}: could not read its dynamic symbols (${last}); install binutils`);
}

/** Every versioned symbol, with the version namespace and number it requires. */
function versionedSymbols(dump) {
  const out = [];
  // e.g. "0000000000000000      DF *UND*  0000000000000000 (GLIBC_2.29) exp" (parentheses: not the default)
  const re = /\(?\b(GLIBC|GLIBCXX|CXXABI)_([0-9.]+)\)?\s+(\S+)\s*$/;
  for (const line of dump.split("\n")) {
    if (!/\*UND\*/.test(line)) continue;
    const m = re.exec(line);
    if (m) out.push({ ns: m[1], version: m[2], symbol: m[3] });
  }
  return out;
}

function check(file) {
  const symbols = versionedSymbols(objdump(file));
  const newest = {};
  for (const s of symbols) {
    if (!newest[s.ns] || compareVersions(s.version, newest[s.ns]) > 0) newest[s.ns] = s.version;
  }
  const offending = symbols.filter((s) => compareVersions(s.version, LIMITS[s.ns]) > 0);
  const rel = path.relative(process.cwd(), file) || file;
  const summary = Object.keys(LIMITS)
    .map((ns) => `${ns}_${newest[ns] ?? "-"}`)
    .join(", ");
  if (offending.length === 0) {
    console.log(`check-symbols: ${rel}: ok (needs at most ${summary})`);
    return true;
  }
  console.error(`check-symbols: ${rel} needs ${summary}; allowed at most ` +
    Object.entries(LIMITS).map(([ns, v]) => `${ns}_${v}`).join(", ") + ". Offending symbols:");
  for (const s of offending) console.error(`  ${s.ns}_${s.version}  ${s.symbol}`);
  console.error("Pin them to an older version in native/compat/glibc_compat.h, or stop using them.");
  return false;
}

const files = process.argv.length > 2 ? process.argv.slice(2).map((f) => path.resolve(f)) : defaultFiles();
if (files.length === 0) {
  console.error("check-symbols: no .node file given and none found in build/Release or prebuilds/linux-*");
  process.exit(1);
}
let ok = true;
for (const f of files) {
  try {
    ok = check(f) && ok;
  } catch (e) {
    console.error(`check-symbols: ${e.message}`);
    ok = false;
  }
}
process.exit(ok ? 0 : 1);
