// The sequence-layer kernels (native/sequence/sequence.h), float32 or float64 (every array of one kind):
//   layerNorm(x, xOffset, rows, cols, weight|null, bias|null, eps, y, mean, rstd)
//   layerNormBackward(g, gOffset, x, xOffset, mean, rstd, weight|null, rows, cols, dx|null, dweight|null, dbias|null)
//   lstmCell(gi, giOffset, gh, ghOffset, c, cOffset, n, h, hy, cy, workspace)
//   lstmCellBackward(dh|null, dhOffset, dc|null, dcOffset, workspace, c, cOffset, cy, n, h, dgates, dcPrev)
//   gruCell(gi, giOffset, gh, ghOffset, hx, hxOffset, n, h, hy, workspace)
//   gruCellBackward(dh, dhOffset, workspace, hx, hxOffset, n, h, dgi, dgh, dhPrev)
//   maskedSoftmax(x, xOffset, rows, cols, mask|null, maskOffset, maskRows, out)
//   softmaxBackward(y, g, gOffset, rows, cols, dx)
// Inputs are read contiguously from their offsets, outputs written from 0; every extent is checked against its
// array before anything is touched, and a bad argument throws a TypeError/RangeError naming it.
#include "addon/args.h"
#include "addon/bindings.h"
#include "sequence/sequence.h"

namespace tg {
namespace {

constexpr int64_t kMaxSafe = ((int64_t)1 << 53) - 1;
constexpr int64_t kMaxDim = ((int64_t)1 << 31) - 1;

// One float array argument: its kind must match `kind` (the first array's), and [offset, offset + count) must lie inside it.
struct Checker {
  const Args& a;
  DType kind;
  bool first = true;
  bool take(size_t i, const char* what, int64_t offset, int64_t count, Array* out, bool allow_null = false) {
    if (!get_float_array(a, i, what, out, allow_null)) return false;
    if (out->null) return true;
    if (first) {
      kind = out->dtype;
      first = false;
    } else if (out->dtype != kind) {
      return throw_type_error(a, "%s is a %s but the first array is a %s", what, dtype_name(out->dtype), dtype_name(kind));
    }
    return check_range(a, what, *out, offset, count);
  }
};

bool product(const Args& a, const char* what, int64_t x, int64_t y, int64_t* out) {
  if (__builtin_mul_overflow(x, y, out) || *out > kMaxSafe) return throw_range_error(a, "%s has too many elements", what);
  return true;
}

template <class T>
T* ptr(const Array& arr, int64_t offset = 0) {
  return arr.null ? nullptr : static_cast<T*>(arr.data) + offset;
}

}  // namespace

napi_value js_layer_norm(napi_env env, napi_callback_info info) {
  Args a;
  int64_t x_off, rows, cols, size;
  double eps;
  if (!get_args(env, info, "layerNorm", 10, &a) || !get_int(a, 1, "xOffset", 0, kMaxSafe, &x_off) ||
      !get_int(a, 2, "rows", 0, kMaxDim, &rows) || !get_int(a, 3, "cols", 0, kMaxDim, &cols) ||
      !get_number(a, 6, "eps", &eps) || !product(a, "x", rows, cols, &size))
    return nullptr;
  Checker c{a, DType::F32};
  Array x, w, b, y, mean, rstd;
  if (!c.take(0, "x", x_off, size, &x) || !c.take(4, "weight", 0, cols, &w, true) || !c.take(5, "bias", 0, cols, &b, true) ||
      !c.take(7, "y", 0, size, &y) || !c.take(8, "mean", 0, rows, &mean) || !c.take(9, "rstd", 0, rows, &rstd))
    return nullptr;
  if (x.dtype == DType::F32)
    layer_norm<float>(ptr<float>(x, x_off), rows, cols, ptr<float>(w), ptr<float>(b), eps, ptr<float>(y), ptr<float>(mean),
                      ptr<float>(rstd));
  else
    layer_norm<double>(ptr<double>(x, x_off), rows, cols, ptr<double>(w), ptr<double>(b), eps, ptr<double>(y),
                       ptr<double>(mean), ptr<double>(rstd));
  return nullptr;
}

napi_value js_layer_norm_backward(napi_env env, napi_callback_info info) {
  Args a;
  int64_t g_off, x_off, rows, cols, size;
  if (!get_args(env, info, "layerNormBackward", 12, &a) || !get_int(a, 1, "gOffset", 0, kMaxSafe, &g_off) ||
      !get_int(a, 3, "xOffset", 0, kMaxSafe, &x_off) || !get_int(a, 7, "rows", 0, kMaxDim, &rows) ||
      !get_int(a, 8, "cols", 0, kMaxDim, &cols) || !product(a, "x", rows, cols, &size))
    return nullptr;
  Checker c{a, DType::F32};
  Array g, x, mean, rstd, w, dx, dw, db;
  if (!c.take(0, "g", g_off, size, &g) || !c.take(2, "x", x_off, size, &x) || !c.take(4, "mean", 0, rows, &mean) ||
      !c.take(5, "rstd", 0, rows, &rstd) || !c.take(6, "weight", 0, cols, &w, true) || !c.take(9, "dx", 0, size, &dx, true) ||
      !c.take(10, "dweight", 0, cols, &dw, true) || !c.take(11, "dbias", 0, cols, &db, true))
    return nullptr;
  if (g.dtype == DType::F32)
    layer_norm_backward<float>(ptr<float>(g, g_off), ptr<float>(x, x_off), ptr<float>(mean), ptr<float>(rstd), ptr<float>(w), rows,
                               cols, ptr<float>(dx), ptr<float>(dw), ptr<float>(db));
  else
    layer_norm_backward<double>(ptr<double>(g, g_off), ptr<double>(x, x_off), ptr<double>(mean), ptr<double>(rstd),
                                ptr<double>(w), rows, cols, ptr<double>(dx), ptr<double>(dw), ptr<double>(db));
  return nullptr;
}

napi_value js_lstm_cell(napi_env env, napi_callback_info info) {
  Args a;
  int64_t gi_off, gh_off, c_off, n, h, nh, ng;
  if (!get_args(env, info, "lstmCell", 11, &a) || !get_int(a, 1, "giOffset", 0, kMaxSafe, &gi_off) ||
      !get_int(a, 3, "ghOffset", 0, kMaxSafe, &gh_off) || !get_int(a, 5, "cOffset", 0, kMaxSafe, &c_off) ||
      !get_int(a, 6, "n", 0, kMaxDim, &n) || !get_int(a, 7, "h", 0, kMaxDim, &h) || !product(a, "c", n, h, &nh) ||
      !product(a, "gates", nh, 4, &ng))
    return nullptr;
  Checker c{a, DType::F32};
  Array gi, gh, cx, hy, cy, ws;
  if (!c.take(0, "gi", gi_off, ng, &gi) || !c.take(2, "gh", gh_off, ng, &gh) || !c.take(4, "c", c_off, nh, &cx) ||
      !c.take(8, "hy", 0, nh, &hy) || !c.take(9, "cy", 0, nh, &cy) || !c.take(10, "workspace", 0, ng, &ws))
    return nullptr;
  if (gi.dtype == DType::F32)
    lstm_cell<float>(ptr<float>(gi, gi_off), ptr<float>(gh, gh_off), ptr<float>(cx, c_off), n, h, ptr<float>(hy), ptr<float>(cy),
                     ptr<float>(ws));
  else
    lstm_cell<double>(ptr<double>(gi, gi_off), ptr<double>(gh, gh_off), ptr<double>(cx, c_off), n, h, ptr<double>(hy),
                      ptr<double>(cy), ptr<double>(ws));
  return nullptr;
}

napi_value js_lstm_cell_backward(napi_env env, napi_callback_info info) {
  Args a;
  int64_t dh_off, dc_off, c_off, n, h, nh, ng;
  if (!get_args(env, info, "lstmCellBackward", 12, &a) || !get_int(a, 1, "dhOffset", 0, kMaxSafe, &dh_off) ||
      !get_int(a, 3, "dcOffset", 0, kMaxSafe, &dc_off) || !get_int(a, 6, "cOffset", 0, kMaxSafe, &c_off) ||
      !get_int(a, 8, "n", 0, kMaxDim, &n) || !get_int(a, 9, "h", 0, kMaxDim, &h) || !product(a, "c", n, h, &nh) ||
      !product(a, "gates", nh, 4, &ng))
    return nullptr;
  Checker c{a, DType::F32};
  Array ws, dh, dc, cx, cy, dg, dcp;
  // The workspace is taken first so that its kind is the one every other array must have.
  if (!c.take(4, "workspace", 0, ng, &ws) || !c.take(0, "dh", dh_off, nh, &dh, true) || !c.take(2, "dc", dc_off, nh, &dc, true) ||
      !c.take(5, "c", c_off, nh, &cx) || !c.take(7, "cy", 0, nh, &cy) || !c.take(10, "dgates", 0, ng, &dg) ||
      !c.take(11, "dcPrev", 0, nh, &dcp))
    return nullptr;
  if (ws.dtype == DType::F32)
    lstm_cell_backward<float>(ptr<float>(dh, dh_off), ptr<float>(dc, dc_off), ptr<float>(ws), ptr<float>(cx, c_off), ptr<float>(cy),
                              n, h, ptr<float>(dg), ptr<float>(dcp));
  else
    lstm_cell_backward<double>(ptr<double>(dh, dh_off), ptr<double>(dc, dc_off), ptr<double>(ws), ptr<double>(cx, c_off),
                               ptr<double>(cy), n, h, ptr<double>(dg), ptr<double>(dcp));
  return nullptr;
}

napi_value js_gru_cell(napi_env env, napi_callback_info info) {
  Args a;
  int64_t gi_off, gh_off, h_off, n, h, nh, ng, nw;
  if (!get_args(env, info, "gruCell", 10, &a) || !get_int(a, 1, "giOffset", 0, kMaxSafe, &gi_off) ||
      !get_int(a, 3, "ghOffset", 0, kMaxSafe, &gh_off) || !get_int(a, 5, "hxOffset", 0, kMaxSafe, &h_off) ||
      !get_int(a, 6, "n", 0, kMaxDim, &n) || !get_int(a, 7, "h", 0, kMaxDim, &h) || !product(a, "hx", n, h, &nh) ||
      !product(a, "gates", nh, 3, &ng) || !product(a, "workspace", nh, 4, &nw))
    return nullptr;
  Checker c{a, DType::F32};
  Array gi, gh, hx, hy, ws;
  if (!c.take(0, "gi", gi_off, ng, &gi) || !c.take(2, "gh", gh_off, ng, &gh) || !c.take(4, "hx", h_off, nh, &hx) ||
      !c.take(8, "hy", 0, nh, &hy) || !c.take(9, "workspace", 0, nw, &ws))
    return nullptr;
  if (gi.dtype == DType::F32)
    gru_cell<float>(ptr<float>(gi, gi_off), ptr<float>(gh, gh_off), ptr<float>(hx, h_off), n, h, ptr<float>(hy), ptr<float>(ws));
  else
    gru_cell<double>(ptr<double>(gi, gi_off), ptr<double>(gh, gh_off), ptr<double>(hx, h_off), n, h, ptr<double>(hy),
                     ptr<double>(ws));
  return nullptr;
}

napi_value js_gru_cell_backward(napi_env env, napi_callback_info info) {
  Args a;
  int64_t dh_off, h_off, n, h, nh, ng, nw;
  if (!get_args(env, info, "gruCellBackward", 10, &a) || !get_int(a, 1, "dhOffset", 0, kMaxSafe, &dh_off) ||
      !get_int(a, 4, "hxOffset", 0, kMaxSafe, &h_off) || !get_int(a, 5, "n", 0, kMaxDim, &n) ||
      !get_int(a, 6, "h", 0, kMaxDim, &h) || !product(a, "hx", n, h, &nh) || !product(a, "gates", nh, 3, &ng) ||
      !product(a, "workspace", nh, 4, &nw))
    return nullptr;
  Checker c{a, DType::F32};
  Array dh, ws, hx, dgi, dgh, dhp;
  if (!c.take(0, "dh", dh_off, nh, &dh) || !c.take(2, "workspace", 0, nw, &ws) || !c.take(3, "hx", h_off, nh, &hx) ||
      !c.take(7, "dgi", 0, ng, &dgi) || !c.take(8, "dgh", 0, ng, &dgh) || !c.take(9, "dhPrev", 0, nh, &dhp))
    return nullptr;
  if (dh.dtype == DType::F32)
    gru_cell_backward<float>(ptr<float>(dh, dh_off), ptr<float>(ws), ptr<float>(hx, h_off), n, h, ptr<float>(dgi), ptr<float>(dgh),
                             ptr<float>(dhp));
  else
    gru_cell_backward<double>(ptr<double>(dh, dh_off), ptr<double>(ws), ptr<double>(hx, h_off), n, h, ptr<double>(dgi),
                              ptr<double>(dgh), ptr<double>(dhp));
  return nullptr;
}

napi_value js_masked_softmax(napi_env env, napi_callback_info info) {
  Args a;
  int64_t x_off, rows, cols, m_off, m_rows, size, msize;
  if (!get_args(env, info, "maskedSoftmax", 8, &a) || !get_int(a, 1, "xOffset", 0, kMaxSafe, &x_off) ||
      !get_int(a, 2, "rows", 0, kMaxDim, &rows) || !get_int(a, 3, "cols", 0, kMaxDim, &cols) ||
      !get_int(a, 5, "maskOffset", 0, kMaxSafe, &m_off) || !get_int(a, 6, "maskRows", 1, kMaxDim, &m_rows) ||
      !product(a, "x", rows, cols, &size) || !product(a, "mask", m_rows, cols, &msize))
    return nullptr;
  Checker c{a, DType::F32};
  Array x, mask, out;
  if (!c.take(0, "x", x_off, size, &x) || !c.take(4, "mask", m_off, msize, &mask, true) || !c.take(7, "out", 0, size, &out))
    return nullptr;
  if (x.dtype == DType::F32)
    masked_softmax<float>(ptr<float>(x, x_off), rows, cols, ptr<float>(mask, m_off), m_rows, ptr<float>(out));
  else
    masked_softmax<double>(ptr<double>(x, x_off), rows, cols, ptr<double>(mask, m_off), m_rows, ptr<double>(out));
  return nullptr;
}

napi_value js_softmax_backward(napi_env env, napi_callback_info info) {
  Args a;
  int64_t g_off, rows, cols, size;
  if (!get_args(env, info, "softmaxBackward", 6, &a) || !get_int(a, 2, "gOffset", 0, kMaxSafe, &g_off) ||
      !get_int(a, 3, "rows", 0, kMaxDim, &rows) || !get_int(a, 4, "cols", 0, kMaxDim, &cols) ||
      !product(a, "y", rows, cols, &size))
    return nullptr;
  Checker c{a, DType::F32};
  Array y, g, dx;
  if (!c.take(0, "y", 0, size, &y) || !c.take(1, "g", g_off, size, &g) || !c.take(5, "dx", 0, size, &dx)) return nullptr;
  if (y.dtype == DType::F32)
    softmax_backward<float>(ptr<float>(y), ptr<float>(g, g_off), rows, cols, ptr<float>(dx));
  else
    softmax_backward<double>(ptr<double>(y), ptr<double>(g, g_off), rows, cols, ptr<double>(dx));
  return nullptr;
}

}  // namespace tg
