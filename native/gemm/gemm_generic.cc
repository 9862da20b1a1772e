#include "gemm_driver.h"
#include "gemm_impl.h"
#include "gemm_ukr_generic.h"

namespace tg {
namespace {

// Baseline x86-64 has 16 SSE registers: a 4-row tile of two 16-byte vectors per row is 8 of them (4×8 fp32,
// 4×4 fp64). B blocks (KC·NC) of 256 KiB: NC = 256 fp32, 128 fp64.
template <typename T_>
struct GenericKernel {
  using T = T_;
  static constexpr int MR = 4, NR = 2 * 16 / static_cast<int>(sizeof(T));
  static constexpr int64_t KC = 256, MC = 1024, NC = 256 * 1024 / (KC * static_cast<int64_t>(sizeof(T)));
  static constexpr bool kTransposePack = false;
  static void pack_a_rows(const T*, int64_t, int64_t, int, T*) {}
  static void pack_b_cols(const T*, int64_t, int64_t, int, T*) {}
  static void ukr(int64_t k, const T* a, const T* b, int64_t ldbk, T* c, int64_t ldc, T alpha, T beta) {
    ukr_portable<T, MR, NR>(k, a, b, ldbk, c, ldc, alpha, beta);
  }
  static void ukr_rows(int mr, int64_t k, const T* a, const T* b, int64_t ldbk, T* c, int64_t ldc, T alpha, T beta) {
    ukr_portable_rows<T, MR - 1, NR, MR>(mr, k, a, b, ldbk, c, ldc, alpha, beta);
  }
  static constexpr bool kHalfWidth = false;
  static void ukr_half(int64_t, const T*, const T*, int64_t, T*, int64_t, T, T) {}
  static constexpr bool kMaskedEdge = false;
  static void ukr_edge(int, int, int64_t, const T*, const T*, int64_t, T*, int64_t, T, T) {}
  static void copy_a(const T*, int64_t, int64_t, int, T*) {}
  static void copy_b(const T*, int64_t, int64_t, int, T*) {}
};

}  // namespace

namespace gemm_detail {

void gemm_f32_generic(const GemmParamsF32& p) { gemm_entry<GenericKernel<float>>(p); }
void gemm_f64_generic(const GemmParamsF64& p) { gemm_entry<GenericKernel<double>>(p); }

}  // namespace gemm_detail
}  // namespace tg
