// These kernels must give the TypeScript kernels' bits: no fused multiply-add contraction (GCC contracts a*b+c
// by default where the target has FMA, e.g. on arm64), whatever the flags.
#pragma GCC optimize("fp-contract=off")

// Softmax over rows with an additive float mask fused in (the scores of attention plus its mask), and
// softmax's backward over rows. Per row, while it is in cache: add the mask row (r mod mask_rows), then the
// unmasked kernel's steps (NaN-propagating max, exp of x − max by the vectorised exp, sum, scale), so the
// values are those of an add followed by torch.softmax here.
#include <cmath>

#include "common/thread_pool.h"
#include "elementwise/kernels.h"
#include "elementwise/ops.h"
#include "elementwise/parallel.h"
#include "sequence/sequence.h"

namespace tg {
namespace {

template <class T>
void masked_softmax_typed(const T* x, int64_t rows, int64_t cols, const T* mask, int64_t mask_rows, T* out,
                          void (*expk)(int, const T*, T*, int64_t, double, double), double (*maxk)(const T*, int64_t)) {
  parallel_range(rows, kGrainCostly / (cols + 1) + 1, [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      const T* xr = x + r * cols;
      T* row = out + r * cols;
      if (mask != nullptr) {
        const T* mr = mask + (r % mask_rows) * cols;
        for (int64_t j = 0; j < cols; ++j) row[j] = (T)((double)xr[j] + (double)mr[j]);
      } else {
        for (int64_t j = 0; j < cols; ++j) row[j] = xr[j];
      }
      const double m = maxk(row, cols);
      for (int64_t j = 0; j < cols; ++j) row[j] = (T)((double)row[j] - m);
      expk(kExp, row, row, cols, 0, 0);
      double s = 0;
      for (int64_t j = 0; j < cols; ++j) s += row[j];
      const double f = 1.0 / s;
      for (int64_t j = 0; j < cols; ++j) row[j] = (T)(row[j] * f);
    }
  });
}

}  // namespace

template <class T>
void masked_softmax(const T* x, int64_t rows, int64_t cols, const T* mask, int64_t mask_rows, T* out) {
  if (rows == 0 || cols == 0) return;
  const ElementwiseKernels& k = elementwise_kernels();
  if constexpr (sizeof(T) == 4) {
    masked_softmax_typed<float>(x, rows, cols, mask, mask_rows, out, k.unary_f32, k.max_f32);
  } else {
    masked_softmax_typed<double>(x, rows, cols, mask, mask_rows, out, k.unary_f64, k.max_f64);
  }
}

template <class T>
void softmax_backward(const T* y, const T* g, int64_t rows, int64_t cols, T* dx) {
  parallel_range(rows, kGrainCheap / (2 * cols + 1) + 1, [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      const T* yr = y + r * cols;
      const T* gr = g + r * cols;
      T* dr = dx + r * cols;
      double s = 0;
      for (int64_t j = 0; j < cols; ++j) s += (double)gr[j] * (double)yr[j];
      for (int64_t j = 0; j < cols; ++j) dr[j] = (T)((double)yr[j] * ((double)gr[j] - s));
    }
  });
}

template void masked_softmax<float>(const float*, int64_t, int64_t, const float*, int64_t, float*);
template void masked_softmax<double>(const double*, int64_t, int64_t, const double*, int64_t, double*);
template void softmax_backward<float>(const float*, const float*, int64_t, int64_t, float*);
template void softmax_backward<double>(const double*, const double*, int64_t, int64_t, double*);

}  // namespace tg
