#pragma once
// Scalar helpers that the op table's `cpp` formulas call (ts/backend/op-table.ts). Included by the
// per-ISA kernels inside their namespace, so no inline function compiled with AVX flags leaks (ODR).

template <class T>
inline T sign_of(T v) { return (T)((T(0) < v) - (v < T(0))); }

// Stable logistic: exp of −|x| only, so no overflow to inf for large |x| (matches the TypeScript kernel).
inline double sigmoid_of(double v) {
  const double e = exp(-__builtin_fabs(v));
  return v >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
}

// x^p with the exponents PyTorch's pow kernel special-cases computed as it does, in T:
// 0 → 1, 1 → x, 2 → x·x, 3 → x·x·x, −2 → 1/(x·x), 0.5 → √x, −0.5 → 1/√x, −1 → 1/x; others pow in double.
template <class T>
inline T pow_scalar(T x, double p) {
  if (p == 2) return x * x;
  if (p == 3) return x * x * x;
  if (p == 0.5) return (T)sqrt((double)x);
  if (p == -1) return T(1) / x;
  if (p == -2) return T(1) / (x * x);
  if (p == -0.5) return T(1) / (T)sqrt((double)x);
  if (p == 1) return x;
  if (p == 0) return T(1);
  return (T)pow((double)x, p);
}

// Python's modulus: the result takes the divisor's sign (torch.remainder).
inline double py_mod(double a, double b) {
  const double m = fmod(a, b);
  return (m != 0 && ((b < 0) != (m < 0))) ? m + b : m;
}

// NaN bounds mean unbounded; a NaN input stays NaN. Compared in double like the TypeScript kernel.
template <class T>
inline T clamp_of(T v, double lo, double hi) {
  const T r = (lo == lo && (double)v < lo) ? (T)lo : v;
  return (hi == hi && (double)r > hi) ? (T)hi : r;
}

// GELU in double: x·Φ(x) (tanh_form == 0; Φ through erfc for x < 0, so no cancellation) or PyTorch's tanh
// approximation; and its derivative as PyTorch's gelu_backward writes it. Match the TypeScript helpers.
inline double normal_cdf(double x) { return x < 0 ? 0.5 * erfc(-x * M_SQRT1_2) : 0.5 * (1.0 + erf(x * M_SQRT1_2)); }

inline double gelu_of(double x, double tanh_form) {
  if (tanh_form == 0) return x * normal_cdf(x);
  return 0.5 * x * (1.0 + tanh(0.7978845608028654 * (x + 0.044715 * x * x * x)));
}

inline double gelu_grad_of(double x, double tanh_form) {
  if (tanh_form == 0) return normal_cdf(x) + x * exp(-0.5 * x * x) * 0.3989422804014327;
  const double x2 = x * x;
  const double t = tanh(0.7978845608028654 * (x + 0.044715 * x2 * x));
  return 0.5 * (1.0 + t) + 0.5 * x * (1.0 - t * t) * 0.7978845608028654 * (1.0 + 3 * 0.044715 * x2);
}
