#include "convert.h"

#include "../common/cpu_features.h"

namespace tg {

namespace {
[[maybe_unused]] bool use_avx512() {
  static const bool yes = cpu_level() == CpuLevel::Avx512;
  return yes;
}
}  // namespace

void f32_to_bf16(const float* src, uint16_t* dst, int64_t n) {
#if defined(TG_HALF_AVX512)
  if (use_avx512()) return half_detail::f32_to_bf16_avx512(src, dst, n);
#endif
  for (int64_t i = 0; i < n; ++i) dst[i] = bf16_from_f32(src[i]);
}

void bf16_to_f32(const uint16_t* src, float* dst, int64_t n) {
#if defined(TG_HALF_AVX512)
  if (use_avx512()) return half_detail::bf16_to_f32_avx512(src, dst, n);
#endif
  for (int64_t i = 0; i < n; ++i) dst[i] = f32_from_bf16(src[i]);
}

void f32_to_f16(const float* src, uint16_t* dst, int64_t n) {
#if defined(TG_HALF_AVX512)
  if (use_avx512()) return half_detail::f32_to_f16_avx512(src, dst, n);
#endif
  for (int64_t i = 0; i < n; ++i) dst[i] = f16_from_f32(src[i]);
}

void f16_to_f32(const uint16_t* src, float* dst, int64_t n) {
#if defined(TG_HALF_AVX512)
  if (use_avx512()) return half_detail::f16_to_f32_avx512(src, dst, n);
#endif
  for (int64_t i = 0; i < n; ++i) dst[i] = f32_from_f16(src[i]);
}

}  // namespace tg
