// Built with -mavx2 -mfma; only called when cpu_level() says so.
#if defined(__x86_64__) || defined(_M_X64)

#include <immintrin.h>

#include "gemm_driver.h"
#include "gemm_impl.h"
#include "gemm_ukr_simd.h"

namespace tg {
namespace {

struct V256f {
  using T = float;
  using R = __m256;
  static constexpr int L = 8;
  static R zero() { return _mm256_setzero_ps(); }
  static R set1(T x) { return _mm256_set1_ps(x); }
  static R loadu(const T* p) { return _mm256_loadu_ps(p); }
  static void storeu(T* p, R x) { _mm256_storeu_ps(p, x); }
  static R fmadd(R a, R b, R c) { return _mm256_fmadd_ps(a, b, c); }
  static R mul(R a, R b) { return _mm256_mul_ps(a, b); }
  using M = __m256i;
  static M mask(int n) { return _mm256_cmpgt_epi32(_mm256_set1_epi32(n), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7)); }
  static R loadu_mask(const T* p, M m) { return _mm256_maskload_ps(p, m); }
  static void storeu_mask(T* p, M m, R x) { _mm256_maskstore_ps(p, m, x); }
  static void prefetch(const T* p) { _mm_prefetch(reinterpret_cast<const char*>(p), _MM_HINT_T0); }
};

struct V256d {
  using T = double;
  using R = __m256d;
  static constexpr int L = 4;
  static R zero() { return _mm256_setzero_pd(); }
  static R set1(T x) { return _mm256_set1_pd(x); }
  static R loadu(const T* p) { return _mm256_loadu_pd(p); }
  static void storeu(T* p, R x) { _mm256_storeu_pd(p, x); }
  static R fmadd(R a, R b, R c) { return _mm256_fmadd_pd(a, b, c); }
  static R mul(R a, R b) { return _mm256_mul_pd(a, b); }
  using M = __m256i;
  static M mask(int n) { return _mm256_cmpgt_epi64(_mm256_set1_epi64x(n), _mm256_setr_epi64x(0, 1, 2, 3)); }
  static R loadu_mask(const T* p, M m) { return _mm256_maskload_pd(p, m); }
  static void storeu_mask(T* p, M m, R x) { _mm256_maskstore_pd(p, m, x); }
  static void prefetch(const T* p) { _mm_prefetch(reinterpret_cast<const char*>(p), _MM_HINT_T0); }
};

// In-register 8×8 transpose: r[i] = row i in, r[c] = column c out.
inline void transpose8(__m256 r[8]) {
  __m256 t[8], u[8];
  for (int i = 0; i < 4; ++i) {
    t[2 * i] = _mm256_unpacklo_ps(r[2 * i], r[2 * i + 1]);
    t[2 * i + 1] = _mm256_unpackhi_ps(r[2 * i], r[2 * i + 1]);
  }
  for (int h = 0; h < 2; ++h) {
    u[4 * h] = _mm256_shuffle_ps(t[4 * h], t[4 * h + 2], 0x44);
    u[4 * h + 1] = _mm256_shuffle_ps(t[4 * h], t[4 * h + 2], 0xEE);
    u[4 * h + 2] = _mm256_shuffle_ps(t[4 * h + 1], t[4 * h + 3], 0x44);
    u[4 * h + 3] = _mm256_shuffle_ps(t[4 * h + 1], t[4 * h + 3], 0xEE);
  }
  for (int j = 0; j < 4; ++j) {
    r[j] = _mm256_permute2f128_ps(u[j], u[4 + j], 0x20);
    r[4 + j] = _mm256_permute2f128_ps(u[j], u[4 + j], 0x31);
  }
}

// Loads `rows` rows of the 8-column block q0 (masked to the kc edge) and transposes them.
inline int load_transposed(const float* src, int64_t ld, int rows, int64_t q0, int64_t kc, __m256 r[8]) {
  const int qn = kc - q0 < 8 ? static_cast<int>(kc - q0) : 8;
  const __m256i lanes = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  const __m256i mask = _mm256_cmpgt_epi32(_mm256_set1_epi32(qn), lanes);
  for (int i = 0; i < 8; ++i)
    r[i] = i >= rows ? _mm256_setzero_ps() : qn == 8 ? _mm256_loadu_ps(src + i * ld + q0)
                                                       : _mm256_maskload_ps(src + i * ld + q0, mask);
  transpose8(r);
  return qn;
}

// 16 ymm registers: 6×2 accumulators + 2 B vectors + 1 broadcast. B blocks of ~384 KiB, since AVX2
// machines often have only 256 KiB–1 MiB of L2.
struct Avx2F32 {
  using T = float;
  static constexpr int MR = 6, NR = 16;
  static constexpr int64_t KC = 384, MC = 6 * 512, NC = 256;
  static constexpr bool kTransposePack = true;
  static void pack_a_rows(const T* src, int64_t lda, int64_t kc, int mr, T* dst) {
    __m256 r[8];
    for (int64_t q0 = 0; q0 < kc; q0 += 8) {
      const int qn = load_transposed(src, lda, mr, q0, kc, r);
      for (int q = 0; q < qn; ++q) {
        T* d = dst + (q0 + q) * MR;
        _mm_storeu_ps(d, _mm256_castps256_ps128(r[q]));
        _mm_storel_pi(reinterpret_cast<__m64*>(d + 4), _mm256_extractf128_ps(r[q], 1));
      }
    }
  }
  static void pack_b_cols(const T* src, int64_t ldb, int64_t kc, int nr, T* dst) {
    __m256 r[8];
    for (int64_t q0 = 0; q0 < kc; q0 += 8) {
      for (int h = 0; h * 8 < nr; ++h) {
        const int qn = load_transposed(src + h * 8 * ldb, ldb, nr - h * 8 < 8 ? nr - h * 8 : 8, q0, kc, r);
        for (int q = 0; q < qn; ++q) _mm256_store_ps(dst + (q0 + q) * NR + h * 8, r[q]);
      }
    }
  }
  static void ukr(int64_t k, const T* a, const T* b, int64_t ldbk, T* c, int64_t ldc, T alpha, T beta) {
    ukr_simd<V256f, MR, 2>(k, a, b, ldbk, c, ldc, alpha, beta);
  }
  static void ukr_rows(int mr, int64_t k, const T* a, const T* b, int64_t ldbk, T* c, int64_t ldc, T alpha, T beta) {
    ukr_simd_rows<V256f, MR - 1, 2, MR>(mr, k, a, b, ldbk, c, ldc, alpha, beta);
  }
  static constexpr bool kHalfWidth = true;
  static void ukr_half(int64_t k, const T* a, const T* b, int64_t ldbk, T* c, int64_t ldc, T alpha, T beta) {
    ukr_simd<V256f, MR, 1, MR>(k, a, b, ldbk, c, ldc, alpha, beta);
  }
  static constexpr bool kMaskedEdge = true;
  static void ukr_edge(int mr, int nr, int64_t k, const T* a, const T* b, int64_t ldbk, T* c, int64_t ldc, T alpha,
                       T beta) {
    ukr_simd_edge<V256f, MR, 2, MR>(mr, nr, k, a, b, ldbk, c, ldc, alpha, beta);
  }
  static void copy_a(const T* src, int64_t ld, int64_t kc, int mr, T* dst) { copy_rows_simd<V256f, MR>(src, ld, kc, mr, dst); }
  static void copy_b(const T* src, int64_t ld, int64_t kc, int nr, T* dst) { copy_rows_simd<V256f, NR>(src, ld, kc, nr, dst); }
};

struct Avx2F64 {
  using T = double;
  static constexpr int MR = 6, NR = 8;
  static constexpr int64_t KC = 256, MC = 6 * 256, NC = 192;
  static constexpr bool kTransposePack = false;
  static void pack_a_rows(const T*, int64_t, int64_t, int, T*) {}
  static void pack_b_cols(const T*, int64_t, int64_t, int, T*) {}
  static void ukr(int64_t k, const T* a, const T* b, int64_t ldbk, T* c, int64_t ldc, T alpha, T beta) {
    ukr_simd<V256d, MR, 2>(k, a, b, ldbk, c, ldc, alpha, beta);
  }
  static void ukr_rows(int mr, int64_t k, const T* a, const T* b, int64_t ldbk, T* c, int64_t ldc, T alpha, T beta) {
    ukr_simd_rows<V256d, MR - 1, 2, MR>(mr, k, a, b, ldbk, c, ldc, alpha, beta);
  }
  static constexpr bool kHalfWidth = true;
  static void ukr_half(int64_t k, const T* a, const T* b, int64_t ldbk, T* c, int64_t ldc, T alpha, T beta) {
    ukr_simd<V256d, MR, 1, MR>(k, a, b, ldbk, c, ldc, alpha, beta);
  }
  static constexpr bool kMaskedEdge = true;
  static void ukr_edge(int mr, int nr, int64_t k, const T* a, const T* b, int64_t ldbk, T* c, int64_t ldc, T alpha,
                       T beta) {
    ukr_simd_edge<V256d, MR, 2, MR>(mr, nr, k, a, b, ldbk, c, ldc, alpha, beta);
  }
  static void copy_a(const T* src, int64_t ld, int64_t kc, int mr, T* dst) { copy_rows_simd<V256d, MR>(src, ld, kc, mr, dst); }
  static void copy_b(const T* src, int64_t ld, int64_t kc, int nr, T* dst) { copy_rows_simd<V256d, NR>(src, ld, kc, nr, dst); }
};

}  // namespace

namespace gemm_detail {

void gemm_f32_avx2(const GemmParamsF32& p) { gemm_entry<Avx2F32>(p); }
void gemm_f64_avx2(const GemmParamsF64& p) { gemm_entry<Avx2F64>(p); }

}  // namespace gemm_detail
}  // namespace tg

#endif
