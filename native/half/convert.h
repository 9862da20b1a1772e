#pragma once
// float32 <-> bfloat16 / float16 words, as PyTorch converts (ts/backend/half.ts is the TypeScript twin):
// round to nearest even, overflow to ±Inf, float16 subnormals kept; a NaN becomes bfloat16 0x7FC0 and float16
// sign|0x7E00 (the AVX-512 float16 path, VCVTPS2PH like PyTorch's own vector path, keeps a NaN's payload).
// Bfloat16 is converted with integer arithmetic rather than VCVTNEPS2BF16, which flushes subnormals to zero.
#include <cstdint>

namespace tg {

void f32_to_bf16(const float* src, uint16_t* dst, int64_t n);
void bf16_to_f32(const uint16_t* src, float* dst, int64_t n);
void f32_to_f16(const float* src, uint16_t* dst, int64_t n);
void f16_to_f32(const uint16_t* src, float* dst, int64_t n);

#if defined(__x86_64__) || defined(_M_X64)
#define TG_HALF_AVX512 1
namespace half_detail {
void f32_to_bf16_avx512(const float* src, uint16_t* dst, int64_t n);
void bf16_to_f32_avx512(const uint16_t* src, float* dst, int64_t n);
void f32_to_f16_avx512(const float* src, uint16_t* dst, int64_t n);
void f16_to_f32_avx512(const uint16_t* src, float* dst, int64_t n);
}  // namespace half_detail
#endif

// One element, the scalar rules (also the vector paths' tails).
inline uint16_t bf16_from_f32(float f) {
  uint32_t u;
  __builtin_memcpy(&u, &f, 4);
  if (f != f) return 0x7FC0;
  return static_cast<uint16_t>((u + 0x7FFFu + ((u >> 16) & 1u)) >> 16);
}

inline float f32_from_bf16(uint16_t h) {
  const uint32_t u = static_cast<uint32_t>(h) << 16;
  float f;
  __builtin_memcpy(&f, &u, 4);
  return f;
}

inline float f32_from_bits(uint32_t u) {
  float f;
  __builtin_memcpy(&f, &u, 4);
  return f;
}

inline uint32_t bits_from_f32(float f) {
  uint32_t u;
  __builtin_memcpy(&u, &f, 4);
  return u;
}

// c10::detail::fp16_ieee_from_fp32_value.
inline uint16_t f16_from_f32(float f) {
  const float scale_to_inf = 0x1.0p+112f, scale_to_zero = 0x1.0p-110f;
  float base = (__builtin_fabsf(f) * scale_to_inf) * scale_to_zero;
  const uint32_t w = bits_from_f32(f), shl1_w = w + w, sign = w & 0x80000000u;
  uint32_t bias = shl1_w & 0xFF000000u;
  if (bias < 0x71000000u) bias = 0x71000000u;
  base = f32_from_bits((bias >> 1) + 0x07800000u) + base;
  const uint32_t bits = bits_from_f32(base);
  const uint32_t exp_bits = (bits >> 13) & 0x00007C00u, mantissa_bits = bits & 0x00000FFFu;
  return static_cast<uint16_t>((sign >> 16) | (shl1_w > 0xFF000000u ? 0x7E00u : exp_bits + mantissa_bits));
}

// c10::detail::fp16_ieee_to_fp32_value.
inline float f32_from_f16(uint16_t h) {
  const uint32_t w = static_cast<uint32_t>(h) << 16, sign = w & 0x80000000u, two_w = w + w;
  const uint32_t exp_offset = 0xE0u << 23;
  const float exp_scale = 0x1.0p-112f;
  const float normalized = f32_from_bits((two_w >> 4) + exp_offset) * exp_scale;
  const uint32_t magic_mask = 126u << 23;
  const float magic_bias = 0.5f;
  const float denormalized = f32_from_bits((two_w >> 17) | magic_mask) - magic_bias;
  const uint32_t denormalized_cutoff = 1u << 27;
  const uint32_t result = sign | (two_w < denormalized_cutoff ? bits_from_f32(denormalized) : bits_from_f32(normalized));
  return f32_from_bits(result);
}

}  // namespace tg
