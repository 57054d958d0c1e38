// Reductions of one contiguous run, shared by reduce.cc and softmax.cc. Each keeps kLanes
// independent accumulators in a small array that the vectorizer turns into vector registers
// (with 8 lanes g++ scalarizes the array and gives up on the select-based max).
#pragma once
#include <cstddef>

namespace tensile::cpu::contiguous {

inline constexpr size_t kLanes = 32;

// Σ x in double: the reference sums JS numbers; only the order differs, not the precision.
inline double sum(const float* __restrict x, size_t n) noexcept {
  if (n < kLanes) {  // the same sum without the lanes, which cost ~100 cycles a call to set up and combine
    double s = 0;
    for (size_t j = 0; j < n; ++j) s += double(x[j]);
    return s;
  }
  double acc[kLanes] = {};
  size_t j = 0;
  for (; j + kLanes <= n; j += kLanes)
    for (size_t l = 0; l < kLanes; ++l) acc[l] += double(x[j + l]);
  double s = 0;
  for (size_t l = 0; l < kLanes; ++l) s += acc[l];
  for (; j < n; ++j) s += double(x[j]);
  return s;
}

// Max (Greater) or min (Less) step: NaN sticks once seen, else a strictly better value replaces.
// Bitwise | (not ||) keeps the loops branch-free, so they vectorize.
struct Greater {
  static bool better(float v, float acc) noexcept { return v > acc; }
};
struct Less {
  static bool better(float v, float acc) noexcept { return v < acc; }
};
template <class Cmp>
inline float step(float acc, float v) noexcept {
  return (Cmp::better(v, acc) | (v != v)) ? v : acc;
}

// The extreme of a run, NaN if it holds one, init if empty. Lanes see elements out of order: among
// equal values (only ±0 differ) the one returned is not necessarily the first.
template <class Cmp>
float extreme(const float* __restrict x, size_t n, float init) noexcept {
  if (n < kLanes) {  // as sum: the lanes would all stay init
    float r = init;
    for (size_t j = 0; j < n; ++j) r = step<Cmp>(r, x[j]);
    return r;
  }
  float acc[kLanes];
  for (size_t l = 0; l < kLanes; ++l) acc[l] = init;
  size_t j = 0;
  for (; j + kLanes <= n; j += kLanes)
    for (size_t l = 0; l < kLanes; ++l) acc[l] = step<Cmp>(acc[l], x[j + l]);
  float r = init;
  for (size_t l = 0; l < kLanes; ++l) r = step<Cmp>(r, acc[l]);
  for (; j < n; ++j) r = step<Cmp>(r, x[j]);
  return r;
}

}  // namespace tensile::cpu::contiguous
