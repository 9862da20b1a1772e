#pragma once
// Batch normalization over a contiguous [n, c, hw] block (NCHW with the spatial dims flattened), one channel
// per task. Every sum runs in double, over the channel's elements in order (sample, then position) into four
// partial sums chosen by position % 4, combined as (s0 + s1) + (s2 + s3): ts/backend/js/batch-norm.ts does
// the same arithmetic, so both backends give the same bits whatever the thread count.
#include <cstdint>

namespace tg {

struct BnShape {
  int64_t n, c, hw;
};

// stats[ch] = the channel's mean, stats[c + ch] = its biased variance, in one pass of sums shifted by the
// channel's first element (which keeps the variance's cancellation small).
template <class T>
void batch_norm_stats(const BnShape& s, const T* x, double* stats);

// out = x·coef[ch] + coef[c + ch] (scale, shift), computed in double and rounded once.
template <class T>
void batch_norm_apply(const BnShape& s, const T* x, const double* coef, T* out);

// params = [mean | invstd | weight] (3c). Per channel: dparams[ch] = Σ g·(x − mean)·invstd (dweight),
// dparams[c + ch] = Σ g (dbias); dx (when not null) = a·g + b·(x − mean) + e with a = weight·invstd and, in
// training, b = −a·invstd²·Σg(x − mean)/M, e = −a·Σg/M (M = n·hw); in eval b = e = 0 (x is not read).
template <class T>
void batch_norm_backward(const BnShape& s, const T* g, const T* x, const double* params, bool training, T* dx,
                         double* dparams);

}  // namespace tg
