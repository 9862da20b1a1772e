#pragma once

// Per-ISA entry points behind gemm_f32/gemm_f64 (gemm.cc picks one at run time). Each lives in a file
// compiled with that ISA's flags; the avx2/avx512 ones exist only on x86-64.
#include "gemm.h"

namespace tg {
namespace gemm_detail {

void gemm_f32_generic(const GemmParamsF32& p);
void gemm_f64_generic(const GemmParamsF64& p);

#if defined(__x86_64__) || defined(_M_X64)
void gemm_f32_avx2(const GemmParamsF32& p);
void gemm_f64_avx2(const GemmParamsF64& p);
void gemm_f32_avx512(const GemmParamsF32& p);
void gemm_f64_avx512(const GemmParamsF64& p);
#endif

}  // namespace gemm_detail
}  // namespace tg
