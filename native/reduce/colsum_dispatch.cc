#include "common/cpu_features.h"
#include "reduce/colsum.h"

namespace tg {

const ColumnSumKernels& column_sum_kernels() {
  static const ColumnSumKernels* table = [] {
#if TG_X86_ISA_LEVELS
    switch (cpu_level()) {
      case CpuLevel::Avx512: return &avx512::kColumnSumKernels;
      case CpuLevel::Avx2: return &avx2::kColumnSumKernels;
      default: break;
    }
#endif
    return &baseline::kColumnSumKernels;
  }();
  return *table;
}

}  // namespace tg
