/** Python's names for JS values' types, for PyTorch-worded messages (a leaf module: no imports). */

/** The Python name of a JS value's type, as PyTorch's messages print it. */
export function pyType(x: unknown): string {
  switch (typeof x) {
    case "number":
      return Number.isInteger(x) ? "int" : "float";
    case "string":
      return "str";
    case "boolean":
      return "bool";
    case "undefined":
      return "NoneType";
    case "function":
      return "function";
    case "bigint":
      return "bigint";
    case "symbol":
      return "symbol";
  }
  if (x === null) return "NoneType";
  if (Array.isArray(x)) return "list";
  const proto = Object.getPrototypeOf(x) as object | null;
  if (proto === null || proto === Object.prototype) return "dict";
  return (proto as { constructor?: { name?: string } }).constructor?.name || "object";
}
