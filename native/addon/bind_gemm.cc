// gemm(a, b, c, meta) with meta = [transA, transB, m, n, k, alpha, beta, aOffset, lda, bOffset, ldb,
// cOffset, ldc, batch, strideA, strideB, strideC]: checks every addressed element, then calls the engine.
#include "addon/args.h"
#include "addon/bindings.h"
#include "gemm/gemm.h"

namespace tg {
namespace {

struct Mat {
  int64_t offset, ld, stride;
};

// Last element of a batch of `rows`×`cols` matrices (row distance ld, batch distance stride) must fit.
bool check_mat(const Args& a, const char* what, const Array& arr, const Mat& mt, int64_t rows, int64_t cols,
               int64_t batch) {
  if (rows == 0 || cols == 0 || batch == 0) return true;
  if (mt.ld < cols) return throw_range_error(a, "%s: leading dimension %lld is less than %lld", what, (long long)mt.ld, (long long)cols);
  const __int128 last = (__int128)mt.offset + (__int128)(batch - 1) * mt.stride + (__int128)(rows - 1) * mt.ld + cols - 1;
  if (last >= (__int128)arr.length)
    return throw_range_error(a, "%s: the matrices reach element %lld but the buffer holds %zu", what, (long long)last,
                             arr.length);
  return true;
}

template <class T>
void run(const GemmParams<T>& p) {
  if constexpr (sizeof(T) == 4) gemm_f32(p); else gemm_f64(p);
}

}  // namespace

napi_value js_gemm(napi_env env, napi_callback_info info) {
  Args a;
  Array A, B, C;
  Meta m;
  const int64_t big = (int64_t)1 << 53;
  int64_t ta, tb, M, N, K, batch;
  double alpha, beta;
  Mat ma, mb, mc;
  if (!get_args(env, info, "gemm", 4, &a) || !get_float_array(a, 0, "a", &A) || !get_float_array(a, 1, "b", &B) ||
      !get_float_array(a, 2, "c", &C) || !get_meta(a, 3, &m) || !meta_int(a, m, "transA", 0, 1, &ta) ||
      !meta_int(a, m, "transB", 0, 1, &tb) || !meta_int(a, m, "m", 0, big, &M) || !meta_int(a, m, "n", 0, big, &N) ||
      !meta_int(a, m, "k", 0, big, &K) || !meta_number(a, m, "alpha", &alpha) || !meta_number(a, m, "beta", &beta) ||
      !meta_int(a, m, "aOffset", 0, big, &ma.offset) || !meta_int(a, m, "lda", 1, big, &ma.ld) ||
      !meta_int(a, m, "bOffset", 0, big, &mb.offset) || !meta_int(a, m, "ldb", 1, big, &mb.ld) ||
      !meta_int(a, m, "cOffset", 0, big, &mc.offset) || !meta_int(a, m, "ldc", 1, big, &mc.ld) ||
      !meta_int(a, m, "batch", 0, big, &batch) || !meta_int(a, m, "strideA", 0, big, &ma.stride) ||
      !meta_int(a, m, "strideB", 0, big, &mb.stride) || !meta_int(a, m, "strideC", 0, big, &mc.stride))
    return nullptr;
  if (A.dtype != C.dtype || B.dtype != C.dtype) return throw_type_error(a, "a, b and c must have one dtype"), nullptr;
  // A and B are read only when the product has terms; C is written whenever it has elements.
  const int64_t kb = (M > 0 && N > 0) ? batch : 0;
  if (!check_mat(a, "a", A, ma, ta ? K : M, ta ? M : K, kb) || !check_mat(a, "b", B, mb, tb ? N : K, tb ? K : N, kb) ||
      !check_mat(a, "c", C, mc, M, N, batch))
    return nullptr;
  // Batches of C must not overlap: the engine may write them from several threads.
  if (batch > 1 && M > 0 && N > 0 && (__int128)mc.stride < (__int128)(M - 1) * mc.ld + N)
    return throw_range_error(a, "c: strideC %lld makes the batches overlap", (long long)mc.stride), nullptr;
  if (M == 0 || N == 0 || batch == 0) return nullptr;
  if (C.dtype == DType::F32) {
    GemmParams<float> p;
    p.transA = ta, p.transB = tb, p.m = M, p.n = N, p.k = K, p.alpha = alpha, p.beta = beta;
    p.a = static_cast<const float*>(A.data) + ma.offset, p.lda = ma.ld, p.strideA = ma.stride;
    p.b = static_cast<const float*>(B.data) + mb.offset, p.ldb = mb.ld, p.strideB = mb.stride;
    p.c = static_cast<float*>(C.data) + mc.offset, p.ldc = mc.ld, p.strideC = mc.stride, p.batch = batch;
    run(p);
  } else {
    GemmParams<double> p;
    p.transA = ta, p.transB = tb, p.m = M, p.n = N, p.k = K, p.alpha = alpha, p.beta = beta;
    p.a = static_cast<const double*>(A.data) + ma.offset, p.lda = ma.ld, p.strideA = ma.stride;
    p.b = static_cast<const double*>(B.data) + mb.offset, p.ldb = mb.ld, p.strideB = mb.stride;
    p.c = static_cast<double*>(C.data) + mc.offset, p.ldc = mc.ld, p.strideC = mc.stride, p.batch = batch;
    run(p);
  }
  return nullptr;
}

}  // namespace tg
