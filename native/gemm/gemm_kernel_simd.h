#pragma once

// The kernel description gemm_driver.h runs (its K), written once for every SIMD ISA family:
// SimdKernel<V, MR, NV> computes MR × NV·L tiles with the traits V of one element type in one family
// (gemm_avx512.cc's Avx512<T>, gemm_avx2.cc's Avx2<T>). The family fixes MR and NV (its register budget), so
// a new element type is one more specialisation of the family's traits, which carry what differs per type:
//   the vector operations gemm_ukr_simd.h lists;
//   static constexpr int64_t KC, MC, NC: the cache blocking;
//   static constexpr bool kTranspose: whether V also has, for the transposing packs,
//     store(p, x)             aligned storeu;
//     load_first(p, n, m)     lanes [0, n) of p, zero after (m = mask(n)), reading nothing past p + n;
//     store_first<N>(p, x)    lanes [0, N) of x to p, writing nothing past p + N;
//     transpose(R r[L])       in-register L×L transpose: r[i] = row i in, r[c] = column c out.
#include <cstdint>

#include "gemm_ukr_simd.h"

namespace tg {
namespace {

// Loads `rows` rows of the L-column block q0 of src (masked to the kc edge; rows past `rows` are zero) and
// transposes them; returns the number of columns, min(L, kc − q0).
template <class V>
inline int load_transposed(const typename V::T* src, int64_t ld, int rows, int64_t q0, int64_t kc,
                           typename V::R r[V::L]) {
  const int qn = kc - q0 < V::L ? static_cast<int>(kc - q0) : V::L;
  const typename V::M mask = V::mask(qn);
  for (int i = 0; i < V::L; ++i) r[i] = i < rows ? V::load_first(src + i * ld + q0, qn, mask) : V::zero();
  V::transpose(r);
  return qn;
}

// Packs mr ≤ MR rows of row-major A (kc columns) into an MR-row micro-panel, zero-padded: one L×L
// transpose per L columns (two when MR > L, the second for rows L..MR).
template <class V, int MR>
inline void pack_a_rows_simd(const typename V::T* src, int64_t lda, int64_t kc, int mr, typename V::T* dst) {
  constexpr int L = V::L;
  static_assert(MR <= 2 * L, "an A micro-panel spans at most two transposes");
  typename V::R lo[L], hi[L];
  for (int64_t q0 = 0; q0 < kc; q0 += L) {
    const int qn = load_transposed<V>(src, lda, MR > L && mr > L ? L : mr, q0, kc, lo);
    if constexpr (MR > L) load_transposed<V>(src + L * lda, lda, mr > L ? mr - L : 0, q0, kc, hi);
    for (int q = 0; q < qn; ++q) {
      typename V::T* d = dst + (q0 + q) * MR;
      if constexpr (MR > L) {
        V::storeu(d, lo[q]);
        V::template store_first<MR - L>(d + L, hi[q]);
      } else {
        V::template store_first<MR>(d, lo[q]);
      }
    }
  }
}

// Packs nr ≤ NR rows of Bᵀ (transB: stored n×k, kc columns) into an NR-column micro-panel. A partial panel
// is written up to the next whole vector (what the masked edge kernel reads).
template <class V, int NR>
inline void pack_b_cols_simd(const typename V::T* src, int64_t ldb, int64_t kc, int nr, typename V::T* dst) {
  constexpr int L = V::L;
  typename V::R r[L];
  for (int64_t q0 = 0; q0 < kc; q0 += L) {
    for (int h = 0; h * L < nr; ++h) {
      const int qn = load_transposed<V>(src + h * L * ldb, ldb, nr - h * L < L ? nr - h * L : L, q0, kc, r);
      for (int q = 0; q < qn; ++q) V::store(dst + (q0 + q) * NR + h * L, r[q]);
    }
  }
}

template <class V, int MR_, int NV>
struct SimdKernel {
  using T = typename V::T;
  static constexpr int MR = MR_, NR = NV * V::L;
  static constexpr int64_t KC = V::KC, MC = V::MC, NC = V::NC;
  static constexpr bool kTransposePack = V::kTranspose;
  static void pack_a_rows(const T* src, int64_t lda, int64_t kc, int mr, T* dst) {
    if constexpr (kTransposePack) pack_a_rows_simd<V, MR>(src, lda, kc, mr, dst);
  }
  static void pack_b_cols(const T* src, int64_t ldb, int64_t kc, int nr, T* dst) {
    if constexpr (kTransposePack) pack_b_cols_simd<V, NR>(src, ldb, kc, nr, dst);
  }
  static void ukr(int64_t k, const T* a, const T* b, int64_t ldbk, T* c, int64_t ldc, T alpha, T beta) {
    ukr_simd<V, MR, NV>(k, a, b, ldbk, c, ldc, alpha, beta);
  }
  static void ukr_rows(int mr, int64_t k, const T* a, const T* b, int64_t ldbk, T* c, int64_t ldc, T alpha, T beta) {
    ukr_simd_rows<V, MR - 1, NV, MR>(mr, k, a, b, ldbk, c, ldc, alpha, beta);
  }
  static constexpr bool kHalfWidth = NV % 2 == 0;
  static void ukr_half(int64_t k, const T* a, const T* b, int64_t ldbk, T* c, int64_t ldc, T alpha, T beta) {
    if constexpr (kHalfWidth) ukr_simd<V, MR, NV / 2, MR>(k, a, b, ldbk, c, ldc, alpha, beta);
  }
  static constexpr bool kMaskedEdge = true;
  static void ukr_edge(int mr, int nr, int64_t k, const T* a, const T* b, int64_t ldbk, T* c, int64_t ldc, T alpha,
                       T beta) {
    ukr_simd_edge<V, MR, NV, MR>(mr, nr, k, a, b, ldbk, c, ldc, alpha, beta);
  }
  static void copy_a(const T* src, int64_t ld, int64_t kc, int mr, T* dst) { copy_rows_simd<V, MR>(src, ld, kc, mr, dst); }
  static void copy_b(const T* src, int64_t ld, int64_t kc, int nr, T* dst) { copy_rows_simd<V, NR>(src, ld, kc, nr, dst); }
};

}  // namespace
}  // namespace tg
