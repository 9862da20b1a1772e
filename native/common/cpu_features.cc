#include "cpu_features.h"

#include <cstdlib>
#include <cstring>
#include <initializer_list>

#if defined(__linux__)
#include <sys/syscall.h>
#include <unistd.h>
#endif

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

// Linux hands out AMX tile data state only on request (per process): ask once, then confirm the grant.
bool amx_permitted() {
#if defined(__linux__) && defined(SYS_arch_prctl)
  constexpr int kArchGetXcompPerm = 0x1022, kArchReqXcompPerm = 0x1023, kXfeatureXtiledata = 18;
  if (syscall(SYS_arch_prctl, kArchReqXcompPerm, kXfeatureXtiledata) != 0) return false;
  unsigned long long granted = 0;
  if (syscall(SYS_arch_prctl, kArchGetXcompPerm, &granted) != 0) return false;
  return (granted >> kXfeatureXtiledata) & 1;
#else
  return false;
#endif
}

Bf16Level detect_bf16(CpuLevel simd) {
  if (simd != CpuLevel::Avx512) return Bf16Level::None;
  unsigned r[4];
  cpuid(7, 0, r);
  const unsigned max_sub = r[0];
  const bool amx_bf16 = (r[3] >> 22) & 1, amx_tile = (r[3] >> 24) & 1;
  bool avx512_bf16 = false;
  if (max_sub >= 1) {
    cpuid(7, 1, r);
    avx512_bf16 = (r[0] >> 5) & 1;
  }
  if (!avx512_bf16) return Bf16Level::None;
  // XCR0 bits 17 (XTILECFG) and 18 (XTILEDATA): the OS saves tile state.
  const bool os_tiles = (xcr0() & (3ull << 17)) == (3ull << 17);
  if (amx_bf16 && amx_tile && os_tiles && amx_permitted()) return Bf16Level::Amx;
  return Bf16Level::Avx512Bf16;
}
#else
CpuLevel detect() { return CpuLevel::Baseline; }
Bf16Level detect_bf16(CpuLevel) { return Bf16Level::None; }
#endif

// Any other value is refused when the addon loads (addon.cc), so the fall-through to hw is never silent.
CpuLevel apply_env(CpuLevel hw) {
  const char* env = std::getenv("TENSORGRAD_CPU");
  if (env == nullptr || *env == '\0') return hw;
  CpuLevel want = hw;
  if (std::strcmp(env, "baseline") == 0) want = CpuLevel::Baseline;
  else if (std::strcmp(env, "avx2") == 0) want = CpuLevel::Avx2;
  else if (std::strcmp(env, "avx512") == 0 || std::strcmp(env, "avx512bf16") == 0 || std::strcmp(env, "amx") == 0)
    want = CpuLevel::Avx512;
  return static_cast<int>(want) < static_cast<int>(hw) ? want : hw;
}

Bf16Level apply_env_bf16(Bf16Level hw) {
  const char* env = std::getenv("TENSORGRAD_CPU");
  if (env == nullptr || *env == '\0') return hw;
  Bf16Level want = Bf16Level::None;
  if (std::strcmp(env, "avx512bf16") == 0) want = Bf16Level::Avx512Bf16;
  else if (std::strcmp(env, "amx") == 0) want = Bf16Level::Amx;
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

Bf16Level bf16_level_detected() {
  static const Bf16Level level = detect_bf16(cpu_level_detected());
  return level;
}

Bf16Level bf16_level() {
  static const Bf16Level level = apply_env_bf16(bf16_level_detected());
  return level;
}

const char* bf16_level_name(Bf16Level level) {
  switch (level) {
    case Bf16Level::Amx: return "amx";
    case Bf16Level::Avx512Bf16: return "avx512bf16";
    default: return "none";
  }
}

bool cpu_env_value_valid(const char* v) {
  for (const char* name : {"baseline", "avx2", "avx512", "avx512bf16", "amx"})
    if (std::strcmp(v, name) == 0) return true;
  return false;
}

const char* cpu_level_name(CpuLevel level) {
  switch (level) {
    case CpuLevel::Avx512: return "avx512";
    case CpuLevel::Avx2: return "avx2";
    default: return "baseline";
  }
}

}  // namespace tg
