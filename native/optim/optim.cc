#include "optim/optim.h"

#include <cmath>

#include "elementwise/parallel.h"

namespace tg {
namespace {

// r() rounds to the parameter's dtype. The rounding points follow torch.optim's single-tensor code for a
// float32 parameter (every tensor op rounds; `x + alpha·y` rounds once), as the TypeScript kernels do.
template <class T>
inline double r(double v) { return (double)(T)v; }

template <class T>
void sgd_typed(T* param, const T* grad, T* buf, int64_t n, const SgdParams& p) {
  const double lr = r<T>(p.lr), momentum = r<T>(p.momentum), wd = r<T>(p.weight_decay);
  const double keep = r<T>(1 - p.dampening);
  const bool use_buf = buf != nullptr && p.momentum != 0;
  parallel_range(n, kGrainCheap, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) {
      const double w = param[i];
      double d = p.maximize ? -(double)grad[i] : (double)grad[i];
      if (wd != 0) d = r<T>(d + wd * w);
      if (use_buf) {
        const double m = p.first_step ? d : r<T>(r<T>((double)buf[i] * momentum) + keep * d);
        buf[i] = (T)m;
        d = p.nesterov ? r<T>(d + momentum * m) : m;
      }
      param[i] = (T)(w - lr * d);
    }
  });
}

template <class T>
void adam_typed(T* param, const T* grad, T* m, T* v, T* vmax, int64_t n, const AdamParams& p) {
  const double bc1 = 1 - std::pow(p.beta1, p.step), bc2 = 1 - std::pow(p.beta2, p.step);
  const double neg_step = r<T>(-(p.lr / bc1)), bc2_sqrt = r<T>(std::sqrt(bc2));
  const double decay = r<T>(1 - p.lr * p.weight_decay), wd = r<T>(p.weight_decay);
  const double b1 = r<T>(p.beta1), b2 = r<T>(p.beta2), omb1 = r<T>(1 - p.beta1), omb2 = r<T>(1 - p.beta2);
  const double eps = r<T>(p.eps);
  const bool use_max = p.amsgrad && vmax != nullptr;
  parallel_range(n, kGrainCostly, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) {
      double g = p.maximize ? -(double)grad[i] : (double)grad[i];
      double w = param[i];
      if (p.weight_decay != 0) {
        if (p.decoupled) w = r<T>(w * decay); else g = r<T>(g + wd * w);
      }
      const double mi = r<T>(r<T>((double)m[i] * b1) + omb1 * g);
      m[i] = (T)mi;
      double vi = r<T>(r<T>((double)v[i] * b2) + r<T>(r<T>(omb2 * g) * g));
      v[i] = (T)vi;
      if (use_max) {
        if (!((double)vmax[i] >= vi)) vmax[i] = (T)vi;
        vi = vmax[i];
      }
      const double denom = r<T>(r<T>(r<T>(std::sqrt(vi)) / bc2_sqrt) + eps);
      param[i] = (T)(w + r<T>(r<T>(neg_step * mi) / denom));
    }
  });
}

}  // namespace

void sgd_step(DType dtype, void* param, const void* grad, void* buf, int64_t n, const SgdParams& p) {
  if (dtype == DType::F32) {
    sgd_typed(static_cast<float*>(param), static_cast<const float*>(grad), static_cast<float*>(buf), n, p);
  } else {
    sgd_typed(static_cast<double*>(param), static_cast<const double*>(grad), static_cast<double*>(buf), n, p);
  }
}

void adam_step(DType dtype, void* param, const void* grad, void* exp_avg, void* exp_avg_sq, void* max_sq, int64_t n,
               const AdamParams& p) {
  if (dtype == DType::F32) {
    adam_typed(static_cast<float*>(param), static_cast<const float*>(grad), static_cast<float*>(exp_avg),
               static_cast<float*>(exp_avg_sq), static_cast<float*>(max_sq), n, p);
  } else {
    adam_typed(static_cast<double*>(param), static_cast<const double*>(grad), static_cast<double*>(exp_avg),
               static_cast<double*>(exp_avg_sq), static_cast<double*>(max_sq), n, p);
  }
}

}  // namespace tg
