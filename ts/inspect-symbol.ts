/**
 * Node's `util.inspect.custom`, which Node defines as this registered symbol. Taken from the symbol registry
 * rather than node:util so the published declarations of classes that use it need no @types/node.
 */
export const inspectCustom: unique symbol = Symbol.for("nodejs.util.inspect.custom");
