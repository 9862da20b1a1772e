// sgdStep(param, grad, buf|null, meta[lr, momentum, dampening, weightDecay, nesterov, maximize, firstStep])
// adamStep(param, grad, expAvg, expAvgSq, maxExpAvgSq|null,
//          meta[lr, beta1, beta2, eps, weightDecay, decoupled, amsgrad, maximize, step])
#include "addon/args.h"
#include "addon/bindings.h"
#include "optim/optim.h"

namespace tg {
namespace {

// Same kind and at least param's length.
bool check_like(const Args& a, const char* what, const Array& param, const Array& arr) {
  if (arr.dtype != param.dtype) return throw_type_error(a, "%s must be a %s", what, dtype_name(param.dtype));
  if (arr.length != param.length)
    return throw_range_error(a, "%s has %zu elements, param has %zu", what, arr.length, param.length);
  return true;
}

bool meta_flag(const Args& a, Meta& m, const char* what, bool* out) {
  int64_t v;
  if (!meta_int(a, m, what, 0, 1, &v)) return false;
  *out = v != 0;
  return true;
}

}  // namespace

napi_value js_sgd_step(napi_env env, napi_callback_info info) {
  Args a;
  Array p, g, buf;
  Meta m;
  SgdParams s;
  if (!get_args(env, info, "sgdStep", 4, &a) || !get_float_array(a, 0, "param", &p) ||
      !get_float_array(a, 1, "grad", &g) || !get_float_array(a, 2, "momentumBuf", &buf, true) || !get_meta(a, 3, &m) ||
      !meta_number(a, m, "lr", &s.lr) || !meta_number(a, m, "momentum", &s.momentum) ||
      !meta_number(a, m, "dampening", &s.dampening) || !meta_number(a, m, "weightDecay", &s.weight_decay) ||
      !meta_flag(a, m, "nesterov", &s.nesterov) || !meta_flag(a, m, "maximize", &s.maximize) ||
      !meta_flag(a, m, "firstStep", &s.first_step) || !check_like(a, "grad", p, g))
    return nullptr;
  if (s.momentum != 0) {
    if (buf.null) return throw_type_error(a, "momentumBuf is required when momentum != 0"), nullptr;
    if (!check_like(a, "momentumBuf", p, buf)) return nullptr;
  }
  sgd_step(p.dtype, p.data, g.data, s.momentum != 0 ? buf.data : nullptr, (int64_t)p.length, s);
  return nullptr;
}

napi_value js_adam_step(napi_env env, napi_callback_info info) {
  Args a;
  Array p, g, m1, m2, mx;
  Meta m;
  AdamParams s;
  if (!get_args(env, info, "adamStep", 6, &a) || !get_float_array(a, 0, "param", &p) ||
      !get_float_array(a, 1, "grad", &g) || !get_float_array(a, 2, "expAvg", &m1) ||
      !get_float_array(a, 3, "expAvgSq", &m2) || !get_float_array(a, 4, "maxExpAvgSq", &mx, true) ||
      !get_meta(a, 5, &m) || !meta_number(a, m, "lr", &s.lr) || !meta_number(a, m, "beta1", &s.beta1) ||
      !meta_number(a, m, "beta2", &s.beta2) || !meta_number(a, m, "eps", &s.eps) ||
      !meta_number(a, m, "weightDecay", &s.weight_decay) || !meta_flag(a, m, "decoupled", &s.decoupled) ||
      !meta_flag(a, m, "amsgrad", &s.amsgrad) || !meta_flag(a, m, "maximize", &s.maximize) ||
      !meta_number(a, m, "step", &s.step) || !check_like(a, "grad", p, g) || !check_like(a, "expAvg", p, m1) ||
      !check_like(a, "expAvgSq", p, m2))
    return nullptr;
  if (s.amsgrad) {
    if (mx.null) return throw_type_error(a, "maxExpAvgSq is required with amsgrad"), nullptr;
    if (!check_like(a, "maxExpAvgSq", p, mx)) return nullptr;
  }
  adam_step(p.dtype, p.data, g.data, m1.data, m2.data, s.amsgrad ? mx.data : nullptr, (int64_t)p.length, s);
  return nullptr;
}

}  // namespace tg
