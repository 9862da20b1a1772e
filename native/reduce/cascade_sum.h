#pragma once
// The summation order of ATen's CPU sum kernel (cascade_sum / row_sum / multi_row_sum, AVX2 widths: 8
// floats or 4 doubles per vector, accumulation in the input's precision), as ts/backend/js/cascade-sum.ts
// reproduces it: float32 sums then print PyTorch's digits, and both backends agree bit for bit.
#include <cstdint>
#include <cstring>

namespace tg {
namespace cascade {

constexpr int kIlp = 4, kLevels = 4, kMaxLanes = 8;

inline int ceil_log2(int64_t n) {
  int r = 0;
  while (((int64_t)1 << r) < n) ++r;
  return r;
}

// Sums `size` steps of an nrows×lanes block (element (i, k, l) at x[i·step + k·row_gap + l]); the result
// is left in acc[0 .. nrows·lanes).
template <class T>
void multi_row_sum(const T* x, int64_t size, int64_t step, int nrows, int64_t row_gap, int lanes, T* acc) {
  const int p = ceil_log2(size) / kLevels;
  const int level_power = p > 4 ? p : 4;
  const int64_t level_step = (int64_t)1 << level_power, level_mask = level_step - 1;
  const int width = nrows * lanes;
  const bool cascades = size >= level_step;
  std::memset(acc, 0, sizeof(T) * (size_t)((cascades ? kLevels : 1) * width));
  auto add_block = [&](const T* base) {
    for (int k = 0, q = 0; k < nrows; ++k)
      for (int l = 0; l < lanes; ++l, ++q) acc[q] += base[k * row_gap + l];
  };
  int64_t i = 0;
  while (i + level_step <= size) {
    for (int64_t j = 0; j < level_step; ++j, ++i) add_block(x + i * step);
    for (int j = 1; j < kLevels; ++j) {
      for (int q = 0; q < width; ++q) {
        acc[j * width + q] += acc[(j - 1) * width + q];
        acc[(j - 1) * width + q] = 0;
      }
      if ((i & (level_mask << (j * level_power))) != 0) break;
    }
  }
  for (; i < size; ++i) add_block(x + i * step);
  if (cascades)
    for (int j = 1; j < kLevels; ++j)
      for (int q = 0; q < width; ++q) acc[q] += acc[j * width + q];
}

// `count` elements of `lanes` values (element e, lane l at x[e·gap + l]) split four ways; per-lane result
// in acc[0 .. lanes).
template <class T>
void row_sum(const T* x, int64_t count, int64_t gap, int lanes, T* acc) {
  const int64_t size = count / kIlp;
  multi_row_sum(x, size, kIlp * gap, kIlp, gap, lanes, acc);
  for (int64_t e = size * kIlp; e < count; ++e)
    for (int l = 0; l < lanes; ++l) acc[l] += x[e * gap + l];
  for (int k = 1; k < kIlp; ++k)
    for (int l = 0; l < lanes; ++l) acc[l] += acc[k * lanes + l];
}

// Σ x[0 .. n) in vectorized_inner_sum's order.
template <class T>
T inner_sum(const T* x, int64_t n) {
  T acc[kLevels * kIlp * kMaxLanes];
  const int lanes = sizeof(T) == 4 ? 8 : 4;
  if (n < lanes) {
    row_sum(x, n, 1, 1, acc);
    return acc[0];
  }
  const int64_t n_vec = n / lanes;
  row_sum(x, n_vec, lanes, lanes, acc);
  T total = 0;
  for (int64_t k = n_vec * lanes; k < n; ++k) total += x[k];
  for (int l = 0; l < lanes; ++l) total += acc[l];
  return total;
}

// out[c] = Σ_r x[r·stride + c] for c < cols, r < rows, in vectorized_outer_sum's order.
template <class T>
void column_sums(const T* x, int64_t rows, int64_t stride, int64_t cols, T* out) {
  T acc[kLevels * kIlp * kMaxLanes];
  const int full = sizeof(T) == 4 ? 8 : 4;
  const int lanes = cols >= full ? full : 1;
  const int group = kIlp * lanes;
  int64_t c = 0;
  for (; c + group <= cols; c += group) {
    multi_row_sum(x + c, rows, stride, kIlp, lanes, lanes, acc);
    for (int q = 0; q < group; ++q) out[c + q] = acc[q];
  }
  for (; c < cols; ++c) {
    row_sum(x + c, rows, stride, 1, acc);
    out[c] = acc[0];
  }
}

}  // namespace cascade
}  // namespace tg
