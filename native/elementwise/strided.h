#pragma once
// N-d strided iteration shared by the elementwise and where/fill drivers: shapes with per-operand element
// strides are coalesced (size-1 dims dropped, mergeable neighbours merged) and a linear range of the
// iteration space is walked as runs along the innermost dim.
#include <cstdint>

namespace tg {

constexpr int kMaxDims = 16;
constexpr int kMaxOperands = 4;

struct Loop {
  int ndim = 0;
  int nops = 0;
  int64_t shape[kMaxDims] = {};
  int64_t strides[kMaxOperands][kMaxDims] = {};
  int64_t numel() const {
    int64_t n = 1;
    for (int d = 0; d < ndim; ++d) n *= shape[d];
    return n;
  }
};

// Drops size-1 dims and merges dim d into d+1 when every operand is contiguous across the pair.
inline void coalesce(Loop& l) {
  int out = 0;
  for (int d = 0; d < l.ndim; ++d) {
    if (l.shape[d] == 1) continue;
    if (out > 0) {
      bool merge = true;
      for (int o = 0; o < l.nops; ++o)
        merge = merge && l.strides[o][out - 1] == l.strides[o][d] * l.shape[d];
      if (merge) {
        l.shape[out - 1] *= l.shape[d];
        for (int o = 0; o < l.nops; ++o) l.strides[o][out - 1] = l.strides[o][d];
        continue;
      }
    }
    l.shape[out] = l.shape[d];
    for (int o = 0; o < l.nops; ++o) l.strides[o][out] = l.strides[o][d];
    ++out;
  }
  if (out == 0) {  // a scalar: one run of length 1
    l.shape[0] = 1;
    for (int o = 0; o < l.nops; ++o) l.strides[o][0] = 0;
    out = 1;
  }
  l.ndim = out;
}

// Calls run(offsets, count) for the runs covering linear indices [begin, end) of the iteration space;
// offsets[o] is operand o's element offset of the run's first element (relative to its base).
template <class F>
void for_each_run(const Loop& l, int64_t begin, int64_t end, F&& run) {
  if (begin >= end) return;  // also keeps a zero-size dim from reaching the divisions below
  const int last = l.ndim - 1;
  int64_t idx[kMaxDims];
  int64_t off[kMaxOperands] = {};
  int64_t rem = begin;
  for (int d = last; d >= 0; --d) {
    idx[d] = rem % l.shape[d];
    rem /= l.shape[d];
    for (int o = 0; o < l.nops; ++o) off[o] += idx[d] * l.strides[o][d];
  }
  int64_t pos = begin;
  while (pos < end) {
    int64_t count = l.shape[last] - idx[last];
    if (count > end - pos) count = end - pos;
    run(off, count);
    pos += count;
    if (pos >= end) break;
    // advance the multi-index by count (the run ended at the end of the innermost dim)
    for (int o = 0; o < l.nops; ++o) off[o] += count * l.strides[o][last];
    idx[last] += count;
    for (int d = last; d > 0 && idx[d] == l.shape[d]; --d) {
      for (int o = 0; o < l.nops; ++o) off[o] += l.strides[o][d - 1] - l.shape[d] * l.strides[o][d];
      idx[d] = 0;
      ++idx[d - 1];
    }
  }
}

}  // namespace tg
