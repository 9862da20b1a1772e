// reduce(op, x, meta, nReduced, out), argReduce(isMax, x, meta, indices, values|null),
// softmax(x, xOffset, outer, dim, inner, log, out). meta = [ndim, shape..., offset, strides...].
#include "addon/args.h"
#include "addon/bindings.h"
#include "elementwise/ops.h"
#include "reduce/reduce.h"

namespace tg {

napi_value js_reduce(napi_env env, napi_callback_info info) {
  Args a;
  int64_t op, nr;
  Array x, out;
  Meta m;
  Shape s;
  ViewArg vx;
  if (!get_args(env, info, "reduce", 5, &a) || !get_int(a, 0, "op", 0, kReduceCount - 1, &op) ||
      !get_float_array(a, 1, "x", &x) || !get_meta(a, 2, &m) || !meta_shape(a, m, &s) ||
      !meta_view(a, m, "x", s, x, &vx) || !get_int(a, 3, "nReduced", 0, s.ndim, &nr) ||
      !get_float_array(a, 4, "out", &out))
    return nullptr;
  if (out.dtype != x.dtype) return throw_type_error(a, "out must be a %s", dtype_name(x.dtype)), nullptr;
  int64_t n_out = 1;
  for (int d = 0; d < s.ndim - nr; ++d)
    if (__builtin_mul_overflow(n_out, s.dims[d], &n_out)) return throw_range_error(a, "too many outputs"), nullptr;
  if (!check_range(a, "out", out, 0, n_out)) return nullptr;
  if (n_out > 0 && s.numel == 0 && (op == kMax || op == kMin))
    return throw_range_error(a, "max/min of an empty dimension"), nullptr;
  reduce_strided((int)op, s.ndim, s.dims, operand(x, vx), (int)nr, out.data);
  return nullptr;
}

napi_value js_arg_reduce(napi_env env, napi_callback_info info) {
  Args a;
  bool is_max;
  Array x, idx, vals;
  Meta m;
  Shape s;
  ViewArg vx;
  if (!get_args(env, info, "argReduce", 5, &a) || !get_bool(a, 0, "isMax", &is_max) ||
      !get_float_array(a, 1, "x", &x) || !get_meta(a, 2, &m) || !meta_shape(a, m, &s) ||
      !meta_view(a, m, "x", s, x, &vx) || !get_array_of(a, 3, "indices", DType::I32, &idx) ||
      !get_float_array(a, 4, "values", &vals, true))
    return nullptr;
  if (s.ndim < 1) return throw_range_error(a, "x must have at least one dim"), nullptr;
  if (s.dims[s.ndim - 1] == 0) return throw_range_error(a, "arg-reduction of an empty dimension"), nullptr;
  if (s.dims[s.ndim - 1] > INT32_MAX) return throw_range_error(a, "last dim too long for int32 indices"), nullptr;
  const int64_t n_out = s.numel / s.dims[s.ndim - 1];
  if (!check_range(a, "indices", idx, 0, n_out)) return nullptr;
  if (!vals.null) {
    if (vals.dtype != x.dtype) return throw_type_error(a, "values must be a %s", dtype_name(x.dtype)), nullptr;
    if (!check_range(a, "values", vals, 0, n_out)) return nullptr;
  }
  arg_reduce_strided(is_max, s.ndim, s.dims, operand(x, vx), static_cast<int32_t*>(idx.data),
                     vals.null ? nullptr : vals.data);
  return nullptr;
}

napi_value js_softmax(napi_env env, napi_callback_info info) {
  Args a;
  Array x, out;
  int64_t off, outer, dim, inner;
  bool log;
  const int64_t big = (int64_t)1 << 53;
  if (!get_args(env, info, "softmax", 7, &a) || !get_float_array(a, 0, "x", &x) ||
      !get_int(a, 1, "xOffset", 0, big, &off) || !get_int(a, 2, "outer", 0, big, &outer) ||
      !get_int(a, 3, "dim", 0, big, &dim) || !get_int(a, 4, "inner", 0, big, &inner) ||
      !get_bool(a, 5, "log", &log) || !get_float_array(a, 6, "out", &out))
    return nullptr;
  if (out.dtype != x.dtype) return throw_type_error(a, "out must be a %s", dtype_name(x.dtype)), nullptr;
  int64_t n;
  if (__builtin_mul_overflow(outer, dim, &n) || __builtin_mul_overflow(n, inner, &n) || n > big)
    return throw_range_error(a, "outer·dim·inner overflows"), nullptr;
  if (!check_range(a, "x", x, off, n) || !check_range(a, "out", out, 0, n)) return nullptr;
  softmax_block(x.dtype, static_cast<char*>(x.data) + off * (x.dtype == DType::F32 ? 4 : 8), out.data, outer, dim,
                inner, log);
  return nullptr;
}

}  // namespace tg
