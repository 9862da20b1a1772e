// These kernels must give the TypeScript kernels' bits: no fused multiply-add contraction (GCC contracts a*b+c
// by default where the target has FMA, e.g. on arm64), whatever the flags.
#pragma GCC optimize("fp-contract=off")

#include "sequence/sequence.h"

#include <algorithm>
#include <cmath>

#include "common/thread_pool.h"
#include "elementwise/kernels.h"
#include "elementwise/ops.h"
#include "elementwise/scalar_fns.h"

namespace tg {
namespace {

// Below this many elements of work a call runs on the calling thread (a pool round trip costs a few µs).
constexpr int64_t kParallelWork = 1 << 15;

// fn(r0, r1) over [0, rows) in blocks, on the pool when the work is large enough.
template <class F>
void over_rows(int64_t rows, int64_t work_per_row, F&& fn) {
  const int threads = get_num_threads();
  if (threads <= 1 || rows <= 1 || rows * work_per_row < kParallelWork) {
    fn((int64_t)0, rows);
    return;
  }
  const int64_t tasks = std::min<int64_t>(rows, (int64_t)threads * 4);
  const int64_t chunk = (rows + tasks - 1) / tasks;
  parallel_for((size_t)tasks, [&](size_t t) {
    const int64_t r0 = (int64_t)t * chunk, r1 = std::min(rows, r0 + chunk);
    if (r0 < r1) fn(r0, r1);
  });
}

}  // namespace

template <class T>
void layer_norm(const T* x, int64_t rows, int64_t cols, const T* weight, const T* bias, double eps, T* y, T* mean, T* rstd) {
  over_rows(rows, cols, [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      const T* xr = x + r * cols;
      T* yr = y + r * cols;
      double s = 0;
      for (int64_t j = 0; j < cols; ++j) s += (double)xr[j];
      const double mu = s / (double)cols;
      double v = 0;
      for (int64_t j = 0; j < cols; ++j) {
        const double d = (double)xr[j] - mu;
        v += d * d;
      }
      const double rs = 1.0 / std::sqrt(v / (double)cols + eps);
      mean[r] = (T)mu;
      rstd[r] = (T)rs;
      for (int64_t j = 0; j < cols; ++j) {
        double t = ((double)xr[j] - mu) * rs;
        if (weight != nullptr) t *= (double)weight[j];
        if (bias != nullptr) t += (double)bias[j];
        yr[j] = (T)t;
      }
    }
  });
}

template <class T>
void layer_norm_backward(const T* g, const T* x, const T* mean, const T* rstd, const T* weight, int64_t rows, int64_t cols,
                         T* dx, T* dweight, T* dbias) {
  if (dx != nullptr) {
    over_rows(rows, 2 * cols, [&](int64_t r0, int64_t r1) {
      for (int64_t r = r0; r < r1; ++r) {
        const T* gr = g + r * cols;
        const T* xr = x + r * cols;
        T* dr = dx + r * cols;
        // mean/rstd as stored (rounded to T), exactly as the TypeScript kernel reads them back.
        const double mu = (double)mean[r], rs = (double)rstd[r];
        double a = 0, b = 0;
        for (int64_t j = 0; j < cols; ++j) {
          const double gw = weight != nullptr ? (double)gr[j] * (double)weight[j] : (double)gr[j];
          a += gw;
          b += gw * (((double)xr[j] - mu) * rs);
        }
        a /= (double)cols;
        b /= (double)cols;
        for (int64_t j = 0; j < cols; ++j) {
          const double gw = weight != nullptr ? (double)gr[j] * (double)weight[j] : (double)gr[j];
          dr[j] = (T)(rs * (gw - a - ((double)xr[j] - mu) * rs * b));
        }
      }
    });
  }
  if (dweight == nullptr && dbias == nullptr) return;
  // Column blocks: each thread sums its columns over every row, rows in order (the TypeScript kernel's order).
  constexpr int64_t kBlock = 16;
  const int64_t blocks = (cols + kBlock - 1) / kBlock;
  over_rows(blocks, 2 * kBlock * rows, [&](int64_t b0, int64_t b1) {
    double sw[kBlock], sb[kBlock];
    for (int64_t blk = b0; blk < b1; ++blk) {
      const int64_t j0 = blk * kBlock, j1 = std::min(cols, j0 + kBlock);
      std::fill(sw, sw + kBlock, 0.0);
      std::fill(sb, sb + kBlock, 0.0);
      for (int64_t r = 0; r < rows; ++r) {
        const T* gr = g + r * cols;
        const T* xr = x + r * cols;
        const double mu = (double)mean[r], rs = (double)rstd[r];
        for (int64_t j = j0; j < j1; ++j) {
          const double gv = (double)gr[j];
          sw[j - j0] += gv * (((double)xr[j] - mu) * rs);
          sb[j - j0] += gv;
        }
      }
      for (int64_t j = j0; j < j1; ++j) {
        if (dweight != nullptr) dweight[j] = (T)sw[j - j0];
        if (dbias != nullptr) dbias[j] = (T)sb[j - j0];
      }
    }
  });
}

template <class T>
void lstm_cell(const T* gi, const T* gh, const T* c, int64_t n, int64_t h, T* hy, T* cy, T* workspace) {
  const int64_t G = 4 * h;
  over_rows(n, 8 * G, [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      const T* a = gi + r * G;
      const T* b = gh + r * G;
      T* w = workspace + r * G;
      for (int64_t j = 0; j < h; ++j) {
        const double ig = sigmoid_of((double)a[j] + (double)b[j]);
        const double fg = sigmoid_of((double)a[h + j] + (double)b[h + j]);
        const double gg = std::tanh((double)a[2 * h + j] + (double)b[2 * h + j]);
        const double og = sigmoid_of((double)a[3 * h + j] + (double)b[3 * h + j]);
        w[j] = (T)ig;
        w[h + j] = (T)fg;
        w[2 * h + j] = (T)gg;
        w[3 * h + j] = (T)og;
        const T c_new = (T)(fg * (double)c[r * h + j] + ig * gg);
        cy[r * h + j] = c_new;
        hy[r * h + j] = (T)(og * std::tanh((double)c_new));
      }
    }
  });
}

template <class T>
void lstm_cell_backward(const T* dh, const T* dc, const T* workspace, const T* c, const T* cy, int64_t n, int64_t h, T* dgates,
                        T* dc_prev) {
  const int64_t G = 4 * h;
  over_rows(n, 8 * G, [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      const T* w = workspace + r * G;
      T* d = dgates + r * G;
      for (int64_t j = 0; j < h; ++j) {
        const double ig = w[j], fg = w[h + j], gg = w[2 * h + j], og = w[3 * h + j];
        const double tc = std::tanh((double)cy[r * h + j]);
        const double g_h = dh == nullptr ? 0.0 : (double)dh[r * h + j];
        const double g_c = (dc == nullptr ? 0.0 : (double)dc[r * h + j]) + g_h * og * (1 - tc * tc);
        d[j] = (T)(g_c * gg * ig * (1 - ig));
        d[h + j] = (T)(g_c * (double)c[r * h + j] * fg * (1 - fg));
        d[2 * h + j] = (T)(g_c * ig * (1 - gg * gg));
        d[3 * h + j] = (T)(g_h * tc * og * (1 - og));
        dc_prev[r * h + j] = (T)(g_c * fg);
      }
    }
  });
}

template <class T>
void gru_cell(const T* gi, const T* gh, const T* hx, int64_t n, int64_t h, T* hy, T* workspace) {
  const int64_t G = 3 * h;
  over_rows(n, 8 * G, [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      const T* a = gi + r * G;
      const T* b = gh + r * G;
      T* w = workspace + r * 4 * h;
      for (int64_t j = 0; j < h; ++j) {
        const double rg = sigmoid_of((double)a[j] + (double)b[j]);
        const double zg = sigmoid_of((double)a[h + j] + (double)b[h + j]);
        const double hn = (double)b[2 * h + j];
        const double ng = std::tanh((double)a[2 * h + j] + rg * hn);
        w[j] = (T)rg;
        w[h + j] = (T)zg;
        w[2 * h + j] = (T)ng;
        w[3 * h + j] = (T)hn;
        hy[r * h + j] = (T)(((double)hx[r * h + j] - ng) * zg + ng);
      }
    }
  });
}

template <class T>
void gru_cell_backward(const T* dh, const T* workspace, const T* hx, int64_t n, int64_t h, T* dgi, T* dgh, T* dh_prev) {
  const int64_t G = 3 * h;
  over_rows(n, 8 * G, [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      const T* w = workspace + r * 4 * h;
      for (int64_t j = 0; j < h; ++j) {
        const double rg = w[j], zg = w[h + j], ng = w[2 * h + j], hn = w[3 * h + j];
        const double g_h = dh[r * h + j];
        const double dn = g_h * (1 - zg) * (1 - ng * ng);
        const double dz = g_h * ((double)hx[r * h + j] - ng) * zg * (1 - zg);
        const double dr = dn * hn * rg * (1 - rg);
        dgi[r * G + j] = (T)dr;
        dgi[r * G + h + j] = (T)dz;
        dgi[r * G + 2 * h + j] = (T)dn;
        dgh[r * G + j] = (T)dr;
        dgh[r * G + h + j] = (T)dz;
        dgh[r * G + 2 * h + j] = (T)(dn * rg);
        dh_prev[r * h + j] = (T)(g_h * zg);
      }
    }
  });
}

// float32 steps take their sigmoid/tanh from the vectorised elementwise kernels over each row's gate blocks
// (in place in the workspace), the rest as above; float64 stays on the scalar double path.
template <>
void lstm_cell<float>(const float* gi, const float* gh, const float* c, int64_t n, int64_t h, float* hy, float* cy,
                      float* workspace) {
  const int64_t G = 4 * h;
  const ElementwiseKernels& k = elementwise_kernels();
  over_rows(n, 8 * G, [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      const float* a = gi + r * G;
      const float* b = gh + r * G;
      float* w = workspace + r * G;
      for (int64_t j = 0; j < G; ++j) w[j] = a[j] + b[j];
      k.unary_f32(kSigmoid, w, w, 2 * h, 0, 0);
      k.unary_f32(kTanh, w + 2 * h, w + 2 * h, h, 0, 0);
      k.unary_f32(kSigmoid, w + 3 * h, w + 3 * h, h, 0, 0);
      float* cr = cy + r * h;
      float* hr = hy + r * h;
      for (int64_t j = 0; j < h; ++j) cr[j] = (float)((double)w[h + j] * (double)c[r * h + j] + (double)w[j] * (double)w[2 * h + j]);
      k.unary_f32(kTanh, cr, hr, h, 0, 0);
      for (int64_t j = 0; j < h; ++j) hr[j] = w[3 * h + j] * hr[j];
    }
  });
}

template <>
void lstm_cell_backward<float>(const float* dh, const float* dc, const float* workspace, const float* c, const float* cy, int64_t n,
                               int64_t h, float* dgates, float* dc_prev) {
  const int64_t G = 4 * h;
  const ElementwiseKernels& k = elementwise_kernels();
  over_rows(n, 8 * G, [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      const float* w = workspace + r * G;
      float* d = dgates + r * G;
      float* dcp = dc_prev + r * h;
      k.unary_f32(kTanh, cy + r * h, dcp, h, 0, 0);  // tanh(c') parked in dc_prev, read before it is overwritten
      for (int64_t j = 0; j < h; ++j) {
        const double ig = w[j], fg = w[h + j], gg = w[2 * h + j], og = w[3 * h + j];
        const double tc = dcp[j];
        const double g_h = dh == nullptr ? 0.0 : (double)dh[r * h + j];
        const double g_c = (dc == nullptr ? 0.0 : (double)dc[r * h + j]) + g_h * og * (1 - tc * tc);
        d[j] = (float)(g_c * gg * ig * (1 - ig));
        d[h + j] = (float)(g_c * (double)c[r * h + j] * fg * (1 - fg));
        d[2 * h + j] = (float)(g_c * ig * (1 - gg * gg));
        d[3 * h + j] = (float)(g_h * tc * og * (1 - og));
        dcp[j] = (float)(g_c * fg);
      }
    }
  });
}

template <>
void gru_cell<float>(const float* gi, const float* gh, const float* hx, int64_t n, int64_t h, float* hy, float* workspace) {
  const int64_t G = 3 * h;
  const ElementwiseKernels& k = elementwise_kernels();
  over_rows(n, 8 * G, [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      const float* a = gi + r * G;
      const float* b = gh + r * G;
      float* w = workspace + r * 4 * h;
      for (int64_t j = 0; j < 2 * h; ++j) w[j] = a[j] + b[j];
      k.unary_f32(kSigmoid, w, w, 2 * h, 0, 0);
      for (int64_t j = 0; j < h; ++j) {
        w[3 * h + j] = b[2 * h + j];
        w[2 * h + j] = (float)((double)a[2 * h + j] + (double)w[j] * (double)b[2 * h + j]);
      }
      k.unary_f32(kTanh, w + 2 * h, w + 2 * h, h, 0, 0);
      for (int64_t j = 0; j < h; ++j) {
        const double ng = w[2 * h + j];
        hy[r * h + j] = (float)(((double)hx[r * h + j] - ng) * (double)w[h + j] + ng);
      }
    }
  });
}

#define TG_SEQUENCE_INSTANTIATE(T)                                                                                         \
  template void layer_norm<T>(const T*, int64_t, int64_t, const T*, const T*, double, T*, T*, T*);                         \
  template void layer_norm_backward<T>(const T*, const T*, const T*, const T*, const T*, int64_t, int64_t, T*, T*, T*);    \
  template void lstm_cell<T>(const T*, const T*, const T*, int64_t, int64_t, T*, T*, T*);                                  \
  template void lstm_cell_backward<T>(const T*, const T*, const T*, const T*, const T*, int64_t, int64_t, T*, T*);         \
  template void gru_cell<T>(const T*, const T*, const T*, int64_t, int64_t, T*, T*);                                       \
  template void gru_cell_backward<T>(const T*, const T*, const T*, int64_t, int64_t, T*, T*, T*);

TG_SEQUENCE_INSTANTIATE(double)
template void layer_norm<float>(const float*, int64_t, int64_t, const float*, const float*, double, float*, float*, float*);
template void layer_norm_backward<float>(const float*, const float*, const float*, const float*, const float*, int64_t, int64_t,
                                         float*, float*, float*);
template void gru_cell_backward<float>(const float*, const float*, const float*, int64_t, int64_t, float*, float*, float*);

}  // namespace tg
