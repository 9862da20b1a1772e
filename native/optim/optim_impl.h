// The fused optimizer loops for one ISA level. The including .cc defines TG_ISA (the namespace); the file
// name gives the compiler flags. Arithmetic is in double with a rounding to the parameter dtype after each
// torch.optim tensor op (as optim.cc documents), which keeps the TypeScript backend's exact results while
// letting the compiler vectorise: the option branches are template parameters, outside the loop.
#include <math.h>
#include <stdint.h>

#include "optim/optim_kernels.h"

// No FMA contraction: the TypeScript kernels round a·b and then the sum, and results must match bit for bit.
#pragma GCC optimize("fp-contract=off")

namespace tg {
namespace TG_ISA {
namespace {

template <class T>
inline double r(double v) { return (double)(T)v; }

template <class T, bool kWeightDecay, bool kNesterov, bool kFirst>
void sgd_loop(T* __restrict param, const T* __restrict grad, T* __restrict buf, int64_t b, int64_t e,
              const OptimScalars& s) {
  for (int64_t i = b; i < e; ++i) {
    const double w = param[i];
    double d = s.sign * (double)grad[i];
    if (kWeightDecay) d = r<T>(d + s.wd * w);
    if (buf != nullptr) {
      const double m = kFirst ? d : r<T>(r<T>((double)buf[i] * s.momentum) + s.keep * d);
      buf[i] = (T)m;
      d = kNesterov ? r<T>(d + s.momentum * m) : m;
    }
    param[i] = (T)(w - s.lr * d);
  }
}

template <class T, bool kL2, bool kAms>
void adam_loop(T* __restrict param, const T* __restrict grad, T* __restrict m, T* __restrict v,
               T* __restrict vmax, int64_t b, int64_t e, const OptimScalars& s) {
  for (int64_t i = b; i < e; ++i) {
    double g = s.sign * (double)grad[i];
    double w = param[i];
    if (kL2) g = r<T>(g + s.wd * w);
    else w = r<T>(w * s.decay);
    const double mi = r<T>(r<T>((double)m[i] * s.beta1) + s.omb1 * g);
    m[i] = (T)mi;
    double vi = r<T>(r<T>((double)v[i] * s.beta2) + r<T>(r<T>(s.omb2 * g) * g));
    v[i] = (T)vi;
    if (kAms) {
      const double old = vmax[i];
      vi = old >= vi ? old : vi;
      vmax[i] = (T)vi;
    }
    if constexpr (sizeof(T) == 4) {
      // A single float op rounds exactly as the same op in double rounded to float, and float sqrt and
      // division vectorise twice as wide; the fused `x + a·b` steps above stay in double.
      const float denom = sqrtf((float)vi) / (float)s.bc2_sqrt + (float)s.eps;
      param[i] = (float)w + ((float)s.neg_step * (float)mi) / denom;
    } else {
      const double denom = sqrt(vi) / s.bc2_sqrt + s.eps;
      param[i] = w + (s.neg_step * mi) / denom;
    }
  }
}

template <class T>
void sgd_any(void* p, const void* g, void* buf, int64_t b, int64_t e, const OptimScalars& s) {
  T* param = static_cast<T*>(p);
  const T* grad = static_cast<const T*>(g);
  T* mb = static_cast<T*>(buf);
  const int key = (s.weight_decay ? 4 : 0) | (s.nesterov ? 2 : 0) | (s.first ? 1 : 0);
  switch (key) {
    case 0: sgd_loop<T, false, false, false>(param, grad, mb, b, e, s); break;
    case 1: sgd_loop<T, false, false, true>(param, grad, mb, b, e, s); break;
    case 2: sgd_loop<T, false, true, false>(param, grad, mb, b, e, s); break;
    case 3: sgd_loop<T, false, true, true>(param, grad, mb, b, e, s); break;
    case 4: sgd_loop<T, true, false, false>(param, grad, mb, b, e, s); break;
    case 5: sgd_loop<T, true, false, true>(param, grad, mb, b, e, s); break;
    case 6: sgd_loop<T, true, true, false>(param, grad, mb, b, e, s); break;
    default: sgd_loop<T, true, true, true>(param, grad, mb, b, e, s); break;
  }
}

template <class T>
void adam_any(void* p, const void* g, void* m, void* v, void* vmax, int64_t b, int64_t e, const OptimScalars& s) {
  T* param = static_cast<T*>(p);
  const T* grad = static_cast<const T*>(g);
  T* mm = static_cast<T*>(m);
  T* vv = static_cast<T*>(v);
  T* vm = static_cast<T*>(vmax);
  if (s.l2) {
    if (vm != nullptr) adam_loop<T, true, true>(param, grad, mm, vv, vm, b, e, s);
    else adam_loop<T, true, false>(param, grad, mm, vv, vm, b, e, s);
  } else {
    if (vm != nullptr) adam_loop<T, false, true>(param, grad, mm, vv, vm, b, e, s);
    else adam_loop<T, false, false>(param, grad, mm, vv, vm, b, e, s);
  }
}

}  // namespace

extern const OptimKernels kOptimKernels = {
    sgd_any<float>, sgd_any<double>, adam_any<float>, adam_any<double>,
};

}  // namespace TG_ISA
}  // namespace tg
