/**
 * Vitest global setup. The native-vs-TypeScript tests skip when the addon did not load; in CI that must fail
 * the run instead (a broken native build must never pass as green), and locally the run goes on and says,
 * before and after, what was skipped and why. The TypeScript-backend pass (TENSORGRAD_BACKEND=js) needs no addon.
 */
import { loadRawNativeBackend } from "../../ts/backend/native";

/** CI is set by CI systems (GitHub Actions, GitLab, ...) to "true" or "1"; "false", "0" or empty mean not CI. */
export function isCI(env: NodeJS.ProcessEnv): boolean {
  const v = env.CI;
  return v !== undefined && v !== "" && v !== "0" && v.toLowerCase() !== "false";
}

/** What a test run does about a missing addon: nothing, fail with a message, or go on with a notice. */
export function nativeRequirement(reason: string | null, env: NodeJS.ProcessEnv): { fail: string } | { notice: string } | null {
  if (reason === null || env.TENSORGRAD_BACKEND === "js") return null;
  if (isCI(env)) {
    return { fail: `tensorgrad: the native addon did not load (${reason}) and CI=${env.CI}: failing instead of skipping the native tests. Build it with \`npm run build:native\`.` };
  }
  return {
    notice: `\n*** tensorgrad: the native addon did not load (${reason}); the native-backend and native-vs-TypeScript tests are SKIPPED. Build it with \`npm run build:native\`. (With CI=true this fails the run.)\n`,
  };
}

export default function setup(): (() => void) | undefined {
  const r = loadRawNativeBackend();
  const what = nativeRequirement("error" in r ? r.error.replace(/\s+/g, " ").trim() : null, process.env);
  if (what === null) return undefined;
  if ("fail" in what) throw new Error(what.fail);
  console.warn(what.notice);
  return () => console.warn(what.notice);
}
