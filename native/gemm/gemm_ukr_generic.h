#pragma once

// Portable micro-kernel: plain loops over a register-sized accumulator tile, left to the compiler's
// auto-vectoriser for whatever ISA flags the including file is built with.
#include <cstdint>

namespace tg {
namespace {

// MRS: the packed A panel's row count (stride per k); MR ≤ MRS rows are computed. ldbk: B's stride per k.
template <typename T, int MR, int NR, int MRS = MR>
void ukr_portable(int64_t k, const T* a, const T* b, int64_t ldbk, T* c, int64_t ldc, T alpha, T beta) {
  T acc[MR][NR] = {};
  for (int64_t p = 0; p < k; ++p) {
    for (int i = 0; i < MR; ++i) {
      const T ai = a[i];
      for (int j = 0; j < NR; ++j) acc[i][j] += ai * b[j];
    }
    a += MRS;
    b += ldbk;
  }
  for (int i = 0; i < MR; ++i) {
    T* ci = c + i * ldc;
    if (beta == T(0)) {
      for (int j = 0; j < NR; ++j) ci[j] = alpha * acc[i][j];
    } else {
      for (int j = 0; j < NR; ++j) ci[j] = alpha * acc[i][j] + beta * ci[j];
    }
  }
}

template <typename T, int R, int NR, int MRS>
void ukr_portable_rows(int mr, int64_t k, const T* a, const T* b, int64_t ldbk, T* c, int64_t ldc, T alpha, T beta) {
  if constexpr (R > 0) {
    if (mr == R) {
      ukr_portable<T, R, NR, MRS>(k, a, b, ldbk, c, ldc, alpha, beta);
    } else {
      ukr_portable_rows<T, R - 1, NR, MRS>(mr, k, a, b, ldbk, c, ldc, alpha, beta);
    }
  }
}

}  // namespace
}  // namespace tg
