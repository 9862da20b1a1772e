#include "gemm.h"

#include "../common/cpu_features.h"
#include "gemm_impl.h"

namespace tg {

namespace {

using F32Fn = void (*)(const GemmParamsF32&);
using F64Fn = void (*)(const GemmParamsF64&);

F32Fn pick_f32() {
#if defined(__x86_64__) || defined(_M_X64)
  switch (cpu_level()) {
    case CpuLevel::Avx512: return gemm_detail::gemm_f32_avx512;
    case CpuLevel::Avx2: return gemm_detail::gemm_f32_avx2;
    default: break;
  }
#endif
  return gemm_detail::gemm_f32_generic;
}

F64Fn pick_f64() {
#if defined(__x86_64__) || defined(_M_X64)
  switch (cpu_level()) {
    case CpuLevel::Avx512: return gemm_detail::gemm_f64_avx512;
    case CpuLevel::Avx2: return gemm_detail::gemm_f64_avx2;
    default: break;
  }
#endif
  return gemm_detail::gemm_f64_generic;
}

}  // namespace

void gemm_f32(const GemmParamsF32& p) {
  static const F32Fn fn = pick_f32();
  fn(p);
}

void gemm_f64(const GemmParamsF64& p) {
  static const F64Fn fn = pick_f64();
  fn(p);
}

}  // namespace tg
