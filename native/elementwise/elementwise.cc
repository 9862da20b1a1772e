#include "elementwise/elementwise.h"

#include <cstring>

#include "elementwise/kernels.h"
#include "elementwise/ops.h"
#include "elementwise/parallel.h"

namespace tg {
namespace {

constexpr int64_t kBlock = 512;  // strided runs are gathered into blocks of this many elements

Loop make_loop(int ndim, const int64_t* shape, const Operand* const* ops, int nops) {
  Loop l;
  l.ndim = ndim;
  l.nops = nops;
  for (int d = 0; d < ndim; ++d) {
    l.shape[d] = shape[d];
    for (int o = 0; o < nops; ++o) l.strides[o][d] = ops[o]->strides[d];
  }
  coalesce(l);
  return l;
}

// Threads only when no output element is written by two iterations (no zero stride in out).
bool out_is_injective(const Loop& l, int out_index) {
  for (int d = 0; d < l.ndim; ++d)
    if (l.strides[out_index][d] == 0 && l.shape[d] > 1) return false;
  return true;
}

template <class F>
void run_loop(const Loop& l, int out_index, int64_t grain, F&& run) {
  const int64_t n = l.numel();
  if (n == 0) return;
  if (!out_is_injective(l, out_index)) grain = n;
  parallel_range(n, grain, [&](int64_t b, int64_t e) { for_each_run(l, b, e, run); });
}

template <class T>
void gather(const T* src, int64_t stride, T* dst, int64_t n) {
  for (int64_t i = 0; i < n; ++i) dst[i] = src[i * stride];
}

template <class T>
void scatter(const T* src, T* dst, int64_t stride, int64_t n) {
  for (int64_t i = 0; i < n; ++i) dst[i * stride] = src[i];
}

template <class T>
using UnaryFn = void (*)(int, const T*, T*, int64_t, double, double);

template <class T>
void unary_typed(int op, const Loop& l, T* x, T* out, double p0, double p1, UnaryFn<T> fn) {
  const int last = l.ndim - 1;
  const int64_t sx = l.strides[0][last], so = l.strides[1][last];
  run_loop(l, 1, is_costly_unary(op) ? kGrainCostly : kGrainCheap, [&](const int64_t* off, int64_t count) {
    const T* xp = x + off[0];
    T* op_ = out + off[1];
    if (sx == 1 && so == 1) {
      fn(op, xp, op_, count, p0, p1);
      return;
    }
    T buf[kBlock];
    for (int64_t i = 0; i < count; i += kBlock) {
      const int64_t c = count - i < kBlock ? count - i : kBlock;
      gather(xp + i * sx, sx, buf, c);
      fn(op, buf, buf, c, p0, p1);
      scatter(buf, op_ + i * so, so, c);
    }
  });
}

template <class S, class D>
void cast_typed(const Loop& l, const S* x, D* out) {
  const int last = l.ndim - 1;
  const int64_t sx = l.strides[0][last], so = l.strides[1][last];
  run_loop(l, 1, kGrainCheap, [&](const int64_t* off, int64_t count) {
    const S* xp = x + off[0];
    D* op_ = out + off[1];
    for (int64_t i = 0; i < count; ++i) op_[i * so] = (D)xp[i * sx];
  });
}

// Binary ops: the kernel takes a, b with stride 0 or 1 and a contiguous out; other strides are gathered.
template <class T, class U, class Fn>
void binary_typed(int op, const Loop& l, const T* a, const T* b, U* out, Fn fn) {
  const int last = l.ndim - 1;
  const int64_t sa = l.strides[0][last], sb = l.strides[1][last], so = l.strides[2][last];
  const int64_t grain = is_costly_binary(op) ? kGrainCostly : kGrainCheap;
  run_loop(l, 2, grain, [&](const int64_t* off, int64_t count) {
    const T* ap = a + off[0];
    const T* bp = b + off[1];
    U* op_ = out + off[2];
    const bool a_ok = sa == 0 || sa == 1, b_ok = sb == 0 || sb == 1;
    if (a_ok && b_ok && so == 1) {
      fn(op, ap, sa, bp, sb, op_, count);
      return;
    }
    T abuf[kBlock], bbuf[kBlock];
    U obuf[kBlock];
    for (int64_t i = 0; i < count; i += kBlock) {
      const int64_t c = count - i < kBlock ? count - i : kBlock;
      const T* ai = ap + i * sa;
      const T* bi = bp + i * sb;
      int64_t sai = sa, sbi = sb;
      if (!a_ok) gather(ai, sa, abuf, c), ai = abuf, sai = 1;
      if (!b_ok) gather(bi, sb, bbuf, c), bi = bbuf, sbi = 1;
      if (so == 1) {
        fn(op, ai, sai, bi, sbi, op_ + i, c);
      } else {
        fn(op, ai, sai, bi, sbi, obuf, c);
        scatter(obuf, op_ + i * so, so, c);
      }
    }
  });
}

template <class T>
void where_typed(const Loop& l, const uint8_t* cond, const T* a, const T* b, T* out) {
  const int last = l.ndim - 1;
  const int64_t sc = l.strides[0][last], sa = l.strides[1][last], sb = l.strides[2][last], so = l.strides[3][last];
  run_loop(l, 3, kGrainCheap, [&](const int64_t* off, int64_t count) {
    const uint8_t* cp = cond + off[0];
    const T* ap = a + off[1];
    const T* bp = b + off[2];
    T* op_ = out + off[3];
    if (sc == 1 && sa == 1 && sb == 1 && so == 1) {
      for (int64_t i = 0; i < count; ++i) op_[i] = cp[i] ? ap[i] : bp[i];
    } else {
      for (int64_t i = 0; i < count; ++i) op_[i * so] = cp[i * sc] ? ap[i * sa] : bp[i * sb];
    }
  });
}

template <class T>
void fill_typed(const Loop& l, T* out, T value) {
  const int64_t so = l.strides[0][l.ndim - 1];
  run_loop(l, 0, kGrainCheap, [&](const int64_t* off, int64_t count) {
    T* op_ = out + off[0];
    if (so == 1) {
      for (int64_t i = 0; i < count; ++i) op_[i] = value;
    } else {
      for (int64_t i = 0; i < count; ++i) op_[i * so] = value;
    }
  });
}

}  // namespace

void unary_strided(int op, int ndim, const int64_t* shape, const Operand& x, const Operand& out, double p0,
                   double p1) {
  const Operand* ops[] = {&x, &out};
  const Loop l = make_loop(ndim, shape, ops, 2);
  const ElementwiseKernels& k = elementwise_kernels();
  if (x.dtype == DType::F32 && out.dtype == DType::F32) {
    unary_typed<float>(op, l, static_cast<float*>(x.data) + x.offset, static_cast<float*>(out.data) + out.offset,
                       p0, p1, k.unary_f32);
  } else if (x.dtype == DType::F64 && out.dtype == DType::F64) {
    unary_typed<double>(op, l, static_cast<double*>(x.data) + x.offset,
                        static_cast<double*>(out.data) + out.offset, p0, p1, k.unary_f64);
  } else if (x.dtype == DType::F32 && out.dtype == DType::F64) {
    cast_typed(l, static_cast<const float*>(x.data) + x.offset, static_cast<double*>(out.data) + out.offset);
  } else if (x.dtype == DType::F64 && out.dtype == DType::F32) {
    cast_typed(l, static_cast<const double*>(x.data) + x.offset, static_cast<float*>(out.data) + out.offset);
  }
}

void binary_strided(int op, int ndim, const int64_t* shape, const Operand& a, const Operand& b, const Operand& out,
                    double p0) {
  const Operand* ops[] = {&a, &b, &out};
  const Loop l = make_loop(ndim, shape, ops, 3);
  const ElementwiseKernels& k = elementwise_kernels();
  if (a.dtype == DType::F32) {
    const float* ap = static_cast<const float*>(a.data) + a.offset;
    const float* bp = static_cast<const float*>(b.data) + b.offset;
    if (is_comparison(op)) {
      binary_typed(op, l, ap, bp, static_cast<uint8_t*>(out.data) + out.offset,
                   [&](int o, const float* x, int64_t sx, const float* y, int64_t sy, uint8_t* r, int64_t n) {
                     k.compare_f32(o, x, sx, y, sy, r, n);
                   });
    } else {
      binary_typed(op, l, ap, bp, static_cast<float*>(out.data) + out.offset,
                   [&](int o, const float* x, int64_t sx, const float* y, int64_t sy, float* r, int64_t n) {
                     k.binary_f32(o, x, sx, y, sy, r, n, p0);
                   });
    }
  } else {
    const double* ap = static_cast<const double*>(a.data) + a.offset;
    const double* bp = static_cast<const double*>(b.data) + b.offset;
    if (is_comparison(op)) {
      binary_typed(op, l, ap, bp, static_cast<uint8_t*>(out.data) + out.offset,
                   [&](int o, const double* x, int64_t sx, const double* y, int64_t sy, uint8_t* r, int64_t n) {
                     k.compare_f64(o, x, sx, y, sy, r, n);
                   });
    } else {
      binary_typed(op, l, ap, bp, static_cast<double*>(out.data) + out.offset,
                   [&](int o, const double* x, int64_t sx, const double* y, int64_t sy, double* r, int64_t n) {
                     k.binary_f64(o, x, sx, y, sy, r, n, p0);
                   });
    }
  }
}

void where_strided(int ndim, const int64_t* shape, const Operand& cond, const Operand& a, const Operand& b,
                   const Operand& out) {
  const Operand* ops[] = {&cond, &a, &b, &out};
  const Loop l = make_loop(ndim, shape, ops, 4);
  const uint8_t* cp = static_cast<const uint8_t*>(cond.data) + cond.offset;
  if (out.dtype == DType::F32) {
    where_typed(l, cp, static_cast<const float*>(a.data) + a.offset, static_cast<const float*>(b.data) + b.offset,
                static_cast<float*>(out.data) + out.offset);
  } else {
    where_typed(l, cp, static_cast<const double*>(a.data) + a.offset,
                static_cast<const double*>(b.data) + b.offset, static_cast<double*>(out.data) + out.offset);
  }
}

void fill_strided(int ndim, const int64_t* shape, const Operand& out, double value) {
  const Operand* ops[] = {&out};
  const Loop l = make_loop(ndim, shape, ops, 1);
  if (out.dtype == DType::F32) {
    fill_typed(l, static_cast<float*>(out.data) + out.offset, (float)value);
  } else {
    fill_typed(l, static_cast<double*>(out.data) + out.offset, value);
  }
}

}  // namespace tg
