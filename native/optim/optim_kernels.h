#pragma once
// The per-ISA optimizer loops (optim_{baseline,avx2,avx512}.cc) and the scalars they share, prepared once
// per call by optim.cc.
#include <stdint.h>

namespace tg {

struct OptimScalars {
  double sign;  // -1 when maximizing
  double lr, momentum, keep, wd, decay;
  double beta1, beta2, omb1, omb2, eps, bc2_sqrt, neg_step;
  bool weight_decay, nesterov, first, l2;
};

struct OptimKernels {
  void (*sgd_f32)(void*, const void*, void*, int64_t, int64_t, const OptimScalars&);
  void (*sgd_f64)(void*, const void*, void*, int64_t, int64_t, const OptimScalars&);
  void (*adam_f32)(void*, const void*, void*, void*, void*, int64_t, int64_t, const OptimScalars&);
  void (*adam_f64)(void*, const void*, void*, void*, void*, int64_t, int64_t, const OptimScalars&);
};

namespace baseline { extern const OptimKernels kOptimKernels; }
namespace avx2 { extern const OptimKernels kOptimKernels; }
namespace avx512 { extern const OptimKernels kOptimKernels; }

}  // namespace tg
