import { describe, expect, it } from "vitest";
import { nn, ones, randn, manualSeed, type Tensor } from "../../ts/index";

type AnyModule = nn.Module<never[], unknown>;

describe("parameter, buffer and module names are checked as PyTorch checks them", () => {
  it("dots and empty names are refused with PyTorch's messages", () => {
    const m = new nn.Module();
    const p = () => new nn.Parameter(ones(1));
    expect(() => m.registerParameter("a.b", p())).toThrow('parameter name can\'t contain "."');
    expect(() => m.registerParameter("", p())).toThrow('parameter name can\'t be empty string ""');
    expect(() => m.registerBuffer("a.b", ones(1))).toThrow('buffer name can\'t contain "."');
    expect(() => m.registerBuffer("", ones(1))).toThrow('buffer name can\'t be empty string ""');
    expect(() => m.addModule("a.b", new nn.Tanh() as AnyModule)).toThrow('module name can\'t contain ".", got: a.b');
    expect(() => m.addModule("", new nn.Tanh() as AnyModule)).toThrow('module name can\'t be empty string ""');
    const r = m as unknown as Record<string, unknown>;
    expect(() => (r["x.y"] = p())).toThrow('parameter name can\'t contain "."');
    expect(() => (r[""] = new nn.Tanh())).toThrow('module name can\'t be empty string ""');
    expect(m.namedParameters()).toEqual([]);
    expect(m.namedChildren()).toEqual([]);
    // Other properties may have any name.
    r["a.b"] = 3;
    expect(r["a.b"]).toBe(3);
  });

  it("a parameter can no longer shadow a child's parameter in the state dict", () => {
    class Clash extends nn.Module {
      constructor() {
        super();
        this.addModule("0", new nn.Linear(2, 2) as AnyModule);
        (this as unknown as Record<string, unknown>)["0.weight"] = new nn.Parameter(ones(2, 2));
      }
    }
    expect(() => new Clash()).toThrow('parameter name can\'t contain "."');
  });
});

/** The recursive implementations these walks replaced, as the reference for their order and text. */
const ref = {
  namedModules(m: AnyModule, memo = new Set<AnyModule>(), prefix = ""): [string, AnyModule][] {
    if (memo.has(m)) return [];
    memo.add(m);
    const out: [string, AnyModule][] = [[prefix, m]];
    for (const [k, c] of m._modules) if (c !== null) out.push(...ref.namedModules(c, memo, prefix + (prefix ? "." : "") + k));
    return out;
  },
  stateDictKeys(m: AnyModule, prefix = ""): string[] {
    const out: string[] = [];
    for (const [k, v] of m._parameters) if (v !== null) out.push(prefix + k);
    for (const [k, v] of m._buffers) if (v !== null) out.push(prefix + k);
    for (const [k, c] of m._modules) if (c !== null) out.push(...ref.stateDictKeys(c, prefix + k + "."));
    return out;
  },
  apply(m: AnyModule, fn: (m: AnyModule) => void): void {
    for (const c of m.children()) ref.apply(c, fn);
    fn(m);
  },
  toString(m: AnyModule): string {
    if (m.toString !== nn.Module.prototype.toString) return m.toString();
    const indent = (s: string) => s.split("\n").map((l, i) => (i === 0 ? l : "  " + l)).join("\n");
    const extra = m.extraRepr();
    const extraLines = extra ? extra.split("\n") : [];
    const childLines = [...m._modules].map(([k, c]) => `(${k}): ${indent(c === null ? "None" : ref.toString(c))}`);
    const lines = [...extraLines, ...childLines];
    let s = m.constructor.name + "(";
    if (lines.length > 0) s += extraLines.length === 1 && childLines.length === 0 ? extraLines[0] : "\n  " + lines.join("\n  ") + "\n";
    return s + ")";
  },
};

class TwoLine extends nn.Module {
  override extraRepr(): string {
    return "first=1\nsecond=2";
  }
}
class Custom extends nn.Module {
  override toString(): string {
    return "Custom<\n  own text\n>";
  }
}

/** A random tree with shared modules, null children, buffers, multi-line extras and a toString override. */
function randomTree(seed: number): AnyModule {
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const pool: AnyModule[] = [];
  const make = (depth: number): AnyModule => {
    const r = rnd();
    if (depth > 4 || r < 0.2) {
      const leaf = [new nn.Linear(2, 2), new nn.Tanh(), new TwoLine(), new Custom()][Math.floor(rnd() * 4)] as AnyModule;
      pool.push(leaf);
      return leaf;
    }
    const m = new nn.Module() as AnyModule;
    const n = 1 + Math.floor(rnd() * 3);
    for (let i = 0; i < n; i++) {
      const q = rnd();
      if (q < 0.1) m.addModule(`c${i}`, null);
      else if (q < 0.25 && pool.length > 0) m.addModule(`c${i}`, pool[Math.floor(rnd() * pool.length)]);
      else m.addModule(`c${i}`, make(depth + 1));
    }
    if (rnd() < 0.3) m.registerParameter("w", new nn.Parameter(ones(1)));
    if (rnd() < 0.3) m.registerBuffer("b", ones(1));
    pool.push(m);
    return m;
  };
  return make(0);
}

describe("module walks keep PyTorch's order", () => {
  it("on random trees with shared modules, the iterative walks match the recursive ones", () => {
    for (let seed = 1; seed <= 60; seed++) {
      const m = randomTree(seed);
      expect(m.namedModules().map(([k]) => k)).toEqual(ref.namedModules(m).map(([k]) => k));
      expect(Object.keys(m.stateDict())).toEqual(ref.stateDictKeys(m));
      const got: AnyModule[] = [];
      const want: AnyModule[] = [];
      m.apply((x) => got.push(x));
      ref.apply(m, (x) => want.push(x));
      expect(got).toEqual(want);
      expect(m.toString()).toBe(ref.toString(m));
    }
  });

  it("a module registered under two names is in the state dict under both, as in PyTorch", () => {
    const shared = new nn.Linear(1, 1);
    const m = new nn.Sequential(shared, new nn.Tanh(), shared);
    expect(Object.keys(m.stateDict())).toEqual(["0.weight", "0.bias", "2.weight", "2.bias"]);
    expect(m.namedParameters().map(([k]) => k)).toEqual(["0.weight", "0.bias"]);
    m.loadStateDict(m.stateDict()); // both names are expected, so this is not "unexpected keys"
  });

  it("a cycle is an error rather than endless work", () => {
    const a = new nn.Sequential(new nn.Tanh());
    a.append(a as unknown as AnyModule);
    expect(a.namedModules().length).toBe(2); // named_modules' memo makes it finite, as in PyTorch
    expect(() => a.stateDict()).toThrow("the module tree has a cycle");
    expect(() => a.train()).toThrow("the module tree has a cycle");
    expect(() => a.toString()).toThrow("the module tree has a cycle");
  });

  it("subclasses that override train() or apply() are still called", () => {
    const calls: string[] = [];
    class Tracking extends nn.Module {
      override train(mode = true): this {
        calls.push(`train ${mode}`);
        return super.train(mode);
      }
      override apply(fn: (m: AnyModule) => void): this {
        calls.push("apply");
        return super.apply(fn);
      }
    }
    const inner = new nn.Tanh();
    const t = new Tracking();
    t.addModule("inner", inner as AnyModule);
    const root = new nn.Sequential(t as AnyModule);
    root.eval();
    expect(inner.training).toBe(false);
    const seen: AnyModule[] = [];
    root.apply((m) => seen.push(m));
    expect(seen).toEqual([inner, t, root]);
    expect(calls).toEqual(["train false", "apply"]);
  });
});

describe("module trees 5,000 deep", () => {
  function deep(depth: number): { root: nn.Sequential; leaf: nn.Linear } {
    const leaf = new nn.Linear(2, 1);
    let m: AnyModule = leaf as AnyModule;
    for (let i = 0; i < depth; i++) m = new nn.Sequential(m) as AnyModule;
    return { root: m as unknown as nn.Sequential, leaf };
  }

  it("every walk works without overflowing the stack", () => {
    manualSeed(0);
    const depth = 5000;
    const { root, leaf } = deep(depth);
    const name = Array(depth).fill("0").join(".");
    expect(root.namedModules().length).toBe(depth + 1);
    expect(root.namedParameters().map(([k]) => k)).toEqual([`${name}.weight`, `${name}.bias`]);
    const sd = root.stateDict();
    expect(Object.keys(sd)).toEqual([`${name}.weight`, `${name}.bias`]);
    const copy = { [`${name}.weight`]: randn(1, 2), [`${name}.bias`]: randn(1) };
    root.loadStateDict(copy);
    expect(leaf.weight.tolist()).toEqual(copy[`${name}.weight`].tolist());
    let n = 0;
    root.apply(() => n++);
    expect(n).toBe(depth + 1);
    root.eval();
    expect(leaf.training).toBe(false);
    root.train();
    expect(leaf.training).toBe(true);
    (leaf(ones(1, 2)) as Tensor).sum().backward();
    expect(leaf.weight.grad).not.toBeNull();
    root.zeroGrad();
    expect(leaf.weight.grad).toBeNull();
    root.to("float64");
    expect(leaf.weight.dtype).toBe("float64");
    expect(root.modules().length).toBe(depth + 1);
  });

  it("toString works and matches PyTorch's layout", () => {
    const depth = 5000;
    const { root } = deep(depth);
    const s = root.toString();
    const lines = s.split("\n");
    expect(lines.length).toBe(2 * depth + 1);
    expect(lines[0]).toBe("Sequential(");
    expect(lines[1]).toBe("  (0): Sequential(");
    expect(lines[depth]).toBe(" ".repeat(2 * depth) + "(0): Linear(in_features=2, out_features=1, bias=True)");
    expect(lines[lines.length - 1]).toBe(")");
    // The same text as the recursive layout, checked at a depth the recursion can take.
    const small = deep(50).root;
    expect(small.toString()).toBe(ref.toString(small as unknown as AnyModule));
  });
});
