#include "reduce/reduce.h"

#include <cmath>

#include "common/thread_pool.h"
#include "elementwise/kernels.h"
#include "elementwise/ops.h"
#include "elementwise/parallel.h"
#include "reduce/cascade_sum.h"
#include "reduce/colsum.h"

namespace tg {
namespace {

constexpr int64_t kChunk = 1 << 16;  // partial-sum chunk of one long reduction: fixed, so results don't
                                     // depend on the thread count

double identity(int op) {
  switch (op) {
    case kSum: return 0.0;
    case kProd: return 1.0;
    case kMax: return -INFINITY;
    default: return INFINITY;
  }
}

inline double combine(int op, double a, double b) {
  switch (op) {
    case kSum: return a + b;
    case kProd: return a * b;
    case kMax: return a != a ? a : (b != b ? b : (b > a ? b : a));
    default: return a != a ? a : (b != b ? b : (b < a ? b : a));
  }
}

template <class T>
double reduce_run(int op, const ElementwiseKernels& k, const T* p, int64_t stride, int64_t n) {
  if (stride == 1) {
    constexpr bool f32 = sizeof(T) == 4;
    const float* pf = reinterpret_cast<const float*>(p);
    const double* pd = reinterpret_cast<const double*>(p);
    switch (op) {
      case kSum: return f32 ? k.sum_f32(pf, n) : k.sum_f64(pd, n);
      case kMax: return f32 ? k.max_f32(pf, n) : k.max_f64(pd, n);
      case kMin: return f32 ? k.min_f32(pf, n) : k.min_f64(pd, n);
      default: break;
    }
  }
  double acc = identity(op);
  for (int64_t i = 0; i < n; ++i) acc = combine(op, acc, (double)p[i * stride]);
  return acc;
}

// Reduces linear range [b, e) of the reduced loop starting at x.
template <class T>
double reduce_range(int op, const ElementwiseKernels& k, const Loop& red, const T* x, int64_t b, int64_t e) {
  double acc = identity(op);
  const int64_t s = red.strides[0][red.ndim - 1];
  for_each_run(red, b, e, [&](const int64_t* off, int64_t count) {
    acc = combine(op, acc, reduce_run(op, k, x + off[0], s, count));
  });
  return acc;
}

template <class T>
void reduce_typed(int op, const Loop& outer, const Loop& red, const T* x, T* out) {
  const ElementwiseKernels& k = elementwise_kernels();
  const int64_t n_out = outer.numel(), n_red = red.numel();
  if (n_out == 0) return;
  if (n_red == 0) {
    const T v = (op == kSum || op == kProd) ? (T)identity(op) : (T)NAN;
    for (int64_t i = 0; i < n_out; ++i) out[i] = v;
    return;
  }
  const int64_t so = outer.strides[0][outer.ndim - 1], sr = red.strides[0][red.ndim - 1];
  const int64_t row = outer.shape[outer.ndim - 1];
  const bool long_parallel = n_out < get_num_threads() * 2 && n_red >= 2 * kChunk && get_num_threads() > 1;
  // Sums in ATen's order where the TypeScript backend uses it (contiguous rows; column sums of one strided
  // reduced dim), so float32 results are bit-identical to it and to PyTorch. Long sums on several
  // threads take the chunked double path below instead.
  if (op == kSum && red.ndim == 1 && sr == 1 && n_red > 1 && !(so == 0 && row > 1) && !long_parallel) {
    parallel_range(n_out, kGrainCheap / n_red + 1, [&](int64_t b, int64_t e) {
      int64_t o = b;
      for_each_run(outer, b, e, [&](const int64_t* off, int64_t count) {
        for (int64_t i = 0; i < count; ++i, ++o) out[o] = cascade::inner_sum(x + off[0] + i * so, n_red);
      });
    });
    return;
  }
  if (op == kSum && red.ndim == 1 && (sr > 1 || sr < -1) && so == 1 && row > 1) {
    parallel_range(n_out / row, kGrainCheap / (n_red * row) + 1, [&](int64_t b, int64_t e) {
      for (int64_t r = b; r < e; ++r) {
        int64_t base = 0;
        for_each_run(outer, r * row, r * row + 1, [&](const int64_t* off, int64_t) { base = off[0]; });
        if (sizeof(T) == 4)
          column_sum_kernels().f32(reinterpret_cast<const float*>(x + base), n_red, sr, row,
                                   reinterpret_cast<float*>(out + r * row));
        else
          column_sum_kernels().f64(reinterpret_cast<const double*>(x + base), n_red, sr, row,
                                   reinterpret_cast<double*>(out + r * row));
      }
    });
    return;
  }
  // Reduced dims strided but leading dims contiguous (e.g. sum over dim 0 of a matrix): accumulate whole
  // rows of outputs, so the inner loop runs along contiguous memory.
  if (sr != 1 && so == 1 && row >= 16) {
    constexpr int64_t kCols = 256;
    const int64_t blocks_per_row = (row + kCols - 1) / kCols, n_blocks = (n_out / row) * blocks_per_row;
    const int64_t grain = kGrainCheap / (n_red * kCols) + 1;
    parallel_range(n_blocks, grain, [&](int64_t b, int64_t e) {
      double acc[kCols];
      for (int64_t blk = b; blk < e; ++blk) {
        const int64_t r = blk / blocks_per_row, c0 = (blk % blocks_per_row) * kCols;
        const int64_t cols = row - c0 < kCols ? row - c0 : kCols;
        int64_t base = 0;
        for_each_run(outer, r * row + c0, r * row + c0 + 1, [&](const int64_t* off, int64_t) { base = off[0]; });
        for (int64_t j = 0; j < cols; ++j) acc[j] = identity(op);
        for_each_run(red, 0, n_red, [&](const int64_t* off, int64_t count) {
          for (int64_t i = 0; i < count; ++i) {
            const T* p = x + base + off[0] + i * sr;
            switch (op) {
              case kSum: for (int64_t j = 0; j < cols; ++j) acc[j] += (double)p[j]; break;
              case kProd: for (int64_t j = 0; j < cols; ++j) acc[j] *= (double)p[j]; break;
              case kMax:
                for (int64_t j = 0; j < cols; ++j) {
                  const double v = p[j];
                  acc[j] = (v > acc[j] || v != v) ? v : acc[j];
                }
                break;
              default:
                for (int64_t j = 0; j < cols; ++j) {
                  const double v = p[j];
                  acc[j] = (v < acc[j] || v != v) ? v : acc[j];
                }
            }
          }
        });
        for (int64_t j = 0; j < cols; ++j) out[r * row + c0 + j] = (T)acc[j];
      }
    });
    return;
  }
  // Few outputs, long reductions: split each reduction into fixed chunks and combine the partials. The
  // partials of a wave of chunks go to the stack and fold into their output in chunk order (the same result
  // as one pass over all of them): a heap buffer here could fail, and no exception may leave the addon.
  if (long_parallel) {
    constexpr int64_t kWave = 256;
    double part[kWave];
    const int64_t chunks = (n_red + kChunk - 1) / kChunk, total = n_out * chunks;
    double acc = identity(op);
    for (int64_t w0 = 0; w0 < total; w0 += kWave) {
      const int64_t w1 = total - w0 < kWave ? total : w0 + kWave;
      parallel_range(w1 - w0, 1, [&](int64_t b, int64_t e) {
        for (int64_t i = b; i < e; ++i) {
          const int64_t t = w0 + i, o = t / chunks, c = t % chunks;
          int64_t base = 0;
          for_each_run(outer, o, o + 1, [&](const int64_t* off, int64_t) { base = off[0]; });
          const int64_t rb = c * kChunk, re = rb + kChunk < n_red ? rb + kChunk : n_red;
          part[i] = reduce_range(op, k, red, x + base, rb, re);
        }
      });
      for (int64_t t = w0; t < w1; ++t) {
        const int64_t c = t % chunks;
        if (c == 0) acc = identity(op);
        acc = combine(op, acc, part[t - w0]);
        if (c == chunks - 1) out[t / chunks] = (T)acc;
      }
    }
    return;
  }
  parallel_range(n_out, kGrainCheap / n_red + 1, [&](int64_t b, int64_t e) {
    int64_t o = b;
    for_each_run(outer, b, e, [&](const int64_t* off, int64_t count) {
      for (int64_t i = 0; i < count; ++i, ++o) out[o] = (T)reduce_range(op, k, red, x + off[0] + i * so, 0, n_red);
    });
  });
}

// Splits x's dims into the leading (kept) loop and the reduced loop, each coalesced on its own.
void split_loops(int ndim, const int64_t* shape, const Operand& x, int n_reduced, Loop& outer, Loop& red) {
  outer.nops = red.nops = 1;
  outer.ndim = ndim - n_reduced;
  red.ndim = n_reduced;
  for (int d = 0; d < outer.ndim; ++d) outer.shape[d] = shape[d], outer.strides[0][d] = x.strides[d];
  for (int d = 0; d < red.ndim; ++d)
    red.shape[d] = shape[outer.ndim + d], red.strides[0][d] = x.strides[outer.ndim + d];
  coalesce(outer);
  coalesce(red);
}

template <class T>
void arg_typed(bool is_max, const Loop& outer, int64_t len, int64_t stride, const T* x, int32_t* idx, T* values) {
  const int64_t n_out = outer.numel();
  const int64_t so = outer.strides[0][outer.ndim - 1];
  parallel_range(n_out, kGrainCheap / (len + 1) + 1, [&](int64_t b, int64_t e) {
    int64_t o = b;
    for_each_run(outer, b, e, [&](const int64_t* off, int64_t count) {
      for (int64_t i = 0; i < count; ++i, ++o) {
        const T* p = x + off[0] + i * so;
        int64_t bi = 0;
        T best = len > 0 ? p[0] : (T)NAN;
        for (int64_t j = 1; j < len && best == best; ++j) {
          const T v = p[j * stride];
          if (v != v || (is_max ? v > best : v < best)) best = v, bi = j;
        }
        idx[o] = (int32_t)bi;
        if (values) values[o] = best;
      }
    });
  });
}

// Subtracts the max, exponentiates (through the ISA kernel) and normalises. Reads x before writing the same
// positions of out, so x == out works. Columns are processed in blocks of kCols along the inner dim.
template <class T>
void softmax_typed(const T* x, T* out, int64_t outer, int64_t dim, int64_t inner, bool log,
                   void (*expk)(int, const T*, T*, int64_t, double, double)) {
  constexpr int64_t kCols = 256;
  if (inner == 1) {
    const ElementwiseKernels& k = elementwise_kernels();
    parallel_range(outer, kGrainCostly / dim + 1, [&](int64_t b, int64_t e) {
      T tmp[kCols];
      for (int64_t o = b; o < e; ++o) {
        const T* xr = x + o * dim;
        T* row = out + o * dim;
        const double m = sizeof(T) == 4 ? k.max_f32(reinterpret_cast<const float*>(xr), dim)
                                        : k.max_f64(reinterpret_cast<const double*>(xr), dim);
        double s = 0;
        for (int64_t j0 = 0; j0 < dim; j0 += kCols) {
          const int64_t w = dim - j0 < kCols ? dim - j0 : kCols;
          T* dst = log ? tmp : row + j0;
          for (int64_t j = 0; j < w; ++j) {
            const T d = (T)((double)xr[j0 + j] - m);
            if (log) row[j0 + j] = d;
            dst[j] = d;
          }
          expk(kExp, dst, dst, w, 0, 0);
          for (int64_t j = 0; j < w; ++j) s += dst[j];
        }
        const double f = log ? std::log(s) : 1.0 / s;
        for (int64_t j = 0; j < dim; ++j) row[j] = log ? (T)(row[j] - f) : (T)(row[j] * f);
      }
    });
    return;
  }
  const int64_t blocks = (inner + kCols - 1) / kCols;
  parallel_range(outer * blocks, kGrainCostly / (dim * (inner < kCols ? inner : kCols)) + 1,
                 [&](int64_t b, int64_t e) {
    double m[kCols], s[kCols];
    T tmp[kCols];
    for (int64_t t = b; t < e; ++t) {
      const int64_t o = t / blocks, i0 = (t % blocks) * kCols;
      const int64_t w = inner - i0 < kCols ? inner - i0 : kCols;
      const T* xb = x + o * dim * inner + i0;
      T* ob = out + o * dim * inner + i0;
      for (int64_t i = 0; i < w; ++i) m[i] = -INFINITY, s[i] = 0;
      for (int64_t j = 0; j < dim; ++j)
        for (int64_t i = 0; i < w; ++i) {
          const double v = xb[j * inner + i];
          m[i] = (v > m[i] || v != v) ? v : m[i];
        }
      for (int64_t j = 0; j < dim; ++j) {
        T* row = ob + j * inner;
        const T* xr = xb + j * inner;
        T* dst = log ? tmp : row;
        for (int64_t i = 0; i < w; ++i) {
          const T d = (T)((double)xr[i] - m[i]);
          if (log) row[i] = d;
          dst[i] = d;
        }
        expk(kExp, dst, dst, w, 0, 0);
        for (int64_t i = 0; i < w; ++i) s[i] += dst[i];
      }
      for (int64_t i = 0; i < w; ++i) s[i] = log ? std::log(s[i]) : 1.0 / s[i];
      for (int64_t j = 0; j < dim; ++j) {
        T* row = ob + j * inner;
        for (int64_t i = 0; i < w; ++i) row[i] = log ? (T)(row[i] - s[i]) : (T)(row[i] * s[i]);
      }
    }
  });
}

}  // namespace

void reduce_strided(int op, int ndim, const int64_t* shape, const Operand& x, int n_reduced, void* out) {
  Loop outer, red;
  split_loops(ndim, shape, x, n_reduced, outer, red);
  if (x.dtype == DType::F32) {
    reduce_typed(op, outer, red, static_cast<const float*>(x.data) + x.offset, static_cast<float*>(out));
  } else {
    reduce_typed(op, outer, red, static_cast<const double*>(x.data) + x.offset, static_cast<double*>(out));
  }
}

void arg_reduce_strided(bool is_max, int ndim, const int64_t* shape, const Operand& x, int32_t* indices,
                        void* values) {
  Loop outer;
  outer.nops = 1;
  outer.ndim = ndim - 1;
  for (int d = 0; d < ndim - 1; ++d) outer.shape[d] = shape[d], outer.strides[0][d] = x.strides[d];
  coalesce(outer);
  const int64_t len = shape[ndim - 1], stride = x.strides[ndim - 1];
  if (x.dtype == DType::F32) {
    arg_typed(is_max, outer, len, stride, static_cast<const float*>(x.data) + x.offset, indices,
              static_cast<float*>(values));
  } else {
    arg_typed(is_max, outer, len, stride, static_cast<const double*>(x.data) + x.offset, indices,
              static_cast<double*>(values));
  }
}

void softmax_block(DType dtype, const void* x, void* out, int64_t outer, int64_t dim, int64_t inner, bool log) {
  if (outer == 0 || dim == 0 || inner == 0) return;
  const ElementwiseKernels& k = elementwise_kernels();
  if (dtype == DType::F32) {
    softmax_typed(static_cast<const float*>(x), static_cast<float*>(out), outer, dim, inner, log, k.unary_f32);
  } else {
    softmax_typed(static_cast<const double*>(x), static_cast<double*>(out), outer, dim, inner, log, k.unary_f64);
  }
}

}  // namespace tg
