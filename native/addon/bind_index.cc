// The index kernels, on float32, float64 or int32 data (the view's dtype code, checked against its typed
// array; the other data array must be of the same kind); index is an Int32Array; outputs are contiguous
// from element 0; a view in meta is [dtype code, offset, strides...] as everywhere (addon/args.h):
//   indexSelect(x, meta, dim, index, out)    meta = [ndim, xShape..., x view]
//   indexAdd(out, meta, dim, index, src)     meta = [ndim, outShape..., src view] (src's shape is outShape
//                                            with index.length at dim)
//   gather(x, meta, dim, index, out)         meta = [ndim, xShape..., x view, outShape...]
//   scatterAdd(out, meta, dim, index, src)   meta = [ndim, srcShape..., src view, outShape...]
// 0-d tensors travel as shape [1]. Every index value the kernel will use is checked before anything is
// written: a bad one throws a RangeError naming it, and nothing is modified.
#include "addon/args.h"
#include "addon/bindings.h"
#include "common/dtype.h"
#include "index/index.h"

namespace tg {
namespace {

constexpr int64_t kMaxSafe = ((int64_t)1 << 53) - 1;

const char* dtype_code_name(int64_t code) {
  switch (code) {
    case kFloat32: return "float32";
    case kFloat64: return "float64";
    case kInt32: return "int32";
    case kBool: return "bool";
    case kBFloat16: return "bfloat16";
    case kFloat16: return "float16";
    default: return "?";
  }
}

// The view's dtype code (already checked against its typed array by meta_view) must be one these kernels
// handle, and the other data array must be of the same kind.
bool check_dtype(const Args& a, const ViewArg& v, const char* view_what, const Array& view_arr, const Array& other,
                 const char* other_what) {
  if (v.dtype != kFloat32 && v.dtype != kFloat64 && v.dtype != kInt32)
    return throw_type_error(a, "%s: dtype %s (code %d) is not supported (float32, float64 or int32 only)", view_what,
                            dtype_code_name(v.dtype), v.dtype);
  if (other.dtype != view_arr.dtype)
    return throw_type_error(a, "%s is a %s but %s is %s (a %s)", other_what, dtype_name(other.dtype), view_what,
                            dtype_code_name(v.dtype), dtype_name(view_arr.dtype));
  return true;
}

// Reads ndim more dims from meta into `out` (shape values, product ≤ 2^53 − 1).
bool meta_dims(const Args& a, Meta& m, const char* what, int ndim, Shape* out) {
  out->ndim = ndim;
  out->numel = 1;
  for (int d = 0; d < ndim; ++d) {
    if (!meta_int(a, m, what, 0, kMaxSafe, &out->dims[d])) return false;
    if (__builtin_mul_overflow(out->numel, out->dims[d], &out->numel) || out->numel > kMaxSafe)
      return throw_range_error(a, "%s has too many elements", what);
  }
  return true;
}

// `s` with dims[dim] replaced by n (checked like meta_shape).
bool with_dim(const Args& a, const Shape& s, int dim, int64_t n, const char* what, Shape* out) {
  *out = s;
  out->dims[dim] = n;
  out->numel = 1;
  for (int d = 0; d < s.ndim; ++d)
    if (__builtin_mul_overflow(out->numel, out->dims[d], &out->numel) || out->numel > kMaxSafe)
      return throw_range_error(a, "%s has too many elements", what);
  return true;
}

bool check_rank(const Args& a, const Shape& s, const char* what) {
  if (s.ndim < 1) return throw_range_error(a, "%s must have at least one dim (pass a 0-d tensor as shape [1])", what);
  return true;
}

// Every one of the first n index values lies in [0, size).
bool check_indices(const Args& a, const int32_t* idx, int64_t n, int dim, int64_t size) {
  bool bad = false;
  for (int64_t k = 0; k < n; ++k) bad |= idx[k] < 0 || (int64_t)idx[k] >= size;
  if (!bad) return true;
  for (int64_t k = 0; k < n; ++k)
    if (idx[k] < 0 || (int64_t)idx[k] >= size)
      return throw_range_error(a, "index %d is out of bounds for dimension %d with size %lld", (int)idx[k], dim,
                               (long long)size);
  return true;
}

// For d ≠ dim: small[d] ≤ big[d].
bool check_within(const Args& a, const Shape& small, const char* small_what, const Shape& big, const char* big_what,
                  int dim) {
  for (int d = 0; d < small.ndim; ++d)
    if (d != dim && small.dims[d] > big.dims[d])
      return throw_range_error(a, "%s size %lld exceeds %s size %lld at dim %d", small_what, (long long)small.dims[d],
                               big_what, (long long)big.dims[d], d);
  return true;
}

IndexOperand view_operand(const Array& arr, const ViewArg& v) { return IndexOperand{arr.data, v.offset, v.strides}; }

}  // namespace

napi_value js_index_select(napi_env env, napi_callback_info info) {
  Args a;
  Array x, idx, out;
  Meta m;
  Shape xs, os;
  ViewArg vx;
  int64_t dim;
  if (!get_args(env, info, "indexSelect", 5, &a) || !get_array(a, 0, "x", &x) || !get_meta(a, 1, &m) ||
      !meta_shape(a, m, &xs) || !meta_view(a, m, "x", xs, x, &vx) || !check_rank(a, xs, "x") ||
      !get_int(a, 2, "dim", 0, xs.ndim - 1, &dim) || !get_array_of(a, 3, "index", DType::I32, &idx) ||
      !get_array(a, 4, "out", &out) || !check_dtype(a, vx, "x", x, out, "out"))
    return nullptr;
  const int64_t n_idx = (int64_t)idx.length;
  if (!check_indices(a, static_cast<const int32_t*>(idx.data), n_idx, (int)dim, xs.dims[dim]) ||
      !with_dim(a, xs, (int)dim, n_idx, "out", &os) || !check_range(a, "out", out, 0, os.numel))
    return nullptr;
  index_select(vx.dtype, xs.ndim, xs.dims, view_operand(x, vx), (int)dim, static_cast<const int32_t*>(idx.data), n_idx,
               out.data);
  return nullptr;
}

napi_value js_index_add(napi_env env, napi_callback_info info) {
  Args a;
  Array out, idx, src;
  Meta m;
  Shape os, ss;
  ViewArg vs;
  int64_t dim;
  if (!get_args(env, info, "indexAdd", 5, &a) || !get_array(a, 0, "out", &out) || !get_meta(a, 1, &m) ||
      !meta_shape(a, m, &os) || !check_rank(a, os, "out") || !get_int(a, 2, "dim", 0, os.ndim - 1, &dim) ||
      !get_array_of(a, 3, "index", DType::I32, &idx) || !get_array(a, 4, "src", &src))
    return nullptr;
  const int64_t n_idx = (int64_t)idx.length;
  if (!with_dim(a, os, (int)dim, n_idx, "src", &ss) || !meta_view(a, m, "src", ss, src, &vs) ||
      !check_dtype(a, vs, "src", src, out, "out") ||
      !check_indices(a, static_cast<const int32_t*>(idx.data), n_idx, (int)dim, os.dims[dim]) ||
      !check_range(a, "out", out, 0, os.numel))
    return nullptr;
  index_add(vs.dtype, os.ndim, os.dims, out.data, (int)dim, static_cast<const int32_t*>(idx.data), n_idx,
            view_operand(src, vs));
  return nullptr;
}

napi_value js_gather(napi_env env, napi_callback_info info) {
  Args a;
  Array x, idx, out;
  Meta m;
  Shape xs, os;
  ViewArg vx;
  int64_t dim;
  if (!get_args(env, info, "gather", 5, &a) || !get_array(a, 0, "x", &x) || !get_meta(a, 1, &m) ||
      !meta_shape(a, m, &xs) || !meta_view(a, m, "x", xs, x, &vx) || !meta_dims(a, m, "out shape", xs.ndim, &os) ||
      !check_rank(a, xs, "x") || !get_int(a, 2, "dim", 0, xs.ndim - 1, &dim) ||
      !get_array_of(a, 3, "index", DType::I32, &idx) || !get_array(a, 4, "out", &out) ||
      !check_dtype(a, vx, "x", x, out, "out") || !check_within(a, os, "out", xs, "x", (int)dim))
    return nullptr;
  const int64_t n = os.numel;
  if (n == 0) return nullptr;
  if (!check_range(a, "index", idx, 0, n) || !check_range(a, "out", out, 0, n) ||
      !check_indices(a, static_cast<const int32_t*>(idx.data), n, (int)dim, xs.dims[dim]))
    return nullptr;
  gather(vx.dtype, os.ndim, os.dims, view_operand(x, vx), (int)dim, static_cast<const int32_t*>(idx.data), out.data);
  return nullptr;
}

napi_value js_scatter_add(napi_env env, napi_callback_info info) {
  Args a;
  Array out, idx, src;
  Meta m;
  Shape ss, os;
  ViewArg vs;
  int64_t dim;
  if (!get_args(env, info, "scatterAdd", 5, &a) || !get_array(a, 0, "out", &out) || !get_meta(a, 1, &m) ||
      !get_array(a, 4, "src", &src) || !meta_shape(a, m, &ss) || !meta_view(a, m, "src", ss, src, &vs) ||
      !meta_dims(a, m, "out shape", ss.ndim, &os) || !check_rank(a, ss, "src") ||
      !get_int(a, 2, "dim", 0, ss.ndim - 1, &dim) || !get_array_of(a, 3, "index", DType::I32, &idx) ||
      !check_dtype(a, vs, "src", src, out, "out") || !check_within(a, ss, "src", os, "out", (int)dim))
    return nullptr;
  const int64_t n = ss.numel;
  if (n == 0) return nullptr;
  if (!check_range(a, "index", idx, 0, n) || !check_range(a, "out", out, 0, os.numel) ||
      !check_indices(a, static_cast<const int32_t*>(idx.data), n, (int)dim, os.dims[dim]))
    return nullptr;
  scatter_add(vs.dtype, ss.ndim, ss.dims, view_operand(src, vs), (int)dim, static_cast<const int32_t*>(idx.data),
              os.dims, out.data);
  return nullptr;
}

}  // namespace tg
