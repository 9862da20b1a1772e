#pragma once

// The blocked GEMM driver (BLIS/GotoBLAS loop structure), written once as templates over a micro-kernel
// description and included by each ISA's .cc. Everything is in an anonymous namespace so every TU gets a
// private copy compiled with its own -m flags; a shared (weak) symbol could let the linker pick an AVX-512
// copy for the baseline path.
//
// A kernel description K provides:
//   using T;  static constexpr int MR, NR;  static constexpr int64_t KC, MC, NC;
//   static void ukr(int64_t k, const T* a, const T* b, int64_t ldbk, T* c, int64_t ldc, T alpha, T beta);
//   static void ukr_rows(int mr, ...same...);   the same for the first mr < MR rows of the panel
//   static constexpr bool kHalfWidth;  when true, ukr_half(...same as ukr...) computes the left NR/2 columns
//   static constexpr bool kMaskedEdge;  when true, ukr_edge(int mr, int nr, ...same as ukr...) computes an
//     mr × nr (nr < NR) tile reading only nr columns of B and writing only nr of C, and
//     copy_a(src, ld, kc, mr, dst) / copy_b(src, ld, kc, nr, dst) pack mr ≤ MR columns of stored Aᵀ / nr ≤ NR
//     columns of row-major B (kc rows ld apart), zero-padded to MR / NR
//   static constexpr bool kTransposePack;  when true, also (transposing while copying):
//   static void pack_a_rows(const T* src, int64_t lda, int64_t kc, int mr, T* dst);  mr ≤ MR rows of
//     row-major A, zero-padded to MR
//   static void pack_b_cols(const T* src, int64_t ldb, int64_t kc, int nr, T* dst);  nr ≤ NR rows of Bᵀ
//     (transB); a partial panel (only used with kMaskedEdge) is written up to the next whole vector
// ukr computes a full MR×NR tile from a packed A micro-panel (k×MR, k-major) and a B micro-panel whose k
// rows are ldbk apart (NR when packed), and writes c = alpha·acc + beta·c, never reading c when beta == 0.

#include <cstdint>
#include <cstdlib>
#if defined(_MSC_VER)
#include <malloc.h>
#endif

#include "../common/thread_pool.h"
#include "gemm.h"

namespace tg {
namespace {

// m·n·k from which a single product is threaded, and micro-tiles each thread needs (measured with each task
// packing its own A: 2 threads win at 96×96×128 (1.2M) and 64×64×512 (2.1M, 10 tiles), lose at
// 128×128×64 (1.05M); before, when threads read A panels packed on the other core, they lost at 128³ and
// at 64×100, k = 1000).
constexpr int64_t kThreadMinFlops = 1500000;
constexpr int64_t kMinTilesPerThread = 4;
// m·n·k up to which the unpacked direct loops beat packing (measured: packing already wins at 16³).
constexpr int64_t kDirectMaxFlops = 10 * 10 * 10;
// Row-major B blocks up to this many bytes are read in place instead of packed (measured: faster at 64²
// and 96², slower at 128²); so are larger ones used by at most this many A micro-panels, too few to repay
// packing (measured with AVX-512: 64×100, k = 1000 118 → 96 µs at 5 panels; 10 is slower at 128×784).
constexpr int64_t kInPlaceBMaxBytes = 48 * 1024;
constexpr int64_t kInPlaceBMaxPanels = 5;
// A panels at least this big (mc·kc) are packed in parallel.
constexpr int64_t kParallelPackMin = 64 * 1024;
// A fitting in this many bytes once packed (and m ≤ MC) is packed whole by each task, so a threaded product
// has one parallel phase instead of a serial pack and a barrier per k block (W5: 128×784 A is 392 KiB; L2
// here is 1–2 MiB per core).
constexpr int64_t kWholeAMaxBytes = 768 * 1024;

inline int64_t imin(int64_t a, int64_t b) { return a < b ? a : b; }
inline int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }
inline int64_t round_up(int64_t a, int64_t b) { return ceil_div(a, b) * b; }

template <typename T>
struct Problem {
  bool ta, tb;
  int64_t m, n, k;
  T alpha, beta;
  const T* a;
  int64_t lda;
  const T* b;
  int64_t ldb;
  T* c;
  int64_t ldc;
};

// A 64-byte aligned scratch buffer that only grows; one per thread and role, so steady state never allocates.
template <typename T>
class PackBuffer {
 public:
  PackBuffer() = default;
  PackBuffer(const PackBuffer&) = delete;
  PackBuffer& operator=(const PackBuffer&) = delete;
  ~PackBuffer() { release(); }

  T* get(int64_t n) {
    if (n > cap_) {
      release();
      const size_t bytes = static_cast<size_t>(round_up(n * static_cast<int64_t>(sizeof(T)), 64));
#if defined(_MSC_VER)
      p_ = static_cast<T*>(_aligned_malloc(bytes, 64));
#else
      p_ = static_cast<T*>(std::aligned_alloc(64, bytes));
#endif
      if (p_ != nullptr) cap_ = n;
    }
    return p_;
  }

 private:
  void release() {
#if defined(_MSC_VER)
    _aligned_free(p_);
#else
    std::free(p_);
#endif
    p_ = nullptr;
    cap_ = 0;
  }

  T* p_ = nullptr;
  int64_t cap_ = 0;
};

template <typename T>
PackBuffer<T>& buffer_a() {
  static thread_local PackBuffer<T> buf;
  return buf;
}

template <typename T>
PackBuffer<T>& buffer_b() {
  static thread_local PackBuffer<T> buf;
  return buf;
}

// Cᵀ of a narrow product (gemm_narrow).
template <typename T>
PackBuffer<T>& buffer_ct() {
  static thread_local PackBuffer<T> buf;
  return buf;
}

// C[mr×nr] = alpha·t + beta·C for a partial tile computed into t (row stride ld_t).
template <typename T>
void update_tile(int64_t mr, int64_t nr, const T* t, int64_t ld_t, T* c, int64_t ldc, T alpha, T beta) {
  for (int64_t i = 0; i < mr; ++i) {
    T* ci = c + i * ldc;
    const T* ti = t + i * ld_t;
    if (beta == T(0)) {
      for (int64_t j = 0; j < nr; ++j) ci[j] = alpha * ti[j];
    } else {
      for (int64_t j = 0; j < nr; ++j) ci[j] = alpha * ti[j] + beta * ci[j];
    }
  }
}

template <typename T>
void scale_c(const Problem<T>& p) {
  for (int64_t i = 0; i < p.m; ++i) {
    T* ci = p.c + i * p.ldc;
    if (p.beta == T(0)) {
      for (int64_t j = 0; j < p.n; ++j) ci[j] = T(0);
    } else if (p.beta != T(1)) {
      for (int64_t j = 0; j < p.n; ++j) ci[j] *= p.beta;
    }
  }
}

// Packs MR-row micro-panels [panel0, panel1) of rows [i0, i0+mc) × cols [p0, p0+kc) of op(A), zero-padding
// the last one; panel r lands at dst + r·MR·kc.
template <class K>
void pack_a(const Problem<typename K::T>& p, int64_t i0, int64_t mc, int64_t p0, int64_t kc, int64_t panel0,
            int64_t panel1, typename K::T* dst) {
  using T = typename K::T;
  constexpr int MR = K::MR;
  constexpr int64_t QB = 16;  // column block: keeps the written part of the panel in L1
  for (int64_t r = panel0; r < panel1; ++r) {
    const int64_t ir = r * MR;
    const int64_t mr = imin(MR, mc - ir);
    T* d = dst + ir * kc;
    if (!p.ta && K::kTransposePack) {
      K::pack_a_rows(p.a + (i0 + ir) * p.lda + p0, p.lda, kc, static_cast<int>(mr), d);
    } else if (!p.ta) {
      const T* src = p.a + (i0 + ir) * p.lda + p0;
      for (int64_t q0 = 0; q0 < kc; q0 += QB) {
        const int64_t qn = imin(QB, kc - q0);
        for (int64_t ii = 0; ii < mr; ++ii) {
          const T* s = src + ii * p.lda + q0;
          for (int64_t q = 0; q < qn; ++q) d[(q0 + q) * MR + ii] = s[q];
        }
        for (int64_t ii = mr; ii < MR; ++ii)
          for (int64_t q = 0; q < qn; ++q) d[(q0 + q) * MR + ii] = T(0);
      }
    } else if (K::kMaskedEdge) {
      K::copy_a(p.a + p0 * p.lda + i0 + ir, p.lda, kc, static_cast<int>(mr), d);
    } else {
      const T* src = p.a + p0 * p.lda + i0 + ir;
      for (int64_t q = 0; q < kc; ++q) {
        const T* s = src + q * p.lda;
        T* dq = d + q * MR;
        if (mr == MR) {
          for (int ii = 0; ii < MR; ++ii) dq[ii] = s[ii];
        } else {
          for (int64_t ii = 0; ii < mr; ++ii) dq[ii] = s[ii];
          for (int64_t ii = mr; ii < MR; ++ii) dq[ii] = T(0);
        }
      }
    }
  }
}

// Packs NR-column micro-panels [panel0, panel1) of rows [p0, p0+kc) × cols [j0, j0+nc) of op(B); panel r
// lands at dst + r·NR·kc.
template <class K>
void pack_b(const Problem<typename K::T>& p, int64_t p0, int64_t kc, int64_t j0, int64_t nc, int64_t panel0,
            int64_t panel1, typename K::T* dst) {
  using T = typename K::T;
  constexpr int NR = K::NR;
  constexpr int64_t QB = 16;
  for (int64_t r = panel0; r < panel1; ++r) {
    const int64_t jr = r * NR;
    const int64_t nr = imin(NR, nc - jr);
    T* d = dst + jr * kc;
    if (!p.tb && K::kMaskedEdge) {
      K::copy_b(p.b + p0 * p.ldb + j0 + jr, p.ldb, kc, static_cast<int>(nr), d);
    } else if (!p.tb) {
      const T* src = p.b + p0 * p.ldb + j0 + jr;
      for (int64_t q = 0; q < kc; ++q) {
        const T* s = src + q * p.ldb;
        T* dq = d + q * NR;
        if (nr == NR) {
          for (int jj = 0; jj < NR; ++jj) dq[jj] = s[jj];
        } else {
          for (int64_t jj = 0; jj < nr; ++jj) dq[jj] = s[jj];
          for (int64_t jj = nr; jj < NR; ++jj) dq[jj] = T(0);
        }
      }
    } else if (K::kTransposePack && (nr == NR || K::kMaskedEdge)) {
      // A partial panel gets only the vectors the masked edge kernel reads.
      K::pack_b_cols(p.b + (j0 + jr) * p.ldb + p0, p.ldb, kc, static_cast<int>(nr), d);
    } else {
      const T* src = p.b + (j0 + jr) * p.ldb + p0;
      for (int64_t q0 = 0; q0 < kc; q0 += QB) {
        const int64_t qn = imin(QB, kc - q0);
        for (int64_t jj = 0; jj < nr; ++jj) {
          const T* s = src + jj * p.ldb + q0;
          for (int64_t q = 0; q < qn; ++q) d[(q0 + q) * NR + jj] = s[q];
        }
        for (int64_t jj = nr; jj < NR; ++jj)
          for (int64_t q = 0; q < qn; ++q) d[(q0 + q) * NR + jj] = T(0);
      }
    }
  }
}

// C block [mc×nc] (+)= alpha · packed A · B block. Each A micro-panel (MR×kc) stays in L1 while the B
// block's micro-panels stream from L2 along the same MR rows of C. B's full micro-panels are read in place
// from b_direct (row stride ldb_direct) when it is given, else from the packed bp; partial ones too when the
// kernel has a masked edge kernel (K::kMaskedEdge: B loads and C stores stop at the edge), else they are
// packed (the padding keeps the kernel inside the matrix) and computed into a scratch tile.
template <class K>
void macro_kernel(int64_t mc, int64_t nc, int64_t kc, const typename K::T* ap, const typename K::T* bp,
                  const typename K::T* b_direct, int64_t ldb_direct, typename K::T* c, int64_t ldc,
                  typename K::T alpha, typename K::T beta) {
  using T = typename K::T;
  constexpr int MR = K::MR, NR = K::NR;
  alignas(64) T tile[MR * NR];
  for (int64_t ir = 0; ir < mc; ir += MR) {
    const int64_t mr = imin(MR, mc - ir);
    const T* a = ap + ir * kc;
    for (int64_t jr = 0; jr < nc; jr += NR) {
      const int64_t nr = imin(NR, nc - jr);
      const bool in_place = b_direct != nullptr && (nr == NR || K::kMaskedEdge);
      const T* b = in_place ? b_direct + jr : bp + jr * kc;
      const int64_t ldbk = in_place ? ldb_direct : NR;
      T* cc = c + ir * ldc + jr;
      if (mr == MR && nr == NR) {
        K::ukr(kc, a, b, ldbk, cc, ldc, alpha, beta);
      } else if (nr == NR) {
        K::ukr_rows(static_cast<int>(mr), kc, a, b, ldbk, cc, ldc, alpha, beta);
      } else if (K::kMaskedEdge) {
        K::ukr_edge(static_cast<int>(mr), static_cast<int>(nr), kc, a, b, ldbk, cc, ldc, alpha, beta);
      } else if (K::kHalfWidth && 2 * nr <= NR) {
        K::ukr_half(kc, a, b, NR, tile, NR, T(1), T(0));
        update_tile(mr, nr, tile, NR, cc, ldc, alpha, beta);
      } else {
        K::ukr(kc, a, b, NR, tile, NR, T(1), T(0));
        update_tile(mr, nr, tile, NR, cc, ldc, alpha, beta);
      }
    }
  }
}

// Contiguous dot product; independent lanes let the compiler vectorise without reassociating.
template <typename T>
T dot_contig(const T* __restrict x, const T* __restrict y, int64_t k) {
  constexpr int L = 128 / sizeof(T);
  T s = T(0);
  int64_t p = 0;
  if (k >= L) {
    T acc[L] = {};
    for (; p + L <= k; p += L)
      for (int l = 0; l < L; ++l) acc[l] += x[p + l] * y[p + l];
    for (int l = 0; l < L; ++l) s += acc[l];
  }
  for (; p < k; ++p) s += x[p] * y[p];
  return s;
}

// Unpacked loops for tiny products and for m = 1 or n = 1, where padding to MR×NR tiles wastes most of
// the work.
template <typename T>
void gemm_direct(const Problem<T>& p) {
  const int64_t sa_i = p.ta ? 1 : p.lda, sa_p = p.ta ? p.lda : 1;
  const int64_t sb_p = p.tb ? 1 : p.ldb, sb_j = p.tb ? p.ldb : 1;
  const bool dot_ok = sa_p == 1 && sb_p == 1;
  if (p.n == 1 && sa_i == 1 && !dot_ok) {
    // Column result with Aᵀ stored row-major: C col += alpha·B(q)·(row q of stored A), vectorises over i.
    scale_c(p);
    for (int64_t q = 0; q < p.k; ++q) {
      const T bq = p.alpha * p.b[q * sb_p];
      const T* __restrict aq = p.a + q * sa_p;
      T* __restrict c = p.c;
      if (p.ldc == 1) {
        for (int64_t i = 0; i < p.m; ++i) c[i] += bq * aq[i];
      } else {
        for (int64_t i = 0; i < p.m; ++i) c[i * p.ldc] += bq * aq[i];
      }
    }
    return;
  }
  if (sb_j == 1 && !(dot_ok && p.n < 8)) {
    // C row i = alpha·Σ_q A(i,q)·B row q (+ beta·C row i): vectorises over j.
    for (int64_t i = 0; i < p.m; ++i) {
      T* __restrict ci = p.c + i * p.ldc;
      const T* __restrict b0 = p.b;
      const T a0 = p.alpha * p.a[i * sa_i];
      if (p.beta == T(0)) {
        for (int64_t j = 0; j < p.n; ++j) ci[j] = a0 * b0[j];
      } else {
        for (int64_t j = 0; j < p.n; ++j) ci[j] = a0 * b0[j] + p.beta * ci[j];
      }
      for (int64_t q = 1; q < p.k; ++q) {
        const T aiq = p.alpha * p.a[i * sa_i + q * sa_p];
        const T* __restrict bq = p.b + q * sb_p;
        for (int64_t j = 0; j < p.n; ++j) ci[j] += aiq * bq[j];
      }
    }
    return;
  }
  for (int64_t i = 0; i < p.m; ++i) {
    T* ci = p.c + i * p.ldc;
    const T* ai = p.a + i * sa_i;
    for (int64_t j = 0; j < p.n; ++j) {
      const T* bj = p.b + j * sb_j;
      T s;
      if (dot_ok) {
        s = dot_contig(ai, bj, p.k);
      } else {
        s = T(0);
        for (int64_t q = 0; q < p.k; ++q) s += ai[q * sa_p] * bj[q * sb_p];
      }
      ci[j] = p.beta == T(0) ? p.alpha * s : p.alpha * s + p.beta * ci[j];
    }
  }
}

// Splits one (ic, pc) step — mc rows of packed A against all n columns — into a grid of row chunks
// (multiples of MR) × column chunks (multiples of NR); each task packs its own B blocks. Picks the grid
// with the least work on the busiest thread, counted in micro-tiles plus charges for B packing (only row
// splits pack or stream the same B columns twice) and for packing / streaming each A micro-panel once per
// task (measured: 2 large column tasks beat 8 small ones by 10–25% at n = 256–2048; with a B charge of 0.3
// per panel, 128×784, k = 512 split into 2 row chunks that each read all 1.6 MB of B and ran at 1.5× the
// 1-thread speed instead of 1.7×).
struct Split {
  int64_t rows, cols;  // chunk sizes
  int64_t n_row, n_col;
};

template <class K>
Split split_block(int64_t mc, int64_t n, int nt) {
  Split best{mc, n, 1, 1};
  if (nt <= 1) return best;
  const int64_t m_panels = ceil_div(mc, K::MR), n_panels = ceil_div(n, K::NR);
  double best_cost = 1e300;
  for (int64_t want_row = 1; want_row <= imin(m_panels, 4 * nt); ++want_row) {
    for (int64_t want_col = 1; want_col <= imin(n_panels, 4 * nt); ++want_col) {
      const int64_t rp = ceil_div(m_panels, want_row), cp = ceil_div(n_panels, want_col);
      const int64_t n_row = ceil_div(m_panels, rp), n_col = ceil_div(n_panels, cp);
      const int64_t rounds = ceil_div(n_row * n_col, nt);
      const double per_task =
          static_cast<double>(rp * cp) + 0.6 * static_cast<double>(cp) + 0.1 * static_cast<double>(rp);
      const double cost = static_cast<double>(rounds) * per_task;
      if (cost < best_cost * 0.999) {
        best_cost = cost;
        best = Split{rp * K::MR, cp * K::NR, n_row, n_col};
      }
    }
  }
  return best;
}

// Loop nest (BLIS order with A and B's cache roles swapped for row-major C): ic (MC rows, packed A panel
// shared by all threads, L3) → pc (KC) → tasks over the C block → jc (NC columns, B block per thread, L2)
// → ir (A micro-panel, L1) → jr (B micro-panel) → micro-kernel.
// gemm_packed for a small A (m ≤ MC, packed A ≤ kWholeAMaxBytes): one parallel phase; each task packs its
// rows of A whole (k block b at apack + b·kc_max·mp) and computes its C chunk over all k blocks in order. A C
// element sees the same operations in the same order as in the blocked loop nest, whatever the thread count.
template <class K>
bool gemm_packed_whole(const Problem<typename K::T>& p, int nt) {
  using T = typename K::T;
  constexpr int MR = K::MR, NR = K::NR;
  const int64_t kc_max = ceil_div(p.k, ceil_div(p.k, K::KC));
  const Split s = split_block<K>(p.m, p.n, nt);
  auto task = [&](size_t t) {
    const int64_t r0 = static_cast<int64_t>(t) / s.n_col * s.rows;
    const int64_t c0 = static_cast<int64_t>(t) % s.n_col * s.cols;
    const int64_t r1 = imin(p.m, r0 + s.rows), c1 = imin(p.n, c0 + s.cols);
    // Each task packs the A rows it uses into its own thread's buffer: A then sits in the cache of the core
    // that reads it (measured: 1000×100, k = 64, Aᵀ on 2 threads 75 → 48 µs; packed once by both threads
    // and read across cores it barely scaled). Column chunks pack the same A again, a small cost next to
    // their compute (split_block charges it).
    const int64_t mp = round_up(r1 - r0, MR);
    T* apack = buffer_a<T>().get(mp * p.k);
    T* bpack = apack == nullptr ? nullptr : buffer_b<T>().get(round_up(imin(K::NC, c1 - c0), NR) * kc_max);
    if (bpack == nullptr) {
      // Out of memory on this thread: this chunk of C is untouched, so compute it unpacked.
      Problem<T> sub = p;
      sub.m = r1 - r0;
      sub.n = c1 - c0;
      sub.a = p.ta ? p.a + r0 : p.a + r0 * p.lda;
      sub.b = p.tb ? p.b + c0 * p.ldb : p.b + c0;
      sub.c = p.c + r0 * p.ldc + c0;
      gemm_direct(sub);
      return;
    }
    for (int64_t pc = 0; pc < p.k; pc += kc_max)
      pack_a<K>(p, r0, r1 - r0, pc, imin(kc_max, p.k - pc), 0, mp / MR, apack + pc * mp);
    for (int64_t jc = c0; jc < c1; jc += K::NC) {
      const int64_t nc = imin(K::NC, c1 - jc);
      const int64_t n_panels = ceil_div(nc, NR);
      for (int64_t pc = 0; pc < p.k; pc += kc_max) {
        const int64_t kc = imin(kc_max, p.k - pc);
        const bool in_place = !p.tb && (kc * nc * static_cast<int64_t>(sizeof(T)) <= kInPlaceBMaxBytes ||
                                        ceil_div(r1 - r0, MR) <= kInPlaceBMaxPanels);
        pack_b<K>(p, pc, kc, jc, nc, in_place ? (K::kMaskedEdge ? n_panels : nc / NR) : 0, n_panels, bpack);
        macro_kernel<K>(r1 - r0, nc, kc, apack + pc * mp, bpack, in_place ? p.b + pc * p.ldb + jc : nullptr,
                        p.ldb, p.c + r0 * p.ldc + jc, p.ldc, p.alpha, pc == 0 ? p.beta : T(1));
      }
    }
  };
  parallel_for(static_cast<size_t>(s.n_row * s.n_col), task);
  return true;
}

template <class K>
bool gemm_packed(const Problem<typename K::T>& p, int nt) {
  using T = typename K::T;
  constexpr int MR = K::MR, NR = K::NR;
  if (p.m <= K::MC && round_up(p.m, MR) * p.k * static_cast<int64_t>(sizeof(T)) <= kWholeAMaxBytes)
    return gemm_packed_whole<K>(p, nt);
  // k split into equal blocks of at most KC (k = 784: 3 × 262 rather than 384 + 384 + 16, whose last pass
  // over C would do little work for its packing and C traffic).
  const int64_t kc_max = ceil_div(p.k, ceil_div(p.k, K::KC));
  T* apack = buffer_a<T>().get(round_up(imin(K::MC, p.m), MR) * kc_max);
  if (apack == nullptr) return false;
  for (int64_t ic = 0; ic < p.m; ic += K::MC) {
    const int64_t mc = imin(K::MC, p.m - ic);
    const int64_t m_panels = ceil_div(mc, MR);
    for (int64_t pc = 0; pc < p.k; pc += kc_max) {
      const int64_t kc = imin(kc_max, p.k - pc);
      const T beta = pc == 0 ? p.beta : T(1);
      if (nt > 1 && kc * mc >= kParallelPackMin) {
        const int64_t per = ceil_div(m_panels, imin(m_panels, 4 * nt));
        parallel_for(static_cast<size_t>(ceil_div(m_panels, per)), [&](size_t t) {
          const int64_t r0 = static_cast<int64_t>(t) * per;
          pack_a<K>(p, ic, mc, pc, kc, r0, imin(m_panels, r0 + per), apack);
        });
      } else {
        pack_a<K>(p, ic, mc, pc, kc, 0, m_panels, apack);
      }
      const Split s = split_block<K>(mc, p.n, nt);
      auto task = [&](size_t t) {
        const int64_t r0 = static_cast<int64_t>(t) / s.n_col * s.rows;
        const int64_t c0 = static_cast<int64_t>(t) % s.n_col * s.cols;
        const int64_t r1 = imin(mc, r0 + s.rows), c1 = imin(p.n, c0 + s.cols);
        T* bpack = buffer_b<T>().get(round_up(imin(K::NC, c1 - c0), NR) * kc_max);
        if (bpack == nullptr) {
          // Out of memory on this thread: C is already partly updated, so finish this block unpacked.
          Problem<T> sub = p;
          sub.m = r1 - r0;
          sub.n = c1 - c0;
          sub.k = kc;
          sub.beta = beta;
          sub.a = p.ta ? p.a + pc * p.lda + ic + r0 : p.a + (ic + r0) * p.lda + pc;
          sub.b = p.tb ? p.b + c0 * p.ldb + pc : p.b + pc * p.ldb + c0;
          sub.c = p.c + (ic + r0) * p.ldc + c0;
          gemm_direct(sub);
          return;
        }
        for (int64_t jc = c0; jc < c1; jc += K::NC) {
          const int64_t nc = imin(K::NC, c1 - jc);
          // A small row-major B block is read in place: packing it would cost more than it saves.
          const bool in_place = !p.tb && (kc * nc * static_cast<int64_t>(sizeof(T)) <= kInPlaceBMaxBytes ||
                                           ceil_div(r1 - r0, MR) <= kInPlaceBMaxPanels);
          const int64_t n_panels = ceil_div(nc, NR);
          pack_b<K>(p, pc, kc, jc, nc, in_place ? (K::kMaskedEdge ? n_panels : nc / NR) : 0, n_panels, bpack);
          macro_kernel<K>(r1 - r0, nc, kc, apack + r0 * kc, bpack, in_place ? p.b + pc * p.ldb + jc : nullptr,
                          p.ldb, p.c + (ic + r0) * p.ldc + jc, p.ldc, p.alpha, beta);
        }
      };
      parallel_for(static_cast<size_t>(s.n_row * s.n_col), task);
    }
  }
  return true;
}

// A narrow C (n ≤ MR columns, m ≥ NR rows), e.g. 64×10: computed as Cᵀ = op(B)ᵀ·op(A)ᵀ into a scratch n×m
// and transposed into C. Row-major C would put n in the vector lanes (one part-filled vector per row: one
// broadcast per FMA); Cᵀ puts m there, with all of Cᵀ's n rows in one micro-panel. Returns false when out of
// memory (C untouched).
template <class K>
bool gemm_packed(const Problem<typename K::T>& p, int nt);

template <class K>
bool gemm_narrow(const Problem<typename K::T>& p, int nt) {
  using T = typename K::T;
  T* ct = buffer_ct<T>().get(p.n * p.m);
  if (ct == nullptr) return false;
  // op(B)ᵀ is the stored B read the other way round; likewise op(A)ᵀ.
  const Problem<T> q{!p.tb, !p.ta, p.n, p.m, p.k, p.alpha, T(0), p.b, p.ldb, p.a, p.lda, ct, p.m};
  if (!gemm_packed<K>(q, nt)) return false;
  for (int64_t i = 0; i < p.m; ++i) {
    T* ci = p.c + i * p.ldc;
    const T* ti = ct + i;
    if (p.beta == T(0)) {
      for (int64_t j = 0; j < p.n; ++j) ci[j] = ti[j * p.m];
    } else {
      for (int64_t j = 0; j < p.n; ++j) ci[j] = ti[j * p.m] + p.beta * ci[j];
    }
  }
  return true;
}

template <class K>
void gemm_one(const Problem<typename K::T>& p, int nt) {
  if (p.m <= 0 || p.n <= 0) return;
  if (p.k <= 0) {
    scale_c(p);
    return;
  }
  const int64_t flops = p.m * p.n * p.k;
  if (flops <= kDirectMaxFlops || p.m == 1 || p.n == 1 || p.k == 1 || (p.m == 2 && !p.tb)) {
    gemm_direct(p);
    return;
  }
  if (K::kMaskedEdge && p.n <= K::MR && p.m >= K::NR) {
    const int nt_narrow =
        flops < kThreadMinFlops || ceil_div(p.n, K::MR) * ceil_div(p.m, K::NR) < kMinTilesPerThread * nt ? 1 : nt;
    if (gemm_narrow<K>(p, nt_narrow)) return;
  }
  if (flops < kThreadMinFlops || ceil_div(p.m, K::MR) * ceil_div(p.n, K::NR) < kMinTilesPerThread * nt) nt = 1;
  // Out of memory for the pack buffers: the direct loops need none.
  if (!gemm_packed<K>(p, nt)) gemm_direct(p);
}

template <class K>
void gemm_entry(const GemmParams<typename K::T>& g) {
  using T = typename K::T;
  if (g.m <= 0 || g.n <= 0 || g.batch <= 0) return;
  Problem<T> p{g.transA, g.transB, g.m,   g.n,   g.k,   static_cast<T>(g.alpha), static_cast<T>(g.beta),
               g.a,      g.lda,    g.b,   g.ldb, g.c,   g.ldc};
  const int nt = get_num_threads();
  const int64_t flops = g.m * g.n * g.k;
  auto one = [&](size_t b, int threads) {
    Problem<T> q = p;
    const int64_t ib = static_cast<int64_t>(b);
    q.a = g.a + ib * g.strideA;
    q.b = g.b + ib * g.strideB;
    q.c = g.c + ib * g.strideC;
    gemm_one<K>(q, threads);
  };
  if (g.batch > 1 && nt > 1 && flops < kThreadMinFlops && flops * g.batch >= kThreadMinFlops) {
    parallel_for(static_cast<size_t>(g.batch), [&](size_t b) { one(b, 1); });
    return;
  }
  for (int64_t b = 0; b < g.batch; ++b) one(static_cast<size_t>(b), nt);
}

}  // namespace
}  // namespace tg
