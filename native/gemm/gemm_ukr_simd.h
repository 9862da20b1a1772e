#pragma once

// Register-blocked micro-kernel over a vector abstraction V (each ISA family's traits for one element type):
//   using T, R, M (mask);  static constexpr int L (lanes);  zero, set1, loadu, storeu, fmadd, mul, prefetch,
//   mask(n) (lanes [0, n)), loadu_mask, storeu_mask.
// The tile is MR rows × NV vectors; rows are broadcast from packed A, vectors loaded from packed B, so
// row-major C is written with full-width stores.
#include <cstdint>

#if defined(__GNUC__) && !defined(__clang__)
#define TG_UNROLL _Pragma("GCC unroll 32")
#elif defined(__clang__)
#define TG_UNROLL _Pragma("unroll")
#else
#define TG_UNROLL
#endif

namespace tg {
namespace {

// MRS is the packed A panel's row count (its stride per k) and ldbk B's stride per k (NR when packed, ldb
// when B is read in place); MR ≤ MRS rows and NV·L columns are computed, so C's bottom and right edges can
// use smaller tiles instead of computing padding.
//
// Masked (MaskLast): the last of the NV vectors covers only the lanes set in `last` (C's right edge): B is
// loaded and C read and written through the mask, so neither B nor C is touched past the edge.
template <class V, bool MaskLast>
inline typename V::R ukr_load(const typename V::T* p, bool last_vec, typename V::M last) {
  if constexpr (MaskLast) {
    if (last_vec) return V::loadu_mask(p, last);
  }
  return V::loadu(p);
}

template <class V, bool MaskLast>
inline void ukr_store(typename V::T* p, bool last_vec, typename V::M last, typename V::R x) {
  if constexpr (MaskLast) {
    if (last_vec) {
      V::storeu_mask(p, last, x);
      return;
    }
  }
  V::storeu(p, x);
}

template <class V, int MR, int NV, int MRS = MR, bool MaskLast = false>
inline void ukr_simd(int64_t k, const typename V::T* a, const typename V::T* b, int64_t ldbk, typename V::T* c, int64_t ldc,
                     typename V::T alpha, typename V::T beta, typename V::M last = typename V::M()) {
  using R = typename V::R;
  constexpr int NR = NV * V::L;
  R acc[MR][NV];
  // Full unrolling keeps acc in registers (GCC otherwise spills the 14×1 masked tile every iteration).
  TG_UNROLL
  for (int i = 0; i < MR; ++i)
    TG_UNROLL
    for (int v = 0; v < NV; ++v) acc[i][v] = V::zero();
  if constexpr (!MaskLast) {
    for (int i = 0; i < MR; ++i) V::prefetch(c + i * ldc), V::prefetch(c + i * ldc + NR - 1);
  }
  for (int64_t p = 0; p < k; ++p) {
    R bv[NV];
    TG_UNROLL
    for (int v = 0; v < NV; ++v) bv[v] = ukr_load<V, MaskLast>(b + v * V::L, v == NV - 1, last);
    TG_UNROLL
    for (int i = 0; i < MR; ++i) {
      const R ai = V::set1(a[i]);
      TG_UNROLL
      for (int v = 0; v < NV; ++v) acc[i][v] = V::fmadd(ai, bv[v], acc[i][v]);
    }
    a += MRS;
    b += ldbk;
  }
  const R va = V::set1(alpha);
  if (beta == typename V::T(0)) {
    TG_UNROLL
    for (int i = 0; i < MR; ++i)
      TG_UNROLL
      for (int v = 0; v < NV; ++v) ukr_store<V, MaskLast>(c + i * ldc + v * V::L, v == NV - 1, last, V::mul(va, acc[i][v]));
  } else {
    const R vb = V::set1(beta);
    TG_UNROLL
    for (int i = 0; i < MR; ++i)
      TG_UNROLL
      for (int v = 0; v < NV; ++v) {
        typename V::T* cp = c + i * ldc + v * V::L;
        const bool lv = v == NV - 1;
        ukr_store<V, MaskLast>(cp, lv, last, V::fmadd(vb, ukr_load<V, MaskLast>(cp, lv, last), V::mul(va, acc[i][v])));
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

// Copies W ≤ w columns of kc rows (ld apart) into rows of w (dst, zero-padded past W): packs an A
// micro-panel of stored Aᵀ (w = MR) or a B micro-panel of row-major B (w = NR). Masked loads never read
// past column W.
template <class V, int w>
inline void copy_rows_simd(const typename V::T* src, int64_t ld, int64_t kc, int W, typename V::T* dst) {
  constexpr int NVEC = (w + V::L - 1) / V::L;
  typename V::M lm[NVEC], sm[NVEC];
  for (int v = 0; v < NVEC; ++v) {
    const int lw = W - v * V::L, sw = w - v * V::L;
    lm[v] = V::mask(lw < 0 ? 0 : lw > V::L ? V::L : lw);
    sm[v] = V::mask(sw > V::L ? V::L : sw);
  }
  for (int64_t q = 0; q < kc; ++q) {
    TG_UNROLL
    for (int v = 0; v < NVEC; ++v)
      V::storeu_mask(dst + q * w + v * V::L, sm[v], V::loadu_mask(src + q * ld + v * V::L, lm[v]));
  }
}

// C's right-edge tile: mr ≤ MRS rows × nr < NV·L columns, with NV2 = ceil(nr / L) vectors, the last masked.
template <class V, int R, int NV, int MRS>
inline void ukr_simd_edge(int mr, int nr, int64_t k, const typename V::T* a, const typename V::T* b, int64_t ldbk,
                          typename V::T* c, int64_t ldc, typename V::T alpha, typename V::T beta) {
  if constexpr (R > 0) {
    if (mr == R) {
      const typename V::M last = V::mask((nr - 1) % V::L + 1);
      if constexpr (NV >= 2) {
        if (nr > (NV - 1) * V::L) {
          ukr_simd<V, R, NV, MRS, true>(k, a, b, ldbk, c, ldc, alpha, beta, last);
          return;
        }
        ukr_simd_edge<V, R, NV - 1, MRS>(mr, nr, k, a, b, ldbk, c, ldc, alpha, beta);
      } else {
        ukr_simd<V, R, 1, MRS, true>(k, a, b, ldbk, c, ldc, alpha, beta, last);
      }
    } else {
      ukr_simd_edge<V, R - 1, NV, MRS>(mr, nr, k, a, b, ldbk, c, ldc, alpha, beta);
    }
  }
}

}  // namespace
}  // namespace tg
