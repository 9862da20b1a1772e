// Batch-norm kernels (native/vision/batch_norm.h), float32 or float64 data, float64 per-channel arrays:
//   batchNormStats(x, meta, stats)                  stats: Float64Array ≥ 2c  (mean | biased var)
//   batchNormApply(x, meta, coef, out)              coef: Float64Array ≥ 2c   (scale | shift); out from 0
//   batchNormBackward(g, x, meta, params, dx, dparams)
//       meta = [gOffset, xOffset, n, c, hw, training]; params ≥ 3c (mean | invstd | weight); dx from 0 or null;
//       dparams ≥ 2c (dweight | dbias)
// Stats/apply meta = [xOffset, n, c, hw]. Every extent is checked against its array before anything is
// touched; a bad argument throws a TypeError/RangeError naming it.
#include "addon/args.h"
#include "addon/bindings.h"
#include "vision/batch_norm.h"

namespace tg {
namespace {

constexpr int64_t kMaxSafe = ((int64_t)1 << 53) - 1;
constexpr int64_t kMaxDim = ((int64_t)1 << 31) - 1;

bool read_shape(const Args& a, Meta& m, BnShape* s) {
  if (!meta_int(a, m, "n", 0, kMaxDim, &s->n) || !meta_int(a, m, "c", 0, kMaxDim, &s->c) ||
      !meta_int(a, m, "hw", 0, kMaxDim, &s->hw))
    return false;
  int64_t numel = 0;
  if (__builtin_mul_overflow(s->n, s->c, &numel) || __builtin_mul_overflow(numel, s->hw, &numel) || numel > kMaxSafe)
    return throw_range_error(a, "the input has too many elements");
  return true;
}

bool same_kind(const Args& a, const Array& x, const Array& y, const char* what) {
  if (x.dtype == y.dtype) return true;
  return throw_type_error(a, "x is a %s but %s is a %s", dtype_name(x.dtype), what, dtype_name(y.dtype));
}

// x from offset and the per-channel float64 array (k·c entries).
bool check_common(const Args& a, const BnShape& s, const Array& x, int64_t offset, const Array& per_channel,
                  const char* what, int k) {
  return check_range(a, "x", x, offset, s.n * s.c * s.hw) && check_range(a, what, per_channel, 0, k * s.c);
}

}  // namespace

napi_value js_batch_norm_stats(napi_env env, napi_callback_info info) {
  Args a;
  Array x, stats;
  Meta m;
  BnShape s;
  int64_t offset;
  if (!get_args(env, info, "batchNormStats", 3, &a) || !get_float_array(a, 0, "x", &x) || !get_meta(a, 1, &m) ||
      !meta_int(a, m, "xOffset", 0, kMaxSafe, &offset) || !read_shape(a, m, &s) ||
      !get_array_of(a, 2, "stats", DType::F64, &stats) || !check_common(a, s, x, offset, stats, "stats", 2))
    return nullptr;
  if (x.dtype == DType::F32)
    batch_norm_stats<float>(s, static_cast<const float*>(x.data) + offset, static_cast<double*>(stats.data));
  else
    batch_norm_stats<double>(s, static_cast<const double*>(x.data) + offset, static_cast<double*>(stats.data));
  return nullptr;
}

napi_value js_batch_norm_apply(napi_env env, napi_callback_info info) {
  Args a;
  Array x, coef, out;
  Meta m;
  BnShape s;
  int64_t offset;
  if (!get_args(env, info, "batchNormApply", 4, &a) || !get_float_array(a, 0, "x", &x) || !get_meta(a, 1, &m) ||
      !meta_int(a, m, "xOffset", 0, kMaxSafe, &offset) || !read_shape(a, m, &s) ||
      !get_array_of(a, 2, "coef", DType::F64, &coef) || !get_float_array(a, 3, "out", &out) ||
      !same_kind(a, x, out, "out") || !check_common(a, s, x, offset, coef, "coef", 2) ||
      !check_range(a, "out", out, 0, s.n * s.c * s.hw))
    return nullptr;
  if (x.dtype == DType::F32)
    batch_norm_apply<float>(s, static_cast<const float*>(x.data) + offset, static_cast<const double*>(coef.data),
                            static_cast<float*>(out.data));
  else
    batch_norm_apply<double>(s, static_cast<const double*>(x.data) + offset, static_cast<const double*>(coef.data),
                             static_cast<double*>(out.data));
  return nullptr;
}

napi_value js_batch_norm_backward(napi_env env, napi_callback_info info) {
  Args a;
  Array g, x, params, dx, dparams;
  Meta m;
  BnShape s;
  int64_t g_offset, x_offset, training;
  if (!get_args(env, info, "batchNormBackward", 6, &a) || !get_float_array(a, 0, "g", &g) ||
      !get_float_array(a, 1, "x", &x) || !get_meta(a, 2, &m) || !meta_int(a, m, "gOffset", 0, kMaxSafe, &g_offset) ||
      !meta_int(a, m, "xOffset", 0, kMaxSafe, &x_offset) || !read_shape(a, m, &s) ||
      !meta_int(a, m, "training", 0, 1, &training) || !get_array_of(a, 3, "params", DType::F64, &params) ||
      !get_float_array(a, 4, "dx", &dx, true) || !get_array_of(a, 5, "dparams", DType::F64, &dparams) ||
      !same_kind(a, x, g, "g") || (!dx.null && !same_kind(a, x, dx, "dx")) ||
      !check_common(a, s, x, x_offset, params, "params", 3) || !check_range(a, "g", g, g_offset, s.n * s.c * s.hw) ||
      !check_range(a, "dparams", dparams, 0, 2 * s.c) || (!dx.null && !check_range(a, "dx", dx, 0, s.n * s.c * s.hw)))
    return nullptr;
  const double* p = static_cast<const double*>(params.data);
  double* dp = static_cast<double*>(dparams.data);
  if (x.dtype == DType::F32)
    batch_norm_backward<float>(s, static_cast<const float*>(g.data) + g_offset, static_cast<const float*>(x.data) + x_offset,
                               p, training != 0, dx.null ? nullptr : static_cast<float*>(dx.data), dp);
  else
    batch_norm_backward<double>(s, static_cast<const double*>(g.data) + g_offset,
                                static_cast<const double*>(x.data) + x_offset, p, training != 0,
                                dx.null ? nullptr : static_cast<double*>(dx.data), dp);
  return nullptr;
}

}  // namespace tg
