import type { Tensor } from "../tensor";
import { AccumulateGrad, Node, edgeOf } from "./node";

export interface MakeDotOptions {
  /** Names for leaf tensors, e.g. Object.fromEntries(model.namedParameters()). */
  params?: Record<string, Tensor> | readonly [string, Tensor][];
  /** Show each node's attributes (its non-tensor arguments) under its name, as torchviz's show_attrs. */
  showAttrs?: boolean;
}

function attrsLabel(n: Node): string {
  const keys = Object.keys(n.attrs);
  if (keys.length === 0) return n.name;
  const rows = keys.map((k) => {
    const v = n.attrs[k];
    return `${k}: ${Array.isArray(v) ? `(${v.join(", ")})` : String(v)}`;
  });
  return `"${[n.name, "-".repeat(n.name.length), ...rows].join("\\l").replace(/"/g, '\\"')}\\l"`;
}

function sizeLabel(shape: readonly number[]): string {
  return `(${shape.join(", ")})`;
}

/** The backward graph behind `root` as Graphviz DOT text, laid out like torchviz's make_dot. */
export function makeDot(root: Tensor | readonly Tensor[], opts: MakeDotOptions = {}): string {
  const roots = Array.isArray(root) ? (root as readonly Tensor[]) : [root as Tensor];
  for (const r of roots) {
    if (r === null || typeof r !== "object" || !("shape" in r) || !("_gradFn" in r)) throw new TypeError("makeDot(): expected a Tensor or an array of Tensors");
  }
  const names = new Map<Tensor, string>();
  const entries = opts.params === undefined ? [] : Array.isArray(opts.params) ? opts.params : Object.entries(opts.params);
  for (const [name, t] of entries as [string, Tensor][]) names.set(t, name);
  const ids = new Map<object, string>();
  const id = (o: object): string => {
    let s = ids.get(o);
    if (s === undefined) {
      s = `n${ids.size}`;
      ids.set(o, s);
    }
    return s;
  };
  const lines = [
    "digraph {",
    '\tgraph [size="12,12"]',
    "\tnode [align=left fontname=monospace fontsize=10 height=0.2 ranksep=0.1 shape=box style=filled]",
  ];
  const seen = new Set<Node>();
  const stack: Node[] = [];
  for (const r of roots) {
    lines.push(`\t${id(r)} [label="${sizeLabel(r.shape)}" fillcolor=darkolivegreen1]`);
    const n = edgeOf(r);
    if (n !== null) {
      lines.push(`\t${id(n)} -> ${id(r)}`);
      stack.push(n);
    }
  }
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (seen.has(n)) continue;
    seen.add(n);
    if (n instanceof AccumulateGrad) {
      const v = n.variable;
      const name = names.get(v);
      const label = name === undefined ? sizeLabel(v.shape) : `${name}\n ${sizeLabel(v.shape)}`;
      lines.push(`\t${id(v)} [label="${label.replace(/"/g, '\\"')}" fillcolor=lightblue]`);
      lines.push(`\t${id(v)} -> ${id(n)}`);
      lines.push(`\t${id(n)} [label=AccumulateGrad]`);
      continue;
    }
    lines.push(`\t${id(n)} [label=${opts.showAttrs ? attrsLabel(n) : n.name}]`);
    for (const next of n.next) {
      if (next === null) continue;
      lines.push(`\t${id(next)} -> ${id(n)}`);
      stack.push(next);
    }
  }
  lines.push("}");
  return lines.join("\n") + "\n";
}
