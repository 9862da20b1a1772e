// These kernels must give the TypeScript kernels' bits: no fused multiply-add contraction (GCC contracts a*b+c
// by default where the target has FMA, e.g. on arm64), whatever the flags.
#pragma GCC optimize("fp-contract=off")

#include "vision/batch_norm.h"

#include <algorithm>

#include "common/thread_pool.h"

namespace tg {
namespace {

// Elements below which one thread does everything: a task hand-off costs more.
constexpr int64_t kMinTaskWork = 1 << 15;

template <class F>
void over_channels(const BnShape& s, F&& channel_fn) {
  const int64_t per_channel = std::max<int64_t>(s.n * s.hw, 1);
  const int64_t chunk = std::max<int64_t>(1, kMinTaskWork / per_channel);
  const int64_t tasks = (s.c + chunk - 1) / chunk;
  if (tasks <= 1 || get_num_threads() <= 1) {
    for (int64_t ch = 0; ch < s.c; ++ch) channel_fn(ch);
    return;
  }
  parallel_for((size_t)tasks, [&](size_t t) {
    const int64_t c1 = std::min(s.c, ((int64_t)t + 1) * chunk);
    for (int64_t ch = (int64_t)t * chunk; ch < c1; ++ch) channel_fn(ch);
  });
}

// Four running sums, element k of a plane going to sum k % 4.
struct Sum4 {
  double v[4] = {0, 0, 0, 0};
  double total() const { return (v[0] + v[1]) + (v[2] + v[3]); }
};

}  // namespace

template <class T>
void batch_norm_stats(const BnShape& s, const T* x, double* stats) {
  const int64_t m = s.n * s.hw;
  over_channels(s, [&](int64_t ch) {
    if (m == 0) {
      stats[ch] = 0;
      stats[s.c + ch] = 0;
      return;
    }
    const double shift = (double)x[ch * s.hw];
    Sum4 sum, sq;
    for (int64_t i = 0; i < s.n; ++i) {
      const T* p = x + (i * s.c + ch) * s.hw;
      int64_t k = 0;
      for (; k + 4 <= s.hw; k += 4) {
        for (int l = 0; l < 4; ++l) {
          const double d = (double)p[k + l] - shift;
          sum.v[l] += d;
          sq.v[l] += d * d;
        }
      }
      for (int l = 0; k < s.hw; ++k, ++l) {
        const double d = (double)p[k] - shift;
        sum.v[l] += d;
        sq.v[l] += d * d;
      }
    }
    const double s1 = sum.total(), s2 = sq.total();
    const double var = (s2 - s1 * s1 / (double)m) / (double)m;
    stats[ch] = shift + s1 / (double)m;
    stats[s.c + ch] = var > 0 ? var : 0;
  });
}

template <class T>
void batch_norm_apply(const BnShape& s, const T* x, const double* coef, T* out) {
  over_channels(s, [&](int64_t ch) {
    const double scale = coef[ch], shift = coef[s.c + ch];
    for (int64_t i = 0; i < s.n; ++i) {
      const int64_t base = (i * s.c + ch) * s.hw;
      const T* p = x + base;
      T* o = out + base;
      for (int64_t k = 0; k < s.hw; ++k) o[k] = (T)((double)p[k] * scale + shift);
    }
  });
}

template <class T>
void batch_norm_backward(const BnShape& s, const T* g, const T* x, const double* params, bool training, T* dx,
                         double* dparams) {
  const int64_t m = s.n * s.hw;
  over_channels(s, [&](int64_t ch) {
    const double mean = params[ch], invstd = params[s.c + ch], weight = params[2 * s.c + ch];
    Sum4 sg, sgx;
    for (int64_t i = 0; i < s.n; ++i) {
      const int64_t base = (i * s.c + ch) * s.hw;
      const T* gp = g + base;
      const T* xp = x + base;
      int64_t k = 0;
      for (; k + 4 <= s.hw; k += 4) {
        for (int l = 0; l < 4; ++l) {
          const double gv = (double)gp[k + l];
          sg.v[l] += gv;
          sgx.v[l] += gv * ((double)xp[k + l] - mean);
        }
      }
      for (int l = 0; k < s.hw; ++k, ++l) {
        const double gv = (double)gp[k];
        sg.v[l] += gv;
        sgx.v[l] += gv * ((double)xp[k] - mean);
      }
    }
    const double sum_g = sg.total(), sum_gx = sgx.total();
    dparams[ch] = sum_gx * invstd;
    dparams[s.c + ch] = sum_g;
    if (dx == nullptr) return;
    const double a = weight * invstd;
    if (!training) {
      for (int64_t i = 0; i < s.n; ++i) {
        const int64_t base = (i * s.c + ch) * s.hw;
        for (int64_t k = 0; k < s.hw; ++k) dx[base + k] = (T)((double)g[base + k] * a);
      }
      return;
    }
    const double b = -a * invstd * invstd * sum_gx / (double)m;
    const double e = -a * sum_g / (double)m;
    for (int64_t i = 0; i < s.n; ++i) {
      const int64_t base = (i * s.c + ch) * s.hw;
      for (int64_t k = 0; k < s.hw; ++k)
        dx[base + k] = (T)((double)g[base + k] * a + ((double)x[base + k] - mean) * b + e);
    }
  });
}

template void batch_norm_stats<float>(const BnShape&, const float*, double*);
template void batch_norm_stats<double>(const BnShape&, const double*, double*);
template void batch_norm_apply<float>(const BnShape&, const float*, const double*, float*);
template void batch_norm_apply<double>(const BnShape&, const double*, const double*, double*);
template void batch_norm_backward<float>(const BnShape&, const float*, const float*, const double*, bool, float*, double*);
template void batch_norm_backward<double>(const BnShape&, const double*, const double*, const double*, bool, double*,
                                          double*);

}  // namespace tg
