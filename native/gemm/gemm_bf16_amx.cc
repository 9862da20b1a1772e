// Built with the AVX-512 flags plus -mamx-tile -mamx-bf16; only called when bf16_level() is amx (the CPU has
// AMX-BF16 and Linux granted this process tile data).
#if defined(__x86_64__) || defined(_M_X64)

// GCC 12 flags the self-initialised _mm512_undefined_*() inside its own intrinsics.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

#include <immintrin.h>

#include <cstring>

#include "gemm_bf16.h"

namespace tg {
namespace gemm_bf16_detail {

namespace {

// Palette 1: tiles 0-3 hold the four 16×16 float32 quarters of a 32×32 block, 4-5 two 16-row slices of A
// (32 bfloat16 of K each), 6-7 two 16-column slices of B (16 pairs of K rows each, VNNI layout).
struct alignas(64) TileConfig {
  uint8_t palette;
  uint8_t start_row;
  uint8_t reserved[14];
  uint16_t colsb[16];
  uint8_t rows[16];
};

}  // namespace

void amx_configure() {
  TileConfig cfg;
  std::memset(&cfg, 0, sizeof cfg);
  cfg.palette = 1;
  for (int t = 0; t < 8; ++t) {
    cfg.rows[t] = 16;
    cfg.colsb[t] = 64;
  }
  // GCC 12 does not see that ldtilecfg reads the whole struct and drops the stores above without this.
  __asm__ volatile("" : : "r"(&cfg) : "memory");
  _tile_loadconfig(&cfg);
}

void amx_release() { _tile_release(); }

void block_amx(const Packed& pk, int64_t i0, int64_t panel, int64_t k0, int64_t klen, float* out, int64_t out_ld, bool accumulate) {
  const uint16_t* a0 = pk.a + a_index(i0, 0, pk.kp);
  const uint16_t* a1 = pk.a + a_index(i0 + 16, 0, pk.kp);
  const uint16_t* b = pk.b + panel * (pk.kp / 2) * 64;
  const int64_t ob = out_ld * 4;
  if (accumulate) {
    _tile_loadd(0, out, ob);
    _tile_loadd(1, out + 16, ob);
    _tile_loadd(2, out + 16 * out_ld, ob);
    _tile_loadd(3, out + 16 * out_ld + 16, ob);
  } else {
    _tile_zero(0);
    _tile_zero(1);
    _tile_zero(2);
    _tile_zero(3);
  }
  for (int64_t kk = k0; kk < k0 + klen; kk += 32) {
    const uint16_t* bq = b + (kk / 2) * 64;
    _tile_loadd(4, a0 + kk * 16, 64);
    _tile_loadd(6, bq, 128);
    _tile_loadd(7, bq + 32, 128);
    _tile_dpbf16ps(0, 4, 6);
    _tile_dpbf16ps(1, 4, 7);
    _tile_loadd(5, a1 + kk * 16, 64);
    _tile_dpbf16ps(2, 5, 6);
    _tile_dpbf16ps(3, 5, 7);
  }
  _tile_stored(0, out, ob);
  _tile_stored(1, out + 16, ob);
  _tile_stored(2, out + 16 * out_ld, ob);
  _tile_stored(3, out + 16 * out_ld + 16, ob);
}

}  // namespace gemm_bf16_detail
}  // namespace tg
#endif
