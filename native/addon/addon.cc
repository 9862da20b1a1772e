// Module registration and the runtime queries (threads, CPU level). The addon keeps no mutable state of
// its own: every entry point works on the arguments it is given, so it loads in any number of
// worker_threads (N-API modules are context-aware).
#include <napi.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <new>

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

napi_value js_bf16_level(napi_env env, napi_callback_info) {
  napi_value v;
  napi_create_string_utf8(env, bf16_level_name(bf16_level()), NAPI_AUTO_LENGTH, &v);
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

// Hands the thread pool's one warning to process.emitWarning (stderr if that is unreachable). Waits for a
// call without a pending JS exception, since no JS can run while one is pending.
void emit_pending_warning(napi_env env) {
  bool pending = false;
  if (napi_is_exception_pending(env, &pending) != napi_ok || pending) return;
  char msg[256];
  if (!take_thread_warning(msg, sizeof msg)) return;
  napi_value global, process, emit, args[2], ignored;
  napi_valuetype t = napi_undefined;
  if (napi_get_global(env, &global) == napi_ok && napi_get_named_property(env, global, "process", &process) == napi_ok &&
      napi_typeof(env, process, &t) == napi_ok && t == napi_object &&
      napi_get_named_property(env, process, "emitWarning", &emit) == napi_ok && napi_typeof(env, emit, &t) == napi_ok &&
      t == napi_function && napi_create_string_utf8(env, msg, NAPI_AUTO_LENGTH, &args[0]) == napi_ok &&
      napi_create_string_utf8(env, "TensorgradWarning", NAPI_AUTO_LENGTH, &args[1]) == napi_ok &&
      napi_call_function(env, process, emit, 2, args, &ignored) == napi_ok)
    return;
  if (napi_is_exception_pending(env, &pending) == napi_ok && !pending) std::fprintf(stderr, "%s\n", msg);
}

void throw_internal(napi_env env, napi_callback_info info, bool oom, const char* what) {
  bool pending = false;
  if (napi_is_exception_pending(env, &pending) != napi_ok || pending) return;
  void* data = nullptr;
  napi_get_cb_info(env, info, nullptr, nullptr, nullptr, &data);
  char msg[512];
  std::snprintf(msg, sizeof msg, "tensorgrad native %s: %s", data ? static_cast<const char*>(data) : "call", what);
  if (oom) {
    napi_throw_range_error(env, nullptr, msg);
  } else {
    napi_throw_error(env, nullptr, msg);
  }
}

// Every entry point runs inside this: a C++ exception reaching N-API would terminate the process, so out of
// memory becomes a RangeError and anything else an Error. The entry's name arrives as the callback data.
template <napi_callback F>
napi_value guarded(napi_env env, napi_callback_info info) {
  napi_value r = nullptr;
  try {
    r = F(env, info);
  } catch (const std::bad_alloc&) {
    throw_internal(env, info, true, "out of memory");
  } catch (const std::exception& e) {
    throw_internal(env, info, false, e.what());
  } catch (...) {
    throw_internal(env, info, false, "unknown internal error");
  }
  if (thread_warning_pending()) emit_pending_warning(env);
  return r;
}

struct Entry {
  const char* name;
  napi_callback fn;
};

const Entry kEntries[] = {
    {"unary", guarded<js_unary>},
    {"binary", guarded<js_binary>},
    {"where", guarded<js_where>},
    {"fill", guarded<js_fill>},
    {"reduce", guarded<js_reduce>},
    {"argReduce", guarded<js_arg_reduce>},
    {"softmax", guarded<js_softmax>},
    {"gemm", guarded<js_gemm>},
    {"sgdStep", guarded<js_sgd_step>},
    {"adamStep", guarded<js_adam_step>},
    {"indexSelect", guarded<js_index_select>},
    {"indexAdd", guarded<js_index_add>},
    {"gather", guarded<js_gather>},
    {"scatterAdd", guarded<js_scatter_add>},
    {"im2col", guarded<js_im2col>},
    {"col2im", guarded<js_col2im>},
    {"maxPool2d", guarded<js_max_pool2d>},
    {"maxPool2dBackward", guarded<js_max_pool2d_backward>},
    {"batchNormStats", guarded<js_batch_norm_stats>},
    {"batchNormApply", guarded<js_batch_norm_apply>},
    {"batchNormBackward", guarded<js_batch_norm_backward>},
    {"layerNorm", guarded<js_layer_norm>},
    {"layerNormBackward", guarded<js_layer_norm_backward>},
    {"lstmCell", guarded<js_lstm_cell>},
    {"lstmCellBackward", guarded<js_lstm_cell_backward>},
    {"gruCell", guarded<js_gru_cell>},
    {"gruCellBackward", guarded<js_gru_cell_backward>},
    {"maskedSoftmax", guarded<js_masked_softmax>},
    {"softmaxBackward", guarded<js_softmax_backward>},
    {"setNumThreads", guarded<js_set_num_threads>},
    {"getNumThreads", guarded<js_get_num_threads>},
    {"cpuLevel", guarded<js_cpu_level>},
    {"bf16Level", guarded<js_bf16_level>},
    {"gemmBf16", guarded<js_gemm_bf16>},
    {"toHalf", guarded<js_to_half>},
    {"fromHalf", guarded<js_from_half>},
    {"opCounts", guarded<js_op_counts>},
};

// TENSORGRAD_CPU must name a level (cpu_env_value_valid); a typo would otherwise silently run the
// default kernels. False after throwing.
bool check_cpu_env(napi_env env) {
  const char* v = std::getenv("TENSORGRAD_CPU");
  if (v == nullptr || *v == '\0') return true;
  if (cpu_env_value_valid(v)) return true;
  char msg[256];
  std::snprintf(msg, sizeof msg,
                "tensorgrad: TENSORGRAD_CPU=\"%.64s\" is not a CPU level; use one of \"baseline\", \"avx2\", \"avx512\", "
                "\"avx512bf16\", \"amx\"",
                v);
  napi_throw_error(env, nullptr, msg);
  return false;
}

}  // namespace
}  // namespace tg

static Napi::Object InitTensorgrad(Napi::Env env, Napi::Object exports) {
  using namespace tg;
  if (!check_cpu_env(env)) return exports;
  tune_malloc_once();
  for (const Entry& e : kEntries) {
    napi_value fn;
    if (napi_create_function(env, e.name, NAPI_AUTO_LENGTH, e.fn, const_cast<char*>(e.name), &fn) != napi_ok ||
        napi_set_named_property(env, exports, e.name, fn) != napi_ok)
      return exports;  // a pending JS exception reports the failure
  }
  return exports;
}

NODE_API_MODULE(tensorgrad, InitTensorgrad)
