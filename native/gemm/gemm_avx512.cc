// Built with -mavx512f -mavx512bw -mavx512dq -mavx512vl -mfma -mavx2; only called when cpu_level() says so.
#if defined(__x86_64__) || defined(_M_X64)

// GCC 12 flags the self-initialised _mm512_undefined_ps() inside its own shuffle intrinsics.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

#include <immintrin.h>

#include "gemm_driver.h"
#include "gemm_impl.h"
#include "gemm_ukr_simd.h"

namespace tg {
namespace {

struct V512f {
  using T = float;
  using R = __m512;
  static constexpr int L = 16;
  static R zero() { return _mm512_setzero_ps(); }
  static R set1(T x) { return _mm512_set1_ps(x); }
  static R loadu(const T* p) { return _mm512_loadu_ps(p); }
  static void storeu(T* p, R x) { _mm512_storeu_ps(p, x); }
  static R fmadd(R a, R b, R c) { return _mm512_fmadd_ps(a, b, c); }
  static R mul(R a, R b) { return _mm512_mul_ps(a, b); }
  using M = __mmask16;
  static M mask(int n) { return static_cast<M>((1u << n) - 1u); }
  static R loadu_mask(const T* p, M m) { return _mm512_maskz_loadu_ps(m, p); }
  static void storeu_mask(T* p, M m, R x) { _mm512_mask_storeu_ps(p, m, x); }
  static void prefetch(const T* p) { _mm_prefetch(reinterpret_cast<const char*>(p), _MM_HINT_T0); }
};

struct V512d {
  using T = double;
  using R = __m512d;
  static constexpr int L = 8;
  static R zero() { return _mm512_setzero_pd(); }
  static R set1(T x) { return _mm512_set1_pd(x); }
  static R loadu(const T* p) { return _mm512_loadu_pd(p); }
  static void storeu(T* p, R x) { _mm512_storeu_pd(p, x); }
  static R fmadd(R a, R b, R c) { return _mm512_fmadd_pd(a, b, c); }
  static R mul(R a, R b) { return _mm512_mul_pd(a, b); }
  using M = __mmask8;
  static M mask(int n) { return static_cast<M>((1u << n) - 1u); }
  static R loadu_mask(const T* p, M m) { return _mm512_maskz_loadu_pd(m, p); }
  static void storeu_mask(T* p, M m, R x) { _mm512_mask_storeu_pd(p, m, x); }
  static void prefetch(const T* p) { _mm_prefetch(reinterpret_cast<const char*>(p), _MM_HINT_T0); }
};

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

// Loads `rows` rows of 16-column block q0 (masked to the kc edge) and transposes them.
inline int load_transposed(const float* src, int64_t ld, int rows, int64_t q0, int64_t kc, __m512 r[16]) {
  const int qn = kc - q0 < 16 ? static_cast<int>(kc - q0) : 16;
  const __mmask16 mask = static_cast<__mmask16>((1u << qn) - 1u);
  for (int i = 0; i < 16; ++i) r[i] = i < rows ? _mm512_maskz_loadu_ps(mask, src + i * ld + q0) : _mm512_setzero_ps();
  transpose16(r);
  return qn;
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

inline int load_transposed(const double* src, int64_t ld, int rows, int64_t q0, int64_t kc, __m512d r[8]) {
  const int qn = kc - q0 < 8 ? static_cast<int>(kc - q0) : 8;
  const __mmask8 mask = static_cast<__mmask8>((1u << qn) - 1u);
  for (int i = 0; i < 8; ++i) r[i] = i < rows ? _mm512_maskz_loadu_pd(mask, src + i * ld + q0) : _mm512_setzero_pd();
  transpose8(r);
  return qn;
}

// 32 zmm registers: 14×2 accumulators + 2 B vectors + 1 broadcast. The A micro-panel (MR·KC) takes under
// half of a 48 KiB L1, the B block (KC·NC) about half of a 2 MiB L2; the A panel (MC·KC) lives in L3.
struct Avx512F32 {
  using T = float;
  static constexpr int MR = 14, NR = 32;
  static constexpr int64_t KC = 384, MC = 14 * 300, NC = 640;
  static constexpr bool kTransposePack = true;
  static void pack_a_rows(const T* src, int64_t lda, int64_t kc, int mr, T* dst) {
    __m512 r[16];
    for (int64_t q0 = 0; q0 < kc; q0 += 16) {
      const int qn = load_transposed(src, lda, mr, q0, kc, r);
      for (int q = 0; q < qn; ++q) _mm512_mask_storeu_ps(dst + (q0 + q) * MR, (1u << MR) - 1u, r[q]);
    }
  }
  static void pack_b_cols(const T* src, int64_t ldb, int64_t kc, int nr, T* dst) {
    __m512 r[16];
    for (int64_t q0 = 0; q0 < kc; q0 += 16) {
      for (int h = 0; h * 16 < nr; ++h) {
        const int qn = load_transposed(src + h * 16 * ldb, ldb, nr - h * 16 < 16 ? nr - h * 16 : 16, q0, kc, r);
        for (int q = 0; q < qn; ++q) _mm512_store_ps(dst + (q0 + q) * NR + h * 16, r[q]);
      }
    }
  }
  static void ukr(int64_t k, const T* a, const T* b, int64_t ldbk, T* c, int64_t ldc, T alpha, T beta) {
    ukr_simd<V512f, MR, 2>(k, a, b, ldbk, c, ldc, alpha, beta);
  }
  static void ukr_rows(int mr, int64_t k, const T* a, const T* b, int64_t ldbk, T* c, int64_t ldc, T alpha, T beta) {
    ukr_simd_rows<V512f, MR - 1, 2, MR>(mr, k, a, b, ldbk, c, ldc, alpha, beta);
  }
  static constexpr bool kHalfWidth = true;
  static void ukr_half(int64_t k, const T* a, const T* b, int64_t ldbk, T* c, int64_t ldc, T alpha, T beta) {
    ukr_simd<V512f, MR, 1, MR>(k, a, b, ldbk, c, ldc, alpha, beta);
  }
  static constexpr bool kMaskedEdge = true;
  static void ukr_edge(int mr, int nr, int64_t k, const T* a, const T* b, int64_t ldbk, T* c, int64_t ldc, T alpha,
                       T beta) {
    ukr_simd_edge<V512f, MR, 2, MR>(mr, nr, k, a, b, ldbk, c, ldc, alpha, beta);
  }
  static void copy_a(const T* src, int64_t ld, int64_t kc, int mr, T* dst) { copy_rows_simd<V512f, MR>(src, ld, kc, mr, dst); }
  static void copy_b(const T* src, int64_t ld, int64_t kc, int nr, T* dst) { copy_rows_simd<V512f, NR>(src, ld, kc, nr, dst); }
};

struct Avx512F64 {
  using T = double;
  static constexpr int MR = 14, NR = 16;
  static constexpr bool kTransposePack = true;
  static void pack_a_rows(const T* src, int64_t lda, int64_t kc, int mr, T* dst) {
    __m512d lo[8], hi[8];
    for (int64_t q0 = 0; q0 < kc; q0 += 8) {
      const int qn = load_transposed(src, lda, mr < 8 ? mr : 8, q0, kc, lo);
      load_transposed(src + 8 * lda, lda, mr > 8 ? mr - 8 : 0, q0, kc, hi);
      for (int q = 0; q < qn; ++q) {
        _mm512_storeu_pd(dst + (q0 + q) * MR, lo[q]);
        _mm512_mask_storeu_pd(dst + (q0 + q) * MR + 8, (1u << (MR - 8)) - 1u, hi[q]);
      }
    }
  }
  static void pack_b_cols(const T* src, int64_t ldb, int64_t kc, int nr, T* dst) {
    __m512d r[8];
    for (int64_t q0 = 0; q0 < kc; q0 += 8) {
      for (int h = 0; h * 8 < nr; ++h) {
        const int qn = load_transposed(src + h * 8 * ldb, ldb, nr - h * 8 < 8 ? nr - h * 8 : 8, q0, kc, r);
        for (int q = 0; q < qn; ++q) _mm512_store_pd(dst + (q0 + q) * NR + h * 8, r[q]);
      }
    }
  }
  static constexpr int64_t KC = 192, MC = 14 * 150, NC = 640;
  static void ukr(int64_t k, const T* a, const T* b, int64_t ldbk, T* c, int64_t ldc, T alpha, T beta) {
    ukr_simd<V512d, MR, 2>(k, a, b, ldbk, c, ldc, alpha, beta);
  }
  static void ukr_rows(int mr, int64_t k, const T* a, const T* b, int64_t ldbk, T* c, int64_t ldc, T alpha, T beta) {
    ukr_simd_rows<V512d, MR - 1, 2, MR>(mr, k, a, b, ldbk, c, ldc, alpha, beta);
  }
  static constexpr bool kHalfWidth = true;
  static void ukr_half(int64_t k, const T* a, const T* b, int64_t ldbk, T* c, int64_t ldc, T alpha, T beta) {
    ukr_simd<V512d, MR, 1, MR>(k, a, b, ldbk, c, ldc, alpha, beta);
  }
  static constexpr bool kMaskedEdge = true;
  static void ukr_edge(int mr, int nr, int64_t k, const T* a, const T* b, int64_t ldbk, T* c, int64_t ldc, T alpha,
                       T beta) {
    ukr_simd_edge<V512d, MR, 2, MR>(mr, nr, k, a, b, ldbk, c, ldc, alpha, beta);
  }
  static void copy_a(const T* src, int64_t ld, int64_t kc, int mr, T* dst) { copy_rows_simd<V512d, MR>(src, ld, kc, mr, dst); }
  static void copy_b(const T* src, int64_t ld, int64_t kc, int nr, T* dst) { copy_rows_simd<V512d, NR>(src, ld, kc, nr, dst); }
};

}  // namespace

namespace gemm_detail {

void gemm_f32_avx512(const GemmParamsF32& p) { gemm_entry<Avx512F32>(p); }
void gemm_f64_avx512(const GemmParamsF64& p) { gemm_entry<Avx512F64>(p); }

}  // namespace gemm_detail
}  // namespace tg

#endif
