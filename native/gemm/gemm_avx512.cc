// Built with -mavx512f -mavx512bw -mavx512dq -mavx512vl -mfma -mavx2; only called when cpu_level() says so.
#if defined(__x86_64__) || defined(_M_X64)

// GCC 12 flags the self-initialised _mm512_undefined_ps() inside its own shuffle intrinsics.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

#include <immintrin.h>

#include "gemm_driver.h"
#include "gemm_impl.h"
#include "gemm_kernel_simd.h"

namespace tg {
namespace {

// In-register 16×16 transpose: r[i] = row i in, r[c] = column c out. Unpacks interleave pairs of rows
// within 128-bit lanes, then two rounds of 128-bit lane shuffles gather each column's four lanes.
inline void transpose16(__m512 r[16]) {
  __m512 t[16];
  for (int i = 0; i < 8; ++i) {
    t[2 * i] = _mm512_unpacklo_ps(r[2 * i], r[2 * i + 1]);
    t[2 * i + 1] = _mm512_unpackhi_ps(r[2 * i], r[2 * i + 1]);
  }
  __m512 u[16];
  for (int i = 0; i < 4; ++i) {
    const __m512d t0 = _mm512_castps_pd(t[4 * i]), t1 = _mm512_castps_pd(t[4 * i + 1]);
    const __m512d t2 = _mm512_castps_pd(t[4 * i + 2]), t3 = _mm512_castps_pd(t[4 * i + 3]);
    u[4 * i] = _mm512_castpd_ps(_mm512_unpacklo_pd(t0, t2));
    u[4 * i + 1] = _mm512_castpd_ps(_mm512_unpackhi_pd(t0, t2));
    u[4 * i + 2] = _mm512_castpd_ps(_mm512_unpacklo_pd(t1, t3));
    u[4 * i + 3] = _mm512_castpd_ps(_mm512_unpackhi_pd(t1, t3));
  }
  for (int j = 0; j < 4; ++j) {
    const __m512 x = _mm512_shuffle_f32x4(u[j], u[4 + j], 0x88), y = _mm512_shuffle_f32x4(u[j], u[4 + j], 0xDD);
    const __m512 z = _mm512_shuffle_f32x4(u[8 + j], u[12 + j], 0x88);
    const __m512 w = _mm512_shuffle_f32x4(u[8 + j], u[12 + j], 0xDD);
    r[j] = _mm512_shuffle_f32x4(x, z, 0x88);
    r[8 + j] = _mm512_shuffle_f32x4(x, z, 0xDD);
    r[4 + j] = _mm512_shuffle_f32x4(y, w, 0x88);
    r[12 + j] = _mm512_shuffle_f32x4(y, w, 0xDD);
  }
}

// In-register 8×8 transpose of doubles, the same scheme as transpose16 with 2-element lanes.
inline void transpose8(__m512d r[8]) {
  __m512d t[8];
  for (int i = 0; i < 4; ++i) {
    t[2 * i] = _mm512_unpacklo_pd(r[2 * i], r[2 * i + 1]);
    t[2 * i + 1] = _mm512_unpackhi_pd(r[2 * i], r[2 * i + 1]);
  }
  __m512d u[8];
  for (int h = 0; h < 2; ++h) {
    u[4 * h] = _mm512_shuffle_f64x2(t[4 * h], t[4 * h + 2], 0x88);
    u[4 * h + 1] = _mm512_shuffle_f64x2(t[4 * h], t[4 * h + 2], 0xDD);
    u[4 * h + 2] = _mm512_shuffle_f64x2(t[4 * h + 1], t[4 * h + 3], 0x88);
    u[4 * h + 3] = _mm512_shuffle_f64x2(t[4 * h + 1], t[4 * h + 3], 0xDD);
  }
  r[0] = _mm512_shuffle_f64x2(u[0], u[4], 0x88);
  r[4] = _mm512_shuffle_f64x2(u[0], u[4], 0xDD);
  r[2] = _mm512_shuffle_f64x2(u[1], u[5], 0x88);
  r[6] = _mm512_shuffle_f64x2(u[1], u[5], 0xDD);
  r[1] = _mm512_shuffle_f64x2(u[2], u[6], 0x88);
  r[5] = _mm512_shuffle_f64x2(u[2], u[6], 0xDD);
  r[3] = _mm512_shuffle_f64x2(u[3], u[7], 0x88);
  r[7] = _mm512_shuffle_f64x2(u[3], u[7], 0xDD);
}

// What differs per element type (see gemm_kernel_simd.h): the vector operations, the transpose and the
// cache blocking. Masked loads and stores are cheap here, so partial vectors always go through a mask.
template <typename T>
struct Avx512;

template <>
struct Avx512<float> {
  using T = float;
  using R = __m512;
  using M = __mmask16;
  static constexpr int L = 16;
  static R zero() { return _mm512_setzero_ps(); }
  static R set1(T x) { return _mm512_set1_ps(x); }
  static R loadu(const T* p) { return _mm512_loadu_ps(p); }
  static void storeu(T* p, R x) { _mm512_storeu_ps(p, x); }
  static void store(T* p, R x) { _mm512_store_ps(p, x); }
  static R fmadd(R a, R b, R c) { return _mm512_fmadd_ps(a, b, c); }
  static R mul(R a, R b) { return _mm512_mul_ps(a, b); }
  static M mask(int n) { return static_cast<M>((1u << n) - 1u); }
  static R loadu_mask(const T* p, M m) { return _mm512_maskz_loadu_ps(m, p); }
  static void storeu_mask(T* p, M m, R x) { _mm512_mask_storeu_ps(p, m, x); }
  static R load_first(const T* p, int, M m) { return loadu_mask(p, m); }
  template <int N>
  static void store_first(T* p, R x) { storeu_mask(p, mask(N), x); }
  static void prefetch(const T* p) { _mm_prefetch(reinterpret_cast<const char*>(p), _MM_HINT_T0); }
  static constexpr bool kTranspose = true;
  static void transpose(R r[L]) { transpose16(r); }
  static constexpr int64_t KC = 384, MC = 14 * 300, NC = 640;
};

template <>
struct Avx512<double> {
  using T = double;
  using R = __m512d;
  using M = __mmask8;
  static constexpr int L = 8;
  static R zero() { return _mm512_setzero_pd(); }
  static R set1(T x) { return _mm512_set1_pd(x); }
  static R loadu(const T* p) { return _mm512_loadu_pd(p); }
  static void storeu(T* p, R x) { _mm512_storeu_pd(p, x); }
  static void store(T* p, R x) { _mm512_store_pd(p, x); }
  static R fmadd(R a, R b, R c) { return _mm512_fmadd_pd(a, b, c); }
  static R mul(R a, R b) { return _mm512_mul_pd(a, b); }
  static M mask(int n) { return static_cast<M>((1u << n) - 1u); }
  static R loadu_mask(const T* p, M m) { return _mm512_maskz_loadu_pd(m, p); }
  static void storeu_mask(T* p, M m, R x) { _mm512_mask_storeu_pd(p, m, x); }
  static R load_first(const T* p, int, M m) { return loadu_mask(p, m); }
  template <int N>
  static void store_first(T* p, R x) { storeu_mask(p, mask(N), x); }
  static void prefetch(const T* p) { _mm_prefetch(reinterpret_cast<const char*>(p), _MM_HINT_T0); }
  static constexpr bool kTranspose = true;
  static void transpose(R r[L]) { transpose8(r); }
  static constexpr int64_t KC = 192, MC = 14 * 150, NC = 640;
};

// 32 zmm registers: 14×2 accumulators + 2 B vectors + 1 broadcast. The A micro-panel (MR·KC) takes under
// half of a 48 KiB L1, the B block (KC·NC) about half of a 2 MiB L2; the A panel (MC·KC) lives in L3.
template <typename T>
using Avx512Kernel = SimdKernel<Avx512<T>, 14, 2>;

}  // namespace

namespace gemm_detail {

void gemm_f32_avx512(const GemmParamsF32& p) { gemm_entry<Avx512Kernel<float>>(p); }
void gemm_f64_avx512(const GemmParamsF64& p) { gemm_entry<Avx512Kernel<double>>(p); }

}  // namespace gemm_detail
}  // namespace tg

#endif
