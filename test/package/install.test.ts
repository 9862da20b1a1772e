/**
 * The published package, end to end: stage the package (dist/ + a prebuild), `npm pack` it, install the
 * tarball offline into a fresh project with no compiler on PATH, then train a tiny model from ESM, CommonJS
 * and type-checked TypeScript on the native backend; remove the prebuild and check the pure-TypeScript
 * fallback and its one notice, and that the install script's failed source build never fails npm.
 *
 * Reuses the repo's dist/ when it is newer than ts/ (else runs tsup into the stage), and the newer of the repo's
 * prebuilds/ and build/Release addons when present (else runs scripts/prebuild.js in the stage).
 * TENSORGRAD_PACKAGE_REBUILD=1 forces both builds; TENSORGRAD_PACKAGE_DIST=<dir> uses that built dist/ instead;
 * TENSORGRAD_PACKAGE_KEEP=1 keeps the temp directory. Nothing in the repo is written.
 */
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import {
  cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const repo = fileURLToPath(new URL("../..", import.meta.url));
const platform = `${process.platform}-${process.arch}`;
const forceRebuild = process.env.TENSORGRAD_PACKAGE_REBUILD === "1";

function which(name: string): string | null {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    const p = join(dir, name);
    if (dir && existsSync(p)) return realpathSync(p);
  }
  return null;
}

const npmCli = which("npm");
const npmWorks = npmCli !== null && spawnSync(process.execPath, [npmCli, "--version"]).status === 0;
const skipReason = process.platform === "win32"
  ? "the no-compiler PATH of symlinks is POSIX-only"
  : !npmWorks ? "npm is not on PATH, so the package cannot be packed" : null;
if (skipReason !== null) console.warn(`skipping the npm package test: ${skipReason}`);

function run(cmd: string, args: string[], cwd: string, env?: NodeJS.ProcessEnv): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { cwd, env, encoding: "utf8", timeout: 240_000 });
}

function check(r: SpawnSyncReturns<string>, what: string): SpawnSyncReturns<string> {
  if (r.status !== 0) throw new Error(`${what} failed (status ${r.status}):\n${r.stdout}\n${r.stderr}\n${r.error ?? ""}`);
  return r;
}

function newestMtime(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** Linear regression y = x·[1..8]/4 + 2, with autograd and a manual SGD step; big enough for native kernels. */
const trainBody = `
manualSeed(0);
const x = randn([1024, 8]);
const wTrue = arange(1, 9).reshape([8, 1]).div(4);
const y = x.matmul(wTrue).add(2);
const w = zeros([8, 1]).requiresGrad_();
const b = zeros([1]).requiresGrad_();
let loss = 0;
for (let step = 0; step < 150; step++) {
  const l = x.matmul(w).add(b).sub(y).square().mean();
  l.backward();
  noGrad(() => {
    w.sub_(w.grad.mul(0.1));
    b.sub_(b.grad.mul(0.1));
  });
  w.grad.zero_();
  b.grad.zero_();
  loss = l.item();
}
const err = w.sub(wTrue).abs().max().item();
`;
const report = `console.log(JSON.stringify({ backend: getBackend(), loss, err, b: b.item(), extra }));`;

const esm = `import { arange, getBackend, manualSeed, noGrad, randn, zeros } from "tensorgrad";
const extra = null;
${trainBody}
${report}
`;

// CommonJS also trains with nn.Linear + optim.SGD when this build of the package has them.
const cjs = `"use strict";
const tg = require("tensorgrad");
const { arange, getBackend, manualSeed, noGrad, randn, zeros } = tg;
${trainBody}
let extra = "nn/optim not in this build";
if (tg.nn && typeof tg.nn.Linear === "function" && tg.optim && typeof tg.optim.SGD === "function") {
  const model = new tg.nn.Linear(8, 1);
  const opt = new tg.optim.SGD(model.parameters(), { lr: 0.1 });
  let l;
  for (let step = 0; step < 150; step++) {
    opt.zeroGrad();
    l = model.forward(x).sub(y).square().mean();
    l.backward();
    opt.step();
  }
  extra = l.item();
}
${report}
`;

const ts = `import { arange, getBackend, manualSeed, noGrad, randn, setBackend, zeros, type BackendName, type Tensor } from "tensorgrad";
const extra: null = null;
const backend: BackendName = getBackend();
// @ts-expect-error the package's types must reject an unknown backend name
if (backend === "gpu") setBackend("gpu");
${trainBody.replace("let loss = 0;", "let loss: number = 0;").replace(/(w|b)\.grad\./g, "($1.grad as Tensor).")}
${report}
`;

type Result = { backend: string; loss: number; err: number; b: number; extra: unknown };

describe.skipIf(skipReason !== null)("npm package: install from tarball offline, no compiler", () => {
  let work = "";
  let app = "";
  let env: NodeJS.ProcessEnv = {};
  let tarball = "";
  let installMode = "";
  let installArgs: string[] = [];

  const npm = (args: string[], cwd: string) => run(process.execPath, [npmCli!, ...args], cwd, env);
  const node = (file: string) => run(process.execPath, [file], app, env);
  function trains(file: string): { result: Result; stderr: string } {
    const r = check(node(file), `node ${file}`);
    return { result: JSON.parse(r.stdout.trim().split("\n").pop()!) as Result, stderr: r.stderr };
  }

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), "tensorgrad-package-"));

    // 1. Stage exactly what the package ships, plus dist/ and a prebuild.
    const stage = join(work, "stage");
    mkdirSync(join(stage, "scripts"), { recursive: true });
    for (const f of ["package.json", "binding.gyp", "CMakeLists.txt"]) {
      if (existsSync(join(repo, f))) cpSync(join(repo, f), join(stage, f));
    }
    for (const f of ["install.js", "prebuild.js", "build-mpi.js"]) cpSync(join(repo, "scripts", f), join(stage, "scripts", f));
    cpSync(join(repo, "native"), join(stage, "native"), {
      recursive: true,
      filter: (src) => !relative(repo, src).split(/[\\/]/).includes("tests"),
    });

    const dist = join(repo, "dist");
    const distFresh = ["index.mjs", "index.cjs", "index.d.ts", "index.d.mts"].every((f) => existsSync(join(dist, f))) &&
      statSync(join(dist, "index.mjs")).mtimeMs >= newestMtime(join(repo, "ts"));
    if (process.env.TENSORGRAD_PACKAGE_DIST) {
      cpSync(process.env.TENSORGRAD_PACKAGE_DIST, join(stage, "dist"), { recursive: true });
    } else if (distFresh && !forceRebuild) {
      cpSync(dist, join(stage, "dist"), { recursive: true });
    } else {
      check(run(process.execPath, [join(repo, "node_modules/tsup/dist/cli-default.js"), "--out-dir", join(stage, "dist")], repo), "tsup");
      check(run(process.execPath, [join(repo, "scripts/esm-wrapper.js"), join(stage, "dist")], repo), "esm-wrapper");
    }

    // The newest of the repo's prebuild and its local build (the other may be stale).
    const prebuilds = join(repo, "prebuilds", platform);
    const candidates = [
      ...(existsSync(prebuilds) ? readdirSync(prebuilds).filter((f) => f.endsWith(".node")).map((f) => join(prebuilds, f)) : []),
      join(repo, "build", "Release", "tensorgrad.node"),
    ].filter((f) => existsSync(f)).sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
    const stagedPrebuilds = join(stage, "prebuilds", platform);
    if (!forceRebuild && candidates.length > 0) {
      mkdirSync(stagedPrebuilds, { recursive: true });
      cpSync(candidates[0], join(stagedPrebuilds, "tensorgrad.node"));
      run("strip", ["--strip-all", join(stagedPrebuilds, "tensorgrad.node")], stage); // smaller; optional
    } else {
      symlinkSync(join(repo, "node_modules"), join(stage, "node_modules"), "dir");
      check(run(process.execPath, [join(stage, "scripts", "prebuild.js")], stage), "scripts/prebuild.js");
      rmSync(join(stage, "build"), { recursive: true, force: true });
    }

    // 2. npm pack.
    env = { ...process.env };
    const packed = check(npm(["pack", "--json", "--pack-destination", work], stage), "npm pack");
    const info = JSON.parse(packed.stdout.slice(packed.stdout.indexOf("["))) as { filename: string; files: { path: string }[] }[];
    const files = info[0].files.map((f) => f.path);
    for (const need of ["dist/index.mjs", "dist/index.cjs", "dist/index.d.ts", "scripts/install.js", "binding.gyp"]) {
      expect(files, `tarball lacks ${need}`).toContain(need);
    }
    expect(files.some((f) => f.startsWith(`prebuilds/${platform}/`) && f.endsWith(".node"))).toBe(true);
    expect(files.filter((f) => /^(ts|test|build|native\/tests)\//.test(f))).toEqual([]);
    tarball = join(work, info[0].filename);

    // 3. A PATH with node, npm and sh only: no g++, cc, make or python.
    const bin = join(work, "bin");
    mkdirSync(bin);
    symlinkSync(process.execPath, join(bin, "node"));
    symlinkSync(npmCli!, join(bin, "npm"));
    symlinkSync(realpathSync("/bin/sh"), join(bin, "sh"));
    env = { HOME: process.env.HOME ?? work, PATH: bin, TMPDIR: tmpdir(), LANG: "C" };

    // 4. Install offline from npm's cache; when the cache lacks the two runtime dependencies, install them
    // from tarballs of the repo's copies into a private cache instead.
    app = join(work, "app");
    mkdirSync(app);
    writeFileSync(join(app, "package.json"), JSON.stringify({ name: "tg-package-test", version: "1.0.0", private: true }));
    installArgs = ["install", "--offline", "--no-audit", "--no-fund", tarball];
    let r = npm(installArgs, app);
    installMode = "npm cache";
    if (r.status !== 0 && /ENOTCACHED/.test(r.stdout + r.stderr)) {
      const deps = join(work, "deps");
      mkdirSync(deps);
      const depPacks = check(
        npm(["pack", "--json", "--pack-destination", deps, join(repo, "node_modules/node-gyp-build"), join(repo, "node_modules/node-addon-api")], work),
        "npm pack of the runtime dependencies",
      );
      const depFiles = (JSON.parse(depPacks.stdout.slice(depPacks.stdout.indexOf("["))) as { filename: string }[]).map((d) => join(deps, d.filename));
      installArgs = ["install", "--offline", "--no-audit", "--no-fund", "--cache", join(work, "cache"), tarball, ...depFiles];
      r = npm(installArgs, app);
      installMode = "dependency tarballs";
    }
    check(r, `npm install --offline (${installMode})`);
    writeFileSync(join(app, "train.mjs"), esm);
    writeFileSync(join(app, "train.cjs"), cjs);
    writeFileSync(join(app, "train.mts"), ts);
  }, 600_000);

  afterAll(() => {
    if (work && process.env.TENSORGRAD_PACKAGE_KEEP !== "1") rmSync(work, { recursive: true, force: true });
  });

  it("installs the prebuild without compiling anything", () => {
    const pkg = join(app, "node_modules", "tensorgrad");
    expect(readdirSync(join(pkg, "prebuilds", platform)).some((f) => f.endsWith(".node"))).toBe(true);
    expect(existsSync(join(pkg, "build"))).toBe(false);
    expect(existsSync(join(app, "node_modules", "node-gyp-build"))).toBe(true);
    console.log(`installed offline from ${installMode}`);
  });

  it("ESM import trains a model on the native backend", () => {
    const { result, stderr } = trains("train.mjs");
    expect(result.backend).toBe("native");
    expect(result.err).toBeLessThan(1e-2);
    expect(result.b).toBeCloseTo(2, 2);
    expect(stderr).not.toMatch(/TensorgradNotice/);
  });

  it("CommonJS require trains a model on the native backend", () => {
    const { result, stderr } = trains("train.cjs");
    expect(result.backend).toBe("native");
    expect(result.err).toBeLessThan(1e-2);
    if (typeof result.extra === "number") expect(result.extra).toBeLessThan(1e-3); // nn.Linear + optim.SGD
    console.log(`CommonJS nn.Linear + optim.SGD: ${typeof result.extra === "number" ? `final loss ${result.extra}` : result.extra}`);
    expect(stderr).not.toMatch(/TensorgradNotice/);
  });

  it("TypeScript type-checks against the package's types and trains on the native backend", () => {
    writeFileSync(join(app, "tsconfig.json"), JSON.stringify({
      compilerOptions: {
        target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, outDir: "out", lib: ["ES2022"],
        // A Node project has @types/node; use the repo's rather than installing it.
        types: ["node"], typeRoots: [join(repo, "node_modules", "@types")],
      },
      files: ["train.mts", "default-import.mts"],
    }));
    writeFileSync(join(app, "default-import.mts"), `import tg from "tensorgrad";\nconst s: number = tg.ones(2).sum().item();\nconst lin = new tg.nn.Linear(2, 1);\nexport const out = [s, lin.weight.shape.length];\n`);
    const tsc = run(process.execPath, [join(repo, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json"], app, env);
    const hint = /does not exist on type 'Tensor'/.test(tsc.stdout)
      ? "\nHint: Tensor's methods are missing from the bundled dist/index.d.ts: its `declare module \"./tensor\"` " +
        "augmentation (from ts/tensor-methods.ts) points at a module that does not exist next to the bundle."
      : "";
    check({ ...tsc, stdout: tsc.stdout + hint }, "tsc");
    const { result } = trains(join("out", "train.mjs"));
    expect(result.backend).toBe("native");
    expect(result.err).toBeLessThan(1e-2);
  });

  it("an install that ignores scripts still loads the prebuild", () => {
    const app2 = join(work, "app-ignore-scripts");
    mkdirSync(app2);
    writeFileSync(join(app2, "package.json"), JSON.stringify({ name: "tg-package-test-2", version: "1.0.0", private: true }));
    check(npm([...installArgs, "--ignore-scripts"], app2), "npm install --ignore-scripts");
    writeFileSync(join(app2, "t.mjs"), `import { getBackend } from "tensorgrad"; console.log(getBackend());`);
    expect(check(run(process.execPath, ["t.mjs"], app2, env), "node t.mjs").stdout.trim()).toBe("native");
  });

  it("import and require share one instance: class identity, grad mode, backend and generator", () => {
    const mixed = `
      import { createRequire } from "node:module";
      import tg, { Tensor, noGrad, nn, manualSeed, randn, setBackend, getBackend } from "tensorgrad";
      const cjs = createRequire(import.meta.url)("tensorgrad");
      const out = {};
      out.sameModule = tg === cjs && Tensor === cjs.Tensor && nn.Linear === cjs.nn.Linear;
      out.instanceof = cjs.ones(2) instanceof Tensor;
      const seq = new cjs.nn.Sequential(new nn.Linear(2, 2));
      out.crossModules = seq.parameters().length === 2;
      const x = randn(2, { requiresGrad: true });
      out.noGradAcross = cjs.noGrad(() => x.mul(2)).requiresGrad === false && noGrad(() => cjs.ones(1, { requiresGrad: true }).mul(2)).requiresGrad === false;
      manualSeed(7); const a = cjs.randn(3).tolist(); cjs.manualSeed(7); const b = randn(3).tolist();
      out.generator = JSON.stringify(a) === JSON.stringify(b);
      cjs.setBackend("js"); out.backend = getBackend(); setBackend("native"); out.backendBack = cjs.getBackend();
      console.log(JSON.stringify(out));`;
    writeFileSync(join(app, "mixed.mjs"), mixed);
    const r = check(run(process.execPath, ["mixed.mjs"], app, env), "node mixed.mjs");
    expect(JSON.parse(r.stdout.trim().split("\n").pop()!)).toEqual({
      sameModule: true, instanceof: true, crossModules: true, noGradAcross: true, generator: true, backend: "js", backendBack: "native",
    });
  });

  describe("without the prebuild", () => {
    beforeAll(() => {
      rmSync(join(app, "node_modules", "tensorgrad", "prebuilds"), { recursive: true, force: true });
    });

    it("the install script's source build fails without a compiler, and npm still succeeds with one line", () => {
      const r = check(npm(["rebuild", "tensorgrad", "--offline", "--foreground-scripts"], app), "npm rebuild tensorgrad");
      const out = r.stdout + r.stderr;
      expect(out).toMatch(/building the native addon failed \(.+\); the pure-TypeScript backend will be used/);
      expect(out.match(/^tensorgrad: /gm)).toHaveLength(1);
    });

    for (const file of ["train.mjs", "train.cjs"]) {
      it(`${file} falls back to the pure-TypeScript backend with one notice saying why and how to fix it`, () => {
        const { result, stderr } = trains(file);
        expect(result.backend).toBe("js");
        expect(result.err).toBeLessThan(1e-2);
        expect(stderr.match(/TensorgradNotice/g)).toHaveLength(1);
        expect(stderr).toMatch(/native addon did not load \(No native build was found/); // why
        expect(stderr).toMatch(/npm rebuild tensorgrad/); // how to fix
        expect(stderr).toMatch(/TENSORGRAD_BACKEND=js/); // how to silence
      });
    }
  });
});
