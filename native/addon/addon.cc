// Module registration and the runtime queries (threads, CPU level). The addon keeps no mutable state of
// its own: every entry point works on the arguments it is given, so it loads in any number of
// worker_threads (N-API modules are context-aware).
#include <napi.h>

#include "addon/args.h"
#include "addon/bindings.h"
#include "addon/malloc_tuning.h"
#include "common/cpu_features.h"
#include "common/thread_pool.h"
#include "elementwise/ops.h"

namespace tg {
namespace {

napi_value js_set_num_threads(napi_env env, napi_callback_info info) {
  Args a;
  int64_t n;
  if (!get_args(env, info, "setNumThreads", 1, &a) || !get_int(a, 0, "n", 1, 1024, &n)) return nullptr;
  set_num_threads((int)n);
  return nullptr;
}

napi_value js_get_num_threads(napi_env env, napi_callback_info) {
  napi_value v = nullptr;
  napi_create_int32(env, get_num_threads(), &v);
  return v;
}

napi_value js_cpu_level(napi_env env, napi_callback_info) {
  napi_value v = nullptr;
  napi_create_string_utf8(env, cpu_level_name(cpu_level()), NAPI_AUTO_LENGTH, &v);
  return v;
}

// The op table's sizes as compiled in (the TypeScript side checks them against its table at load).
napi_value js_op_counts(napi_env env, napi_callback_info) {
  napi_value v = nullptr, n = nullptr;
  napi_create_object(env, &v);
  napi_create_int32(env, kUnaryCount, &n);
  napi_set_named_property(env, v, "unary", n);
  napi_create_int32(env, kBinaryCount, &n);
  napi_set_named_property(env, v, "binary", n);
  napi_create_int32(env, kReduceCount, &n);
  napi_set_named_property(env, v, "reduce", n);
  return v;
}

struct Entry {
  const char* name;
  napi_callback fn;
};

const Entry kEntries[] = {
    {"unary", js_unary},
    {"binary", js_binary},
    {"where", js_where},
    {"fill", js_fill},
    {"reduce", js_reduce},
    {"argReduce", js_arg_reduce},
    {"softmax", js_softmax},
    {"gemm", js_gemm},
    {"sgdStep", js_sgd_step},
    {"adamStep", js_adam_step},
    {"indexSelect", js_index_select},
    {"indexAdd", js_index_add},
    {"gather", js_gather},
    {"scatterAdd", js_scatter_add},
    {"setNumThreads", js_set_num_threads},
    {"getNumThreads", js_get_num_threads},
    {"cpuLevel", js_cpu_level},
    {"opCounts", js_op_counts},
};

}  // namespace
}  // namespace tg

static Napi::Object InitTensorgrad(Napi::Env env, Napi::Object exports) {
  using namespace tg;
  tune_malloc_once();
  for (const Entry& e : kEntries) {
    napi_value fn;
    if (napi_create_function(env, e.name, NAPI_AUTO_LENGTH, e.fn, nullptr, &fn) != napi_ok ||
        napi_set_named_property(env, exports, e.name, fn) != napi_ok)
      return exports;  // a pending JS exception reports the failure
  }
  return exports;
}

NODE_API_MODULE(tensorgrad, InitTensorgrad)
