// Prints the MPI compile or link flags for binding.gyp (`node mpi_flags.js cflags|libs`), asked of the MPI
// compiler wrapper: Open MPI's `mpicc --showme:compile|link`, else MPICH's `mpicc -compile_info|-link_info`
// (whose first word is the compiler itself), and adds an rpath for each library directory. Exits non-zero when no wrapper is found.
"use strict";
const { spawnSync } = require("child_process");

function ask(args) {
  const r = spawnSync(process.env.MPICC || "mpicc", args, { encoding: "utf8" });
  return r.status === 0 && !r.error ? r.stdout.trim() : null;
}

function flags(what) {
  const openmpi = ask([what === "cflags" ? "--showme:compile" : "--showme:link"]);
  if (openmpi !== null) return openmpi.split(/\s+/);
  const mpich = ask([what === "cflags" ? "-compile_info" : "-link_info"]);
  if (mpich === null) return null;
  const words = mpich.split(/\s+/).slice(1);
  return words.filter((w) => (what === "cflags" ? /^-[ID]/.test(w) : /^-(L|l|Wl,)/.test(w)));
}

const what = process.argv[2];
const out = flags(what === "cflags" ? "cflags" : "libs");
if (out === null) {
  console.error("no MPI compiler wrapper (mpicc) found");
  process.exit(1);
}
const keep = what === "cflags" ? out.filter((f) => /^-[ID]/.test(f)) : out.filter((f) => /^-(L|l|Wl,)/.test(f));
// An rpath per library directory, so an MPI installed outside the loader's paths (/opt/openmpi) still loads.
if (what !== "cflags") for (const f of out) if (f.startsWith("-L")) keep.push(`-Wl,-rpath,${f.slice(2)}`);
process.stdout.write(keep.join("\n") + "\n");
