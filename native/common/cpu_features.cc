#include "cpu_features.h"

#include <cstdlib>
#include <cstring>

#if defined(__x86_64__) || defined(_M_X64)
#define TG_X86 1
#if defined(_MSC_VER)
#include <immintrin.h>
#include <intrin.h>
#else
#include <cpuid.h>
#endif
#endif

namespace tg {

namespace {

#if defined(TG_X86)
void cpuid(unsigned leaf, unsigned sub, unsigned regs[4]) {
#if defined(_MSC_VER)
  int r[4];
  __cpuidex(r, static_cast<int>(leaf), static_cast<int>(sub));
  for (int i = 0; i < 4; ++i) regs[i] = static_cast<unsigned>(r[i]);
#else
  __cpuid_count(leaf, sub, regs[0], regs[1], regs[2], regs[3]);
#endif
}

// Read XCR0 with raw xgetbv so this file needs no -mxsave.
unsigned long long xcr0() {
#if defined(_MSC_VER)
  return _xgetbv(0);
#else
  unsigned lo, hi;
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  return (static_cast<unsigned long long>(hi) << 32) | lo;
#endif
}

CpuLevel detect() {
  unsigned r[4];
  cpuid(0, 0, r);
  const unsigned max_leaf = r[0];
  if (max_leaf < 7) return CpuLevel::Baseline;
  cpuid(1, 0, r);
  const unsigned ecx1 = r[2];
  const bool osxsave = (ecx1 >> 27) & 1;
  const bool avx = (ecx1 >> 28) & 1;
  const bool fma = (ecx1 >> 12) & 1;
  if (!osxsave || !avx || !fma) return CpuLevel::Baseline;
  // The OS must save xmm+ymm state (bits 1, 2) and, for AVX-512, opmask+zmm state (bits 5, 6, 7).
  const unsigned long long xcr = xcr0();
  if ((xcr & 0x6) != 0x6) return CpuLevel::Baseline;
  cpuid(7, 0, r);
  const unsigned ebx7 = r[1];
  const bool avx2 = (ebx7 >> 5) & 1;
  if (!avx2) return CpuLevel::Baseline;
  const bool f = (ebx7 >> 16) & 1, dq = (ebx7 >> 17) & 1, bw = (ebx7 >> 30) & 1, vl = (ebx7 >> 31) & 1;
  if (f && dq && bw && vl && (xcr & 0xE0) == 0xE0) return CpuLevel::Avx512;
  return CpuLevel::Avx2;
}
#else
CpuLevel detect() { return CpuLevel::Baseline; }
#endif

// Any other value is refused when the addon loads (addon.cc), so the fall-through to hw is never silent.
CpuLevel apply_env(CpuLevel hw) {
  const char* env = std::getenv("TENSORGRAD_CPU");
  if (env == nullptr || *env == '\0') return hw;
  CpuLevel want = hw;
  if (std::strcmp(env, "baseline") == 0) want = CpuLevel::Baseline;
  else if (std::strcmp(env, "avx2") == 0) want = CpuLevel::Avx2;
  else if (std::strcmp(env, "avx512") == 0) want = CpuLevel::Avx512;
  return static_cast<int>(want) < static_cast<int>(hw) ? want : hw;
}

}  // namespace

CpuLevel cpu_level_detected() {
  static const CpuLevel level = detect();
  return level;
}

CpuLevel cpu_level() {
  static const CpuLevel level = apply_env(cpu_level_detected());
  return level;
}

const char* cpu_level_name(CpuLevel level) {
  switch (level) {
    case CpuLevel::Avx512: return "avx512";
    case CpuLevel::Avx2: return "avx2";
    default: return "baseline";
  }
}

}  // namespace tg
