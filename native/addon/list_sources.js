// Lists the addon's C++ sources for binding.gyp, one ISA level at a time, so that new files under
// native/ are built without editing the build: `node native/addon/list_sources.js avx2`.
// Files ending _avx512.cc / _avx2.cc get that ISA's flags; everything else is baseline. native/tests/ is skipped,
// and so is native/mpi/, the optional MPI binding with its own binding.gyp (the main addon must not link libmpi).
"use strict";
const fs = require("fs");
const path = require("path");

const level = process.argv[2] || "baseline";
const root = path.join(__dirname, "..", "..");
const out = [];

function walk(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      const rel = path.relative(root, full);
      if (rel !== path.join("native", "tests") && rel !== path.join("native", "mpi")) walk(full);
    } else if (entry.name.endsWith(".cc")) {
      const isa = entry.name.endsWith("_avx512.cc") ? "avx512" : entry.name.endsWith("_avx2.cc") ? "avx2" : "baseline";
      if (isa === level) out.push(path.relative(root, full).split(path.sep).join("/"));
    }
  }
}

walk(path.join(root, "native"));
process.stdout.write(out.join("\n") + "\n");
