// Built with the AVX-512 flags plus -mavx512bf16; only called when bf16_level() is avx512bf16 or amx.
#if defined(__x86_64__) || defined(_M_X64)

// GCC 12 flags the self-initialised _mm512_undefined_*() inside its own intrinsics.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

#include <immintrin.h>

#include "gemm_bf16.h"

namespace tg {
namespace gemm_bf16_detail {

namespace {

// 8 rows × 32 columns of accumulators (16 zmm): each step broadcasts one (k, k+1) pair of a row of A and
// multiplies it into the pairs of 32 columns of B with VDPBF16PS (float32 accumulation).
inline void rows8(const Packed& pk, int64_t i0, const uint16_t* panel, float* out, int64_t out_ld) {
  __m512 acc[8][2];
  for (int r = 0; r < 8; ++r) acc[r][0] = acc[r][1] = _mm512_setzero_ps();
  const int64_t pairs = pk.kp / 2;
  for (int64_t q = 0; q < pairs; ++q) {
    const __m512bh b0 = (__m512bh)_mm512_load_si512(panel + q * 64);
    const __m512bh b1 = (__m512bh)_mm512_load_si512(panel + q * 64 + 32);
    for (int r = 0; r < 8; ++r) {
      int32_t pair;
      __builtin_memcpy(&pair, pk.a + a_index(i0 + r, 2 * q, pk.kp), 4);
      const __m512bh av = (__m512bh)_mm512_set1_epi32(pair);
      acc[r][0] = _mm512_dpbf16_ps(acc[r][0], av, b0);
      acc[r][1] = _mm512_dpbf16_ps(acc[r][1], av, b1);
    }
  }
  for (int r = 0; r < 8; ++r) {
    _mm512_storeu_ps(out + r * out_ld, acc[r][0]);
    _mm512_storeu_ps(out + r * out_ld + 16, acc[r][1]);
  }
}

}  // namespace

void block_avx512bf16(const Packed& pk, int64_t i0, int64_t panel, float* out, int64_t out_ld) {
  const uint16_t* b = pk.b + panel * (pk.kp / 2) * 64;
  for (int64_t r = 0; r < 32; r += 8) rows8(pk, i0 + r, b, out + r * out_ld, out_ld);
}

}  // namespace gemm_bf16_detail
}  // namespace tg
#endif
