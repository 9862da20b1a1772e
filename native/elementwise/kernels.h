#pragma once
// Contiguous inner-loop kernels, compiled once per ISA level (kernels_{baseline,avx2,avx512}.cc from
// kernels_impl.h) and picked at load time. Strided iteration lives in elementwise.cc, not here.
#include <cstdint>

namespace tg {

struct ElementwiseKernels {
  // out[i] = op(x[i]) for i < n; x and out contiguous (may alias exactly).
  void (*unary_f32)(int op, const float* x, float* out, int64_t n, double p0, double p1);
  void (*unary_f64)(int op, const double* x, double* out, int64_t n, double p0, double p1);
  // out[i] = op(a[i·sa], b[i·sb]) with sa, sb ∈ {0, 1}; out contiguous. Comparisons use *_cmp.
  void (*binary_f32)(int op, const float* a, int64_t sa, const float* b, int64_t sb, float* out, int64_t n, double p0);
  void (*binary_f64)(int op, const double* a, int64_t sa, const double* b, int64_t sb, double* out, int64_t n, double p0);
  void (*compare_f32)(int op, const float* a, int64_t sa, const float* b, int64_t sb, uint8_t* out, int64_t n);
  void (*compare_f64)(int op, const double* a, int64_t sa, const double* b, int64_t sb, uint8_t* out, int64_t n);
  // Contiguous reductions of n elements; sums accumulate in double. max/min return NaN if any is NaN.
  double (*sum_f32)(const float* x, int64_t n);
  double (*sum_f64)(const double* x, int64_t n);
  double (*max_f32)(const float* x, int64_t n);
  double (*max_f64)(const double* x, int64_t n);
  double (*min_f32)(const float* x, int64_t n);
  double (*min_f64)(const double* x, int64_t n);
};

namespace baseline { extern const ElementwiseKernels kElementwiseKernels; }
namespace avx2 { extern const ElementwiseKernels kElementwiseKernels; }
namespace avx512 { extern const ElementwiseKernels kElementwiseKernels; }

// The table for cpu_level(), chosen once.
const ElementwiseKernels& elementwise_kernels();

}  // namespace tg
