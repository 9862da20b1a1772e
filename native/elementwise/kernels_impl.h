// Contiguous elementwise and reduction kernels, compiled once per ISA level. The including .cc defines
// TG_ISA (namespace name) and TG_VBYTES (vector width in bytes). Everything here sits in a per-ISA
// namespace and uses no std:: templates, so no inline function compiled with AVX flags can be picked by
// the linker for baseline code (ODR). Transcendentals for float32 use GCC vector extensions, which
// compile to SSE2, AVX2 or AVX-512 code from the same source.
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "elementwise/kernels.h"
#include "elementwise/ops.h"

namespace tg {
namespace TG_ISA {
namespace {

#include "elementwise/vmath.h"
#include "elementwise/scalar_fns.h"

// From here to pop_options: no FMA contraction, so a·(1 − b·b) and friends round exactly like the
// TypeScript kernels. The float32 transcendentals above keep FMA (they are our own approximations anyway).
#pragma GCC push_options
#pragma GCC optimize("fp-contract=off")

template <class T, class F>
inline void map(const T* x, T* out, int64_t n, F f) {
  for (int64_t i = 0; i < n; ++i) out[i] = f(x[i]);
}

// Ops of one input shared by both float types, from the op table (ops.gen.h).
template <class T>
void unary_common(int op, const T* x_, T* out, int64_t n, double p0, double p1) {
  if (op == kCopy) {
    if (x_ != out) memmove(out, x_, (size_t)n * sizeof(T));
    return;
  }
  switch (op) {
#define TG_CASE(code, expr) \
  case code: map(x_, out, n, [=](T x) { (void)p0; (void)p1; return (T)(expr); }); break;
    TG_UNARY_OPS(TG_CASE)
#undef TG_CASE
    default: break;
  }
}

// out[i] = f(a[i·sa], b[i·sb]); the three stride patterns get their own loops so each vectorises.
template <class T, class U, class F>
inline void zip(const T* a, int64_t sa, const T* b, int64_t sb, U* out, int64_t n, F f) {
  if (sa == 1 && sb == 1) {
    for (int64_t i = 0; i < n; ++i) out[i] = f(a[i], b[i]);
  } else if (sa == 1) {
    const T bv = b[0];
    for (int64_t i = 0; i < n; ++i) out[i] = f(a[i], bv);
  } else if (sb == 1) {
    const T av = a[0];
    for (int64_t i = 0; i < n; ++i) out[i] = f(av, b[i]);
  } else {
    const U v = f(a[0], b[0]);
    for (int64_t i = 0; i < n; ++i) out[i] = v;
  }
}

template <class T>
void binary_t(int op, const T* a_, int64_t sa, const T* b_, int64_t sb, T* out, int64_t n, double p0) {
  switch (op) {
#define TG_CASE(code, expr) \
  case code: zip(a_, sa, b_, sb, out, n, [=](T a, T b) { (void)p0; return (T)(expr); }); break;
    TG_BINARY_OPS(TG_CASE)
#undef TG_CASE
    default: break;
  }
}

template <class T>
void compare_t(int op, const T* a_, int64_t sa, const T* b_, int64_t sb, uint8_t* out, int64_t n) {
  switch (op) {
#define TG_CASE(code, expr) \
  case code: zip(a_, sa, b_, sb, out, n, [](T a, T b) { return (uint8_t)(expr); }); break;
    TG_COMPARE_OPS(TG_CASE)
#undef TG_CASE
    default: break;
  }
}

// Sums accumulate in double over several vector accumulators (accuracy, and no FP reassociation needed).
double sum_f32(const float* x, int64_t n) {
  vd2 acc0 = {}, acc1 = {};
  int64_t i = 0;
  for (; i + 2 * kVF <= n; i += 2 * kVF) {
    acc0 += __builtin_convertvector(load(x + i), vd2);
    acc1 += __builtin_convertvector(load(x + i + kVF), vd2);
  }
  acc0 += acc1;
  double s = 0;
  for (int j = 0; j < kVF; ++j) s += acc0[j];
  for (; i < n; ++i) s += x[i];
  return s;
}

double sum_f64(const double* x, int64_t n) {
  vd acc0 = {}, acc1 = {}, acc2 = {}, acc3 = {};
  int64_t i = 0;
  for (; i + 4 * kVD <= n; i += 4 * kVD) {
    vd v0, v1, v2, v3;
    memcpy(&v0, x + i, sizeof v0);
    memcpy(&v1, x + i + kVD, sizeof v1);
    memcpy(&v2, x + i + 2 * kVD, sizeof v2);
    memcpy(&v3, x + i + 3 * kVD, sizeof v3);
    acc0 += v0; acc1 += v1; acc2 += v2; acc3 += v3;
  }
  acc0 += acc1 + acc2 + acc3;
  double s = 0;
  for (int j = 0; j < kVD; ++j) s += acc0[j];
  for (; i < n; ++i) s += x[i];
  return s;
}

// max (kMax) or min over n ≥ 1 elements; any NaN makes the result NaN.
template <bool kIsMax>
double extreme_f32(const float* x, int64_t n) {
  int64_t i = 0;
  float best = x[0];
  bool nan = false;
  if (n >= kVF) {
    vf m = load(x);
    vi bad = vi{};
    for (; i + kVF <= n; i += kVF) {
      vf v = load(x + i);
      bad |= (v != v);
      m = kIsMax ? (v > m ? v : m) : (v < m ? v : m);
    }
    for (int j = 0; j < kVF; ++j) {
      nan |= bad[j] != 0;
      if (kIsMax ? m[j] > best : m[j] < best) best = m[j];
    }
  }
  for (; i < n; ++i) {
    nan |= x[i] != x[i];
    if (kIsMax ? x[i] > best : x[i] < best) best = x[i];
  }
  return nan ? (double)NAN : (double)best;
}

template <bool kIsMax>
double extreme_f64(const double* x, int64_t n) {
  double best = x[0];
  bool nan = false;
  for (int64_t i = 0; i < n; ++i) {
    nan |= x[i] != x[i];
    best = kIsMax ? (x[i] > best ? x[i] : best) : (x[i] < best ? x[i] : best);
  }
  return nan ? (double)NAN : best;
}

#pragma GCC pop_options

void unary_f32(int op, const float* x, float* out, int64_t n, double p0, double p1) {
  switch (op) {
#define TG_CASE(code, fn) \
  case code: map_vf(x, out, n, fn); return;
    TG_UNARY_VEC_F32(TG_CASE)
#undef TG_CASE
    default: unary_common<float>(op, x, out, n, p0, p1);
  }
}

void binary_f32(int op, const float* a, int64_t sa, const float* b, int64_t sb, float* out, int64_t n, double p0) {
  switch (op) {
#define TG_CASE(code, fn) \
  case code: zip_vf(a, sa, b, sb, out, n, fn); return;
    TG_BINARY_VEC_F32(TG_CASE)
#undef TG_CASE
    default: binary_t<float>(op, a, sa, b, sb, out, n, p0);
  }
}

void unary_f64(int op, const double* x, double* out, int64_t n, double p0, double p1) {
  unary_common<double>(op, x, out, n, p0, p1);
}

}  // namespace

extern const ElementwiseKernels kElementwiseKernels;
const ElementwiseKernels kElementwiseKernels = {
    unary_f32,           unary_f64,           binary_f32,          binary_t<double>,
    compare_t<float>,    compare_t<double>,   sum_f32,             sum_f64,
    extreme_f32<true>,   extreme_f64<true>,   extreme_f32<false>,  extreme_f64<false>,
};

}  // namespace TG_ISA
}  // namespace tg
