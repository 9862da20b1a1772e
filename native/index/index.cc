#include "index/index.h"

#include <algorithm>
#include <cstring>

#include "common/dtype.h"
#include "common/thread_pool.h"
#include "elementwise/strided.h"

namespace tg {
namespace {

// Every kernel walks the iteration space [A..., J, B...] (A = the dims before `dim`, J = dim, B = the dims
// after it) with three operands: the written one, the read one and the index array. One of the first two
// is addressed along dim by the index value instead of by j: the read one for indexSelect/gather, the
// written one (which accumulates) for indexAdd/scatterAdd.
enum { kDst = 0, kSrc = 1, kIdx = 2 };

struct Plan {
  Loop a, b;  // A and B, coalesced; operands kDst, kSrc, kIdx
  int64_t na = 1, nj = 0, nb = 1;
  int64_t base[3] = {};
  int64_t js[3] = {};  // strides along J (0 for the indexed operand)
  int64_t step = 0;    // the indexed operand's stride per index value
  bool per_row = false;  // the index is constant along B (indexSelect/indexAdd): read once per (a, j)
};

Plan make_plan(int ndim, const int64_t* shape, int dim, const int64_t* const strides[3], const int64_t base[3],
               int indexed, int64_t step) {
  Plan p;
  p.a.nops = p.b.nops = 3;
  p.a.ndim = dim;
  p.b.ndim = ndim - dim - 1;
  for (int d = 0; d < ndim; ++d) {
    if (d == dim) continue;
    Loop& l = d < dim ? p.a : p.b;
    const int k = d < dim ? d : d - dim - 1;
    l.shape[k] = shape[d];
    for (int o = 0; o < 3; ++o) l.strides[o][k] = strides[o][d];
  }
  p.na = p.a.numel();
  p.nb = p.b.numel();
  p.nj = shape[dim];
  coalesce(p.a);
  coalesce(p.b);
  for (int o = 0; o < 3; ++o) {
    p.base[o] = base[o];
    p.js[o] = strides[o][dim];
  }
  p.js[indexed] = 0;
  p.step = step;
  p.per_row = true;
  for (int d = 0; d < p.b.ndim; ++d) p.per_row = p.per_row && p.b.strides[kIdx][d] == 0;
  return p;
}

template <class T>
inline T add(T a, T b) {
  return a + b;
}
// Int32Array arithmetic wraps modulo 2^32, as in JavaScript.
inline int32_t add(int32_t a, int32_t b) { return (int32_t)((uint32_t)a + (uint32_t)b); }

// One run along B's innermost dim: dst[k·ds] (+)= src[k·ss].
template <class T, bool Acc>
inline void row(T* dst, int64_t ds, const T* src, int64_t ss, int64_t n) {
  if (ds == 1 && ss == 1) {
    if constexpr (Acc) {
      for (int64_t k = 0; k < n; ++k) dst[k] = add(dst[k], src[k]);
    } else {
      std::memmove(dst, src, (size_t)n * sizeof(T));
    }
  } else {
    for (int64_t k = 0; k < n; ++k) {
      if constexpr (Acc) dst[k * ds] = add(dst[k * ds], src[k * ss]);
      else dst[k * ds] = src[k * ss];
    }
  }
}

// Which part of the iteration space one task covers: [a0, a1) × [j0, j1) × [b0, b1).
struct Part {
  int64_t a0, a1, j0, j1, b0, b1;
};

// One element: dst[d (+ v)] (+)= src[s (+ v)] with v = index[i] · step on the indexed side.
template <class T, bool Acc>
inline void elem(T* dst, const T* src, const int32_t* idx, int64_t d, int64_t s, int64_t i, int64_t step) {
  const int64_t v = (int64_t)idx[i] * step;
  if constexpr (Acc) dst[d + v] = add(dst[d + v], src[s]);
  else dst[d] = src[s + v];
}

// n elements along one strided line (offsets d, s, i, strides ds, ss, is).
template <class T, bool Acc>
inline void line(T* dst, const T* src, const int32_t* idx, int64_t d, int64_t s, int64_t i, int64_t ds, int64_t ss,
                 int64_t is, int64_t n, int64_t step) {
  for (int64_t k = 0; k < n; ++k) elem<T, Acc>(dst, src, idx, d + k * ds, s + k * ss, i + k * is, step);
}

// A run of `an` consecutive A positions × [j0, j1) when B is a single element. The shorter of the two
// loops goes outside, so e.g. gathering one column per row runs as one tight loop over the rows. Either
// order keeps j ascending for each a, and distinct a never share an output element.
template <class T, bool Acc>
void scalar_b_block(const Plan& p, T* dst, const T* src, const int32_t* idx, const int64_t* o, int64_t an, int64_t j0,
                    int64_t j1) {
  const int la = p.a.ndim - 1;
  const int64_t as0 = p.a.strides[kDst][la], as1 = p.a.strides[kSrc][la], as2 = p.a.strides[kIdx][la];
  const int64_t js0 = p.js[kDst], js1 = p.js[kSrc], js2 = p.js[kIdx];
  if (j1 - j0 < an && j1 - j0 < 8) {
    for (int64_t j = j0; j < j1; ++j)
      line<T, Acc>(dst, src, idx, o[kDst] + j * js0, o[kSrc] + j * js1, o[kIdx] + j * js2, as0, as1, as2, an, p.step);
  } else {
    for (int64_t ac = 0; ac < an; ++ac)
      line<T, Acc>(dst, src, idx, o[kDst] + ac * as0 + j0 * js0, o[kSrc] + ac * as1 + j0 * js1,
                   o[kIdx] + ac * as2 + j0 * js2, js0, js1, js2, j1 - j0, p.step);
  }
}

// One part of the iteration space, j ascending for each (a, b): every output element sees its
// contributions in the TypeScript kernel's order. Offsets stay integers until the final (validated)
// element, so no pointer ever leaves its buffer.
template <class T, bool Acc>
void run(const Plan& p, T* dst, const T* src, const int32_t* idx, const Part& r) {
  const int la = p.a.ndim - 1, lb = p.b.ndim - 1;
  const int64_t as0 = p.a.strides[kDst][la], as1 = p.a.strides[kSrc][la], as2 = p.a.strides[kIdx][la];
  const int64_t bs0 = p.b.strides[kDst][lb], bs1 = p.b.strides[kSrc][lb], bs2 = p.b.strides[kIdx][lb];
  const int64_t js0 = p.js[kDst], js1 = p.js[kSrc], js2 = p.js[kIdx], step = p.step;
  const int64_t b0 = r.b0, nb = r.b1 - r.b0;
  const bool b_line = p.b.ndim == 1;  // B is one strided line: no odometer per row
  for_each_run(p.a, r.a0, r.a1, [&](const int64_t* ao, int64_t an) {
    const int64_t o[3] = {p.base[kDst] + ao[kDst], p.base[kSrc] + ao[kSrc], p.base[kIdx] + ao[kIdx]};
    if (p.nb == 1) {
      scalar_b_block<T, Acc>(p, dst, src, idx, o, an, r.j0, r.j1);
      return;
    }
    for (int64_t ac = 0; ac < an; ++ac) {
      for (int64_t j = r.j0; j < r.j1; ++j) {
        int64_t dj = o[kDst] + ac * as0 + j * js0, sj = o[kSrc] + ac * as1 + j * js1;
        const int64_t ij = o[kIdx] + ac * as2 + j * js2;
        if (p.per_row) {
          const int64_t v = (int64_t)idx[ij] * step;
          if constexpr (Acc) dj += v;
          else sj += v;
          if (b_line) {
            row<T, Acc>(dst + (dj + b0 * bs0), bs0, src + (sj + b0 * bs1), bs1, nb);
          } else {
            for_each_run(p.b, r.b0, r.b1, [&](const int64_t* bo, int64_t bn) {
              row<T, Acc>(dst + (dj + bo[kDst]), bs0, src + (sj + bo[kSrc]), bs1, bn);
            });
          }
        } else if (b_line) {
          line<T, Acc>(dst, src, idx, dj + b0 * bs0, sj + b0 * bs1, ij + b0 * bs2, bs0, bs1, bs2, nb, step);
        } else {
          for_each_run(p.b, r.b0, r.b1, [&](const int64_t* bo, int64_t bn) {
            line<T, Acc>(dst, src, idx, dj + bo[kDst], sj + bo[kSrc], ij + bo[kIdx], bs0, bs1, bs2, bn, step);
          });
        }
      }
    }
  });
}

// Splits the space over the thread pool into parts that never write one output element from two tasks:
// along A (the dims before `dim`); for the copying kernels also along J or along B in long chunks. The
// accumulating kernels split only along A: an output element's contributions stay in one task, in
// ascending j. Work below kIndexParallelMin, or with no such split, stays on the caller's thread.
// (Measured for indexAdd with nothing before dim, e.g. an Embedding backward, on the shared 2-core machine:
// splitting by output row — every task scanning the whole index for the rows it owns — ran at 0.4–0.8× of
// one thread, and splitting the rows into 512-element halves at 0.7×; so that case runs on one thread.)
template <class T, bool Acc>
void launch(const Plan& p, void* dst_v, const void* src_v, const int32_t* idx) {
  T* dst = static_cast<T*>(dst_v);
  const T* src = static_cast<const T*>(src_v);
  const int64_t na = p.na, nj = p.nj, nb = p.nb;
  if (na == 0 || nj == 0 || nb == 0) return;
  const int64_t total = na * nj * nb;
  const int64_t threads = get_num_threads();
  const Part all{0, na, 0, nj, 0, nb};
  if (threads <= 1 || total < kIndexParallelMin) {
    run<T, Acc>(p, dst, src, idx, all);
    return;
  }
  // A few tasks per thread balance a shared machine (tasks are handed out dynamically).
  int64_t tasks = std::min<int64_t>(total / (kIndexParallelMin / 4), 4 * threads);
  enum { kA, kJ, kB } axis;
  if (na >= tasks) axis = kA;
  else if (!Acc && nj >= tasks) axis = kJ;
  else if (!Acc && nb >= tasks * kIndexMinChunk) axis = kB;
  else if (na >= 2) {
    axis = kA;
    tasks = std::min(na, tasks);
  } else if (!Acc && nb >= 2 * kIndexMinChunk) {
    axis = kB;
    tasks = nb / kIndexMinChunk;
  } else {
    run<T, Acc>(p, dst, src, idx, all);
    return;
  }
  parallel_for((size_t)tasks, [&](size_t t) {
    const int64_t ti = (int64_t)t;
    Part r = all;
    switch (axis) {
      case kA: r.a0 = na * ti / tasks, r.a1 = na * (ti + 1) / tasks; break;
      case kJ: r.j0 = nj * ti / tasks, r.j1 = nj * (ti + 1) / tasks; break;
      case kB: r.b0 = nb * ti / tasks, r.b1 = nb * (ti + 1) / tasks; break;
    }
    run<T, Acc>(p, dst, src, idx, r);
  });
}

template <bool Acc>
void dispatch(int dtype, const Plan& p, void* dst, const void* src, const int32_t* idx) {
  switch (dtype) {
    case kFloat32: launch<float, Acc>(p, dst, src, idx); break;
    case kFloat64: launch<double, Acc>(p, dst, src, idx); break;
    case kInt32: launch<int32_t, Acc>(p, dst, src, idx); break;
    default: break;  // the addon accepts no other dtype
  }
}

void contiguous_strides(int ndim, const int64_t* shape, int64_t* out) {
  int64_t s = 1;
  for (int d = ndim - 1; d >= 0; --d) {
    out[d] = s;
    s *= shape[d];
  }
}

}  // namespace

void index_select(int dtype, int ndim, const int64_t* x_shape, const IndexOperand& x, int dim, const int32_t* index,
                  int64_t n_index, void* out) {
  int64_t shape[kMaxDims], out_strides[kMaxDims], idx_strides[kMaxDims] = {};
  std::copy(x_shape, x_shape + ndim, shape);
  shape[dim] = n_index;
  contiguous_strides(ndim, shape, out_strides);
  idx_strides[dim] = 1;
  const int64_t* strides[3] = {out_strides, x.strides, idx_strides};
  const int64_t base[3] = {0, x.offset, 0};
  const Plan p = make_plan(ndim, shape, dim, strides, base, kSrc, x.strides[dim]);
  dispatch<false>(dtype, p, out, x.data, index);
}

void index_add(int dtype, int ndim, const int64_t* out_shape, void* out, int dim, const int32_t* index,
               int64_t n_index, const IndexOperand& src) {
  int64_t shape[kMaxDims], out_strides[kMaxDims], idx_strides[kMaxDims] = {};
  std::copy(out_shape, out_shape + ndim, shape);
  shape[dim] = n_index;
  contiguous_strides(ndim, out_shape, out_strides);
  idx_strides[dim] = 1;
  const int64_t* strides[3] = {out_strides, src.strides, idx_strides};
  const int64_t base[3] = {0, src.offset, 0};
  const Plan p = make_plan(ndim, shape, dim, strides, base, kDst, out_strides[dim]);
  dispatch<true>(dtype, p, out, src.data, index);
}

void gather(int dtype, int ndim, const int64_t* out_shape, const IndexOperand& x, int dim, const int32_t* index,
            void* out) {
  int64_t out_strides[kMaxDims];
  contiguous_strides(ndim, out_shape, out_strides);
  const int64_t* strides[3] = {out_strides, x.strides, out_strides};
  const int64_t base[3] = {0, x.offset, 0};
  const Plan p = make_plan(ndim, out_shape, dim, strides, base, kSrc, x.strides[dim]);
  dispatch<false>(dtype, p, out, x.data, index);
}

void scatter_add(int dtype, int ndim, const int64_t* src_shape, const IndexOperand& src, int dim,
                 const int32_t* index, const int64_t* out_shape, void* out) {
  int64_t out_strides[kMaxDims], idx_strides[kMaxDims];
  contiguous_strides(ndim, out_shape, out_strides);
  contiguous_strides(ndim, src_shape, idx_strides);
  const int64_t* strides[3] = {out_strides, src.strides, idx_strides};
  const int64_t base[3] = {0, src.offset, 0};
  const Plan p = make_plan(ndim, src_shape, dim, strides, base, kDst, out_strides[dim]);
  dispatch<true>(dtype, p, out, src.data, index);
}

}  // namespace tg
