#include "common/cpu_features.h"
#include "reduce/colsum.h"

namespace tg {

const ColumnSumKernels& column_sum_kernels() {
  static const ColumnSumKernels* table = [] {
    switch (cpu_level()) {
      case CpuLevel::Avx512: return &avx512::kColumnSumKernels;
      case CpuLevel::Avx2: return &avx2::kColumnSumKernels;
      default: return &baseline::kColumnSumKernels;
    }
  }();
  return *table;
}

}  // namespace tg
