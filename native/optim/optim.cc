#include "optim/optim.h"

#include <cmath>

#include "common/cpu_features.h"
#include "elementwise/parallel.h"
#include "optim/optim_kernels.h"

namespace tg {
namespace {

// The rounding points follow torch.optim's single-tensor code for a float32 parameter (every tensor op
// rounds; `x + alpha·y` rounds once), as the TypeScript kernels do; the loops live in optim_impl.h.
template <class T>
double r(double v) { return (double)(T)v; }

const OptimKernels& kernels() {
  static const OptimKernels* table = [] {
#if TG_X86_ISA_LEVELS
    switch (cpu_level()) {
      case CpuLevel::Avx512: return &avx512::kOptimKernels;
      case CpuLevel::Avx2: return &avx2::kOptimKernels;
      default: break;
    }
#endif
    return &baseline::kOptimKernels;
  }();
  return *table;
}

template <class T>
OptimScalars sgd_scalars(const SgdParams& p) {
  OptimScalars s{};
  s.sign = p.maximize ? -1.0 : 1.0;
  s.lr = r<T>(p.lr);
  s.momentum = r<T>(p.momentum);
  s.wd = r<T>(p.weight_decay);
  s.keep = r<T>(1 - p.dampening);
  s.weight_decay = s.wd != 0;
  s.nesterov = p.nesterov;
  s.first = p.first_step;
  return s;
}

template <class T>
OptimScalars adam_scalars(const AdamParams& p) {
  OptimScalars s{};
  const double bc1 = 1 - std::pow(p.beta1, p.step), bc2 = 1 - std::pow(p.beta2, p.step);
  s.sign = p.maximize ? -1.0 : 1.0;
  s.neg_step = r<T>(-(p.lr / bc1));
  s.bc2_sqrt = r<T>(std::sqrt(bc2));
  s.decay = p.decoupled ? r<T>(1 - p.lr * p.weight_decay) : 1.0;
  s.wd = r<T>(p.weight_decay);
  s.l2 = p.weight_decay != 0 && !p.decoupled;
  s.beta1 = r<T>(p.beta1);
  s.beta2 = r<T>(p.beta2);
  s.omb1 = r<T>(1 - p.beta1);
  s.omb2 = r<T>(1 - p.beta2);
  s.eps = r<T>(p.eps);
  return s;
}

}  // namespace

void sgd_step(DType dtype, void* param, const void* grad, void* buf, int64_t n, const SgdParams& p) {
  void* mb = p.momentum != 0 ? buf : nullptr;
  const auto& k = kernels();
  if (dtype == DType::F32) {
    const OptimScalars s = sgd_scalars<float>(p);
    parallel_range(n, kGrainCheap, [&](int64_t b, int64_t e) { k.sgd_f32(param, grad, mb, b, e, s); });
  } else {
    const OptimScalars s = sgd_scalars<double>(p);
    parallel_range(n, kGrainCheap, [&](int64_t b, int64_t e) { k.sgd_f64(param, grad, mb, b, e, s); });
  }
}

void adam_step(DType dtype, void* param, const void* grad, void* exp_avg, void* exp_avg_sq, void* max_sq, int64_t n,
               const AdamParams& p) {
  void* vmax = p.amsgrad ? max_sq : nullptr;
  const auto& k = kernels();
  if (dtype == DType::F32) {
    const OptimScalars s = adam_scalars<float>(p);
    parallel_range(n, kGrainCostly, [&](int64_t b, int64_t e) { k.adam_f32(param, grad, exp_avg, exp_avg_sq, vmax, b, e, s); });
  } else {
    const OptimScalars s = adam_scalars<double>(p);
    parallel_range(n, kGrainCostly, [&](int64_t b, int64_t e) { k.adam_f64(param, grad, exp_avg, exp_avg_sq, vmax, b, e, s); });
  }
}

}  // namespace tg
