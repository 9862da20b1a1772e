/**
 * The native backend: the addon's kernel families, registered over the TypeScript kernels. Each family
 * routes what it does not serve (int32/bool data, more than 16 dims, work below a measured crossover) to
 * the TypeScript kernel itself; a kernel no family provides is the TypeScript one (ts/backend/registry.ts).
 */
import { jsBackend } from "./js/index";
import { loadAddon, type NativeAddon } from "./native/addon";
import { CROSSOVER, type FamilyContext } from "./native/crossover";
import { nativeElementwise } from "./native/elementwise";
import { nativeGemm } from "./native/gemm";
import { nativeIndex } from "./native/index-kernels";
import { nativeOptim } from "./native/optim";
import { nativeReduce } from "./native/reduce";
import { nativeVision } from "./native/vision";
import { nativeGemmBf16 } from "./native/gemm-bf16";
import { nativeSequence } from "./native/sequence";
import { BINARY_OP_NAMES, REDUCE_OP_NAMES, UNARY_OP_NAMES } from "./op-table";
import { kernelTable, registerKernels } from "./registry";
import type { Backend, DType, Kernels } from "./types";

export { CROSSOVER } from "./native/crossover";

const FLOATS: readonly DType[] = ["float32", "float64"];

/**
 * The addon's kernel families and the dtypes they compute natively (others they hand to the TypeScript
 * kernel): adding a family is one line here and its file in ts/backend/native/.
 */
const FAMILIES: readonly [(ctx: FamilyContext<NativeAddon>) => Partial<Kernels>, readonly DType[]][] = [
  [nativeElementwise, FLOATS],
  [nativeReduce, FLOATS],
  [nativeGemm, FLOATS],
  [nativeOptim, FLOATS],
  [nativeIndex, ["float32", "float64", "int32"]],
  [nativeVision, FLOATS],
  [nativeGemmBf16, ["bfloat16"]],
  [nativeSequence, FLOATS],
];

function contextOf(addon: NativeAddon, useCrossover: boolean): FamilyContext<NativeAddon> {
  return { addon, js: jsBackend, crossover: useCrossover ? CROSSOVER : null };
}

function nativeKernels(addon: NativeAddon, useCrossover: boolean): Partial<Kernels> {
  const ctx = contextOf(addon, useCrossover);
  return Object.assign({}, ...FAMILIES.map(([make]) => make(ctx))) as Partial<Kernels>;
}

function backendOf(kernels: Kernels, addon: NativeAddon): Backend {
  return {
    ...kernels,
    name: "native",
    setNumThreads(n: number): void {
      addon.setNumThreads(n);
    },
    getNumThreads(): number {
      return addon.getNumThreads();
    },
  };
}

/** The backend over a loaded addon; with useCrossover false every float kernel it has goes to the addon. */
export function makeNativeBackend(addon: NativeAddon, useCrossover: boolean): Backend {
  return backendOf({ ...jsBackend, ...nativeKernels(addon, useCrossover) }, addon);
}

let loaded: { addon: NativeAddon } | { error: string } | null = null;
let registeredBackend: Backend | null = null;

/** An addon compiled from another op table would run the wrong kernels: refuse it, saying why. */
function checkOpTable(addon: NativeAddon): { addon: NativeAddon } | { error: string } {
  const c = typeof addon.opCounts === "function" ? addon.opCounts() : null;
  if (c !== null && c.unary === UNARY_OP_NAMES.length && c.binary === BINARY_OP_NAMES.length && c.reduce === REDUCE_OP_NAMES.length) {
    return { addon };
  }
  return {
    error: `the native addon was built from another op table (${c === null ? "no op counts" : `${c.unary} unary / ${c.binary} binary ops`}, this package has ${UNARY_OP_NAMES.length} / ${BINARY_OP_NAMES.length}); rebuild it with \`npm rebuild tensorgrad\``,
  };
}

function addonOnce(): { addon: NativeAddon } | { error: string } {
  if (loaded === null) {
    const r = loadAddon();
    loaded = "error" in r ? r : checkOpTable(r.addon);
  }
  return loaded;
}

/** The native backend (small work dispatched to the TypeScript kernels), or why it is unavailable. Never throws. */
export function loadNativeBackend(): { backend: Backend } | { error: string } {
  const r = addonOnce();
  if ("error" in r) return r;
  if (registeredBackend === null) {
    const ctx = contextOf(r.addon, true);
    for (const [make, dtypes] of FAMILIES) registerKernels("native", make(ctx), dtypes);
    registeredBackend = backendOf(kernelTable("native"), r.addon);
  }
  return { backend: registeredBackend };
}

/** The native kernels with no small-size dispatch: every float kernel runs in C++ (parity tests, benchmarks). */
export function loadRawNativeBackend(): { backend: Backend } | { error: string } {
  const r = addonOnce();
  return "error" in r ? r : { backend: makeNativeBackend(r.addon, false) };
}

/** The addon itself (cpuLevel() and friends), or null when it did not load. */
export function nativeAddon(): NativeAddon | null {
  const r = addonOnce();
  return "error" in r ? null : r.addon;
}
