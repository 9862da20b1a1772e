/**
 * The published declarations type-check in a consumer with no @types/node: a temp project whose tsconfig has
 * `"types": []` and lib ES2022 only (no DOM) compiles a small program against dist/index.d.ts and index.d.mts
 * with skipLibCheck off, so a Node type (Buffer, NodeJS.*, a node: import) leaking into the public types fails.
 *
 * Uses the repo's dist/ when it is newer than ts/; else builds the declarations alone with tsup into the temp
 * directory (slower). Nothing in the repo is written.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const repo = fileURLToPath(new URL("../..", import.meta.url));
const tsc = join(repo, "node_modules", "typescript", "bin", "tsc");

function newestMtime(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** A small training program: a Module subclass, an optimizer, grad mode, and the ESM default export. */
const consumer = (from: string, esm: boolean): string => `
${esm ? `import tg from "${from}";` : `import * as tg from "${from}";`}
import { manualSeed, nn, noGrad, optim, tensor, Tensor, zeros } from "${from}";
manualSeed(0);
class Net extends nn.Module {
  fc = new nn.Linear(2, 1);
  override forward(x: Tensor): Tensor {
    return this.fc(x).relu();
  }
}
const net = new Net();
const x: Tensor = tensor([[1, 2]]);
const y: Tensor = net(x);
const opt = new optim.SGD(net.parameters(), { lr: 0.1 });
y.sum().backward();
opt.step();
noGrad(() => zeros([2]).add(1));
const text: string = net.toString() + String(tg.ones([1]));
export { text };
`;

let dir = "";
let declDir = "";

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "tensorgrad-types-"));
  const dist = join(repo, "dist");
  const fresh = existsSync(join(dist, "index.d.ts")) && statSync(join(dist, "index.d.ts")).mtimeMs > newestMtime(join(repo, "ts"));
  if (fresh) {
    declDir = dist;
  } else {
    declDir = join(dir, "built");
    const r = spawnSync(process.execPath, [join(repo, "node_modules", "tsup", "dist", "cli-default.js"), "--dts-only", "--out-dir", declDir], {
      cwd: repo, encoding: "utf8", timeout: 240_000,
    });
    if (r.status !== 0) throw new Error(`tsup --dts-only failed:\n${r.stdout}\n${r.stderr}`);
  }
  for (const f of ["index.d.ts", "index.d.mts"]) {
    if (existsSync(join(declDir, f))) copyFileSync(join(declDir, f), join(dir, f));
  }
  writeFileSync(join(dir, "cjs-consumer.ts"), consumer("./index.js", false));
  if (existsSync(join(dir, "index.d.mts"))) writeFileSync(join(dir, "esm-consumer.mts"), consumer("./index.mjs", true));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function typecheck(extra: Record<string, unknown> = {}): { status: number | null; out: string } {
  const files = readdirSync(dir).filter((f) => f.endsWith("consumer.ts") || f.endsWith("consumer.mts"));
  const config = {
    compilerOptions: {
      strict: true, noEmit: true, skipLibCheck: false, types: [], lib: ["ES2022"], target: "ES2022",
      module: "NodeNext", moduleResolution: "NodeNext", noImplicitOverride: true, esModuleInterop: true, ...extra,
    },
    files,
  };
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify(config));
  const r = spawnSync(process.execPath, [tsc, "-p", dir], { cwd: dir, encoding: "utf8", timeout: 120_000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe("published declarations without @types/node", () => {
  it("type-check in a consumer with types: [] and lib ES2022", () => {
    expect(existsSync(join(dir, "index.d.ts"))).toBe(true);
    const { status, out } = typecheck();
    expect(out).toBe("");
    expect(status).toBe(0);
  });

  it("the check catches a Node type in the declarations", () => {
    const leaky = join(dir, "leak.d.ts");
    writeFileSync(leaky, "export declare function read(): Buffer;\nexport declare const e: NodeJS.ErrnoException;\n");
    writeFileSync(join(dir, "leak-consumer.ts"), `import { read } from "./leak.js";\nexport const n: number = read().length;\n`);
    try {
      const { status, out } = typecheck();
      expect(status).not.toBe(0);
      expect(out).toMatch(/Cannot find name 'Buffer'/);
      expect(out).toMatch(/Cannot find namespace 'NodeJS'/);
    } finally {
      rmSync(leaky);
      rmSync(join(dir, "leak-consumer.ts"));
    }
  });
});
