/** The devices tensorgrad has: the CPU only. */
export function checkDevice(device: unknown): void {
  if (device === undefined || device === "cpu") return;
  throw new TypeError(`tensorgrad: device ${JSON.stringify(device)} is not available; available devices: "cpu"`);
}
