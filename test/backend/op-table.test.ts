import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { GENERATED, generateAll } from "../../scripts/gen-ops";
import { BINARY_OPS, BINARY_OP_NAMES, REDUCE_OP_NAMES, UNARY_OPS, UNARY_OP_NAMES } from "../../ts/backend/op-table";
import { loadNativeBackend, nativeAddon } from "../../ts/backend/native";
import { registeredKernels } from "../../ts/backend/registry";
import "../../ts/backend/js/index";

const root = path.resolve(__dirname, "../..");

describe("the elementwise op table is the single source of truth", () => {
  it("the committed generated files are what the table generates (run `npm run gen:ops` after editing it)", () => {
    for (const [file, text] of Object.entries(generateAll())) {
      expect(readFileSync(path.join(root, file), "utf8"), file).toBe(text);
    }
    expect(Object.keys(generateAll()).sort()).toEqual(Object.values(GENERATED).sort());
  });

  it("every op has both formulas and declares as many parameters as its formulas read", () => {
    for (const [name, spec] of [...Object.entries(UNARY_OPS), ...Object.entries(BINARY_OPS)]) {
      expect(spec.js.length, name).toBeGreaterThan(0);
      expect(spec.cpp.length, name).toBeGreaterThan(0);
      const params = "params" in spec ? spec.params.length : 0;
      for (const [i, p] of ["p0", "p1"].entries()) {
        const used = new RegExp(`\\b${p}\\b`).test(spec.js) || new RegExp(`\\b${p}\\b`).test(spec.cpp);
        expect(used, `${name} reads ${p}`).toBe(i < params);
      }
    }
  });

  it.skipIf(nativeAddon() === null)("the addon was compiled from this table", () => {
    expect(nativeAddon()!.opCounts()).toEqual({ unary: UNARY_OP_NAMES.length, binary: BINARY_OP_NAMES.length, reduce: REDUCE_OP_NAMES.length });
  });
});

describe("the kernel registry", () => {
  it("the TypeScript backend registers every kernel, for every dtype", () => {
    const js = registeredKernels("js");
    for (const name of ["unary", "binary", "where", "reduce", "argReduce", "softmax", "gemm", "indexSelect", "indexAdd", "gather", "scatterAdd", "fill", "sgdStep", "adamStep"]) {
      expect(js.has(name as never), name).toBe(true);
    }
  });

  it.skipIf(nativeAddon() === null)("the native backend registers its families over the TypeScript kernels", () => {
    const backend = loadNativeBackend();
    expect("backend" in backend).toBe(true);
    const native = registeredKernels("native");
    for (const name of ["unary", "binary", "where", "fill", "reduce", "argReduce", "softmax", "gemm", "sgdStep", "adamStep"]) {
      expect(native.get(name as never)?.dtypes, name).toEqual(["float32", "float64"]);
    }
    for (const name of ["indexSelect", "indexAdd", "gather", "scatterAdd"]) {
      expect(native.get(name as never)?.dtypes, name).toEqual(["float32", "float64", "int32"]);
    }
    if ("backend" in backend) {
      for (const [name, e] of native) expect((backend.backend as unknown as Record<string, unknown>)[name], name).toBe(e.fn);
    }
  });
});
