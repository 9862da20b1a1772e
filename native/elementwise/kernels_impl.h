// Contiguous elementwise and reduction kernels, compiled once per ISA level. The including .cc defines
// TG_ISA (namespace name) and TG_VBYTES (vector width in bytes). Everything here sits in a per-ISA
// namespace and uses no std:: templates, so no inline function compiled with AVX flags can be picked by
// the linker for baseline code (ODR). Transcendentals for float32 use GCC vector extensions, which
// compile to SSE2, AVX2 or AVX-512 code from the same source.
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "elementwise/kernels.h"
#include "elementwise/ops.h"

namespace tg {
namespace TG_ISA {
namespace {

constexpr int kVF = TG_VBYTES / 4;  // floats per vector
typedef float vf __attribute__((vector_size(TG_VBYTES)));
typedef int32_t vi __attribute__((vector_size(TG_VBYTES)));
typedef double vd2 __attribute__((vector_size(2 * TG_VBYTES)));  // kVF doubles
typedef double vd __attribute__((vector_size(TG_VBYTES)));
constexpr int kVD = TG_VBYTES / 8;

inline vf splat(float v) { return vf{} + v; }
inline vf load(const float* p) { vf v; memcpy(&v, p, sizeof v); return v; }
inline void store(float* p, vf v) { memcpy(p, &v, sizeof v); }

// exp for float32: Cody-Waite reduction x = n·ln2 + r, |r| ≤ ln2/2, degree-7 Taylor polynomial
// (truncation < 0.1 ulp), scaling by 2^n in two steps so subnormal results and overflow come out right.
inline vf exp_v(vf x) {
  vf xc = x > splat(100.f) ? splat(100.f) : x;
  xc = xc < splat(-110.f) ? splat(-110.f) : xc;
  const vf magic = splat(12582912.f);  // 1.5·2^23: adding it rounds to an integer
  vf n = (xc * splat(1.44269504088896341f) + magic) - magic;
  vf r = xc - n * splat(0.693359375f);
  r = r - n * splat(-2.12194440e-4f);
  vf p = splat(1.f / 5040);
  p = p * r + splat(1.f / 720);
  p = p * r + splat(1.f / 120);
  p = p * r + splat(1.f / 24);
  p = p * r + splat(1.f / 6);
  p = p * r + splat(0.5f);
  p = p * r + splat(1.f);
  p = p * r + splat(1.f);
  vi ni = __builtin_convertvector(n, vi);
  vi n1 = ni >> 1;
  vi n2 = ni - n1;
  vf s1 = (vf)((n1 + 127) << 23);
  vf s2 = (vf)((n2 + 127) << 23);
  vf res = p * s1 * s2;
  return x != x ? x : res;
}

// tanh for float32: odd polynomial below 0.625 (fitted, < 1 ulp), else 1 − 2/(e^{2|x|} + 1).
inline vf tanh_v(vf x) {
  const vi sign = (vi)x & (vi{} + (int32_t)0x80000000);
  vf ax = (vf)((vi)x & (vi{} + 0x7fffffff));
  vf x2 = ax * ax;
  vf p = splat(0.0021781737f);
  p = p * x2 + splat(-0.008215127f);
  p = p * x2 + splat(0.021715611f);
  p = p * x2 + splat(-0.05394941f);
  p = p * x2 + splat(0.13333227f);
  p = p * x2 + splat(-0.3333333f);
  vf small = ax + ax * x2 * p;
  vf e = exp_v(ax + ax);
  vf large = splat(1.f) - splat(2.f) / (e + splat(1.f));
  vf res = ax < splat(0.625f) ? small : large;
  return (vf)((vi)res | sign);
}

// Stable logistic: exp of −|x| only, so no overflow to inf for large |x| (matches the TypeScript kernel).
inline vf sigmoid_v(vf x) {
  vf ax = (vf)((vi)x & (vi{} + 0x7fffffff));
  vf e = exp_v(-ax);
  vf r = splat(1.f) / (splat(1.f) + e);
  return x >= splat(0.f) ? r : e * r;
}

template <class F>
inline void map_vf(const float* x, float* out, int64_t n, F f) {
  int64_t i = 0;
  for (; i + kVF <= n; i += kVF) store(out + i, f(load(x + i)));
  if (i < n) {
    float buf[kVF] = {};
    memcpy(buf, x + i, (size_t)(n - i) * sizeof(float));
    store(buf, f(load(buf)));
    memcpy(out + i, buf, (size_t)(n - i) * sizeof(float));
  }
}

// log for float32 (Cephes logf, ~1 ulp): x = 2^e·m with m in [√½, √2), log(1 + (m − 1)) by a degree-9
// polynomial, e·ln2 added in two parts. Subnormals are scaled up first; 0, negatives, inf, NaN selected.
inline vf log_v(vf x) {
  const vi tiny = x < splat(1.17549435e-38f);
  vf xs = tiny ? x * splat(8388608.f) : x;  // 2^23
  vi ix = (vi)xs;
  vf e = __builtin_convertvector(((ix >> 23) & 0xff) - (tiny ? vi{} + 149 : vi{} + 126), vf);
  vf m = (vf)((ix & 0x007fffff) | 0x3f000000);  // [0.5, 1)
  const vi lo = m < splat(0.707106781186547524f);
  e = lo ? e - splat(1.f) : e;
  m = lo ? m + m - splat(1.f) : m - splat(1.f);
  vf z = m * m;
  vf p = splat(7.0376836292e-2f);
  p = p * m + splat(-1.1514610310e-1f);
  p = p * m + splat(1.1676998740e-1f);
  p = p * m + splat(-1.2420140846e-1f);
  p = p * m + splat(1.4249322787e-1f);
  p = p * m + splat(-1.6668057665e-1f);
  p = p * m + splat(2.0000714765e-1f);
  p = p * m + splat(-2.4999993993e-1f);
  p = p * m + splat(3.3333331174e-1f);
  vf y = p * m * z;
  y = y + e * splat(-2.12194440e-4f);
  y = y - splat(0.5f) * z;
  vf r = (m + y) + e * splat(0.693359375f);
  r = x == splat(0.f) ? splat(-INFINITY) : r;
  r = x == splat(INFINITY) ? x : r;
  return (x < splat(0.f) || x != x) ? splat(NAN) : r;
}

// sin (shift 0) and cos (shift 1: cos x = sin(x + π/2)) for float32: reduction by π/2 in double (fdlibm's two-part π/2, exact
// for |x| < 2^20; larger |x| goes through libm), then FreeBSD's float kernels k_sinf/k_cosf in double
// (error < 2^-37) and one rounding to float: within 1 ulp.
inline vf sincos_v(vf x, int shift) {
  typedef int64_t vl2 __attribute__((vector_size(2 * TG_VBYTES)));
  const vd2 d = __builtin_convertvector(x, vd2);
  const vd2 magic = vd2{} + 6755399441055744.0;  // 1.5·2^52: adding it rounds to an integer
  const vd2 nm = d * 0.636619772367581343076 + magic;
  const vd2 n = nm - magic;
  const vd2 r = (d - n * 1.57079632673412561417e+00) - n * 6.07710050650619224932e-11;
  const vl2 k = ((vl2)nm + shift) & 3;
  const vd2 z = r * r;
  const vd2 s = r + r * z * (-0.166666666416265235595 + z * (0.0083333293858894631756 + z * (-0.000198393348360966317347 + z * 0.0000027183114939898219064)));
  const vd2 w = z * z;
  const vd2 c = ((1.0 + z * -0.499999997251031003120) + w * 0.0416666233237390631894) +
                (w * z) * (-0.00138867637746099294692 + z * 0.0000243904487962774090654);
  // Quadrant selection by bit masks: GCC scalarises ?: on these double-width vectors.
  const vl2 odd = -(k & 1);
  const vl2 v = (((vl2)c & odd) | ((vl2)s & ~odd)) ^ ((k & 2) << 62);
  return __builtin_convertvector((vd2)v, vf);
}

template <int kShift>
inline void sincos_map(const float* x, float* out, int64_t n) {
  auto f = [](vf v) {
    const vf a = (vf)((vi)v & (vi{} + 0x7fffffff));
    vi big = a > splat(1e5f);
    bool any = false;
    for (int j = 0; j < kVF; ++j) any |= big[j] != 0;
    if (!any) return sincos_v(v, kShift);
    vf r;
    for (int j = 0; j < kVF; ++j) r[j] = (float)(kShift ? cos((double)v[j]) : sin((double)v[j]));
    return r;
  };
  map_vf(x, out, n, f);
}


// From here to pop_options: no FMA contraction, so a·(1 − b·b) and friends round exactly like the
// TypeScript kernels. The float32 transcendentals above keep FMA (they are our own approximations anyway).
#pragma GCC push_options
#pragma GCC optimize("fp-contract=off")

template <class T, class F>
inline void map(const T* x, T* out, int64_t n, F f) {
  for (int64_t i = 0; i < n; ++i) out[i] = f(x[i]);
}

template <class T>
inline T sign_of(T v) { return (T)((T(0) < v) - (v < T(0))); }

// Ops of one input shared by both float types; d(...) computes through double libm and rounds.
template <class T>
void unary_common(int op, const T* x, T* out, int64_t n, double p0, double p1) {
  switch (op) {
    case kCopy: if (x != out) memmove(out, x, (size_t)n * sizeof(T)); break;
    case kNeg: map(x, out, n, [](T v) { return -v; }); break;
    case kAbs: map(x, out, n, [](T v) { return __builtin_fabs(v) ; }); break;
    case kSign: map(x, out, n, [](T v) { return sign_of(v); }); break;
    case kExp: map(x, out, n, [](T v) { return (T)exp((double)v); }); break;
    case kLog: map(x, out, n, [](T v) { return (T)log((double)v); }); break;
    case kSqrt: map(x, out, n, [](T v) { return (T)sqrt((double)v); }); break;
    case kRsqrt: map(x, out, n, [](T v) { return (T)(1.0 / sqrt((double)v)); }); break;
    case kSquare: map(x, out, n, [](T v) { return v * v; }); break;
    case kReciprocal: map(x, out, n, [](T v) { return T(1) / v; }); break;
    case kSin: map(x, out, n, [](T v) { return (T)sin((double)v); }); break;
    case kCos: map(x, out, n, [](T v) { return (T)cos((double)v); }); break;
    case kTanh: map(x, out, n, [](T v) { return (T)tanh((double)v); }); break;
    case kSigmoid:
      map(x, out, n, [](T v) {
        const double e = exp(-__builtin_fabs((double)v));
        return (T)(v >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e));
      });
      break;
    case kRelu: map(x, out, n, [](T v) { return v < T(0) ? T(0) : v; }); break;
    case kLeakyRelu: map(x, out, n, [p0](T v) { return v > T(0) ? v : (T)(v * p0); }); break;
    case kElu: map(x, out, n, [p0](T v) { return v > T(0) ? v : (T)(p0 * expm1((double)v)); }); break;
    case kClamp: {
      const bool lo = p0 == p0, hi = p1 == p1;
      const T l = (T)p0, h = (T)p1;
      map(x, out, n, [=](T v) {
        T r = (lo && (double)v < p0) ? l : v;
        return (hi && (double)r > p1) ? h : r;
      });
      break;
    }
    case kPowScalar: map(x, out, n, [p0](T v) { return (T)pow((double)v, p0); }); break;
    case kAddScalar: map(x, out, n, [p0](T v) { return (T)(v + p0); }); break;
    case kMulScalar: map(x, out, n, [p0](T v) { return (T)(v * p0); }); break;
    case kRsubScalar: map(x, out, n, [p0](T v) { return (T)(p0 - v); }); break;
    case kRdivScalar: map(x, out, n, [p0](T v) { return (T)(p0 / v); }); break;
    case kLogicalNot: map(x, out, n, [](T v) { return v == T(0) ? T(1) : T(0); }); break;
    default: break;
  }
}

// out[i] = f(a[i·sa], b[i·sb]); the three stride patterns get their own loops so each vectorises.
template <class T, class U, class F>
inline void zip(const T* a, int64_t sa, const T* b, int64_t sb, U* out, int64_t n, F f) {
  if (sa == 1 && sb == 1) {
    for (int64_t i = 0; i < n; ++i) out[i] = f(a[i], b[i]);
  } else if (sa == 1) {
    const T bv = b[0];
    for (int64_t i = 0; i < n; ++i) out[i] = f(a[i], bv);
  } else if (sb == 1) {
    const T av = a[0];
    for (int64_t i = 0; i < n; ++i) out[i] = f(av, b[i]);
  } else {
    const U v = f(a[0], b[0]);
    for (int64_t i = 0; i < n; ++i) out[i] = v;
  }
}

template <class T>
void binary_t(int op, const T* a, int64_t sa, const T* b, int64_t sb, T* out, int64_t n, double p0) {
  switch (op) {
    case kAdd: zip(a, sa, b, sb, out, n, [](T x, T y) { return x + y; }); break;
    case kSub: zip(a, sa, b, sb, out, n, [](T x, T y) { return x - y; }); break;
    case kMul: zip(a, sa, b, sb, out, n, [](T x, T y) { return x * y; }); break;
    case kDiv: zip(a, sa, b, sb, out, n, [](T x, T y) { return x / y; }); break;
    case kPow: zip(a, sa, b, sb, out, n, [](T x, T y) { return (T)pow((double)x, (double)y); }); break;
    case kMaximum:
      zip(a, sa, b, sb, out, n, [](T x, T y) { return x != x ? x : (y != y ? y : (x > y ? x : y)); });
      break;
    case kMinimum:
      zip(a, sa, b, sb, out, n, [](T x, T y) { return x != x ? x : (y != y ? y : (x < y ? x : y)); });
      break;
    // Backward formulas in double (like the TypeScript kernels): 1 − y² cancels badly in float32.
    case kTanhBackward:
      zip(a, sa, b, sb, out, n, [](T g, T y) { return (T)((double)g * (1.0 - (double)y * (double)y)); });
      break;
    case kSigmoidBackward:
      zip(a, sa, b, sb, out, n, [](T g, T y) { return (T)((double)g * (1.0 - (double)y) * (double)y); });
      break;
    case kReluBackward: zip(a, sa, b, sb, out, n, [](T g, T x) { return x <= T(0) ? T(0) : g; }); break;
    case kLeakyReluBackward:
      zip(a, sa, b, sb, out, n, [p0](T g, T x) { return x > T(0) ? g : (T)(g * p0); });
      break;
    case kEluBackward:
      zip(a, sa, b, sb, out, n, [p0](T g, T y) { return y <= T(0) ? (T)(g * ((double)y + p0)) : g; });
      break;
    default: break;
  }
}

template <class T>
void compare_t(int op, const T* a, int64_t sa, const T* b, int64_t sb, uint8_t* out, int64_t n) {
  switch (op) {
    case kEq: zip(a, sa, b, sb, out, n, [](T x, T y) { return (uint8_t)(x == y); }); break;
    case kNe: zip(a, sa, b, sb, out, n, [](T x, T y) { return (uint8_t)(x != y); }); break;
    case kGt: zip(a, sa, b, sb, out, n, [](T x, T y) { return (uint8_t)(x > y); }); break;
    case kLt: zip(a, sa, b, sb, out, n, [](T x, T y) { return (uint8_t)(x < y); }); break;
    case kGe: zip(a, sa, b, sb, out, n, [](T x, T y) { return (uint8_t)(x >= y); }); break;
    case kLe: zip(a, sa, b, sb, out, n, [](T x, T y) { return (uint8_t)(x <= y); }); break;
    default: break;
  }
}

// Sums accumulate in double over several vector accumulators (accuracy, and no FP reassociation needed).
double sum_f32(const float* x, int64_t n) {
  vd2 acc0 = {}, acc1 = {};
  int64_t i = 0;
  for (; i + 2 * kVF <= n; i += 2 * kVF) {
    acc0 += __builtin_convertvector(load(x + i), vd2);
    acc1 += __builtin_convertvector(load(x + i + kVF), vd2);
  }
  acc0 += acc1;
  double s = 0;
  for (int j = 0; j < kVF; ++j) s += acc0[j];
  for (; i < n; ++i) s += x[i];
  return s;
}

double sum_f64(const double* x, int64_t n) {
  vd acc0 = {}, acc1 = {}, acc2 = {}, acc3 = {};
  int64_t i = 0;
  for (; i + 4 * kVD <= n; i += 4 * kVD) {
    vd v0, v1, v2, v3;
    memcpy(&v0, x + i, sizeof v0);
    memcpy(&v1, x + i + kVD, sizeof v1);
    memcpy(&v2, x + i + 2 * kVD, sizeof v2);
    memcpy(&v3, x + i + 3 * kVD, sizeof v3);
    acc0 += v0; acc1 += v1; acc2 += v2; acc3 += v3;
  }
  acc0 += acc1 + acc2 + acc3;
  double s = 0;
  for (int j = 0; j < kVD; ++j) s += acc0[j];
  for (; i < n; ++i) s += x[i];
  return s;
}

// max (kMax) or min over n ≥ 1 elements; any NaN makes the result NaN.
template <bool kIsMax>
double extreme_f32(const float* x, int64_t n) {
  int64_t i = 0;
  float best = x[0];
  bool nan = false;
  if (n >= kVF) {
    vf m = load(x);
    vi bad = vi{};
    for (; i + kVF <= n; i += kVF) {
      vf v = load(x + i);
      bad |= (v != v);
      m = kIsMax ? (v > m ? v : m) : (v < m ? v : m);
    }
    for (int j = 0; j < kVF; ++j) {
      nan |= bad[j] != 0;
      if (kIsMax ? m[j] > best : m[j] < best) best = m[j];
    }
  }
  for (; i < n; ++i) {
    nan |= x[i] != x[i];
    if (kIsMax ? x[i] > best : x[i] < best) best = x[i];
  }
  return nan ? (double)NAN : (double)best;
}

template <bool kIsMax>
double extreme_f64(const double* x, int64_t n) {
  double best = x[0];
  bool nan = false;
  for (int64_t i = 0; i < n; ++i) {
    nan |= x[i] != x[i];
    best = kIsMax ? (x[i] > best ? x[i] : best) : (x[i] < best ? x[i] : best);
  }
  return nan ? (double)NAN : best;
}

#pragma GCC pop_options

void unary_f32(int op, const float* x, float* out, int64_t n, double p0, double p1) {
  switch (op) {
    case kExp: map_vf(x, out, n, exp_v); break;
    case kTanh: map_vf(x, out, n, tanh_v); break;
    case kSigmoid: map_vf(x, out, n, sigmoid_v); break;
    case kLog: map_vf(x, out, n, log_v); break;
    case kSin: sincos_map<0>(x, out, n); break;
    case kCos: sincos_map<1>(x, out, n); break;
    default: unary_common<float>(op, x, out, n, p0, p1);
  }
}

void unary_f64(int op, const double* x, double* out, int64_t n, double p0, double p1) {
  unary_common<double>(op, x, out, n, p0, p1);
}

}  // namespace

extern const ElementwiseKernels kElementwiseKernels;
const ElementwiseKernels kElementwiseKernels = {
    unary_f32,           unary_f64,           binary_t<float>,     binary_t<double>,
    compare_t<float>,    compare_t<double>,   sum_f32,             sum_f64,
    extreme_f32<true>,   extreme_f64<true>,   extreme_f32<false>,  extreme_f64<false>,
};

}  // namespace TG_ISA
}  // namespace tg
