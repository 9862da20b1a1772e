#pragma once
// Argument checking for the N-API entry points. Every getter returns false after throwing a JS
// TypeError/RangeError, so callers just `if (!get_...(...)) return nullptr;`.
#include <node_api.h>

#include <cstddef>
#include <cstdint>

#include "common/dtype.h"
#include "elementwise/elementwise.h"
#include "elementwise/strided.h"

namespace tg {

constexpr int kMaxArgs = 12;

struct Args {
  napi_env env;
  const char* fn;  // entry point name for messages
  size_t argc = kMaxArgs;
  napi_value argv[kMaxArgs];
};

// Reads the call's arguments; throws when fewer than `required` were passed.
bool get_args(napi_env env, napi_callback_info info, const char* fn, size_t required, Args* out);

bool throw_type_error(const Args& a, const char* fmt, ...) __attribute__((format(printf, 2, 3)));
bool throw_range_error(const Args& a, const char* fmt, ...) __attribute__((format(printf, 2, 3)));

struct Array {
  void* data = nullptr;
  size_t length = 0;  // elements
  DType dtype = DType::F32;
  bool null = false;  // null/undefined was passed where allowed
};

// A typed array of one of the storage kinds (Float32Array, Float64Array, Int32Array, Uint8Array), not
// detached. `allow_null`: null/undefined gives an Array with null = true.
bool get_array(const Args& a, size_t i, const char* what, Array* out, bool allow_null = false);
// Same, and requires one kind.
bool get_array_of(const Args& a, size_t i, const char* what, DType dtype, Array* out, bool allow_null = false);
bool get_float_array(const Args& a, size_t i, const char* what, Array* out, bool allow_null = false);

bool get_int(const Args& a, size_t i, const char* what, int64_t lo, int64_t hi, int64_t* out);
bool get_number(const Args& a, size_t i, const char* what, double* out);  // any double, NaN included
bool get_bool(const Args& a, size_t i, const char* what, bool* out);

const char* dtype_name(DType d);

// The Float64Array of metadata: reads integers (checked) in order.
struct Meta {
  const double* p = nullptr;
  size_t len = 0;
  size_t pos = 0;
};
bool get_meta(const Args& a, size_t i, Meta* out);
bool meta_int(const Args& a, Meta& m, const char* what, int64_t lo, int64_t hi, int64_t* out);
bool meta_number(const Args& a, Meta& m, const char* what, double* out);

// A shape read from meta: [ndim, dims...].
struct Shape {
  int ndim = 0;
  int64_t dims[kMaxDims] = {};
  int64_t numel = 1;
};
bool meta_shape(const Args& a, Meta& m, Shape* out);

// One strided operand read from meta ([dtype code, offset, strides...]) and checked against its buffer: the
// dtype code (common/dtype.h) matches the typed array's kind and every element the view addresses lies in
// [0, array.length).
struct ViewArg {
  int dtype = kFloat32;
  int64_t offset = 0;
  int64_t strides[kMaxDims] = {};
};
bool meta_view(const Args& a, Meta& m, const char* what, const Shape& s, const Array& arr, ViewArg* out);

// Checks that [offset, offset + count) lies inside arr (count ≥ 0).
bool check_range(const Args& a, const char* what, const Array& arr, int64_t offset, int64_t count);

inline Operand operand(const Array& arr, const ViewArg& v) { return Operand{arr.data, arr.dtype, v.offset, v.strides}; }

}  // namespace tg
