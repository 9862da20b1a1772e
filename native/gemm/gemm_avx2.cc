// Built with -mavx2 -mfma; only called when cpu_level() says so.
#if defined(__x86_64__) || defined(_M_X64)

#include <immintrin.h>

#include "gemm_driver.h"
#include "gemm_impl.h"
#include "gemm_kernel_simd.h"

namespace tg {
namespace {

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

// What differs per element type (see gemm_kernel_simd.h): the vector operations, the transpose (fp32 only:
// fp64 packs with the driver's scalar loops) and the cache blocking. vmaskmov costs more than a plain move,
// so whole vectors take plain loads, and the transposing packs' partial ones plain stores where they can.
template <typename T>
struct Avx2;

template <>
struct Avx2<float> {
  using T = float;
  using R = __m256;
  using M = __m256i;
  static constexpr int L = 8;
  static R zero() { return _mm256_setzero_ps(); }
  static R set1(T x) { return _mm256_set1_ps(x); }
  static R loadu(const T* p) { return _mm256_loadu_ps(p); }
  static void storeu(T* p, R x) { _mm256_storeu_ps(p, x); }
  static void store(T* p, R x) { _mm256_store_ps(p, x); }
  static R fmadd(R a, R b, R c) { return _mm256_fmadd_ps(a, b, c); }
  static R mul(R a, R b) { return _mm256_mul_ps(a, b); }
  static M mask(int n) { return _mm256_cmpgt_epi32(_mm256_set1_epi32(n), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7)); }
  static R loadu_mask(const T* p, M m) { return _mm256_maskload_ps(p, m); }
  static void storeu_mask(T* p, M m, R x) { _mm256_maskstore_ps(p, m, x); }
  static R load_first(const T* p, int n, M m) { return n == L ? loadu(p) : loadu_mask(p, m); }
  // The 6-row A micro-panel's rows: 4 + 2 lanes with plain stores.
  template <int N>
  static void store_first(T* p, R x) {
    if constexpr (N == 6) {
      _mm_storeu_ps(p, _mm256_castps256_ps128(x));
      _mm_storel_pi(reinterpret_cast<__m64*>(p + 4), _mm256_extractf128_ps(x, 1));
    } else {
      storeu_mask(p, mask(N), x);
    }
  }
  static void prefetch(const T* p) { _mm_prefetch(reinterpret_cast<const char*>(p), _MM_HINT_T0); }
  static constexpr bool kTranspose = true;
  static void transpose(R r[L]) { transpose8(r); }
  static constexpr int64_t KC = 384, MC = 6 * 512, NC = 256;
};

template <>
struct Avx2<double> {
  using T = double;
  using R = __m256d;
  using M = __m256i;
  static constexpr int L = 4;
  static R zero() { return _mm256_setzero_pd(); }
  static R set1(T x) { return _mm256_set1_pd(x); }
  static R loadu(const T* p) { return _mm256_loadu_pd(p); }
  static void storeu(T* p, R x) { _mm256_storeu_pd(p, x); }
  static R fmadd(R a, R b, R c) { return _mm256_fmadd_pd(a, b, c); }
  static R mul(R a, R b) { return _mm256_mul_pd(a, b); }
  static M mask(int n) { return _mm256_cmpgt_epi64(_mm256_set1_epi64x(n), _mm256_setr_epi64x(0, 1, 2, 3)); }
  static R loadu_mask(const T* p, M m) { return _mm256_maskload_pd(p, m); }
  static void storeu_mask(T* p, M m, R x) { _mm256_maskstore_pd(p, m, x); }
  static void prefetch(const T* p) { _mm_prefetch(reinterpret_cast<const char*>(p), _MM_HINT_T0); }
  static constexpr bool kTranspose = false;
  static constexpr int64_t KC = 256, MC = 6 * 256, NC = 192;
};

// 16 ymm registers: 6×2 accumulators + 2 B vectors + 1 broadcast. B blocks (KC·NC) of 384 KiB, since AVX2
// machines often have only 256 KiB–1 MiB of L2.
template <typename T>
using Avx2Kernel = SimdKernel<Avx2<T>, 6, 2>;

}  // namespace

namespace gemm_detail {

void gemm_f32_avx2(const GemmParamsF32& p) { gemm_entry<Avx2Kernel<float>>(p); }
void gemm_f64_avx2(const GemmParamsF64& p) { gemm_entry<Avx2Kernel<double>>(p); }

}  // namespace gemm_detail
}  // namespace tg

#endif
