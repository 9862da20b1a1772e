// Checks gemm_f32/gemm_f64 against a double-accumulating reference over edge sizes, all transposes,
// alpha/beta variants, padded leading dimensions and batches, at 1 and 2 threads. The CPU level comes from
// TENSORGRAD_CPU (run once per level). GEMM_TEST_QUICK=1 skips the largest shapes (for sanitizer builds).
// Also prints a digest of the exact bits of every result: two builds of the library that print the same
// digest for a level compute bit-identical results there (check a change meant to leave the code alone).
#include <atomic>
#include <cmath>
#include <stdexcept>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <random>
#include <thread>
#include <vector>

#include "../common/cpu_features.h"
#include "../common/thread_pool.h"
#include "../gemm/gemm.h"

namespace {

std::mt19937_64 rng(12345);
int failures = 0;
int cases = 0;
uint64_t digest = 1469598103934665603ull;  // FNV-1a over the bytes of every C

void add_to_digest(const void* p, size_t n) {
  const unsigned char* b = static_cast<const unsigned char*>(p);
  for (size_t i = 0; i < n; ++i) digest = (digest ^ b[i]) * 1099511628211ull;
}

constexpr double kSentinel = 12345.0;

struct Shape {
  bool ta, tb;
  int64_t m, n, k;
  double alpha, beta;
  int64_t pad_a, pad_b, pad_c;  // extra elements per stored row
  int64_t batch;
  bool nan_c;  // fill C with NaN (only meaningful with beta = 0)
};

template <typename T>
void run_gemm(const tg::GemmParams<T>& p);
template <>
void run_gemm<float>(const tg::GemmParams<float>& p) { tg::gemm_f32(p); }
template <>
void run_gemm<double>(const tg::GemmParams<double>& p) { tg::gemm_f64(p); }

template <typename T>
bool check(const Shape& s, const char* tname) {
  const int64_t ar = s.ta ? s.k : s.m, ac = s.ta ? s.m : s.k;  // stored A rows × cols
  const int64_t br = s.tb ? s.n : s.k, bc = s.tb ? s.k : s.n;
  const int64_t lda = ac + s.pad_a, ldb = bc + s.pad_b, ldc = s.n + s.pad_c;
  const int64_t sa = ar * lda + 3, sb = br * ldb + 5, sc = s.m * ldc + 7;  // batch strides with gaps
  const T nan = std::numeric_limits<T>::quiet_NaN();
  // Gaps in A and B hold NaN: reading them would poison the result. Gaps in C hold a sentinel that must survive.
  std::vector<T> a(sa * s.batch + 1, nan), b(sb * s.batch + 1, nan), c(sc * s.batch + 1, T(kSentinel));
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  for (int64_t bi = 0; bi < s.batch; ++bi) {
    for (int64_t i = 0; i < ar; ++i)
      for (int64_t j = 0; j < ac; ++j) a[bi * sa + i * lda + j] = T(u(rng));
    for (int64_t i = 0; i < br; ++i)
      for (int64_t j = 0; j < bc; ++j) b[bi * sb + i * ldb + j] = T(u(rng));
    for (int64_t i = 0; i < s.m; ++i)
      for (int64_t j = 0; j < s.n; ++j) c[bi * sc + i * ldc + j] = s.nan_c ? nan : T(u(rng));
  }
  const std::vector<T> c0 = c;
  tg::GemmParams<T> p;
  p.transA = s.ta;
  p.transB = s.tb;
  p.m = s.m;
  p.n = s.n;
  p.k = s.k;
  p.alpha = s.alpha;
  p.beta = s.beta;
  p.a = a.data();
  p.lda = lda;
  p.b = b.data();
  p.ldb = ldb;
  p.c = c.data();
  p.ldc = ldc;
  p.batch = s.batch;
  p.strideA = sa;
  p.strideB = sb;
  p.strideC = sc;
  run_gemm<T>(p);
  ++cases;
  add_to_digest(c.data(), c.size() * sizeof(T));

  const double eps = std::numeric_limits<T>::epsilon();
  double worst = 0;
  bool ok = true;
  for (int64_t bi = 0; bi < s.batch && ok; ++bi) {
    for (int64_t i = 0; i < s.m && ok; ++i) {
      for (int64_t j = 0; j < ldc && ok; ++j) {
        const int64_t idx = bi * sc + i * ldc + j;
        if (j >= s.n) {
          if (c[idx] != T(kSentinel)) ok = false;
          continue;
        }
        double sum = 0, mag = 0;
        for (int64_t q = 0; q < s.k; ++q) {
          const double av = s.ta ? a[bi * sa + q * lda + i] : a[bi * sa + i * lda + q];
          const double bv = s.tb ? b[bi * sb + j * ldb + q] : b[bi * sb + q * ldb + j];
          sum += av * bv;
          mag += std::fabs(av * bv);
        }
        double ref = s.alpha * sum;
        double scale = std::fabs(s.alpha) * mag;
        if (s.beta != 0) {
          ref += s.beta * double(c0[idx]);
          scale += std::fabs(s.beta * double(c0[idx]));
        }
        const double err = std::fabs(double(c[idx]) - ref);
        const double tol = double(s.k + 4) * eps * scale + 4 * eps * std::fabs(ref) + 1e-30;
        if (!(err <= tol)) ok = false;
        if (scale > 0 && err / scale > worst) worst = err / scale;
      }
    }
  }
  // Gaps between batches and after the last row must be untouched.
  for (int64_t bi = 0; bi < s.batch && ok; ++bi)
    for (int64_t j = s.m * ldc; j < sc; ++j)
      if (c[bi * sc + j] != T(kSentinel)) ok = false;
  if (!ok) {
    ++failures;
    if (failures <= 20)
      std::printf("FAIL %s ta=%d tb=%d m=%lld n=%lld k=%lld alpha=%g beta=%g pads=%lld,%lld,%lld batch=%lld nanC=%d threads=%d\n",
                  tname, s.ta, s.tb, (long long)s.m, (long long)s.n, (long long)s.k, s.alpha, s.beta,
                  (long long)s.pad_a, (long long)s.pad_b, (long long)s.pad_c, (long long)s.batch, s.nan_c,
                  tg::get_num_threads());
  }
  return ok;
}

template <typename T>
void suite(const char* tname, bool quick) {
  const int64_t dims[] = {0, 1, 2, 3, 5, 7, 8, 13, 14, 15, 16, 17, 29, 31, 32, 33, 47, 48, 63, 64, 65, 97, 127, 128, 129};
  const int n_dims = sizeof(dims) / sizeof(dims[0]);
  const double alphas[] = {1.0, -0.5, 2.0, 0.0};
  const double betas[] = {0.0, 1.0, 0.5, -2.0};
  std::uniform_int_distribution<int> pick(0, n_dims - 1), coin(0, 1), pad(0, 3), ab(0, 3);
  // Every transpose combination over a sweep of small edge sizes.
  for (int t = 0; t < 4; ++t)
    for (int64_t m : {0, 1, 2, 7, 14, 15, 33})
      for (int64_t n : {0, 1, 3, 16, 31, 32, 33})
        for (int64_t k : {0, 1, 2, 5, 17}) {
          const double beta = betas[ab(rng)];
          check<T>({(t & 1) != 0, (t >> 1) != 0, m, n, k, alphas[ab(rng) % 3], beta, 0, 0, 0, 1, beta == 0}, tname);
        }
  // Random shapes with padding, batches and alpha/beta variants.
  for (int r = 0; r < (quick ? 150 : 400); ++r) {
    const double beta = betas[ab(rng)];
    const int64_t batch = coin(rng) ? 1 : 1 + pad(rng);
    check<T>({coin(rng) != 0, coin(rng) != 0, dims[pick(rng)], dims[pick(rng)], dims[pick(rng)], alphas[ab(rng)], beta,
              pad(rng), pad(rng), pad(rng), batch, beta == 0 && coin(rng)},
             tname);
  }
  // Around the cache-block boundaries (KC 192–384, NC 128–640, MC 1024–4200 rows) and threading thresholds.
  const Shape big[] = {
      {false, false, 337, 129, 257, 1.0, 0.0, 1, 2, 3, 1, true},
      {true, false, 200, 300, 385, 0.5, 1.0, 0, 0, 0, 1, false},
      {false, true, 129, 257, 513, 1.0, -1.0, 2, 0, 1, 1, false},
      {true, true, 345, 97, 300, 2.0, 0.0, 0, 1, 0, 2, true},
      {false, false, 3, 1500, 400, 1.0, 0.5, 0, 0, 0, 1, false},
      {false, true, 700, 5, 700, 1.0, 0.0, 0, 0, 0, 1, false},
      {false, false, 1, 700, 300, 1.0, 0.0, 0, 0, 0, 1, true},
      {false, true, 300, 1, 300, 1.0, 1.0, 0, 0, 0, 1, false},
      {true, false, 64, 64, 64, 1.0, 0.0, 0, 0, 0, 40, false},
      {false, false, 4300, 40, 60, 1.0, 0.5, 0, 0, 0, 1, false},
  };
  for (const Shape& s : big) check<T>(s, tname);
  // The training workloads' products (gemm_bench --shapes), every transpose, with and without beta.
  const int64_t workload[][3] = {{32, 512, 1},   {32, 1, 512},   {1, 512, 32},   {512, 1, 32},   {64, 100, 1000},
                                 {64, 10, 100},  {64, 100, 10},  {1000, 100, 64}, {100, 10, 64},  {64, 1000, 100},
                                 {100, 1000, 64}, {10, 100, 64},  {128, 10, 512}, {128, 512, 10}, {10, 512, 128},
                                 {128, 512, 784}, {512, 784, 128}};
  for (const auto& w : workload) {
    if (quick && w[0] * w[1] * w[2] > 2000000) continue;
    for (int t = 0; t < 4; ++t)
      check<T>({(t & 1) != 0, (t >> 1) != 0, w[0], w[1], w[2], 1.0, t < 2 ? 0.0 : 1.0, 0, 0, 0, 1, t < 2}, tname);
  }
  if (!quick) {
    check<T>({false, false, 400, 2100, 270, 1.0, 0.0, 1, 1, 1, 1, true}, tname);
    check<T>({true, true, 500, 1100, 520, -1.0, 0.5, 0, 3, 0, 1, false}, tname);
  }
}

// Several threads calling gemm at once (the pool serves one caller; the others run inline) must each get
// exactly the single-caller result: the split never changes the order of a C element's accumulation.
bool concurrent_check() {
  struct Job {
    bool ta, tb;
    int64_t m, n, k;
    std::vector<float> a, b, expect;
  };
  std::vector<Job> jobs = {{false, false, 300, 200, 150, {}, {}, {}}, {true, true, 170, 260, 400, {}, {}, {}},
                           {false, true, 64, 500, 300, {}, {}, {}}, {true, false, 200, 64, 33, {}, {}, {}}};
  std::mt19937 local(7);
  std::uniform_real_distribution<float> u(-1, 1);
  auto params = [](Job& j, float* c) {
    tg::GemmParamsF32 p;
    p.transA = j.ta;
    p.transB = j.tb;
    p.m = j.m;
    p.n = j.n;
    p.k = j.k;
    p.a = j.a.data();
    p.lda = j.ta ? j.m : j.k;
    p.b = j.b.data();
    p.ldb = j.tb ? j.k : j.n;
    p.c = c;
    p.ldc = j.n;
    return p;
  };
  for (Job& j : jobs) {
    j.a.resize(j.m * j.k);
    j.b.resize(j.k * j.n);
    for (float& x : j.a) x = u(local);
    for (float& x : j.b) x = u(local);
    j.expect.assign(j.m * j.n, 0.f);
    tg::gemm_f32(params(j, j.expect.data()));
  }
  std::vector<int> bad(8, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int rep = 0; rep < 30; ++rep) {
        Job& j = jobs[(t + rep) % jobs.size()];
        std::vector<float> c(j.m * j.n, 1.f);
        tg::gemm_f32(params(j, c.data()));
        if (c != j.expect) ++bad[t];
      }
    });
  }
  for (auto& th : threads) th.join();
  int total = 0;
  for (int b : bad) total += b;
  if (total != 0) std::printf("FAIL concurrent callers: %d mismatches\n", total);
  return total == 0;
}

// The pool: every task runs exactly once, nested calls run inline, a thrown exception reaches the caller.
bool pool_check() {
  bool ok = true;
  for (int threads : {1, 2, 3}) {
    tg::set_num_threads(threads);
    std::vector<std::atomic<int>> hits(1000);
    tg::parallel_for(100, [&](size_t i) {
      tg::parallel_for(10, [&](size_t j) { hits[i * 10 + j].fetch_add(1); });
    });
    for (auto& h : hits) ok = ok && h.load() == 1;
    // A task's exception reaches the caller; with workers, only after every task has run.
    std::atomic<int> ran{0};
    bool thrown = false;
    try {
      tg::parallel_for(8, [&](size_t i) {
        ran.fetch_add(1);
        if (i % 3 == 0) throw std::runtime_error("task failure");
      });
    } catch (const std::runtime_error&) {
      thrown = true;
    }
    ok = ok && thrown && (threads == 1 || ran.load() == 8);
  }
  if (!ok) std::printf("FAIL thread pool\n");
  return ok;
}

// 1 and 2 threads must give bit-identical C (the split never changes a C element's accumulation order).
bool thread_invariance_check(bool quick) {
  const int64_t shapes[][3] = {{64, 10, 100},  {128, 10, 512},  {1000, 100, 64}, {64, 100, 1000},
                               {300, 200, 150}, {128, 512, 784}, {512, 784, 128}, {200, 13, 700}};
  std::mt19937 local(11);
  std::uniform_real_distribution<float> u(-1, 1);
  int bad = 0;
  for (const auto& s : shapes) {
    if (quick && s[0] * s[1] * s[2] > 2000000) continue;
    for (int t = 0; t < 4; ++t) {
      const int64_t m = s[0], n = s[1], k = s[2];
      std::vector<float> a(m * k), b(k * n), c0(m * n);
      for (float& x : a) x = u(local);
      for (float& x : b) x = u(local);
      for (float& x : c0) x = u(local);
      tg::GemmParamsF32 p;
      p.transA = (t & 1) != 0;
      p.transB = (t & 2) != 0;
      p.m = m;
      p.n = n;
      p.k = k;
      p.beta = t == 3 ? 0.5 : 0.0;
      p.a = a.data();
      p.lda = p.transA ? m : k;
      p.b = b.data();
      p.ldb = p.transB ? k : n;
      p.ldc = n;
      std::vector<float> c1 = c0, c2 = c0;
      tg::set_num_threads(1);
      p.c = c1.data();
      tg::gemm_f32(p);
      tg::set_num_threads(2);
      p.c = c2.data();
      tg::gemm_f32(p);
      if (c1 != c2) {
        ++bad;
        std::printf("FAIL thread invariance m=%lld n=%lld k=%lld ta=%d tb=%d\n", (long long)m, (long long)n,
                    (long long)k, p.transA, p.transB);
      }
    }
  }
  return bad == 0;
}

}  // namespace

int main() {
  const bool quick = std::getenv("GEMM_TEST_QUICK") != nullptr;
  std::printf("cpu level: %s (detected %s)\n", tg::cpu_level_name(tg::cpu_level()),
              tg::cpu_level_name(tg::cpu_level_detected()));
  for (int threads : {1, 2}) {
    tg::set_num_threads(threads);
    suite<float>("f32", quick);
    suite<double>("f64", quick);
  }
  if (!thread_invariance_check(quick)) ++failures;
  if (!concurrent_check()) ++failures;
  if (!pool_check()) ++failures;
  std::printf("%d cases, %d failures, results digest %016llx\n", cases, failures, (unsigned long long)digest);
  return failures == 0 ? 0 : 1;
}
