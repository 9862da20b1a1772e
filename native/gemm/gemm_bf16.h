#pragma once
// bfloat16 GEMM: inputs bfloat16 words, products accumulated and written in float32. Same layout rules as
// GemmParams (gemm.h): for each b < batch, C_b[m×n] = alpha · op(A_b) · op(B_b) + beta · C_b.
#include <cstdint>

namespace tg {

struct GemmBf16Params {
  bool transA = false;
  bool transB = false;
  int64_t m = 0, n = 0, k = 0;
  float alpha = 1.0f, beta = 0.0f;
  const uint16_t* a = nullptr;
  int64_t lda = 0;
  const uint16_t* b = nullptr;
  int64_t ldb = 0;
  float* c = nullptr;
  int64_t ldc = 0;
  int64_t batch = 1;
  int64_t strideA = 0, strideB = 0, strideC = 0;
};

// Picks the kernel for bf16_level() (common/cpu_features.h): AMX tiles, VDPBF16PS, or else op(A) and op(B)
// widened to float32 and the float32 GEMM. No argument checking here: the caller validates sizes.
void gemm_bf16(const GemmBf16Params& p);

namespace gemm_bf16_detail {

// Packed operands shared by the AVX512_BF16 and AMX kernels. K is padded with zeros to a multiple of 32.
// A: tiles of 16 rows × 32 K (1 KiB, what one AMX tile load reads, contiguous), rows padded to a multiple of
//    32: element (i, k) at a_index(i, k, kp).
// B: panels of 32 columns; in a panel, row q holds the pair (k = 2q, 2q + 1) of each column:
//    b[panel·(kp/2)·64 + q·64 + 2·j + (k & 1)] (the "VNNI" layout both instructions read).
struct Packed {
  const uint16_t* a;
  const uint16_t* b;
  int64_t kp;
};

inline int64_t a_index(int64_t i, int64_t k, int64_t kp) {
  return ((i >> 4) * (kp >> 5) + (k >> 5)) * 512 + (i & 15) * 32 + (k & 31);
}

// One 32×32 block of float32 results for rows i0.. and panel p, over all of K, written to out (rows out_ld apart).
void block_avx512bf16(const Packed& pk, int64_t i0, int64_t panel, float* out, int64_t out_ld);
// The same with AMX tiles over K in [k0, k0 + klen) (multiples of 32), adding to out's values when
// `accumulate` (C += A·B for beta = 1); the calling thread must have loaded the tile configuration (amx_configure) and releases it
// after its last block (amx_release).
void block_amx(const Packed& pk, int64_t i0, int64_t panel, int64_t k0, int64_t klen, float* out, int64_t out_ld, bool accumulate);
void amx_configure();
void amx_release();

}  // namespace gemm_bf16_detail

}  // namespace tg
