#pragma once
// Index kernels: indexSelect, indexAdd, gather, scatterAdd over strided views of float32, float64 or int32
// (validated arguments only: native/addon/bind_index.cc checks every size, stride, offset and index value
// before calling). They compute exactly what ts/backend/js/index-ops.ts computes; the accumulating kernels
// add into each output element in ascending order of the indexed position j, whatever the thread count, so
// the results are bit-identical to the TypeScript kernels.
#include <cstdint>

namespace tg {

// A strided operand: base pointer (of the whole buffer), element offset, one stride per dim.
struct IndexOperand {
  void* data;
  int64_t offset;
  const int64_t* strides;
};

// out (contiguous, shape x's with dims[dim] = n_index) = x[..., index[j], ...] along dim.
// `dtype` is a DTypeCode (common/dtype.h): kFloat32, kFloat64 or kInt32.
void index_select(int dtype, int ndim, const int64_t* x_shape, const IndexOperand& x, int dim, const int32_t* index,
                  int64_t n_index, void* out);

// out (contiguous, out_shape)[..., index[j], ...] += src[..., j, ...] along dim; src has out_shape with
// dims[dim] = n_index.
void index_add(int dtype, int ndim, const int64_t* out_shape, void* out, int dim, const int32_t* index,
               int64_t n_index, const IndexOperand& src);

// out[k] = x[i_0, ..., index[k], ..., i_n] for every multi-index k of out_shape (out and index contiguous of
// out_shape; out_shape[d] ≤ x's shape[d] for d ≠ dim).
void gather(int dtype, int ndim, const int64_t* out_shape, const IndexOperand& x, int dim, const int32_t* index,
            void* out);

// out (contiguous, out_shape)[i_0, ..., index[k], ..., i_n] += src[k] for every multi-index k of src_shape
// (index contiguous of src_shape; src_shape[d] ≤ out_shape[d] for d ≠ dim).
void scatter_add(int dtype, int ndim, const int64_t* src_shape, const IndexOperand& src, int dim,
                 const int32_t* index, const int64_t* out_shape, void* out);

// Work (elements moved) from which the kernels split over the thread pool: these kernels move memory at
// ~0.3–1 ns per element, so below ~64K elements waking a second thread on a busy 2-core machine costs about
// what it saves (measured: indexSelect 512×128 rows 1.4× faster on 2 threads, 256×128 1.1×).
constexpr int64_t kIndexParallelMin = 1 << 16;
// Shortest contiguous piece of a row one task takes when splitting along the dims after `dim`: shorter
// pieces lose the hardware prefetcher and share cache lines between threads.
constexpr int64_t kIndexMinChunk = 512;

}  // namespace tg
