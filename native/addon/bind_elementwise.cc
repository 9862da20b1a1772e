// unary(op, x, out, meta, p0, p1), binary(op, a, b, out, meta, p0), where(cond, a, b, out, meta),
// fill(out, meta, value). meta = [ndim, shape..., then per operand: offset, strides...].
#include "addon/args.h"
#include "addon/bindings.h"
#include "elementwise/elementwise.h"
#include "elementwise/ops.h"

namespace tg {
namespace {

bool is_float(DType d) { return d == DType::F32 || d == DType::F64; }

}  // namespace

napi_value js_unary(napi_env env, napi_callback_info info) {
  Args a;
  int64_t op;
  Array x, out;
  Meta m;
  Shape s;
  ViewArg vx, vo;
  double p0 = 0, p1 = 0;
  if (!get_args(env, info, "unary", 4, &a) || !get_int(a, 0, "op", 0, kUnaryCount - 1, &op) ||
      !get_float_array(a, 1, "x", &x) || !get_float_array(a, 2, "out", &out) || !get_meta(a, 3, &m) ||
      !meta_shape(a, m, &s) || !meta_view(a, m, "x", s, x, &vx) || !meta_view(a, m, "out", s, out, &vo))
    return nullptr;
  if (a.argc > 4 && !get_number(a, 4, "p0", &p0)) return nullptr;
  if (a.argc > 5 && !get_number(a, 5, "p1", &p1)) return nullptr;
  if (x.dtype != out.dtype && op != kCopy)
    return throw_type_error(a, "x (%s) and out (%s) must have one dtype", dtype_name(x.dtype), dtype_name(out.dtype)),
           nullptr;
  unary_strided((int)op, s.ndim, s.dims, operand(x, vx), operand(out, vo), p0, p1);
  return nullptr;
}

napi_value js_binary(napi_env env, napi_callback_info info) {
  Args a;
  int64_t op;
  Array x, y, out;
  Meta m;
  Shape s;
  ViewArg vx, vy, vo;
  double p0 = 0;
  if (!get_args(env, info, "binary", 5, &a) || !get_int(a, 0, "op", 0, kBinaryCount - 1, &op) ||
      !get_float_array(a, 1, "a", &x) || !get_float_array(a, 2, "b", &y) || !get_array(a, 3, "out", &out) ||
      !get_meta(a, 4, &m) || !meta_shape(a, m, &s) || !meta_view(a, m, "a", s, x, &vx) ||
      !meta_view(a, m, "b", s, y, &vy) || !meta_view(a, m, "out", s, out, &vo))
    return nullptr;
  if (a.argc > 5 && !get_number(a, 5, "p0", &p0)) return nullptr;
  if (x.dtype != y.dtype)
    return throw_type_error(a, "a (%s) and b (%s) must have one dtype", dtype_name(x.dtype), dtype_name(y.dtype)),
           nullptr;
  const DType want = is_comparison((int)op) ? DType::U8 : x.dtype;
  if (out.dtype != want)
    return throw_type_error(a, "out must be a %s, got a %s", dtype_name(want), dtype_name(out.dtype)), nullptr;
  binary_strided((int)op, s.ndim, s.dims, operand(x, vx), operand(y, vy), operand(out, vo), p0);
  return nullptr;
}

napi_value js_where(napi_env env, napi_callback_info info) {
  Args a;
  Array c, x, y, out;
  Meta m;
  Shape s;
  ViewArg vc, vx, vy, vo;
  if (!get_args(env, info, "where", 5, &a) || !get_array_of(a, 0, "cond", DType::U8, &c) ||
      !get_float_array(a, 1, "a", &x) || !get_float_array(a, 2, "b", &y) || !get_float_array(a, 3, "out", &out) ||
      !get_meta(a, 4, &m) || !meta_shape(a, m, &s) || !meta_view(a, m, "cond", s, c, &vc) ||
      !meta_view(a, m, "a", s, x, &vx) || !meta_view(a, m, "b", s, y, &vy) || !meta_view(a, m, "out", s, out, &vo))
    return nullptr;
  if (x.dtype != out.dtype || y.dtype != out.dtype)
    return throw_type_error(a, "a, b and out must have one dtype"), nullptr;
  where_strided(s.ndim, s.dims, operand(c, vc), operand(x, vx), operand(y, vy), operand(out, vo));
  return nullptr;
}

napi_value js_fill(napi_env env, napi_callback_info info) {
  Args a;
  Array out;
  Meta m;
  Shape s;
  ViewArg vo;
  double value;
  if (!get_args(env, info, "fill", 3, &a) || !get_float_array(a, 0, "out", &out) || !get_meta(a, 1, &m) ||
      !meta_shape(a, m, &s) || !meta_view(a, m, "out", s, out, &vo) || !get_number(a, 2, "value", &value))
    return nullptr;
  if (!is_float(out.dtype)) return nullptr;
  fill_strided(s.ndim, s.dims, operand(out, vo), value);
  return nullptr;
}

}  // namespace tg
