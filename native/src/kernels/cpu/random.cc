#include "random.h"

namespace tensile::cpu {

namespace {
inline uint32_t rotl(uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }

// One output of xoshiro128**, advancing s.
inline uint32_t next(uint32_t& s0, uint32_t& s1, uint32_t& s2, uint32_t& s3) {
  const uint32_t result = rotl(s1 * 5, 7) * 9;
  const uint32_t t = s1 << 9;
  s2 ^= s0;
  s3 ^= s1;
  s1 ^= s2;
  s0 ^= s3;
  s2 ^= t;
  s3 = rotl(s3, 11);
  return result;
}
}  // namespace

void bernoulli(uint32_t state[4], float* out, size_t n, double p, float value) noexcept {
  uint32_t s0 = state[0], s1 = state[1], s2 = state[2], s3 = state[3];
  for (size_t i = 0; i < n; ++i) {
    const uint32_t hi = next(s0, s1, s2, s3);
    const uint32_t lo = next(s0, s1, s2, s3);
    // (hi·2^21 + lo >> 11) / 2^53: exact in double, as in JavaScript.
    const double u = (double(hi) * 2097152.0 + double(lo >> 11)) / 9007199254740992.0;
    out[i] = u < p ? value : 0.0f;
  }
  state[0] = s0, state[1] = s1, state[2] = s2, state[3] = s3;
}

}  // namespace tensile::cpu
