#pragma once
// Reductions over strided views (validated arguments only: the addon checks bounds before calling).
#include <cstdint>

#include "elementwise/elementwise.h"

namespace tg {

// Reduces the last n_reduced dims of x into the contiguous out (x's dtype), one value per leading index.
void reduce_strided(int op, int ndim, const int64_t* shape, const Operand& x, int n_reduced, void* out);

// argmax (is_max) / argmin over the last dim (size ≥ 1); first occurrence, NaN counts as the extreme.
void arg_reduce_strided(bool is_max, int ndim, const int64_t* shape, const Operand& x, int32_t* indices,
                        void* values);

// softmax / log-softmax along the middle dim of a contiguous [outer, dim, inner] block; x, out pre-offset.
void softmax_block(DType dtype, const void* x, void* out, int64_t outer, int64_t dim, int64_t inner, bool log);

}  // namespace tg
