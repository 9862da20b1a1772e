#pragma once

#include <cstdint>

namespace tg {

// Row-major batched GEMM, the semantics of GemmArgs in ts/backend/types.ts: for each b < batch,
//   C_b[m×n] = alpha · op(A_b)[m×k] · op(B_b)[k×n] + beta · C_b,   op(X) = Xᵀ when the trans flag is set.
// lda is the distance between consecutive rows of A as stored (for transA the stored A is k×m); likewise
// ldb, ldc. Pointers are already offset; A_b = a + b·strideA (same for B, C). beta = 0 ignores C's old
// contents (NaN included); k = 0 gives C = beta·C. No argument checking here: the caller validates sizes.
template <typename T>
struct GemmParams {
  bool transA = false;
  bool transB = false;
  int64_t m = 0, n = 0, k = 0;
  double alpha = 1.0, beta = 0.0;
  const T* a = nullptr;
  int64_t lda = 0;
  const T* b = nullptr;
  int64_t ldb = 0;
  T* c = nullptr;
  int64_t ldc = 0;
  int64_t batch = 1;
  int64_t strideA = 0, strideB = 0, strideC = 0;
};

using GemmParamsF32 = GemmParams<float>;
using GemmParamsF64 = GemmParams<double>;

// Build: gemm.cc and gemm_generic.cc with baseline flags, gemm_avx2.cc / gemm_avx512.cc with their ISA flags
// (by file suffix), plus native/common/cpu_features.cc and thread_pool.cc; link with pthreads.
//
// Picks the micro-kernel for cpu_level() (see native/common/cpu_features.h) and threads large products
// over the pool (native/common/thread_pool.h). Safe to call from several threads at once.
void gemm_f32(const GemmParamsF32& p);
void gemm_f64(const GemmParamsF64& p);

}  // namespace tg
