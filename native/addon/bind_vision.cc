// The vision layout kernels (native/vision/vision.h), float32 or float64 (both arrays of one kind):
//   im2col(image, imageOffset, geom, cols, fill)   image contiguous [n, c, h, w] from imageOffset; cols from 0
//   col2im(cols, geom, image)                      accumulates into image (contiguous from 0)
// geom is a Float64Array [n, c, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow] of integers: sizes and padding
// ≥ 0, strides and dilations ≥ 1. Both extents are checked against the arrays' lengths before anything is
// touched; a bad argument throws a TypeError/RangeError naming it.
#include <initializer_list>

#include "addon/args.h"
#include "addon/bindings.h"
#include "vision/vision.h"

namespace tg {
namespace {

constexpr int64_t kMaxSafe = ((int64_t)1 << 53) - 1;
constexpr int64_t kMaxDim = ((int64_t)1 << 31) - 1;

bool get_geom(const Args& a, size_t i, Geom* g) {
  Meta m;
  if (!get_meta(a, i, &m)) return false;
  if (m.len != 14) return throw_range_error(a, "geom must have 14 entries, got %zu", m.len);
  static const char* const names[14] = {"n", "c", "h", "w", "kh", "kw", "sh", "sw", "ph", "pw", "dh", "dw", "oh", "ow"};
  int64_t v[14];
  for (int k = 0; k < 14; ++k) {
    const bool at_least_one = k == 6 || k == 7 || k == 10 || k == 11;
    if (!meta_int(a, m, names[k], at_least_one ? 1 : 0, kMaxDim, &v[k])) return false;
  }
  *g = Geom{v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13]};
  return true;
}

bool product(const Args& a, const char* what, std::initializer_list<int64_t> dims, int64_t* out) {
  int64_t p = 1;
  for (int64_t d : dims)
    if (__builtin_mul_overflow(p, d, &p) || p > kMaxSafe) return throw_range_error(a, "%s has too many elements", what);
  *out = p;
  return true;
}

// Sizes of the image and of the columns, checked against the arrays (same float kind).
bool check_extents(const Args& a, const Geom& g, const Array& image, int64_t image_offset, const Array& cols) {
  if (image.dtype != cols.dtype)
    return throw_type_error(a, "image is a %s but cols is a %s", dtype_name(image.dtype), dtype_name(cols.dtype));
  int64_t image_size = 0, cols_size = 0;
  if (!product(a, "image", {g.n, g.c, g.h, g.w}, &image_size) ||
      !product(a, "cols", {g.n, g.c, g.kh, g.kw, g.oh, g.ow}, &cols_size))
    return false;
  return check_range(a, "image", image, image_offset, image_size) && check_range(a, "cols", cols, 0, cols_size);
}

}  // namespace

// maxPool2d(image, imageOffset, geom, out, indices): out (same kind as image) and indices (Int32Array) hold
// n·c·oh·ow elements from 0; the plane must fit int32 indices (h·w < 2^31).
napi_value js_max_pool2d(napi_env env, napi_callback_info info) {
  Args a;
  Array image, out, idx;
  int64_t offset;
  Geom g;
  if (!get_args(env, info, "maxPool2d", 5, &a) || !get_float_array(a, 0, "image", &image) ||
      !get_int(a, 1, "imageOffset", 0, kMaxSafe, &offset) || !get_geom(a, 2, &g) ||
      !get_float_array(a, 3, "out", &out) || !get_array_of(a, 4, "indices", DType::I32, &idx))
    return nullptr;
  if (out.dtype != image.dtype)
    return throw_type_error(a, "image is a %s but out is a %s", dtype_name(image.dtype), dtype_name(out.dtype)), nullptr;
  int64_t image_size = 0, out_size = 0, plane = 0;
  if (!product(a, "image", {g.n, g.c, g.h, g.w}, &image_size) || !product(a, "out", {g.n, g.c, g.oh, g.ow}, &out_size) ||
      !product(a, "plane", {g.h, g.w}, &plane) || !check_range(a, "image", image, offset, image_size) ||
      !check_range(a, "out", out, 0, out_size) || !check_range(a, "indices", idx, 0, out_size))
    return nullptr;
  if (plane > kMaxDim) return throw_range_error(a, "a plane of %lld elements does not fit int32 indices", (long long)plane), nullptr;
  // Padding beyond the dilated kernel would make windows with no in-image position (and the scan's skip
  // of the padding a long loop): refused, as PyTorch refuses pad > kernel/2.
  if (g.kh == 0 || g.kw == 0) return throw_range_error(a, "maxPool2d: empty kernel"), nullptr;
  if (g.ph > (g.kh - 1) * g.dh || g.pw > (g.kw - 1) * g.dw)
    return throw_range_error(a, "maxPool2d: padding (%lld, %lld) exceeds the dilated kernel", (long long)g.ph, (long long)g.pw),
           nullptr;
  if (image.dtype == DType::F32)
    max_pool2d<float>(g, static_cast<const float*>(image.data) + offset, static_cast<float*>(out.data),
                      static_cast<int32_t*>(idx.data));
  else
    max_pool2d<double>(g, static_cast<const double*>(image.data) + offset, static_cast<double*>(out.data),
                       static_cast<int32_t*>(idx.data));
  return nullptr;
}

// maxPool2dBackward(g, meta, indices, gIn): meta = [gOffset, planes, outPlane, inPlane]; g (from gOffset) and
// indices (from 0) hold planes·outPlane elements, gIn (same kind as g, zeroed by the caller) planes·inPlane;
// every index must lie in [0, inPlane) (checked before anything is written).
napi_value js_max_pool2d_backward(napi_env env, napi_callback_info info) {
  Args a;
  Array g, idx, g_in;
  Meta m;
  int64_t offset, planes, out_plane, in_plane;
  if (!get_args(env, info, "maxPool2dBackward", 4, &a) || !get_float_array(a, 0, "g", &g) || !get_meta(a, 1, &m) ||
      !meta_int(a, m, "gOffset", 0, kMaxSafe, &offset) || !meta_int(a, m, "planes", 0, kMaxSafe, &planes) ||
      !meta_int(a, m, "outPlane", 0, kMaxDim, &out_plane) || !meta_int(a, m, "inPlane", 0, kMaxDim, &in_plane) ||
      !get_array_of(a, 2, "indices", DType::I32, &idx) || !get_float_array(a, 3, "gIn", &g_in))
    return nullptr;
  if (g_in.dtype != g.dtype)
    return throw_type_error(a, "g is a %s but gIn is a %s", dtype_name(g.dtype), dtype_name(g_in.dtype)), nullptr;
  int64_t out_size = 0, in_size = 0;
  if (!product(a, "g", {planes, out_plane}, &out_size) || !product(a, "gIn", {planes, in_plane}, &in_size) ||
      !check_range(a, "g", g, offset, out_size) || !check_range(a, "indices", idx, 0, out_size) ||
      !check_range(a, "gIn", g_in, 0, in_size))
    return nullptr;
  const int32_t* ip = static_cast<const int32_t*>(idx.data);
  for (int64_t k = 0; k < out_size; ++k) {
    if (ip[k] < 0 || ip[k] >= in_plane)
      return throw_range_error(a, "index %d at %lld is outside the plane of %lld elements", ip[k], (long long)k,
                               (long long)in_plane),
             nullptr;
  }
  if (g.dtype == DType::F32)
    max_pool2d_backward<float>(planes, out_plane, in_plane, static_cast<const float*>(g.data) + offset, ip,
                               static_cast<float*>(g_in.data));
  else
    max_pool2d_backward<double>(planes, out_plane, in_plane, static_cast<const double*>(g.data) + offset, ip,
                                static_cast<double*>(g_in.data));
  return nullptr;
}

napi_value js_im2col(napi_env env, napi_callback_info info) {
  Args a;
  Array image, cols;
  int64_t offset;
  Geom g;
  double fill;
  if (!get_args(env, info, "im2col", 5, &a) || !get_float_array(a, 0, "image", &image) ||
      !get_int(a, 1, "imageOffset", 0, kMaxSafe, &offset) || !get_geom(a, 2, &g) ||
      !get_float_array(a, 3, "cols", &cols) || !get_number(a, 4, "fill", &fill) ||
      !check_extents(a, g, image, offset, cols))
    return nullptr;
  if (image.dtype == DType::F32)
    im2col<float>(g, static_cast<const float*>(image.data) + offset, static_cast<float*>(cols.data), (float)fill);
  else
    im2col<double>(g, static_cast<const double*>(image.data) + offset, static_cast<double*>(cols.data), fill);
  return nullptr;
}

napi_value js_col2im(napi_env env, napi_callback_info info) {
  Args a;
  Array cols, image;
  Geom g;
  if (!get_args(env, info, "col2im", 3, &a) || !get_float_array(a, 0, "cols", &cols) || !get_geom(a, 1, &g) ||
      !get_float_array(a, 2, "image", &image) || !check_extents(a, g, image, 0, cols))
    return nullptr;
  if (image.dtype == DType::F32)
    col2im<float>(g, static_cast<const float*>(cols.data), static_cast<float*>(image.data));
  else
    col2im<double>(g, static_cast<const double*>(cols.data), static_cast<double*>(image.data));
  return nullptr;
}

}  // namespace tg
