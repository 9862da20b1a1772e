#pragma once

namespace tg {

// Highest SIMD level the kernels may use on this machine. Detected once; TENSORGRAD_CPU=baseline|avx2|avx512
// can lower it (never raise it above what the CPU and OS support).
enum class CpuLevel { Baseline = 0, Avx2 = 1, Avx512 = 2 };

CpuLevel cpu_level();

// What the hardware and OS support, ignoring TENSORGRAD_CPU.
CpuLevel cpu_level_detected();

const char* cpu_level_name(CpuLevel level);

}  // namespace tg
