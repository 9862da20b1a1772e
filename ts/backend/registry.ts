/**
 * The kernel registry: each backend registers the kernels it has, by name and the dtypes it serves; the
 * table a backend runs with is the TypeScript kernels overlaid by its own, so a kernel the native backend
 * lacks (or a dtype it does not serve, which its kernel routes back itself) runs on the TypeScript one.
 * Ops call kernels through that table (`B` in ts/backend/index.ts): one property load per call, as before.
 */
import type { DType, KernelName, Kernels } from "./types";

export type BackendName = "native" | "js";

export interface KernelEntry {
  readonly fn: Kernels[KernelName];
  /** The dtypes this backend's kernel computes itself; others it hands to the TypeScript kernel. */
  readonly dtypes: readonly DType[];
}

const ALL_DTYPES: readonly DType[] = ["float32", "float64", "int32", "bool", "bfloat16", "float16"];

const registered: Record<BackendName, Map<KernelName, KernelEntry>> = { js: new Map(), native: new Map() };

export function registerKernel<K extends KernelName>(
  backend: BackendName,
  name: K,
  fn: Kernels[K],
  dtypes: readonly DType[] = ALL_DTYPES,
): void {
  registered[backend].set(name, { fn, dtypes });
}

export function registerKernels(backend: BackendName, kernels: Partial<Kernels>, dtypes?: readonly DType[]): void {
  for (const name of Object.keys(kernels) as KernelName[]) registerKernel(backend, name, kernels[name]!, dtypes);
}

/** What a backend registered, for introspection and tests (which kernel serves which dtypes). */
export function registeredKernels(backend: BackendName): ReadonlyMap<KernelName, KernelEntry> {
  return registered[backend];
}

/** The complete kernel table of a backend: its kernels over the TypeScript ones. */
export function kernelTable(backend: BackendName): Kernels {
  const table = {} as Record<KernelName, unknown>;
  for (const [name, e] of registered.js) table[name] = e.fn;
  if (backend !== "js") for (const [name, e] of registered[backend]) table[name] = e.fn;
  return table as unknown as Kernels;
}
