#include "elementwise/kernels.h"

#include "common/cpu_features.h"

namespace tg {

const ElementwiseKernels& elementwise_kernels() {
  // Initialised once (thread-safe static); immutable afterwards, so shared by every addon instance.
  static const ElementwiseKernels* table = [] {
#if TG_X86_ISA_LEVELS
    switch (cpu_level()) {
      case CpuLevel::Avx512: return &avx512::kElementwiseKernels;
      case CpuLevel::Avx2: return &avx2::kElementwiseKernels;
      default: break;
    }
#endif
    return &baseline::kElementwiseKernels;
  }();
  return *table;
}

}  // namespace tg
