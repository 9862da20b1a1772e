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
  static R load(const T* p) { return _mm256_load_ps(p); }
  static R loadu(const T* p) { return _mm256_loadu_ps(p); }
  static void storeu(T* p, R x) { _mm256_storeu_ps(p, x); }
  static R fmadd(R a, R b, R c) { return _mm256_fmadd_ps(a, b, c); }
  static R mul(R a, R b) { return _mm256_mul_ps(a, b); }
  static void prefetch(const T* p) { _mm_prefetch(reinterpret_cast<const char*>(p), _MM_HINT_T0); }
};

struct V256d {
  using T = double;
  using R = __m256d;
  static constexpr int L = 4;
  static R zero() { return _mm256_setzero_pd(); }
  static R set1(T x) { return _mm256_set1_pd(x); }
  static R load(const T* p) { return _mm256_load_pd(p); }
  static R loadu(const T* p) { return _mm256_loadu_pd(p); }
  static void storeu(T* p, R x) { _mm256_storeu_pd(p, x); }
  static R fmadd(R a, R b, R c) { return _mm256_fmadd_pd(a, b, c); }
  static R mul(R a, R b) { return _mm256_mul_pd(a, b); }
  static void prefetch(const T* p) { _mm_prefetch(reinterpret_cast<const char*>(p), _MM_HINT_T0); }
};

// 16 ymm registers: 6×2 accumulators + 2 B vectors + 1 broadcast. B blocks of ~384 KiB, since AVX2
// machines often have only 256 KiB–1 MiB of L2.
struct Avx2F32 {
  using T = float;
  static constexpr int MR = 6, NR = 16;
  static constexpr int64_t KC = 384, MC = 6 * 512, NC = 256;
  static constexpr bool kTransposePack = false;
  static void pack_a_rows(const T*, int64_t, int64_t, T*) {}
  static void pack_b_cols(const T*, int64_t, int64_t, T*) {}
  static void ukr(int64_t k, const T* a, const T* b, T* c, int64_t ldc, T alpha, T beta) {
    ukr_simd<V256f, MR, 2>(k, a, b, c, ldc, alpha, beta);
  }
};

struct Avx2F64 {
  using T = double;
  static constexpr int MR = 6, NR = 8;
  static constexpr int64_t KC = 256, MC = 6 * 256, NC = 192;
  static constexpr bool kTransposePack = false;
  static void pack_a_rows(const T*, int64_t, int64_t, T*) {}
  static void pack_b_cols(const T*, int64_t, int64_t, T*) {}
  static void ukr(int64_t k, const T* a, const T* b, T* c, int64_t ldc, T alpha, T beta) {
    ukr_simd<V256d, MR, 2>(k, a, b, c, ldc, alpha, beta);
  }
};

}  // namespace

namespace gemm_detail {

void gemm_f32_avx2(const GemmParamsF32& p) { gemm_entry<Avx2F32>(p); }
void gemm_f64_avx2(const GemmParamsF64& p) { gemm_entry<Avx2F64>(p); }

}  // namespace gemm_detail
}  // namespace tg

#endif
