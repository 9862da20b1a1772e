// Built with -mavx512f -mavx512bw -mavx512dq -mavx512vl -mfma -mavx2; only called when cpu_level() says so.
#if defined(__x86_64__) || defined(_M_X64)

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
  static R load(const T* p) { return _mm512_load_ps(p); }
  static R loadu(const T* p) { return _mm512_loadu_ps(p); }
  static void storeu(T* p, R x) { _mm512_storeu_ps(p, x); }
  static R fmadd(R a, R b, R c) { return _mm512_fmadd_ps(a, b, c); }
  static R mul(R a, R b) { return _mm512_mul_ps(a, b); }
  static void prefetch(const T* p) { _mm_prefetch(reinterpret_cast<const char*>(p), _MM_HINT_T0); }
};

struct V512d {
  using T = double;
  using R = __m512d;
  static constexpr int L = 8;
  static R zero() { return _mm512_setzero_pd(); }
  static R set1(T x) { return _mm512_set1_pd(x); }
  static R load(const T* p) { return _mm512_load_pd(p); }
  static R loadu(const T* p) { return _mm512_loadu_pd(p); }
  static void storeu(T* p, R x) { _mm512_storeu_pd(p, x); }
  static R fmadd(R a, R b, R c) { return _mm512_fmadd_pd(a, b, c); }
  static R mul(R a, R b) { return _mm512_mul_pd(a, b); }
  static void prefetch(const T* p) { _mm_prefetch(reinterpret_cast<const char*>(p), _MM_HINT_T0); }
};

// 32 zmm registers: 14×2 accumulators + 2 B vectors + 1 broadcast. KC·NR (the B micro-panel, reused
// across the MC rows) sized for the 48 KiB L1; MC·KC (packed A) for the 2 MiB L2.
struct Avx512F32 {
  using T = float;
  static constexpr int MR = 14, NR = 32;
#ifndef TG_TUNE_KC
#define TG_TUNE_KC 256
#define TG_TUNE_MC (14 * 24)
#define TG_TUNE_NC 2048
#endif
  static constexpr int64_t KC = TG_TUNE_KC, MC = TG_TUNE_MC, NC = TG_TUNE_NC;
  static void ukr(int64_t k, const T* a, const T* b, T* c, int64_t ldc, T alpha, T beta) {
    ukr_simd<V512f, MR, 2>(k, a, b, c, ldc, alpha, beta);
  }
};

struct Avx512F64 {
  using T = double;
  static constexpr int MR = 14, NR = 16;
  static constexpr int64_t KC = 256, MC = 14 * 12, NC = 1024;
  static void ukr(int64_t k, const T* a, const T* b, T* c, int64_t ldc, T alpha, T beta) {
    ukr_simd<V512d, MR, 2>(k, a, b, c, ldc, alpha, beta);
  }
};

}  // namespace

namespace gemm_detail {

void gemm_f32_avx512(const GemmParamsF32& p) { gemm_entry<Avx512F32>(p); }
void gemm_f64_avx512(const GemmParamsF64& p) { gemm_entry<Avx512F64>(p); }

}  // namespace gemm_detail
}  // namespace tg

#endif
