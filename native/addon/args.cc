#include "addon/args.h"

#include <cmath>
#include <cstdarg>
#include <cstdio>

namespace tg {
namespace {

constexpr double kMaxSafe = 9007199254740991.0;  // 2^53 − 1: every JS integer we accept

bool throw_fmt(const Args& a, bool range, const char* fmt, va_list ap) {
  char msg[512];
  int n = std::snprintf(msg, sizeof msg, "tensorgrad native %s: ", a.fn);
  if (n < 0) n = 0;
  std::vsnprintf(msg + n, sizeof msg - (size_t)n, fmt, ap);
  bool pending = false;
  if (napi_is_exception_pending(a.env, &pending) == napi_ok && pending) return false;
  if (range) {
    napi_throw_range_error(a.env, nullptr, msg);
  } else {
    napi_throw_type_error(a.env, nullptr, msg);
  }
  return false;
}

bool to_int(double v, int64_t lo, int64_t hi, int64_t* out) {
  if (!(v >= -kMaxSafe && v <= kMaxSafe) || std::floor(v) != v) return false;
  const int64_t i = (int64_t)v;
  if (i < lo || i > hi) return false;
  *out = i;
  return true;
}

}  // namespace

bool throw_type_error(const Args& a, const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  throw_fmt(a, false, fmt, ap);
  va_end(ap);
  return false;
}

bool throw_range_error(const Args& a, const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  throw_fmt(a, true, fmt, ap);
  va_end(ap);
  return false;
}

bool get_args(napi_env env, napi_callback_info info, const char* fn, size_t required, Args* out) {
  out->env = env;
  out->fn = fn;
  out->argc = kMaxArgs;
  if (napi_get_cb_info(env, info, &out->argc, out->argv, nullptr, nullptr) != napi_ok)
    return throw_type_error(*out, "could not read the arguments");
  // argc comes back as the count passed, which may exceed the kMaxArgs values argv received.
  if (out->argc > (size_t)kMaxArgs) out->argc = kMaxArgs;
  if (required > (size_t)kMaxArgs) return throw_type_error(*out, "internal: %zu arguments exceed kMaxArgs", required);
  if (out->argc < required) return throw_type_error(*out, "expected %zu arguments, got %zu", required, out->argc);
  return true;
}

const char* dtype_name(DType d) {
  switch (d) {
    case DType::F32: return "Float32Array";
    case DType::F64: return "Float64Array";
    case DType::I32: return "Int32Array";
    default: return "Uint8Array";
  }
}

bool get_array(const Args& a, size_t i, const char* what, Array* out, bool allow_null) {
  napi_value v = a.argv[i];
  napi_valuetype t = napi_object;
  if (allow_null && napi_typeof(a.env, v, &t) != napi_ok) return throw_type_error(a, "%s: unreadable argument", what);
  if (allow_null && (t == napi_null || t == napi_undefined)) {
    *out = Array{};
    out->null = true;
    return true;
  }
  bool is_ta = false;
  if (napi_is_typedarray(a.env, v, &is_ta) != napi_ok || !is_ta)
    return throw_type_error(a, "%s must be a typed array", what);
  napi_typedarray_type type;
  size_t length = 0;
  void* data = nullptr;
  napi_value buffer;
  size_t byte_offset = 0;
  if (napi_get_typedarray_info(a.env, v, &type, &length, &data, &buffer, &byte_offset) != napi_ok)
    return throw_type_error(a, "%s: could not read the typed array", what);
  // A detached buffer reports length 0, so only empty arrays need the (extra) detached query.
  bool detached = false;
  if (length == 0 && (napi_is_detached_arraybuffer(a.env, buffer, &detached) != napi_ok || detached))
    return throw_type_error(a, "%s: its ArrayBuffer is detached", what);
  switch (type) {
    case napi_float32_array: out->dtype = DType::F32; break;
    case napi_float64_array: out->dtype = DType::F64; break;
    case napi_int32_array: out->dtype = DType::I32; break;
    case napi_uint8_array: out->dtype = DType::U8; break;
    default: return throw_type_error(a, "%s must be a Float32Array, Float64Array, Int32Array or Uint8Array", what);
  }
  if (length > 0 && data == nullptr) return throw_type_error(a, "%s: typed array has no data", what);
  out->data = data;
  out->length = length;
  return true;
}

bool get_array_of(const Args& a, size_t i, const char* what, DType dtype, Array* out, bool allow_null) {
  if (!get_array(a, i, what, out, allow_null)) return false;
  if (out->null) return true;
  if (out->dtype != dtype) return throw_type_error(a, "%s must be a %s, got a %s", what, dtype_name(dtype), dtype_name(out->dtype));
  return true;
}

bool get_float_array(const Args& a, size_t i, const char* what, Array* out, bool allow_null) {
  if (!get_array(a, i, what, out, allow_null)) return false;
  if (out->null) return true;
  if (out->dtype != DType::F32 && out->dtype != DType::F64)
    return throw_type_error(a, "%s must be a Float32Array or Float64Array, got a %s", what, dtype_name(out->dtype));
  return true;
}

bool get_number(const Args& a, size_t i, const char* what, double* out) {
  if (i >= a.argc) return throw_type_error(a, "%s is missing", what);
  if (napi_get_value_double(a.env, a.argv[i], out) != napi_ok) return throw_type_error(a, "%s must be a number", what);
  return true;
}

bool get_int(const Args& a, size_t i, const char* what, int64_t lo, int64_t hi, int64_t* out) {
  double v;
  if (!get_number(a, i, what, &v)) return false;
  if (!to_int(v, lo, hi, out))
    return throw_range_error(a, "%s must be an integer in [%lld, %lld], got %g", what, (long long)lo, (long long)hi, v);
  return true;
}

bool get_bool(const Args& a, size_t i, const char* what, bool* out) {
  if (i >= a.argc || napi_get_value_bool(a.env, a.argv[i], out) != napi_ok)
    return throw_type_error(a, "%s must be a boolean", what);
  return true;
}

bool get_meta(const Args& a, size_t i, Meta* out) {
  Array arr;
  if (!get_array_of(a, i, "metadata", DType::F64, &arr)) return false;
  out->p = static_cast<const double*>(arr.data);
  out->len = arr.length;
  out->pos = 0;
  return true;
}

bool meta_number(const Args& a, Meta& m, const char* what, double* out) {
  if (m.pos >= m.len) return throw_range_error(a, "metadata too short (reading %s)", what);
  *out = m.p[m.pos++];
  return true;
}

bool meta_int(const Args& a, Meta& m, const char* what, int64_t lo, int64_t hi, int64_t* out) {
  double v;
  if (!meta_number(a, m, what, &v)) return false;
  if (!to_int(v, lo, hi, out))
    return throw_range_error(a, "%s must be an integer in [%lld, %lld], got %g", what, (long long)lo, (long long)hi, v);
  return true;
}

bool meta_shape(const Args& a, Meta& m, Shape* out) {
  int64_t ndim;
  if (!meta_int(a, m, "ndim", 0, kMaxDims, &ndim)) return false;
  out->ndim = (int)ndim;
  __int128 numel = 1;
  for (int d = 0; d < out->ndim; ++d) {
    if (!meta_int(a, m, "shape", 0, (int64_t)kMaxSafe, &out->dims[d])) return false;
    numel *= out->dims[d];
    if (numel > (__int128)kMaxSafe) return throw_range_error(a, "shape has too many elements");
  }
  out->numel = (int64_t)numel;
  return true;
}

// The storage kind each dtype code must arrive in (bfloat16/float16 would be Uint16Array: no kernel takes them yet).
bool dtype_matches(int64_t code, DType kind) {
  switch (code) {
    case kFloat32: return kind == DType::F32;
    case kFloat64: return kind == DType::F64;
    case kInt32: return kind == DType::I32;
    case kBool: return kind == DType::U8;
    default: return false;
  }
}

bool meta_view(const Args& a, Meta& m, const char* what, const Shape& s, const Array& arr, ViewArg* out) {
  const int64_t len = (int64_t)arr.length;
  int64_t code;
  if (!meta_int(a, m, "dtype", 0, kDTypeCount - 1, &code)) return false;
  if (!dtype_matches(code, arr.dtype))
    return throw_type_error(a, "%s: dtype code %lld does not match its %s", what, (long long)code, dtype_name(arr.dtype));
  out->dtype = (int)code;
  if (!meta_int(a, m, "offset", 0, (int64_t)kMaxSafe, &out->offset)) return false;
  for (int d = 0; d < s.ndim; ++d)
    if (!meta_int(a, m, "stride", -(int64_t)kMaxSafe, (int64_t)kMaxSafe, &out->strides[d])) return false;
  if (s.numel == 0) {
    if (out->offset > len)
      return throw_range_error(a, "%s: offset %lld is past the end of its buffer (%lld elements)", what,
                               (long long)out->offset, (long long)len);
    return true;
  }
  // Lowest and highest element the view touches; 128-bit so no product of 2^53 values overflows.
  __int128 lo = out->offset, hi = out->offset;
  for (int d = 0; d < s.ndim; ++d) {
    const __int128 ext = (__int128)(s.dims[d] - 1) * out->strides[d];
    if (ext < 0) lo += ext; else hi += ext;
  }
  if (lo < 0 || hi >= len)
    return throw_range_error(a, "%s: the view (offset %lld) addresses elements [%lld, %lld] but its buffer holds %lld",
                             what, (long long)out->offset, (long long)lo, (long long)hi, (long long)len);
  return true;
}

bool check_range(const Args& a, const char* what, const Array& arr, int64_t offset, int64_t count) {
  if (offset < 0 || count < 0 || (__int128)offset + count > (__int128)arr.length)
    return throw_range_error(a, "%s: elements [%lld, %lld) lie outside its buffer (%zu elements)", what,
                             (long long)offset, (long long)(offset + count), arr.length);
  return true;
}

}  // namespace tg
