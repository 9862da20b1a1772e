#include "optim/optim.h"

#include <cmath>

#include "elementwise/parallel.h"

namespace tg {
namespace {

template <class T>
void sgd_typed(T* param, const T* grad, T* buf, int64_t n, const SgdParams& p) {
  parallel_range(n, kGrainCheap, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) {
      double d = p.maximize ? -(double)grad[i] : (double)grad[i];
      if (p.weight_decay != 0) d += p.weight_decay * (double)param[i];
      if (p.momentum != 0) {
        const double m = p.first_step ? d : p.momentum * (double)buf[i] + (1 - p.dampening) * d;
        buf[i] = (T)m;
        d = p.nesterov ? d + p.momentum * (double)buf[i] : (double)buf[i];
      }
      param[i] = (T)((double)param[i] - p.lr * d);
    }
  });
}

template <class T>
void adam_typed(T* param, const T* grad, T* m, T* v, T* vmax, int64_t n, const AdamParams& p) {
  const double bc1 = 1 - std::pow(p.beta1, p.step);
  const double bc2_sqrt = std::sqrt(1 - std::pow(p.beta2, p.step));
  const double step_size = p.lr / bc1;
  const double decay = p.decoupled ? 1 - p.lr * p.weight_decay : 1;
  parallel_range(n, kGrainCostly, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) {
      double g = p.maximize ? -(double)grad[i] : (double)grad[i];
      double w = param[i];
      if (p.weight_decay != 0) {
        if (p.decoupled) {
          w = (double)(T)(w * decay);
        } else {
          g += p.weight_decay * w;
        }
      }
      const T mi = (T)((double)m[i] + (g - (double)m[i]) * (1 - p.beta1));
      const T vi = (T)((double)v[i] * p.beta2 + (1 - p.beta2) * g * g);
      m[i] = mi;
      v[i] = vi;
      double vv = vi;
      if (p.amsgrad) {
        const T mx = vmax[i] > vi || vmax[i] != vmax[i] ? vmax[i] : vi;
        vmax[i] = mx;
        vv = mx;
      }
      const double denom = std::sqrt(vv) / bc2_sqrt + p.eps;
      param[i] = (T)(w - step_size * (double)mi / denom);
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
