import { readFileSync } from "node:fs";
import * as path from "node:path";

/** The documents whose ```ts blocks are complete programs (docs/ADDING_AN_OP.md's are fragments of files). */
export const DOCS_WITH_SAMPLES = ["README.md", "docs/COMING_FROM_PYTORCH.md"];

export interface Sample {
  /** The line of the opening fence, 1-based. */
  line: number;
  code: string;
}

export function tsBlocks(doc: string): Sample[] {
  const lines = readFileSync(path.resolve(__dirname, "../..", doc), "utf8").split("\n");
  const out: Sample[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() !== "```ts") continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && lines[i].trim() !== "```"; i++) body.push(lines[i]);
    out.push({ line: start + 1, code: body.join("\n") });
  }
  return out;
}
