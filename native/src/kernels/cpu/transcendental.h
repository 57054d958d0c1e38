// exp and tanh for float32, written so that g++ -O3 vectorizes loops calling them (glibc's
// expf/tanhf are scalar calls that block vectorization). Cephes' single-precision algorithms:
// about 1 ulp from the correctly rounded result over the whole range, subnormals included
// (test/native/kernels.test.ts sweeps them against Math.exp/Math.tanh).
#pragma once
#include <cmath>
#include <cstdint>
#include <cstring>

namespace tensile::cpu {

inline uint32_t bits_of(float f) noexcept {
  uint32_t u;
  std::memcpy(&u, &f, sizeof u);
  return u;
}
inline float float_of(uint32_t u) noexcept {
  float f;
  std::memcpy(&f, &u, sizeof f);
  return f;
}

// e^x = 2^n · e^r with n = round(x / ln 2), |r| ≤ ln2 / 2 (Cody–Waite: ln 2 split in two so n·C1 is exact).
// 2^n is applied as two factors 2^(n/2) · 2^(n − n/2), each a normal float, so that subnormal
// results round once and x ≥ 88.73 overflows to +Inf. NaN flows through every step unchanged.
inline float exp_f32(float x) noexcept {
  // e^-104 rounds to 0 and e^89 to +Inf. Two unconditional selects (not a nested ?:), which the
  // vectorizer may if-convert: it will not speculate a second float compare under -ftrapping-math.
  float xc = x < -104.0f ? -104.0f : x;
  xc = xc > 89.0f ? 89.0f : xc;
  constexpr float kRound = 12582912.0f;  // 1.5·2^23: adding it rounds to an integer held in the low mantissa bits
  const float t = xc * 1.44269504088896341f + kRound;
  const float n = t - kRound;
  const int32_t ni = int32_t(bits_of(t) - bits_of(kRound));
  float r = xc - n * 0.693359375f;
  r = r - n * -2.12194440e-4f;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * (r * r) + r + 1.0f;
  const int32_t half = ni / 2;  // n in [-150, 129]: both halves in [-75, 65]
  const float s1 = float_of(uint32_t(half + 127) << 23);
  const float s2 = float_of(uint32_t(ni - half + 127) << 23);
  return (p * s1) * s2;
}

// tanh: an odd polynomial below 0.625, else 1 − 2/(e^{2|x|} + 1); the sign is x's (tanh(−0) = −0).
inline float tanh_f32(float x) noexcept {
  const float ax = std::fabs(x);
  const float z = x * x;
  float p = -5.70498872745e-3f;
  p = p * z + 2.06390887954e-2f;
  p = p * z - 5.37397155531e-2f;
  p = p * z + 1.33314422036e-1f;
  p = p * z - 3.33332819422e-1f;
  const float small = p * z * ax + ax;
  const float large = 1.0f - 2.0f / (exp_f32(ax + ax) + 1.0f);
  const float mag = ax < 0.625f ? small : large;  // NaN takes the large branch and stays NaN
  return std::copysign(mag, x);
}

// The logistic function without overflow: only ever exponentiates −|x|.
inline float sigmoid_f32(float x) noexcept {
  const float e = exp_f32(x < 0 ? x : -x);
  return x >= 0 ? 1.0f / (1.0f + e) : e / (1.0f + e);
}

}  // namespace tensile::cpu
