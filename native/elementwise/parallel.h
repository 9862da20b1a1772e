#pragma once
// Splits [0, n) into contiguous chunks over the thread pool; work below two grains stays on the caller.
#include <cstdint>

#include "common/thread_pool.h"

namespace tg {

template <class F>
void parallel_range(int64_t n, int64_t grain, F&& f) {
  const int64_t threads = get_num_threads();
  if (threads <= 1 || n < 2 * grain) {
    f(int64_t{0}, n);
    return;
  }
  int64_t tasks = n / grain;
  if (tasks > 4 * threads) tasks = 4 * threads;  // a few tasks per thread balance a noisy, shared machine
  parallel_for((size_t)tasks, [&](size_t t) {
    const int64_t b = n * (int64_t)t / tasks, e = n * ((int64_t)t + 1) / tasks;
    f(b, e);
  });
}

// Grains in elements: cheap ops need more work per task to pay for waking a thread.
constexpr int64_t kGrainCheap = 1 << 17;
constexpr int64_t kGrainCostly = 1 << 14;

}  // namespace tg
