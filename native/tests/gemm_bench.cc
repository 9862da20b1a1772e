// GFLOP/s of gemm_f32 (and f64 with --f64) for square n at 1 and 2 threads, best of several reps.
// Usage: gemm_bench [--f64] [--trans] [--cputime] [-t1|-t2] [sizes...]   or
//        gemm_bench [--cputime] [-t1|-t2] --shapes [max m·n·k]
#include <time.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <vector>

#include "../common/cpu_features.h"
#include "../common/thread_pool.h"
#include "../gemm/gemm.h"

namespace {

// --cputime: time with this thread's CPU clock, which ignores time the scheduler gives to other processes
// (useful for 1-thread tuning on a busy machine; meaningless for 2 threads).
bool use_cputime = false;

double now() {
  if (use_cputime) {
    timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
  }
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

template <typename T>
void call(const tg::GemmParams<T>& p);
template <>
void call<float>(const tg::GemmParams<float>& p) { tg::gemm_f32(p); }
template <>
void call<double>(const tg::GemmParams<double>& p) { tg::gemm_f64(p); }

template <typename T>
double bench(int64_t m, int64_t n, int64_t k, bool ta, bool tb, int threads, double beta = 0.0) {
  tg::set_num_threads(threads);
  std::vector<T> a(m * k), b(k * n), c(m * n);
  std::mt19937 rng(1);
  std::uniform_real_distribution<float> u(-1, 1);
  for (auto& x : a) x = u(rng);
  for (auto& x : b) x = u(rng);
  tg::GemmParams<T> p;
  p.transA = ta;
  p.transB = tb;
  p.m = m;
  p.n = n;
  p.k = k;
  p.a = a.data();
  p.lda = ta ? m : k;
  p.b = b.data();
  p.ldb = tb ? k : n;
  p.c = c.data();
  p.ldc = n;
  p.beta = beta;
  const double flop = 2.0 * m * n * k;
  // Enough calls per rep for ~20 ms, and reps for ~0.3 s in total.
  int inner = 1;
  for (;;) {
    const double t0 = now();
    for (int i = 0; i < inner; ++i) call<T>(p);
    const double dt = now() - t0;
    if (dt > 0.02 || inner >= (1 << 20)) break;
    inner *= 2;
  }
  double best = 1e30;
  for (int rep = 0; rep < 12; ++rep) {
    const double t0 = now();
    for (int i = 0; i < inner; ++i) call<T>(p);
    const double dt = (now() - t0) / inner;
    if (dt < best) best = dt;
  }
  return flop / best * 1e-9;
}

}  // namespace

// The products of the project's training workloads (W2–W5 in shared/reference/ANCHORS.md), forward and
// backward: {m, n, k, transA, transB, beta}. Keep in sync with gemm_bench_numpy_shapes.py.
struct Shape {
  int64_t m, n, k;
  bool ta, tb;
  double beta;
};
const Shape kWorkloadShapes[] = {
    // W2 WideNet, batch 32
    {32, 512, 1, false, true, 1.0}, {32, 1, 512, false, true, 0.0}, {32, 512, 1, false, false, 0.0},
    {1, 512, 32, true, false, 0.0}, {512, 1, 32, true, false, 0.0},
    // W3/W4 64×1000→100→10
    {64, 100, 1000, false, false, 0.0}, {64, 10, 100, false, false, 0.0}, {64, 100, 10, false, true, 0.0},
    {1000, 100, 64, true, false, 0.0}, {100, 10, 64, true, false, 0.0}, {64, 100, 1000, false, true, 0.0},
    {64, 10, 100, false, true, 0.0}, {64, 1000, 100, false, false, 0.0}, {64, 100, 10, false, false, 0.0},
    {100, 1000, 64, true, false, 0.0}, {10, 100, 64, true, false, 0.0},
    // W5 batch 128, 784-512-512-10
    {128, 512, 784, false, true, 0.0}, {128, 512, 512, false, true, 0.0}, {128, 10, 512, false, true, 0.0},
    {128, 784, 512, false, false, 0.0}, {128, 512, 512, false, false, 0.0}, {128, 512, 10, false, false, 0.0},
    {512, 784, 128, true, false, 0.0}, {512, 512, 128, true, false, 0.0}, {10, 512, 128, true, false, 0.0},
};

void bench_shapes(int only_threads, int64_t max_flops) {
  std::printf("%5s %5s %5s %3s %3s %4s %10s %10s %10s %10s\n", "m", "n", "k", "tA", "tB", "beta", "1t GF/s",
              "2t GF/s", "1t us", "2t us");
  for (const Shape& s : kWorkloadShapes) {
    if (max_flops > 0 && s.m * s.n * s.k > max_flops) continue;
    const double g1 = only_threads == 2 ? 0.0 : bench<float>(s.m, s.n, s.k, s.ta, s.tb, 1, s.beta);
    const double g2 = only_threads == 1 ? 0.0 : bench<float>(s.m, s.n, s.k, s.ta, s.tb, 2, s.beta);
    const double f = 2.0 * s.m * s.n * s.k * 1e-3;
    std::printf("%5lld %5lld %5lld %3d %3d %4.0f %10.2f %10.2f %10.2f %10.2f\n", (long long)s.m, (long long)s.n,
                (long long)s.k, s.ta, s.tb, s.beta, g1, g2, f / g1, f / g2);
    std::fflush(stdout);
  }
}

int main(int argc, char** argv) {
  bool f64 = false, trans = false, shapes = false;
  int only_threads = 0;
  std::vector<int64_t> sizes;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--f64") == 0) f64 = true;
    else if (std::strcmp(argv[i], "--trans") == 0) trans = true;
    else if (std::strcmp(argv[i], "--cputime") == 0) use_cputime = true;
    else if (std::strcmp(argv[i], "--shapes") == 0) shapes = true;
    else if (std::strncmp(argv[i], "-t", 2) == 0) only_threads = std::atoi(argv[i] + 2);
    else sizes.push_back(std::atoll(argv[i]));
  }
  if (shapes) {
    // Trailing number with --shapes: only shapes with m·n·k up to it.
    bench_shapes(only_threads, sizes.empty() ? 0 : sizes[0]);
    return 0;
  }
  if (sizes.empty()) sizes = {64, 128, 256, 512, 1024, 2048};
  std::printf("cpu level %s, %s\n%6s %12s %12s\n", tg::cpu_level_name(tg::cpu_level()), f64 ? "f64" : "f32", "n",
              "1 thread", "2 threads");
  for (int64_t n : sizes) {
    double g[2] = {0, 0};
    for (int t = 1; t <= 2; ++t) {
      if (only_threads != 0 && t != only_threads) continue;
      g[t - 1] = f64 ? bench<double>(n, n, n, false, trans, t) : bench<float>(n, n, n, false, trans, t);
    }
    const double g1 = g[0], g2 = g[1];
    std::printf("%6lld %12.1f %12.1f\n", (long long)n, g1, g2);
    std::fflush(stdout);
  }
  return 0;
}
