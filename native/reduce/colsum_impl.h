// Column sums in ATen's order, one vector lane per column (see colsum.h). The including .cc defines TG_ISA
// (namespace name) and TG_VBYTES (vector width in bytes). Only adds, in the same order per column as
// cascade::column_sums, so no FP contraction or reassociation can change a result. Everything sits in a
// per-ISA namespace (ODR: no AVX-compiled inline function may be picked for baseline code).
#include <stdint.h>
#include <string.h>

#include "reduce/colsum.h"

namespace tg {
namespace TG_ISA {
namespace {

constexpr int kLevels = 4, kIlp = 4;

template <class V, class T>
inline V load(const T* p) {
  V v;
  memcpy(&v, p, sizeof v);
  return v;
}

template <class V, class T>
inline void store(T* p, V v) {
  memcpy(p, &v, sizeof v);
}

inline int ceil_log2(int64_t n) {
  int r = 0;
  while (((int64_t)1 << r) < n) ++r;
  return r;
}

// One cascade (multi_row_sum's per-lane order) over `size` steps of U vectors of W columns starting at x:
// lane sums of x[i·step + u·W + l]. The result is left in acc[0][u].
template <class T, class V, int U>
inline void cascade(const T* x, int64_t size, int64_t step, V (&acc)[kLevels][U]) {
  constexpr int W = sizeof(V) / sizeof(T);
  const int p = ceil_log2(size) / kLevels;
  const int level_power = p > 4 ? p : 4;
  const int64_t level_step = (int64_t)1 << level_power, level_mask = level_step - 1;
  for (int j = 0; j < kLevels; ++j)
    for (int u = 0; u < U; ++u) acc[j][u] = V{};
  int64_t i = 0;
  while (i + level_step <= size) {
    for (int64_t s = 0; s < level_step; ++s, ++i)
      for (int u = 0; u < U; ++u) acc[0][u] += load<V>(x + i * step + u * W);
    for (int j = 1; j < kLevels; ++j) {
      for (int u = 0; u < U; ++u) {
        acc[j][u] += acc[j - 1][u];
        acc[j - 1][u] = V{};
      }
      if ((i & (level_mask << (j * level_power))) != 0) break;
    }
  }
  for (; i < size; ++i)
    for (int u = 0; u < U; ++u) acc[0][u] += load<V>(x + i * step + u * W);
  if (size >= level_step)
    for (int j = 1; j < kLevels; ++j)
      for (int u = 0; u < U; ++u) acc[0][u] += acc[j][u];
}

// Columns inside column_sums' full groups: one cascade over all rows.
template <class T, class V, int U>
inline int64_t grouped(const T* x, int64_t rows, int64_t stride, int64_t c, int64_t end, T* out) {
  constexpr int W = sizeof(V) / sizeof(T);
  V acc[kLevels][U];
  for (; c + U * W <= end; c += U * W) {
    cascade<T, V, U>(x + c, rows, stride, acc);
    for (int u = 0; u < U; ++u) store(out + c + u * W, acc[0][u]);
  }
  return c;
}

// Columns past the last full group: row_sum's order (rows split four ways, the remainder onto the first).
template <class T, class V>
inline int64_t tail(const T* x, int64_t rows, int64_t stride, int64_t c, int64_t end, T* out) {
  constexpr int W = sizeof(V) / sizeof(T);
  const int64_t size = rows / kIlp;
  V acc[kIlp][kLevels][1];
  for (; c + W <= end; c += W) {
    for (int k = 0; k < kIlp; ++k) cascade<T, V, 1>(x + c + k * stride, size, kIlp * stride, acc[k]);
    V s = acc[0][0][0];
    for (int64_t e = size * kIlp; e < rows; ++e) s += load<V>(x + e * stride + c);
    for (int k = 1; k < kIlp; ++k) s += acc[k][0][0];
    store(out + c, s);
  }
  return c;
}

template <class T>
void column_sums(const T* x, int64_t rows, int64_t stride, int64_t cols, T* out) {
  typedef T V __attribute__((vector_size(TG_VBYTES)));
  const int64_t full = sizeof(T) == 4 ? 8 : 4;
  const int64_t group = kIlp * (cols >= full ? full : 1);
  const int64_t n_grouped = cols / group * group;
  int64_t c = grouped<T, V, 4>(x, rows, stride, 0, n_grouped, out);
  c = grouped<T, V, 1>(x, rows, stride, c, n_grouped, out);
  c = grouped<T, T, 1>(x, rows, stride, c, n_grouped, out);
  c = tail<T, V>(x, rows, stride, c, cols, out);
  tail<T, T>(x, rows, stride, c, cols, out);
}

void column_sums_f32(const float* x, int64_t rows, int64_t stride, int64_t cols, float* out) {
  column_sums(x, rows, stride, cols, out);
}

void column_sums_f64(const double* x, int64_t rows, int64_t stride, int64_t cols, double* out) {
  column_sums(x, rows, stride, cols, out);
}

}  // namespace

extern const ColumnSumKernels kColumnSumKernels = {column_sums_f32, column_sums_f64};

}  // namespace TG_ISA
}  // namespace tg
