#include "thread_pool.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <mutex>
#include <new>
#include <stdexcept>
#include <thread>
#include <vector>

#if defined(__x86_64__) || defined(_M_X64) || defined(__i386__)
#include <immintrin.h>
#define TG_PAUSE() _mm_pause()
#elif defined(__aarch64__)
#define TG_PAUSE() __asm__ __volatile__("yield")
#else
#define TG_PAUSE() ((void)0)
#endif

namespace tg {

namespace {

// Idle workers and a waiting caller spin this long before blocking: enough to catch the next parallel_for
// of a multi-phase kernel, short enough not to steal a shared core from others.
constexpr auto kSpin = std::chrono::microseconds(30);

// Set on pool workers, and on a caller while it runs a job: a nested parallel_for then runs inline (a
// worker must not wait on the pool it serves; the caller must not try_lock a mutex it holds).
thread_local bool tl_in_pool = false;

// The one warning about threads the OS refused: written once, taken once (take_thread_warning).
std::atomic<bool> g_warning_pending{false};
std::atomic<bool> g_warning_written{false};
char g_warning[256];

void note_thread_shortfall(size_t want, size_t got, const char* why) {
  bool expected = false;
  if (!g_warning_written.compare_exchange_strong(expected, true)) return;
  std::snprintf(g_warning, sizeof g_warning,
                "tensorgrad: the OS refused to start a thread (%s); kernels run on %zu thread%s instead of %zu",
                why, got, got == 1 ? "" : "s", want);
  g_warning_pending.store(true, std::memory_order_release);
}

int default_threads() {
  const unsigned hc = std::thread::hardware_concurrency();
  return hc == 0 ? 1 : static_cast<int>(hc);
}

// A task's exception, carried from a worker to the caller by value: what the addon's entry points tell apart
// (out of memory, or an error with a message). Not std::exception_ptr, whose copies call libstdc++ entry
// points newer than the oldest C++ runtime the release binary supports (CXXABI_1.3.13, GCC 11).
struct TaskError {
  enum class Kind { None, OutOfMemory, Error };
  Kind kind = Kind::None;
  char what[256] = "";

  TaskError() = default;
  TaskError(Kind k, const char* msg) : kind(k) {
    if (msg != nullptr) std::snprintf(what, sizeof what, "%s", msg);
  }

  void rethrow() const {
    if (kind == Kind::OutOfMemory) throw std::bad_alloc();
    if (kind == Kind::Error) throw std::runtime_error(what);
  }
};

template <class Pred>
bool spin_until(Pred done) {
  const auto until = std::chrono::steady_clock::now() + kSpin;
  for (;;) {
    for (int i = 0; i < 32; ++i) {
      if (done()) return true;
      TG_PAUSE();
    }
    if (std::chrono::steady_clock::now() >= until) return done();
  }
}

class Pool {
 public:
  void run(size_t n_tasks, TaskFn fn, void* ctx) {
    if (n_tasks == 0) return;
    if (n_tasks == 1 || tl_in_pool || threads_.load(std::memory_order_relaxed) <= 1 ||
        n_tasks > UINT32_MAX) {
      run_inline(n_tasks, fn, ctx);
      return;
    }
    std::unique_lock<std::mutex> call(call_mutex_, std::try_to_lock);
    if (!call.owns_lock()) {
      run_inline(n_tasks, fn, ctx);
      return;
    }
    if (!start_workers()) {
      run_inline(n_tasks, fn, ctx);
      return;
    }
    uint32_t gen;
    {
      std::lock_guard<std::mutex> lk(m_);
      fn_ = fn;
      ctx_ = ctx;
      n_ = n_tasks;
      done_.store(0, std::memory_order_relaxed);
      gen = ++gen_;
      state_.store(static_cast<uint64_t>(gen) << 32, std::memory_order_release);
      gen_pub_.store(gen, std::memory_order_release);
    }
    cv_work_.notify_all();
    tl_in_pool = true;
    work(gen, fn, ctx, n_tasks);
    tl_in_pool = false;
    auto finished = [&] { return done_.load(std::memory_order_acquire) == n_tasks; };
    if (!spin_until(finished)) {
      std::unique_lock<std::mutex> lk(m_);
      cv_done_.wait(lk, finished);
    }
    if (failed_.load(std::memory_order_acquire)) {
      TaskError e;
      {
        std::lock_guard<std::mutex> lk(m_);
        e = error_;
        error_ = TaskError();
        failed_.store(false, std::memory_order_relaxed);
      }
      e.rethrow();
    }
  }

  void set_threads(int n) {
    if (n < 1) n = 1;
    std::lock_guard<std::mutex> call(call_mutex_);
    stop_workers();
    threads_.store(n, std::memory_order_relaxed);
  }

  int threads() const { return threads_.load(std::memory_order_relaxed); }

 private:
  // An exception propagates to the caller (the addon's entry point turns it into a JS error).
  static void run_inline(size_t n_tasks, TaskFn fn, void* ctx) {
    for (size_t i = 0; i < n_tasks; ++i) fn(ctx, i);
  }

  // Keeps the job's first exception for run() to rethrow: one escaping a worker would end the process, and
  // swallowing it would return a half-written result as if it were right.
  void call(TaskFn fn, void* ctx, size_t i) {
    try {
      fn(ctx, i);
    } catch (const std::bad_alloc&) {
      fail(TaskError::Kind::OutOfMemory, nullptr);
    } catch (const std::exception& e) {
      fail(TaskError::Kind::Error, e.what());
    } catch (...) {
      fail(TaskError::Kind::Error, "unknown internal error");
    }
  }

  void fail(TaskError::Kind kind, const char* what) {
    std::lock_guard<std::mutex> lk(m_);
    if (error_.kind == TaskError::Kind::None) error_ = TaskError(kind, what);
    failed_.store(true, std::memory_order_release);
  }

  // Claims tasks of generation gen until none are left; the generation tag in state_ keeps a late worker
  // from claiming a task of a newer job with an older job's fn/ctx.
  void work(uint32_t gen, TaskFn fn, void* ctx, size_t n) {
    for (;;) {
      uint64_t v = state_.load(std::memory_order_acquire);
      for (;;) {
        if (static_cast<uint32_t>(v >> 32) != gen || (v & 0xffffffffu) >= n) return;
        if (state_.compare_exchange_weak(v, v + 1, std::memory_order_acq_rel)) break;
      }
      call(fn, ctx, static_cast<size_t>(v & 0xffffffffu));
      if (done_.fetch_add(1, std::memory_order_acq_rel) + 1 == n) {
        std::lock_guard<std::mutex> lk(m_);
        cv_done_.notify_all();
      }
    }
  }

  void worker_main() {
    tl_in_pool = true;
    uint32_t seen;
    {
      std::lock_guard<std::mutex> lk(m_);
      seen = gen_;
    }
    for (;;) {
      spin_until([&] { return gen_pub_.load(std::memory_order_acquire) != seen; });
      TaskFn fn;
      void* ctx;
      size_t n;
      {
        std::unique_lock<std::mutex> lk(m_);
        cv_work_.wait(lk, [&] { return stop_ || gen_ != seen; });
        if (stop_) return;
        seen = gen_;
        fn = fn_;
        ctx = ctx_;
        n = n_;
      }
      work(seen, fn, ctx, n);
    }
  }

  // Called with call_mutex_ held; false when there are no workers (run inline). Never throws: when the OS
  // refuses a thread (a pids cgroup, ulimit -u, no memory for its stack) the pool keeps the workers it got
  // and lowers the thread count to match, so kernels split their work for threads that exist, and the
  // refusal is reported once.
  bool start_workers() {
    const size_t want = static_cast<size_t>(threads_.load(std::memory_order_relaxed) - 1);
    if (workers_.size() == want) return want > 0;
    stop_workers();
    char why[128] = "";
    try {
      workers_.reserve(want);
      while (workers_.size() < want) workers_.emplace_back([this] { worker_main(); });
    } catch (const std::exception& e) {
      std::snprintf(why, sizeof why, "%s", e.what());
    } catch (...) {
      std::snprintf(why, sizeof why, "unknown error");
    }
    if (workers_.size() < want) {
      threads_.store(static_cast<int>(workers_.size()) + 1, std::memory_order_relaxed);
      note_thread_shortfall(want + 1, workers_.size() + 1, why);
    }
    return !workers_.empty();
  }

  void stop_workers() {
    {
      std::lock_guard<std::mutex> lk(m_);
      stop_ = true;
    }
    cv_work_.notify_all();
    for (auto& t : workers_) t.join();
    workers_.clear();
    std::lock_guard<std::mutex> lk(m_);
    stop_ = false;
  }

  std::mutex call_mutex_;
  std::mutex m_;
  std::condition_variable cv_work_, cv_done_;
  std::vector<std::thread> workers_;
  std::atomic<int> threads_{default_threads()};
  std::atomic<uint64_t> state_{0};
  std::atomic<uint32_t> gen_pub_{0};
  std::atomic<size_t> done_{0};
  uint32_t gen_ = 0;
  TaskFn fn_ = nullptr;
  void* ctx_ = nullptr;
  size_t n_ = 0;
  bool stop_ = false;
  std::atomic<bool> failed_{false};
  TaskError error_;  // guarded by m_
};

// Never destroyed: workers blocked at process exit are simply discarded, avoiding static-destruction order
// problems with threads that may still be inside a kernel.
Pool& pool() {
  static Pool* p = new Pool();
  return *p;
}

}  // namespace

void parallel_for_raw(size_t n_tasks, TaskFn fn, void* ctx) { pool().run(n_tasks, fn, ctx); }

void set_num_threads(int n) { pool().set_threads(n); }

int get_num_threads() { return pool().threads(); }

bool thread_warning_pending() { return g_warning_pending.load(std::memory_order_relaxed); }

bool take_thread_warning(char* out, size_t n) {
  if (n == 0 || !g_warning_pending.exchange(false, std::memory_order_acquire)) return false;
  std::snprintf(out, n, "%s", g_warning);
  return true;
}

}  // namespace tg
