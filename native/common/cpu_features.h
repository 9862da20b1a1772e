#pragma once

// The avx2/avx512 kernel files (*_avx2.cc, *_avx512.cc) are built only for x86-64; elsewhere every
// dispatcher uses the baseline kernels, which the compiler vectorises for the target (NEON on arm64).
#if defined(__x86_64__) || defined(_M_X64)
#define TG_X86_ISA_LEVELS 1
#else
#define TG_X86_ISA_LEVELS 0
#endif

namespace tg {

// Highest SIMD level the kernels may use on this machine. Detected once; TENSORGRAD_CPU=baseline|avx2|avx512
// can lower it (never raise it above what the CPU and OS support).
enum class CpuLevel { Baseline = 0, Avx2 = 1, Avx512 = 2 };

CpuLevel cpu_level();

// What the hardware and OS support, ignoring TENSORGRAD_CPU.
CpuLevel cpu_level_detected();

const char* cpu_level_name(CpuLevel level);

// The bfloat16 matrix instructions above the SIMD level: AVX512_BF16 (VDPBF16PS on zmm) and AMX-BF16 tiles.
// Detected from cpuid and XCR0; AMX also needs Linux's permission for tile data (arch_prctl
// ARCH_REQ_XCOMP_PERM, requested once here). TENSORGRAD_CPU=avx512bf16 or amx lowers it; the SIMD levels
// (baseline, avx2, avx512) turn it off.
enum class Bf16Level { None = 0, Avx512Bf16 = 1, Amx = 2 };

Bf16Level bf16_level();
Bf16Level bf16_level_detected();
const char* bf16_level_name(Bf16Level level);

// Whether v is a value TENSORGRAD_CPU accepts: a SIMD level's name or "avx512bf16" / "amx".
bool cpu_env_value_valid(const char* v);

}  // namespace tg
