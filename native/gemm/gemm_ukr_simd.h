#pragma once

// Register-blocked micro-kernel over a vector abstraction V (defined by each ISA's .cc):
//   using T, R;  static constexpr int L (lanes);  zero, set1, loadu, storeu, fmadd, mul, prefetch.
// The tile is MR rows × NV vectors; rows are broadcast from packed A, vectors loaded from packed B, so
// row-major C is written with full-width stores.
#include <cstdint>

namespace tg {
namespace {

// MRS is the packed A panel's row count (its stride per k) and ldbk B's stride per k (NR when packed, ldb
// when B is read in place); MR ≤ MRS rows and NV·L columns are computed, so C's bottom and right edges can
// use smaller tiles instead of computing padding.
template <class V, int MR, int NV, int MRS = MR>
inline void ukr_simd(int64_t k, const typename V::T* a, const typename V::T* b, int64_t ldbk, typename V::T* c, int64_t ldc,
                     typename V::T alpha, typename V::T beta) {
  using R = typename V::R;
  constexpr int NR = NV * V::L;
  R acc[MR][NV];
  for (int i = 0; i < MR; ++i)
    for (int v = 0; v < NV; ++v) acc[i][v] = V::zero();
  for (int i = 0; i < MR; ++i) V::prefetch(c + i * ldc), V::prefetch(c + i * ldc + NR - 1);
  for (int64_t p = 0; p < k; ++p) {
    R bv[NV];
    for (int v = 0; v < NV; ++v) bv[v] = V::loadu(b + v * V::L);
    for (int i = 0; i < MR; ++i) {
      const R ai = V::set1(a[i]);
      for (int v = 0; v < NV; ++v) acc[i][v] = V::fmadd(ai, bv[v], acc[i][v]);
    }
    a += MRS;
    b += ldbk;
  }
  const R va = V::set1(alpha);
  if (beta == typename V::T(0)) {
    for (int i = 0; i < MR; ++i)
      for (int v = 0; v < NV; ++v) V::storeu(c + i * ldc + v * V::L, V::mul(va, acc[i][v]));
  } else {
    const R vb = V::set1(beta);
    for (int i = 0; i < MR; ++i)
      for (int v = 0; v < NV; ++v) {
        typename V::T* cp = c + i * ldc + v * V::L;
        V::storeu(cp, V::fmadd(vb, V::loadu(cp), V::mul(va, acc[i][v])));
      }
  }
}

// Runs the R-row kernel for mr = R (1 ≤ mr < MRS), found by unrolled recursion at compile time.
template <class V, int R, int NV, int MRS>
inline void ukr_simd_rows(int mr, int64_t k, const typename V::T* a, const typename V::T* b, int64_t ldbk, typename V::T* c,
                          int64_t ldc, typename V::T alpha, typename V::T beta) {
  if constexpr (R > 0) {
    if (mr == R) {
      ukr_simd<V, R, NV, MRS>(k, a, b, ldbk, c, ldc, alpha, beta);
    } else {
      ukr_simd_rows<V, R - 1, NV, MRS>(mr, k, a, b, ldbk, c, ldc, alpha, beta);
    }
  }
}

}  // namespace
}  // namespace tg
