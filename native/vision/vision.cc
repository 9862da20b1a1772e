#include "vision/vision.h"

#include <algorithm>
#include <limits>

#include "common/thread_pool.h"

namespace tg {
namespace {

// Work (elements of columns) below which one thread does everything: a task hand-off costs more.
constexpr int64_t kMinTaskWork = 1 << 15;

// The x range [x0, x1) whose input column x·sw − pw + j·dw lies in [0, w).
inline void valid_x(const Geom& g, int64_t j, int64_t* x0, int64_t* x1) {
  const int64_t off = j * g.dw - g.pw;  // ix = x·sw + off
  int64_t lo = off >= 0 ? 0 : (-off + g.sw - 1) / g.sw;
  int64_t hi = g.w - off <= 0 ? 0 : (g.w - off + g.sw - 1) / g.sw;
  lo = std::min(lo, g.ow);
  hi = std::max(std::min(hi, g.ow), lo);
  *x0 = lo;
  *x1 = hi;
}

template <class F>
void over_planes(const Geom& g, F&& plane_fn) {
  const int64_t planes = g.n * g.c;
  const int64_t per_plane = std::max<int64_t>(g.kh * g.kw * g.oh * g.ow, 1);
  int64_t chunk = std::max<int64_t>(1, kMinTaskWork / per_plane);
  int64_t tasks = (planes + chunk - 1) / chunk;
  const int64_t threads = get_num_threads();
  if (tasks > threads * 4) {  // a few tasks per thread balance the load; more only add hand-offs
    tasks = threads * 4;
    chunk = (planes + tasks - 1) / tasks;
    tasks = (planes + chunk - 1) / chunk;
  }
  if (tasks <= 1) {
    for (int64_t p = 0; p < planes; ++p) plane_fn(p);
    return;
  }
  parallel_for((size_t)tasks, [&](size_t t) {
    const int64_t p1 = std::min(planes, ((int64_t)t + 1) * chunk);
    for (int64_t p = (int64_t)t * chunk; p < p1; ++p) plane_fn(p);
  });
}

}  // namespace

template <class T>
void im2col(const Geom& g, const T* image, T* cols, T fill) {
  const int64_t plane_cols = g.kh * g.kw * g.oh * g.ow;
  over_planes(g, [&](int64_t plane) {
    const T* src = image + plane * g.h * g.w;
    T* dst = cols + plane * plane_cols;
    for (int64_t i = 0; i < g.kh; ++i) {
      for (int64_t j = 0; j < g.kw; ++j) {
        int64_t x0, x1;
        valid_x(g, j, &x0, &x1);
        const int64_t off = j * g.dw - g.pw;
        for (int64_t y = 0; y < g.oh; ++y, dst += g.ow) {
          const int64_t iy = y * g.sh - g.ph + i * g.dh;
          if (iy < 0 || iy >= g.h) {
            std::fill(dst, dst + g.ow, fill);
            continue;
          }
          const T* row = src + iy * g.w + off;
          std::fill(dst, dst + x0, fill);
          if (g.sw == 1) {
            std::copy(row + x0, row + x1, dst + x0);
          } else {
            for (int64_t x = x0; x < x1; ++x) dst[x] = row[x * g.sw];
          }
          std::fill(dst + x1, dst + g.ow, fill);
        }
      }
    }
  });
}

template <class T>
void col2im(const Geom& g, const T* cols, T* image) {
  const int64_t plane_cols = g.kh * g.kw * g.oh * g.ow;
  over_planes(g, [&](int64_t plane) {
    T* dst = image + plane * g.h * g.w;
    const T* src = cols + plane * plane_cols;
    for (int64_t i = 0; i < g.kh; ++i) {
      for (int64_t j = 0; j < g.kw; ++j) {
        int64_t x0, x1;
        valid_x(g, j, &x0, &x1);
        const int64_t off = j * g.dw - g.pw;
        for (int64_t y = 0; y < g.oh; ++y, src += g.ow) {
          const int64_t iy = y * g.sh - g.ph + i * g.dh;
          if (iy < 0 || iy >= g.h) continue;
          T* row = dst + iy * g.w + off;
          if (g.sw == 1) {
            for (int64_t x = x0; x < x1; ++x) row[x] += src[x];
          } else {
            for (int64_t x = x0; x < x1; ++x) row[x * g.sw] += src[x];
          }
        }
      }
    }
  });
}

// Max pooling of one plane whose windows all lie inside the image (no padding reached): each output row is
// built kernel position by kernel position over the whole row, so the loop over x has no dependence between
// iterations (vectorized). The windows' elements are visited in the same row-by-row order as the general scan.
template <class T>
void max_pool_rows_inside(const Geom& G, const T* __restrict src, T* __restrict o, int32_t* __restrict at) {
  const int64_t w = G.w, ow = G.ow, sw = G.sw, dw = G.dw;
  for (int64_t y = 0; y < G.oh; ++y, o += ow, at += ow) {
    const int64_t top = y * G.sh;
    for (int64_t x = 0; x < ow; ++x) {
      o[x] = src[top * w + x * sw];
      at[x] = (int32_t)(top * w + x * sw);
    }
    for (int64_t i = 0; i < G.kh; ++i) {
      const int64_t iy = top + i * G.dh;
      for (int64_t j = i == 0 ? 1 : 0; j < G.kw; ++j) {
        const T* __restrict row = src + iy * w + j * dw;
        const int32_t base = (int32_t)(iy * w + j * dw);
        for (int64_t x = 0; x < ow; ++x) {
          const T v = row[x * sw];
          const bool take = (v > o[x]) | (v != v);
          o[x] = take ? v : o[x];
          at[x] = take ? base + (int32_t)(x * sw) : at[x];
        }
      }
    }
  }
}

template <class T>
void max_pool2d(const Geom& g, const T* image, T* out, int32_t* indices) {
  const int64_t plane_out = g.oh * g.ow;
  const bool inside = g.ph == 0 && g.pw == 0 && g.oh > 0 && g.ow > 0 && (g.oh - 1) * g.sh + (g.kh - 1) * g.dh < g.h &&
                      (g.ow - 1) * g.sw + (g.kw - 1) * g.dw < g.w;
  // Each output reads a whole window: count that as the plane's work for the task split.
  Geom work = g;
  work.oh = g.oh * g.kh;
  const Geom G = g;  // by value: the loops below then keep every size in registers
  if (inside) {
    over_planes(work, [&, G](int64_t plane) {
      max_pool_rows_inside(G, image + plane * G.h * G.w, out + plane * plane_out, indices + plane * plane_out);
    });
    return;
  }
  over_planes(work, [&, G](int64_t plane) {
    const int64_t h = G.h, w = G.w, oh = G.oh, ow = G.ow, sh = G.sh, sw = G.sw, ph = G.ph, pw = G.pw;
    const int64_t dh = G.dh, dw = G.dw, kh = G.kh, kw = G.kw;
    const T* src = image + plane * h * w;
    T* o = out + plane * plane_out;
    int32_t* ix_out = indices + plane * plane_out;
    for (int64_t y = 0; y < oh; ++y) {
      int64_t y0 = y * sh - ph;
      const int64_t y1 = std::min(y0 + (kh - 1) * dh + 1, h);
      while (y0 < 0) y0 += dh;
      for (int64_t x = 0; x < ow; ++x) {
        int64_t x0 = x * sw - pw;
        const int64_t x1 = std::min(x0 + (kw - 1) * dw + 1, w);
        while (x0 < 0) x0 += dw;
        T best = -std::numeric_limits<T>::infinity();
        int64_t at = y0 * w + x0;
        for (int64_t iy = y0; iy < y1; iy += dh) {
          const T* row = src + iy * w;
          for (int64_t ix = x0; ix < x1; ix += dw) {
            const T v = row[ix];
            // Branch-free select (random data would mispredict a branch half the time); v != v is NaN.
            const bool take = (v > best) | (v != v);
            best = take ? v : best;
            at = take ? iy * w + ix : at;
          }
        }
        o[y * ow + x] = best;
        ix_out[y * ow + x] = (int32_t)at;
      }
    }
  });
}

template <class T>
void max_pool2d_backward(int64_t planes, int64_t out_plane, int64_t in_plane, const T* g, const int32_t* indices,
                         T* g_in) {
  // Planes as over_planes splits them: a 1×1 "window" per output is the work of one element.
  Geom work{planes, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, out_plane};
  over_planes(work, [&](int64_t p) {
    const T* gp = g + p * out_plane;
    const int32_t* ip = indices + p * out_plane;
    T* dst = g_in + p * in_plane;
    for (int64_t k = 0; k < out_plane; ++k) dst[ip[k]] += gp[k];
  });
}

template void max_pool2d_backward<float>(int64_t, int64_t, int64_t, const float*, const int32_t*, float*);
template void max_pool2d_backward<double>(int64_t, int64_t, int64_t, const double*, const int32_t*, double*);
template void max_pool2d<float>(const Geom&, const float*, float*, int32_t*);
template void max_pool2d<double>(const Geom&, const double*, double*, int32_t*);
template void im2col<float>(const Geom&, const float*, float*, float);
template void im2col<double>(const Geom&, const double*, double*, double);
template void col2im<float>(const Geom&, const float*, float*);
template void col2im<double>(const Geom&, const double*, double*);

}  // namespace tg
