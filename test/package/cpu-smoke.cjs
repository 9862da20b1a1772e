// Smoke test of the native addon at whatever CPU level it picks here, for running under an emulated old CPU:
//   TENSORGRAD_NATIVE_PATH=prebuilds/linux-x64/tensorgrad.glibc.node \
//     qemu-x86_64 -cpu qemu64 "$(command -v node)" test/package/cpu-smoke.cjs [path/to/dist/index.cjs]
// Sizes are above the TypeScript-kernel crossovers so that every kernel family runs in C++.
"use strict";
const path = require("path");
const tg = require(path.resolve(process.argv[2] || path.join(__dirname, "../../dist/index.cjs")));
const addon = require(path.resolve(process.env.TENSORGRAD_NATIVE_PATH || path.join(__dirname, "../../build/Release/tensorgrad.node")));

tg.setBackend("native");
tg.manualSeed(0);
const x = tg.randn([2048, 16]);
const wTrue = tg.arange(1, 17).reshape([16, 1]).div(8);
const y = x.matmul(wTrue).add(2);
const w = tg.zeros([16, 1]).requiresGrad_();
const b = tg.zeros([1]).requiresGrad_();
let loss = 0;
for (let step = 0; step < 100; step++) {
  const l = x.matmul(w).add(b).sub(y).square().mean();
  l.backward();
  tg.noGrad(() => {
    w.sub_(w.grad.mul(0.1));
    b.sub_(b.grad.mul(0.1));
  });
  w.grad.zero_();
  b.grad.zero_();
  loss = l.item();
}
const z = tg.randn([64, 300]);
const checks = {
  softmaxRowsSumTo1: tg.softmax(z, 1).sum(1).sub(1).abs().max().item() < 1e-5,
  tanhExpSigmoid: z.tanh().add(z.exp().log()).sigmoid().sum().item() > 0,
  gemm64: z.matmul(z.transpose(0, 1)).shape.join("x") === "64x64",
  converged: w.sub(wTrue).abs().max().item() < 1e-2 && loss < 1e-4,
};
console.log(JSON.stringify({ cpuLevel: addon.cpuLevel(), backend: tg.getBackend(), loss, checks }));
if (!Object.values(checks).every(Boolean)) process.exit(1);
