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
inline void rows8(const Packed& pk, int64_t i0, const uint16_t* panel, int64_t k_begin, int64_t k_end, float* out,
                  int64_t out_ld, bool accumulate) {
  __m512 acc[8][2];
  for (int r = 0; r < 8; ++r) {
    acc[r][0] = accumulate ? _mm512_loadu_ps(out + r * out_ld) : _mm512_setzero_ps();
    acc[r][1] = accumulate ? _mm512_loadu_ps(out + r * out_ld + 16) : _mm512_setzero_ps();
  }
  // A is packed in tiles of 16 rows × 32 K: rows i0..i0+7 of one K chunk lie 32 elements apart.
  const uint16_t* a_tiles = pk.a + a_index(i0, 0, pk.kp);
  for (int64_t k0 = k_begin; k0 < k_end; k0 += 32) {
    const uint16_t* a = a_tiles + k0 * 16;
    const uint16_t* b = panel + k0 * 32;
    for (int qq = 0; qq < 16; ++qq) {
      const __m512bh b0 = (__m512bh)_mm512_load_si512(b + qq * 64);
      const __m512bh b1 = (__m512bh)_mm512_load_si512(b + qq * 64 + 32);
      for (int r = 0; r < 8; ++r) {
        int32_t pair;
        __builtin_memcpy(&pair, a + r * 32 + 2 * qq, 4);
        const __m512bh av = (__m512bh)_mm512_set1_epi32(pair);
        acc[r][0] = _mm512_dpbf16_ps(acc[r][0], av, b0);
        acc[r][1] = _mm512_dpbf16_ps(acc[r][1], av, b1);
      }
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
  // K in chunks of 256: the chunk of B (16 KiB) stays in L1 while the four groups of 8 rows use it.
  constexpr int64_t kc = 256;
  for (int64_t k0 = 0; k0 < pk.kp; k0 += kc) {
    const int64_t k1 = k0 + kc < pk.kp ? k0 + kc : pk.kp;
    for (int64_t r = 0; r < 32; r += 8) rows8(pk, i0 + r, b, k0, k1, out + r * out_ld, out_ld, k0 > 0);
  }
}

}  // namespace gemm_bf16_detail
}  // namespace tg
#endif
