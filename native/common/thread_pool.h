#pragma once

#include <cstddef>
#include <memory>
#include <type_traits>

namespace tg {

using TaskFn = void (*)(void* ctx, size_t task);

// Runs fn(ctx, i) for every i < n_tasks on the pool; the calling thread takes tasks too and returns when all
// are done. Tasks are handed out dynamically. Runs inline when there is one thread, one task, when called
// from a pool worker, while another thread is using the pool, or when the OS refuses to start workers. If fn
// throws, the first exception is rethrown here once every task has run. Nested calls from inside a task run
// inline.
void parallel_for_raw(size_t n_tasks, TaskFn fn, void* ctx);

template <class F>
void parallel_for(size_t n_tasks, F&& fn) {
  using Fn = std::remove_reference_t<F>;
  parallel_for_raw(
      n_tasks, [](void* ctx, size_t i) { (*static_cast<Fn*>(ctx))(i); },
      const_cast<void*>(static_cast<const void*>(std::addressof(fn))));
}

// Number of threads parallel_for may use, caller included. Default: std::thread::hardware_concurrency().
void set_num_threads(int n);
int get_num_threads();

// When the OS refused a worker thread, a warning saying so is pending until taken (once per process):
// take_thread_warning copies it into out and returns true the first time only.
bool thread_warning_pending();
bool take_thread_warning(char* out, size_t n);

}  // namespace tg
