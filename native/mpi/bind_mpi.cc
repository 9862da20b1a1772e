// The N-API face of the MPI binding (a separate addon, tensorgrad_mpi.node, so that the main addon never
// links libmpi). Collectives are queued on the communication thread and named by an id; the typed arrays
// they read and write are held by references until the job is waited for, so the garbage collector cannot
// free a buffer MPI is still writing. All MPI calls but init, finalize and abort run on that thread.
#include <mpi.h>
#include <node_api.h>

#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <unordered_map>

#include "comm_thread.h"

namespace tgmpi {
namespace {

struct Entry {
  std::shared_ptr<Job> job;
  napi_ref refs[2] = {nullptr, nullptr};
};

struct State {
  bool initialized = false;
  bool finalized = false;
  int rank = 0;
  int size = 1;
  std::unique_ptr<CommThread> comm;
  std::unordered_map<int64_t, Entry> jobs;
  int64_t next_id = 1;
};

// One MPI per process: the binding is loaded once (worker threads get an error from init).
State g_state;
napi_env g_owner = nullptr;

napi_value throw_error(napi_env env, const char* kind, const std::string& msg) {
  bool pending = false;
  if (napi_is_exception_pending(env, &pending) == napi_ok && pending) return nullptr;
  if (std::strcmp(kind, "type") == 0) napi_throw_type_error(env, nullptr, msg.c_str());
  else if (std::strcmp(kind, "range") == 0) napi_throw_range_error(env, nullptr, msg.c_str());
  else napi_throw_error(env, nullptr, msg.c_str());
  return nullptr;
}

bool get_int(napi_env env, napi_value v, const char* what, int64_t lo, int64_t hi, int64_t* out) {
  double d = 0;
  if (napi_get_value_double(env, v, &d) != napi_ok || !(d >= (double)lo && d <= (double)hi) || (double)(int64_t)d != d) {
    throw_error(env, "type", std::string("tensorgrad_mpi: ") + what + " must be an integer in range");
    return false;
  }
  *out = (int64_t)d;
  return true;
}

struct Buffer {
  void* data = nullptr;
  size_t length = 0;
  napi_typedarray_type type = napi_float32_array;
};

bool get_buffer(napi_env env, napi_value v, const char* what, Buffer* out) {
  bool is_ta = false;
  if (napi_is_typedarray(env, v, &is_ta) != napi_ok || !is_ta) {
    throw_error(env, "type", std::string("tensorgrad_mpi: ") + what + " must be a typed array");
    return false;
  }
  napi_value ab;
  size_t offset = 0;
  if (napi_get_typedarray_info(env, v, &out->type, &out->length, &out->data, &ab, &offset) != napi_ok) {
    throw_error(env, "type", std::string("tensorgrad_mpi: cannot read ") + what);
    return false;
  }
  bool detached = false;
  if (napi_is_detached_arraybuffer(env, ab, &detached) == napi_ok && detached) {
    throw_error(env, "type", std::string("tensorgrad_mpi: ") + what + "'s buffer is detached");
    return false;
  }
  return true;
}

bool elem_of(napi_env env, napi_typedarray_type t, Elem* out) {
  switch (t) {
    case napi_float32_array: *out = Elem::F32; return true;
    case napi_float64_array: *out = Elem::F64; return true;
    case napi_int32_array: *out = Elem::I32; return true;
    default:
      throw_error(env, "type", "tensorgrad_mpi: only Float32Array, Float64Array and Int32Array buffers can be communicated");
      return false;
  }
}

bool check_ready(napi_env env) {
  if (!g_state.initialized || g_state.finalized) {
    throw_error(env, "", "Default process group has not been initialized, please make sure to call init_process_group.");
    return false;
  }
  return true;
}

napi_value make_number(napi_env env, double v) {
  napi_value r = nullptr;
  napi_create_double(env, v, &r);
  return r;
}

napi_value times_of(napi_env env, const Job& job) {
  napi_value arr = nullptr;
  napi_create_array_with_length(env, 3, &arr);
  napi_set_element(env, arr, 0, make_number(env, job.queued_ms));
  napi_set_element(env, arr, 1, make_number(env, job.started_ms));
  napi_set_element(env, arr, 2, make_number(env, job.finished_ms));
  return arr;
}

void release(napi_env env, Entry& e) {
  for (napi_ref& r : e.refs) {
    if (r != nullptr) napi_delete_reference(env, r);
    r = nullptr;
  }
}

const char* level_name(int level) {
  switch (level) {
    case MPI_THREAD_SINGLE: return "MPI_THREAD_SINGLE";
    case MPI_THREAD_FUNNELED: return "MPI_THREAD_FUNNELED";
    case MPI_THREAD_SERIALIZED: return "MPI_THREAD_SERIALIZED";
    case MPI_THREAD_MULTIPLE: return "MPI_THREAD_MULTIPLE";
    default: return "unknown";
  }
}

// init() -> { rank, size, threadLevel, library }
napi_value js_init(napi_env env, napi_callback_info) {
  if (g_owner != nullptr && g_owner != env) return throw_error(env, "", "MPI can be used from one thread of a process only (the main one)");
  if (g_state.finalized) return throw_error(env, "", "MPI cannot be initialized again in a process after destroyProcessGroup (an MPI rule)");
  if (!g_state.initialized) {
    int already = 0;
    MPI_Initialized(&already);
    int provided = MPI_THREAD_SINGLE;
    // The communication thread makes MPI calls while the main thread may call MPI_Abort: ask for MULTIPLE,
    // and accept SERIALIZED, under which the calls that matter never overlap.
    if (already) MPI_Query_thread(&provided);
    else if (MPI_Init_thread(nullptr, nullptr, MPI_THREAD_MULTIPLE, &provided) != MPI_SUCCESS) {
      return throw_error(env, "", "MPI_Init_thread failed");
    }
    if (provided < MPI_THREAD_SERIALIZED) {
      return throw_error(env, "", std::string("the MPI library provides ") + level_name(provided) +
                                      "; tensorgrad's communication thread needs MPI_THREAD_SERIALIZED or MPI_THREAD_MULTIPLE");
    }
    MPI_Comm_rank(MPI_COMM_WORLD, &g_state.rank);
    MPI_Comm_size(MPI_COMM_WORLD, &g_state.size);
    g_state.comm.reset(new CommThread(g_state.size));
    g_state.comm->start();
    g_state.initialized = true;
    g_owner = env;
  }
  int provided = MPI_THREAD_SINGLE;
  MPI_Query_thread(&provided);
  char lib[MPI_MAX_LIBRARY_VERSION_STRING];
  int len = 0;
  MPI_Get_library_version(lib, &len);
  std::string library(lib, (size_t)len);
  const size_t nl = library.find_first_of("\n,");
  if (nl != std::string::npos) library.resize(nl);
  napi_value out = nullptr, v = nullptr;
  napi_create_object(env, &out);
  napi_set_named_property(env, out, "rank", make_number(env, g_state.rank));
  napi_set_named_property(env, out, "size", make_number(env, g_state.size));
  napi_create_string_utf8(env, level_name(provided), NAPI_AUTO_LENGTH, &v);
  napi_set_named_property(env, out, "threadLevel", v);
  napi_create_string_utf8(env, library.c_str(), library.size(), &v);
  napi_set_named_property(env, out, "library", v);
  return out;
}

// submit(kind, op, root, recv, send) -> id. kind/op are the enums' positions (ts/distributed/native.ts).
napi_value js_submit(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  if (napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr) != napi_ok || argc < 5) {
    return throw_error(env, "type", "tensorgrad_mpi: submit expects 5 arguments");
  }
  if (!check_ready(env)) return nullptr;
  int64_t kind = 0, op = 0, root = 0;
  if (!get_int(env, argv[0], "kind", 0, (int64_t)Kind::Barrier, &kind) ||
      !get_int(env, argv[1], "op", 0, (int64_t)ReduceOp::Product, &op) ||
      !get_int(env, argv[2], "root", 0, g_state.size - 1, &root)) {
    return nullptr;
  }
  auto job = std::make_shared<Job>();
  job->kind = (Kind)kind;
  job->op = (ReduceOp)op;
  job->root = (int)root;
  Entry entry;
  const int64_t size = g_state.size;
  if (job->kind != Kind::Barrier) {
    Buffer recv, send;
    if (!get_buffer(env, argv[3], "output", &recv) || !elem_of(env, recv.type, &job->elem)) return nullptr;
    job->recv = recv.data;
    size_t count = recv.length;
    if (job->kind == Kind::AllGather || job->kind == Kind::ReduceScatter) {
      if (!get_buffer(env, argv[4], "input", &send)) return nullptr;
      if (send.type != recv.type) return throw_error(env, "type", "tensorgrad_mpi: input and output buffers differ in type");
      const bool gather = job->kind == Kind::AllGather;
      const size_t part = gather ? send.length : recv.length;
      if ((gather ? recv.length : send.length) != part * (size_t)size) {
        return throw_error(env, "range", "tensorgrad_mpi: the gathered buffer must hold world size times the part");
      }
      count = part;
      job->send = send.data;
    }
    if (count > (size_t)INT_MAX) return throw_error(env, "range", "tensorgrad_mpi: a collective over more than 2^31 - 1 elements");
    if (job->elem == Elem::I32 && job->op == ReduceOp::Avg &&
        (job->kind == Kind::AllReduce || job->kind == Kind::ReduceScatter)) {
      return throw_error(env, "type", "tensorgrad_mpi: avg of an integer buffer");
    }
    job->count = (int)count;
    napi_create_reference(env, argv[3], 1, &entry.refs[0]);
    if (job->send != nullptr) napi_create_reference(env, argv[4], 1, &entry.refs[1]);
  }
  entry.job = job;
  const int64_t id = g_state.next_id++;
  g_state.jobs.emplace(id, entry);
  g_state.comm->submit(job);
  return make_number(env, (double)id);
}

bool find(napi_env env, napi_value v, int64_t* id, Entry** out) {
  if (!get_int(env, v, "id", 1, INT64_C(1) << 52, id)) return false;
  auto it = g_state.jobs.find(*id);
  if (it == g_state.jobs.end()) {
    throw_error(env, "", "this collective was already waited for");
    return false;
  }
  *out = &it->second;
  return true;
}

// Ends a finished job: drops its buffers' references, forgets it, and returns its times or throws its error.
napi_value finish(napi_env env, int64_t id) {
  auto it = g_state.jobs.find(id);
  Entry e = it->second;
  g_state.jobs.erase(it);
  release(env, e);
  if (!e.job->error.empty()) return throw_error(env, "", e.job->error);
  return times_of(env, *e.job);
}

// wait(id) -> [queued, started, finished] ms: blocks this thread until the collective is done.
napi_value js_wait(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  int64_t id = 0;
  Entry* e = nullptr;
  if (argc < 1 || !find(env, argv[0], &id, &e)) return nullptr;
  g_state.comm->wait(e->job);
  return finish(env, id);
}

napi_value js_is_completed(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  int64_t id = 0;
  Entry* e = nullptr;
  if (argc < 1 || !find(env, argv[0], &id, &e)) return nullptr;
  napi_value r = nullptr;
  napi_get_boolean(env, g_state.comm->is_done(e->job), &r);
  return r;
}

struct AsyncWait {
  napi_async_work work = nullptr;
  napi_deferred deferred = nullptr;
  int64_t id = 0;
  std::shared_ptr<Job> job;
};

// waitAsync(id) -> Promise of the times: waits on a libuv worker, so the event loop keeps running.
napi_value js_wait_async(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  int64_t id = 0;
  Entry* e = nullptr;
  if (argc < 1 || !find(env, argv[0], &id, &e)) return nullptr;
  auto* w = new AsyncWait();
  w->id = id;
  w->job = e->job;
  napi_value promise = nullptr, name = nullptr;
  napi_create_promise(env, &w->deferred, &promise);
  napi_create_string_utf8(env, "tensorgrad_mpi.wait", NAPI_AUTO_LENGTH, &name);
  napi_create_async_work(
      env, nullptr, name,
      [](napi_env, void* data) {
        auto* w = static_cast<AsyncWait*>(data);
        g_state.comm->wait(w->job);
      },
      [](napi_env env, napi_status, void* data) {
        auto* w = static_cast<AsyncWait*>(data);
        napi_value result = nullptr;
        if (g_state.jobs.count(w->id) == 0) {
          // Waited for synchronously meanwhile: it succeeded or that wait threw.
          napi_get_undefined(env, &result);
          napi_resolve_deferred(env, w->deferred, result);
        } else {
          result = finish(env, w->id);
          napi_value error = nullptr;
          bool pending = false;
          if (napi_is_exception_pending(env, &pending) == napi_ok && pending) {
            napi_get_and_clear_last_exception(env, &error);
            napi_reject_deferred(env, w->deferred, error);
          } else {
            napi_resolve_deferred(env, w->deferred, result);
          }
        }
        napi_delete_async_work(env, w->work);
        delete w;
      },
      w, &w->work);
  napi_queue_async_work(env, w->work);
  return promise;
}

// finalize(): runs what is queued, stops the thread, MPI_Finalize.
napi_value js_finalize(napi_env env, napi_callback_info) {
  if (!g_state.initialized || g_state.finalized) return nullptr;
  g_state.comm->stop();
  for (auto& kv : g_state.jobs) release(env, kv.second);
  g_state.jobs.clear();
  g_state.finalized = true;
  MPI_Finalize();
  return nullptr;
}

// abort(message): prints it and ends every rank of the job (MPI_Abort), so a failed rank does not leave
// the others waiting in a collective forever.
napi_value js_abort(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  char msg[2048] = "";
  size_t len = 0;
  if (argc >= 1) napi_get_value_string_utf8(env, argv[0], msg, sizeof msg, &len);
  std::fprintf(stderr, "%s\n", msg);
  std::fflush(stderr);
  if (g_state.initialized && !g_state.finalized) MPI_Abort(MPI_COMM_WORLD, 1);
  std::_Exit(1);
}

napi_value init_module(napi_env env, napi_value exports) {
  const napi_property_descriptor props[] = {
      {"init", nullptr, js_init, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"submit", nullptr, js_submit, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"wait", nullptr, js_wait, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"waitAsync", nullptr, js_wait_async, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"isCompleted", nullptr, js_is_completed, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"finalize", nullptr, js_finalize, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"abort", nullptr, js_abort, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  return exports;
}

}  // namespace
}  // namespace tgmpi

NAPI_MODULE(NODE_GYP_MODULE_NAME, tgmpi::init_module)
