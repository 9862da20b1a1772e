#pragma once
// Column sums in ATen's summation order (cascade_sum.h's column_sums), vectorised across columns: each
// column is summed independently, so a vector lane per column keeps every column's order (and its float
// rounding) exactly as the scalar code. Compiled once per ISA level (colsum_{baseline,avx2,avx512}.cc).
#include <cstdint>

namespace tg {

struct ColumnSumKernels {
  // out[c] = Σ_r x[r·stride + c] for c < cols, r < rows; bit-identical to cascade::column_sums.
  void (*f32)(const float* x, int64_t rows, int64_t stride, int64_t cols, float* out);
  void (*f64)(const double* x, int64_t rows, int64_t stride, int64_t cols, double* out);
};

namespace baseline { extern const ColumnSumKernels kColumnSumKernels; }
namespace avx2 { extern const ColumnSumKernels kColumnSumKernels; }
namespace avx512 { extern const ColumnSumKernels kColumnSumKernels; }

// The table for cpu_level(), chosen once.
const ColumnSumKernels& column_sum_kernels();

}  // namespace tg
