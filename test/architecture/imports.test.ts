/**
 * The import direction of ARCHITECTURE.md, checked on the sources: value imports (not `import type`)
 * between ts/ files form no cycle inside a layer, and no layer imports one above it.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

const TS = path.resolve(__dirname, "../../ts");

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith(".ts") ? [p] : [];
  });
}

function resolveImport(from: string, spec: string): string | null {
  if (!spec.startsWith(".")) return null;
  const base = path.resolve(path.dirname(from), spec.replace(/\.js$/, ""));
  for (const c of [`${base}.ts`, path.join(base, "index.ts")]) {
    try {
      if (statSync(c).isFile()) return c;
    } catch {
      /* next candidate */
    }
  }
  throw new Error(`${from}: cannot resolve ${spec}`);
}

/** Value imports and re-exports of each file (type-only ones erase at run time and cannot cycle). */
function graph(): Map<string, string[]> {
  const g = new Map<string, string[]>();
  const re = /^(?:import|export)\s+(?!type\s)(?:[^;]*?\sfrom\s+)?["']([^"']+)["']/gms;
  for (const f of files(TS)) {
    const src = readFileSync(f, "utf8");
    const deps: string[] = [];
    for (const m of src.matchAll(re)) {
      const stmt = m[0];
      if (/^(import|export)\s*\{[^}]*\}/.test(stmt) && /\{\s*(type\s+\w+\s*,?\s*)+\}/.test(stmt)) continue;
      const r = resolveImport(f, m[1]);
      if (r !== null) deps.push(r);
    }
    g.set(f, deps);
  }
  return g;
}

/** Strongly connected components with more than one file (Tarjan). */
function cycles(g: Map<string, string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>(), low = new Map<string, number>(), on = new Set<string>(), stack: string[] = [];
  const out: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of g.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        scc.push(path.relative(TS, w));
      } while (w !== v);
      if (scc.length > 1) out.push(scc.sort());
    }
  };
  for (const v of g.keys()) if (!idx.has(v)) visit(v);
  return out;
}

const rel = (f: string): string => path.relative(TS, f).replace(/\\/g, "/");

describe("import direction (ARCHITECTURE.md)", () => {
  const g = graph();

  it("the ops are free of import cycles", () => {
    const inOps = cycles(g).filter((c) => c.some((f) => f.startsWith("ops/")));
    expect(inOps).toEqual([]);
  });

  it("the backend imports nothing above it; ops import no module, optimizer, data or creation code", () => {
    const bad: string[] = [];
    for (const [f, deps] of g) {
      const from = rel(f);
      for (const d of deps.map(rel)) {
        if (from.startsWith("backend/") && !d.startsWith("backend/")) bad.push(`${from} -> ${d}`);
        if (from.startsWith("ops/") && /^(nn|optim|data|io)\/|^creation\.ts$/.test(d)) bad.push(`${from} -> ${d}`);
        if (from.startsWith("autograd/") && d.startsWith("ops/")) bad.push(`${from} -> ${d}`);
      }
    }
    expect(bad).toEqual([]);
  });
});
