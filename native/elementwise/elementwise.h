#pragma once
// Strided elementwise drivers (validated arguments only: the addon checks bounds before calling).
#include <cstdint>

#include "elementwise/strided.h"

namespace tg {

enum class DType { F32, F64, U8, I32 };

// One operand: base pointer of its buffer plus element offset and strides (ndim of the call).
struct Operand {
  void* data;
  DType dtype;
  int64_t offset;
  const int64_t* strides;
};

// out = op(x); x and out of one float dtype, or op = copy between float32 and float64.
void unary_strided(int op, int ndim, const int64_t* shape, const Operand& x, const Operand& out, double p0, double p1);
// out = op(a, b); a, b one float dtype; out that dtype, or uint8 for comparisons.
void binary_strided(int op, int ndim, const int64_t* shape, const Operand& a, const Operand& b, const Operand& out,
                    double p0);
// out = cond ? a : b; cond uint8, a, b, out one float dtype.
void where_strided(int ndim, const int64_t* shape, const Operand& cond, const Operand& a, const Operand& b,
                   const Operand& out);
// out = value; out float32 or float64.
void fill_strided(int ndim, const int64_t* shape, const Operand& out, double value);

}  // namespace tg
