#pragma once

// Register-blocked micro-kernel over a vector abstraction V (defined by each ISA's .cc):
//   using T, R;  static constexpr int L (lanes);  zero, set1, load (aligned), loadu, storeu, fmadd, mul.
// The tile is MR rows × NV vectors; rows are broadcast from packed A, vectors loaded from packed B, so
// row-major C is written with full-width stores.
#include <cstdint>

namespace tg {
namespace {

template <class V, int MR, int NV>
inline void ukr_simd(int64_t k, const typename V::T* a, const typename V::T* b, typename V::T* c, int64_t ldc,
                     typename V::T alpha, typename V::T beta) {
  using R = typename V::R;
  constexpr int NR = NV * V::L;
  R acc[MR][NV];
  for (int i = 0; i < MR; ++i)
    for (int v = 0; v < NV; ++v) acc[i][v] = V::zero();
  for (int i = 0; i < MR; ++i) V::prefetch(c + i * ldc), V::prefetch(c + i * ldc + NR - 1);
  for (int64_t p = 0; p < k; ++p) {
    R bv[NV];
    for (int v = 0; v < NV; ++v) bv[v] = V::load(b + v * V::L);
    for (int i = 0; i < MR; ++i) {
      const R ai = V::set1(a[i]);
      for (int v = 0; v < NV; ++v) acc[i][v] = V::fmadd(ai, bv[v], acc[i][v]);
    }
    a += MR;
    b += NR;
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

}  // namespace
}  // namespace tg
