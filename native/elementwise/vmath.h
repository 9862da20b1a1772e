// float32 vector math for the elementwise kernels, compiled once per ISA level: included only by
// kernels_impl.h, inside its per-ISA anonymous namespace (TG_VBYTES gives the vector width). GCC vector
// extensions compile to SSE2, AVX2 or AVX-512 code from the same source. The op table names these
// functions in its `vecF32` fields.
constexpr int kVF = TG_VBYTES / 4;  // floats per vector
typedef float vf __attribute__((vector_size(TG_VBYTES)));
typedef int32_t vi __attribute__((vector_size(TG_VBYTES)));
typedef double vd2 __attribute__((vector_size(2 * TG_VBYTES)));  // kVF doubles
typedef double vd __attribute__((vector_size(TG_VBYTES)));
constexpr int kVD = TG_VBYTES / 8;

// v − 0, not 0 + v: keeps the sign of −0.
inline vf splat(float v) { return v - vf{}; }
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

// out[i] = f(a[i·sa], b[i·sb]) with sa, sb ∈ {0, 1}: a stride-0 operand is splatted once.
template <class F>
inline void zip_vf(const float* a, int64_t sa, const float* b, int64_t sb, float* out, int64_t n, F f) {
  const vf av = splat(a[0]), bv = splat(b[0]);
  int64_t i = 0;
  for (; i + kVF <= n; i += kVF) store(out + i, f(sa ? load(a + i) : av, sb ? load(b + i) : bv));
  if (i < n) {
    float ab[kVF] = {}, bb[kVF] = {};
    for (int64_t j = i; j < n; ++j) ab[j - i] = a[j * sa], bb[j - i] = b[j * sb];
    store(ab, f(load(ab), load(bb)));
    memcpy(out + i, ab, (size_t)(n - i) * sizeof(float));
  }
}

// atan2(y, x) for float32, computed in double lanes and rounded once: |q| = min/max of |y|, |x| reduced
// to |t| ≤ tan(π/8), atan t by its series to t^19 (truncation < 2e-9 relative), then the quadrant. Signed
// zeros, infinities and NaN follow C's atan2. Selections use bit masks: GCC scalarises ?: on these vectors.
inline vf atan2_v(vf y, vf x) {
  typedef int64_t vl2 __attribute__((vector_size(2 * TG_VBYTES)));
  // A macro, not a lambda: a function returning a double-width vector would change the baseline ABI.
#define TG_SEL(m, a, b) ((vd2)(((vl2)(a) & (m)) | ((vl2)(b) & ~(m))))
  const vl2 sign_bit = vl2{} + (int64_t)0x8000000000000000ULL;
  const vd2 yd = __builtin_convertvector(y, vd2), xd = __builtin_convertvector(x, vd2);
  const vd2 ax = (vd2)((vl2)xd & ~sign_bit), ay = (vd2)((vl2)yd & ~sign_bit);
  const vl2 swap = ay > ax;
  const vd2 num = TG_SEL(swap, ax, ay), den = TG_SEL(swap, ay, ax);
  vd2 q = num / den;
  q = TG_SEL(den == 0.0, vd2{}, q);          // atan2(±0, ±0): the quadrant step below gives ±0 or ±π
  q = TG_SEL(num == INFINITY, vd2{} + 1.0, q);  // both infinite: ±π/4 or ±3π/4
  const vl2 big = q > 0.41421356237309503;
  const vd2 t = TG_SEL(big, (q - 1.0) / (q + 1.0), q);
  const vd2 z = t * t;
  vd2 p = vd2{} - 1.0 / 19;
  p = p * z + 1.0 / 17;
  p = p * z - 1.0 / 15;
  p = p * z + 1.0 / 13;
  p = p * z - 1.0 / 11;
  p = p * z + 1.0 / 9;
  p = p * z - 1.0 / 7;
  p = p * z + 1.0 / 5;
  p = p * z - 1.0 / 3;
  vd2 r = t + t * z * p;
  r = TG_SEL(big, r + 0.78539816339744830962, r);
  r = TG_SEL(swap, 1.57079632679489661923 - r, r);
  r = TG_SEL((vl2)xd < 0, 3.14159265358979323846 - r, r);  // x's sign bit: −0 counts as negative
  r = (vd2)((vl2)r | ((vl2)yd & sign_bit));
  r = TG_SEL((xd != xd) | (yd != yd), xd + yd, r);  // a NaN operand gives NaN
#undef TG_SEL
  return __builtin_convertvector(r, vf);
}

// Φ(x) and e^{−x²/2} for GELU, in double lanes (macros: a function returning a double-width vector would change
// the baseline ABI). erfc z for z = |x|/√2 ≥ 0 as t·exp(−z² + P(t)), t = 1/(1 + z/2) (Numerical Recipes' erfcc,
// fractional error < 1.2e-7 everywhere), so Φ = ½erfc for x < 0 has no cancellation. The exponential's
// argument is exact in double; exp_v takes its float part and the remainder multiplies in as (1 + lo).
#define TG_SEL_D(m, a, b) ((vd2)(((vl2)(a) & (m)) | ((vl2)(b) & ~(m))))
#define TG_EXP_HILO(arg, out)                                                         \
  do {                                                                                \
    const vd2 a_ = TG_SEL_D((arg) < -200.0, vd2{} - 200.0, (arg)); /* e^-200 is 0 in float */ \
    const vf hi_ = __builtin_convertvector(a_, vf);                                   \
    const vd2 lo_ = a_ - __builtin_convertvector(hi_, vd2);                           \
    out = __builtin_convertvector(exp_v(hi_) * (splat(1.f) + __builtin_convertvector(lo_, vf)), vd2); \
  } while (0)
#define TG_NORMAL_CDF(xd, z2, phi)                                                    \
  do {                                                                                \
    const vd2 z_ = (vd2)((vl2)(xd) & ~(vl2{} + (int64_t)0x8000000000000000ULL)) * 0.70710678118654752440; \
    const vd2 t_ = 1.0 / (1.0 + 0.5 * z_);                                            \
    vd2 p_ = vd2{} + 0.17087277;                                                      \
    p_ = p_ * t_ - 0.82215223;                                                        \
    p_ = p_ * t_ + 1.48851587;                                                        \
    p_ = p_ * t_ - 1.13520398;                                                        \
    p_ = p_ * t_ + 0.27886807;                                                        \
    p_ = p_ * t_ - 0.18628806;                                                        \
    p_ = p_ * t_ + 0.09678418;                                                        \
    p_ = p_ * t_ + 0.37409196;                                                        \
    p_ = p_ * t_ + 1.00002368;                                                        \
    p_ = p_ * t_ - 1.26551223;                                                        \
    z2 = z_ * z_;                                                                     \
    vd2 e_;                                                                           \
    TG_EXP_HILO(p_ - z2, e_);                                                         \
    const vd2 half_erfc_ = 0.5 * t_ * e_;                                             \
    phi = TG_SEL_D((vl2)(xd) < 0, half_erfc_, 1.0 - half_erfc_);                      \
  } while (0)

// GELU x·Φ(x) for float32 (the exact form; ~2e-7 relative).
inline vf gelu_v(vf x) {
  typedef int64_t vl2 __attribute__((vector_size(2 * TG_VBYTES)));
  const vd2 xd = __builtin_convertvector(x, vd2);
  vd2 z2, phi;
  TG_NORMAL_CDF(xd, z2, phi);
  (void)z2;
  return __builtin_convertvector(xd * phi, vf);
}

// a·GELU'(b) = a·(Φ(b) + b·e^{−b²/2}/√(2π)) for float32.
inline vf gelu_grad_v(vf a, vf b) {
  typedef int64_t vl2 __attribute__((vector_size(2 * TG_VBYTES)));
  const vd2 bd = __builtin_convertvector(b, vd2);
  vd2 z2, phi, pdf;
  TG_NORMAL_CDF(bd, z2, phi);
  TG_EXP_HILO(vd2{} - z2, pdf);
  return __builtin_convertvector(__builtin_convertvector(a, vd2) * (phi + bd * pdf * 0.39894228040143267794), vf);
}
#undef TG_NORMAL_CDF
#undef TG_EXP_HILO
#undef TG_SEL_D

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

// Lanes with |x| > 1e5 fall back to libm (the double-precision reduction is exact only below 2^20).
template <int kShift>
inline vf sincos_full(vf v) {
  const vf a = (vf)((vi)v & (vi{} + 0x7fffffff));
  vi big = a > splat(1e5f);
  bool any = false;
  for (int j = 0; j < kVF; ++j) any |= big[j] != 0;
  if (!any) return sincos_v(v, kShift);
  vf r;
  for (int j = 0; j < kVF; ++j) r[j] = (float)(kShift ? cos((double)v[j]) : sin((double)v[j]));
  return r;
}

inline vf sin_v(vf v) { return sincos_full<0>(v); }
inline vf cos_v(vf v) { return sincos_full<1>(v); }
