/**
 * The double-precision log, sin and cos that PyTorch's float64 Box–Muller calls come from glibc.
 * These stand-ins must round like glibc (which is correctly rounded almost always).
 */
export const log = Math.log;
export const sin = Math.sin;
export const cos = Math.cos;
