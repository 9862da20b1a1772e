/**
 * `npm run example <name> [-- flags]`: runs examples/<name>.ts, e.g. `npm run example polynomial-sin -- --quick`.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";

const names = readdirSync(__dirname).filter((f) => f.endsWith(".ts") && f !== "run.ts" && f !== "demo.ts").map((f) => f.slice(0, -3));
const name = process.argv[2];
if (name === undefined || !names.includes(name)) {
  console.error(`${name === undefined ? "no example given" : `no example named "${name}"`}; the examples: ${names.join(", ")}`);
  process.exit(1);
}
// The example reads its own flags (--quick) from argv and runs its main() when it is the entry module.
const { main } = require(join(__dirname, `${name}.ts`)) as { main?: (o: { quick: boolean }) => unknown };
if (typeof main !== "function") throw new Error(`examples/${name}.ts exports no main()`);
main({ quick: process.argv.includes("--quick") });
