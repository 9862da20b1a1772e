#include "gemm_bf16.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

#include "../common/cpu_features.h"
#include "../common/thread_pool.h"
#include "../half/convert.h"
#include "gemm.h"

namespace tg {

namespace {

using gemm_bf16_detail::Packed;

constexpr int64_t kBlock = 32;   // rows and columns of one block of results
constexpr int64_t kRowChunk = 8; // blocks of rows per task: A's rows a task reads stay in L2 across its panel

int64_t round_up(int64_t v, int64_t to) { return (v + to - 1) / to * to; }

struct AlignedFree {
  void operator()(void* p) const { std::free(p); }
};
template <class T>
using Buffer = std::unique_ptr<T[], AlignedFree>;

template <class T>
Buffer<T> aligned_buffer(int64_t n) {
  const size_t bytes = static_cast<size_t>(round_up(n * static_cast<int64_t>(sizeof(T)), 64));
  void* p = std::aligned_alloc(64, bytes > 0 ? bytes : 64);
  if (p == nullptr) throw std::bad_alloc();
  return Buffer<T>(static_cast<T*>(p));
}

// Element (i, kk) of op(A), (kk, j) of op(B).
inline uint16_t a_at(const GemmBf16Params& p, const uint16_t* a, int64_t i, int64_t kk) {
  return p.transA ? a[kk * p.lda + i] : a[i * p.lda + kk];
}
inline uint16_t b_at(const GemmBf16Params& p, const uint16_t* b, int64_t kk, int64_t j) {
  return p.transB ? b[j * p.ldb + kk] : b[kk * p.ldb + j];
}

void pack_a(const GemmBf16Params& p, const uint16_t* a, int64_t mp, int64_t kp, uint16_t* out) {
  using gemm_bf16_detail::a_index;
  for (int64_t i = 0; i < mp; ++i) {
    for (int64_t k0 = 0; k0 < kp; k0 += 32) {
      uint16_t* dst = out + a_index(i, k0, kp);
      const int64_t len = i < p.m ? std::max<int64_t>(0, std::min<int64_t>(32, p.k - k0)) : 0;
      if (!p.transA) {
        if (len > 0) std::memcpy(dst, a + i * p.lda + k0, static_cast<size_t>(len) * 2);
      } else {
        for (int64_t kk = 0; kk < len; ++kk) dst[kk] = a[(k0 + kk) * p.lda + i];
      }
      if (len < 32) std::memset(dst + len, 0, static_cast<size_t>(32 - len) * 2);
    }
  }
}

void pack_b(const GemmBf16Params& p, const uint16_t* b, int64_t np, int64_t kp, uint16_t* out) {
  const int64_t panels = np / kBlock, pairs = kp / 2;
  for (int64_t panel = 0; panel < panels; ++panel) {
    uint16_t* dst = out + panel * pairs * 2 * kBlock;
    const int64_t j0 = panel * kBlock;
    for (int64_t q = 0; q < pairs; ++q) {
      uint16_t* row = dst + q * 2 * kBlock;
      if (!p.transB && j0 + kBlock <= p.n && 2 * q + 1 < p.k) {
        // Interior: interleave two rows of B, no bounds to test.
        const uint16_t* r0 = b + 2 * q * p.ldb + j0;
        const uint16_t* r1 = r0 + p.ldb;
        for (int64_t jj = 0; jj < kBlock; ++jj) {
          row[2 * jj] = r0[jj];
          row[2 * jj + 1] = r1[jj];
        }
        continue;
      }
      for (int64_t jj = 0; jj < kBlock; ++jj) {
        const int64_t j = j0 + jj, k0 = 2 * q;
        row[2 * jj] = j < p.n && k0 < p.k ? b_at(p, b, k0, j) : 0;
        row[2 * jj + 1] = j < p.n && k0 + 1 < p.k ? b_at(p, b, k0 + 1, j) : 0;
      }
    }
  }
}

// C = alpha · block + beta · C over the valid part of a block (beta = 0 ignores C, NaN included).
void store_block(const GemmBf16Params& p, float* c, const float* blk, int64_t i0, int64_t j0) {
  const int64_t rows = std::min(kBlock, p.m - i0), cols = std::min(kBlock, p.n - j0);
  for (int64_t r = 0; r < rows; ++r) {
    float* dst = c + (i0 + r) * p.ldc + j0;
    const float* src = blk + r * kBlock;
    if (p.beta == 0.0f) for (int64_t j = 0; j < cols; ++j) dst[j] = p.alpha * src[j];
    else for (int64_t j = 0; j < cols; ++j) dst[j] = p.alpha * src[j] + p.beta * dst[j];
  }
}

#if defined(__x86_64__) || defined(_M_X64)
void gemm_packed(const GemmBf16Params& p, Bf16Level level) {
  const int64_t kp = round_up(p.k, kBlock), mp = round_up(p.m, kBlock), np = round_up(p.n, kBlock);
  // Packing buffers kept per calling thread: fresh large allocations would page-fault on every call.
  thread_local Buffer<uint16_t> ap, bp;
  thread_local int64_t ap_size = 0, bp_size = 0;
  if (ap_size < mp * kp) ap = aligned_buffer<uint16_t>(ap_size = mp * kp);
  if (bp_size < np * kp) bp = aligned_buffer<uint16_t>(bp_size = np * kp);
  const int64_t row_blocks = mp / kBlock, panels = np / kBlock;
  const int64_t chunks = (row_blocks + kRowChunk - 1) / kRowChunk;
  for (int64_t bt = 0; bt < p.batch; ++bt) {
    pack_a(p, p.a + bt * p.strideA, mp, kp, ap.get());
    pack_b(p, p.b + bt * p.strideB, np, kp, bp.get());
    const Packed pk{ap.get(), bp.get(), kp};
    float* c = p.c + bt * p.strideC;
    parallel_for(static_cast<size_t>(chunks * panels), [&](size_t task) {
      const int64_t chunk = static_cast<int64_t>(task) / panels, panel = static_cast<int64_t>(task) % panels;
      alignas(64) float blk[kBlock * kBlock];
      const int64_t first = chunk * kRowChunk, last = std::min(row_blocks, first + kRowChunk);
      if (level == Bf16Level::Amx) gemm_bf16_detail::amx_configure();
      for (int64_t rb = first; rb < last; ++rb) {
        const int64_t i0 = rb * kBlock, j0 = panel * kBlock;
        // A whole block of C = A·B goes straight to C (with AMX also C += A·B, the tiles starting from C);
        // edges and other alpha/beta go through blk.
        const bool whole = i0 + kBlock <= p.m && j0 + kBlock <= p.n && p.alpha == 1.0f;
        const bool into_c = whole && (p.beta == 0.0f || (p.beta == 1.0f && level == Bf16Level::Amx));
        float* out = into_c ? c + i0 * p.ldc + j0 : blk;
        const int64_t out_ld = into_c ? p.ldc : kBlock;
        if (level == Bf16Level::Amx) gemm_bf16_detail::block_amx(pk, i0, panel, 0, kp, out, out_ld, into_c && p.beta == 1.0f);
        else gemm_bf16_detail::block_avx512bf16(pk, i0, panel, out, out_ld);
        if (!into_c) store_block(p, c, blk, i0, j0);
      }
      if (level == Bf16Level::Amx) gemm_bf16_detail::amx_release();
    });
  }
}

#endif

// No bfloat16 instructions: op(A) and op(B) widened to float32 (exact), then the float32 GEMM.
void gemm_widened(const GemmBf16Params& p) {
  Buffer<float> a32 = aligned_buffer<float>(p.m * p.k), b32 = aligned_buffer<float>(p.k * p.n);
  std::vector<uint16_t> row(static_cast<size_t>(std::max(p.k, p.n)));
  for (int64_t bt = 0; bt < p.batch; ++bt) {
    const uint16_t* a = p.a + bt * p.strideA;
    const uint16_t* b = p.b + bt * p.strideB;
    for (int64_t i = 0; i < p.m; ++i) {
      if (!p.transA) bf16_to_f32(a + i * p.lda, a32.get() + i * p.k, p.k);
      else {
        for (int64_t kk = 0; kk < p.k; ++kk) row[kk] = a_at(p, a, i, kk);
        bf16_to_f32(row.data(), a32.get() + i * p.k, p.k);
      }
    }
    for (int64_t kk = 0; kk < p.k; ++kk) {
      if (!p.transB) bf16_to_f32(b + kk * p.ldb, b32.get() + kk * p.n, p.n);
      else {
        for (int64_t j = 0; j < p.n; ++j) row[j] = b_at(p, b, kk, j);
        bf16_to_f32(row.data(), b32.get() + kk * p.n, p.n);
      }
    }
    GemmParamsF32 q;
    q.m = p.m, q.n = p.n, q.k = p.k, q.alpha = p.alpha, q.beta = p.beta;
    q.a = a32.get(), q.lda = std::max<int64_t>(p.k, 1), q.b = b32.get(), q.ldb = std::max<int64_t>(p.n, 1);
    q.c = p.c + bt * p.strideC, q.ldc = p.ldc;
    gemm_f32(q);
  }
}

}  // namespace

void gemm_bf16(const GemmBf16Params& p) {
  if (p.m == 0 || p.n == 0 || p.batch == 0) return;
#if defined(__x86_64__) || defined(_M_X64)
  const Bf16Level level = bf16_level();
  if (level != Bf16Level::None && p.k > 0) return gemm_packed(p, level);
#endif
  gemm_widened(p);
}

}  // namespace tg
