// The 16-bit float entry points:
//   toHalf(src: Float32Array, srcOffset, dst: Uint16Array, dstOffset, n, code) and
//   fromHalf(src: Uint16Array, srcOffset, dst: Float32Array, dstOffset, n, code), code 4 = bfloat16, 5 = float16
//   (common/dtype.h), contiguous runs of n elements;
//   gemmBf16(a: Uint16Array, b: Uint16Array, c: Float32Array, meta) with gemm's meta layout (bind_gemm.cc).
#include "addon/args.h"
#include "addon/bindings.h"
#include "gemm/gemm_bf16.h"
#include "half/convert.h"

namespace tg {
namespace {

struct Words {
  uint16_t* data = nullptr;
  size_t length = 0;
};

// A Uint16Array (the storage of bfloat16/float16), not detached.
bool get_words(const Args& a, size_t i, const char* what, Words* out) {
  if (i >= a.argc) return throw_type_error(a, "%s is missing", what);
  bool is_ta = false;
  if (napi_is_typedarray(a.env, a.argv[i], &is_ta) != napi_ok || !is_ta)
    return throw_type_error(a, "%s must be a Uint16Array", what);
  napi_typedarray_type type;
  size_t length = 0;
  void* data = nullptr;
  napi_value buffer;
  size_t byte_offset = 0;
  if (napi_get_typedarray_info(a.env, a.argv[i], &type, &length, &data, &buffer, &byte_offset) != napi_ok)
    return throw_type_error(a, "%s: could not read the typed array", what);
  if (type != napi_uint16_array) return throw_type_error(a, "%s must be a Uint16Array", what);
  bool detached = false;
  if (length == 0 && (napi_is_detached_arraybuffer(a.env, buffer, &detached) != napi_ok || detached))
    return throw_type_error(a, "%s: its ArrayBuffer is detached", what);
  if (length > 0 && data == nullptr) return throw_type_error(a, "%s: typed array has no data", what);
  out->data = static_cast<uint16_t*>(data);
  out->length = length;
  return true;
}

bool fits(const Args& a, const char* what, size_t length, int64_t offset, int64_t n) {
  if ((__int128)offset + n > (__int128)length)
    return throw_range_error(a, "%s: elements [%lld, %lld) lie outside its %zu", what, (long long)offset,
                             (long long)(offset + n), length);
  return true;
}

struct Mat {
  int64_t offset, ld, stride;
};

bool check_mat(const Args& a, const char* what, size_t length, const Mat& mt, int64_t rows, int64_t cols, int64_t batch) {
  if (rows == 0 || cols == 0 || batch == 0) return true;
  if (mt.ld < cols) return throw_range_error(a, "%s: leading dimension %lld is less than %lld", what, (long long)mt.ld, (long long)cols);
  const __int128 last = (__int128)mt.offset + (__int128)(batch - 1) * mt.stride + (__int128)(rows - 1) * mt.ld + cols - 1;
  if (last >= (__int128)length)
    return throw_range_error(a, "%s: the matrices reach element %lld but the buffer holds %zu", what, (long long)last, length);
  return true;
}

}  // namespace

napi_value js_to_half(napi_env env, napi_callback_info info) {
  Args a;
  Array src;
  Words dst;
  const int64_t big = (int64_t)1 << 53;
  int64_t so, dof, n, code;
  if (!get_args(env, info, "toHalf", 6, &a) || !get_array_of(a, 0, "src", DType::F32, &src) ||
      !get_int(a, 1, "srcOffset", 0, big, &so) || !get_words(a, 2, "dst", &dst) || !get_int(a, 3, "dstOffset", 0, big, &dof) ||
      !get_int(a, 4, "n", 0, big, &n) || !get_int(a, 5, "code", kBFloat16, kFloat16, &code) ||
      !fits(a, "src", src.length, so, n) || !fits(a, "dst", dst.length, dof, n))
    return nullptr;
  const float* s = static_cast<const float*>(src.data) + so;
  if (code == kBFloat16) f32_to_bf16(s, dst.data + dof, n);
  else f32_to_f16(s, dst.data + dof, n);
  return nullptr;
}

napi_value js_from_half(napi_env env, napi_callback_info info) {
  Args a;
  Words src;
  Array dst;
  const int64_t big = (int64_t)1 << 53;
  int64_t so, dof, n, code;
  if (!get_args(env, info, "fromHalf", 6, &a) || !get_words(a, 0, "src", &src) || !get_int(a, 1, "srcOffset", 0, big, &so) ||
      !get_array_of(a, 2, "dst", DType::F32, &dst) || !get_int(a, 3, "dstOffset", 0, big, &dof) ||
      !get_int(a, 4, "n", 0, big, &n) || !get_int(a, 5, "code", kBFloat16, kFloat16, &code) ||
      !fits(a, "src", src.length, so, n) || !fits(a, "dst", dst.length, dof, n))
    return nullptr;
  float* d = static_cast<float*>(dst.data) + dof;
  if (code == kBFloat16) bf16_to_f32(src.data + so, d, n);
  else f16_to_f32(src.data + so, d, n);
  return nullptr;
}

napi_value js_gemm_bf16(napi_env env, napi_callback_info info) {
  Args a;
  Words A, B;
  Array C;
  Meta m;
  const int64_t big = (int64_t)1 << 53;
  int64_t ta, tb, M, N, K, batch;
  double alpha, beta;
  Mat ma, mb, mc;
  if (!get_args(env, info, "gemmBf16", 4, &a) || !get_words(a, 0, "a", &A) || !get_words(a, 1, "b", &B) ||
      !get_array_of(a, 2, "c", DType::F32, &C) || !get_meta(a, 3, &m) || !meta_int(a, m, "transA", 0, 1, &ta) ||
      !meta_int(a, m, "transB", 0, 1, &tb) || !meta_int(a, m, "m", 0, big, &M) || !meta_int(a, m, "n", 0, big, &N) ||
      !meta_int(a, m, "k", 0, big, &K) || !meta_number(a, m, "alpha", &alpha) || !meta_number(a, m, "beta", &beta) ||
      !meta_int(a, m, "aOffset", 0, big, &ma.offset) || !meta_int(a, m, "lda", 1, big, &ma.ld) ||
      !meta_int(a, m, "bOffset", 0, big, &mb.offset) || !meta_int(a, m, "ldb", 1, big, &mb.ld) ||
      !meta_int(a, m, "cOffset", 0, big, &mc.offset) || !meta_int(a, m, "ldc", 1, big, &mc.ld) ||
      !meta_int(a, m, "batch", 0, big, &batch) || !meta_int(a, m, "strideA", 0, big, &ma.stride) ||
      !meta_int(a, m, "strideB", 0, big, &mb.stride) || !meta_int(a, m, "strideC", 0, big, &mc.stride))
    return nullptr;
  const int64_t kb = (M > 0 && N > 0) ? batch : 0;
  if (!check_mat(a, "a", A.length, ma, ta ? K : M, ta ? M : K, kb) || !check_mat(a, "b", B.length, mb, tb ? N : K, tb ? K : N, kb) ||
      !check_mat(a, "c", C.length, mc, M, N, batch))
    return nullptr;
  if (batch > 1 && M > 0 && N > 0 && (__int128)mc.stride < (__int128)(M - 1) * mc.ld + N)
    return throw_range_error(a, "c: strideC %lld makes the batches overlap", (long long)mc.stride), nullptr;
  if (M == 0 || N == 0 || batch == 0) return nullptr;
  GemmBf16Params p;
  p.transA = ta, p.transB = tb, p.m = M, p.n = N, p.k = K, p.alpha = (float)alpha, p.beta = (float)beta;
  p.a = A.data + ma.offset, p.lda = ma.ld, p.strideA = ma.stride;
  p.b = B.data + mb.offset, p.ldb = mb.ld, p.strideB = mb.stride;
  p.c = static_cast<float*>(C.data) + mc.offset, p.ldc = mc.ld, p.strideC = mc.stride, p.batch = batch;
  gemm_bf16(p);
  return nullptr;
}

}  // namespace tg
