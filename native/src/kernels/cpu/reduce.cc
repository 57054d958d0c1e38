#include "reduce.h"

#include <limits>

#include "contiguous.h"
#include "multiversion.h"

namespace tensile::cpu {

namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr size_t kChunk = 256;  // columns reduced at once when inner > 1 (stack accumulators)
using contiguous::Greater;
using contiguous::Less;
using contiguous::step;

// The reference returns the first extreme it meets; the lanes of contiguous::extreme may meet a later
// one, which differs only in the sign of a zero: then the first zero is the answer.
template <class Cmp>
float extreme_row(const float* x, size_t n, float init) noexcept {
  const float r = contiguous::extreme<Cmp>(x, n, init);
  if (r == 0)
    for (size_t i = 0; i < n; ++i)
      if (x[i] == 0) return x[i];
  return r;
}

// [n, inner] → [inner] for one outer index: rows are added into per-column accumulators, a chunk of
// columns at a time, so every inner loop runs over contiguous memory.
void sum_cols(const float* x, float* out, size_t n, size_t inner) noexcept {
  for (size_t c0 = 0; c0 < inner; c0 += kChunk) {
    const size_t w = inner - c0 < kChunk ? inner - c0 : kChunk;
    double acc[kChunk] = {};
    for (size_t j = 0; j < n; ++j) {
      const float* __restrict row = x + j * inner + c0;
      for (size_t c = 0; c < w; ++c) acc[c] += double(row[c]);
    }
    for (size_t c = 0; c < w; ++c) out[c0 + c] = float(acc[c]);
  }
}

template <class Cmp>
void extreme_cols(const float* x, float* __restrict out, size_t n, size_t inner, float init) noexcept {
  for (size_t c = 0; c < inner; ++c) out[c] = init;
  for (size_t j = 0; j < n; ++j) {
    const float* __restrict row = x + j * inner;
    for (size_t c = 0; c < inner; ++c) out[c] = step<Cmp>(out[c], row[c]);
  }
}

double ordered_sum(const float* x, size_t n) noexcept {
  double s = 0;
  for (size_t j = 0; j < n; ++j) s += double(x[j]);
  return s;
}

void reduce_block(ReduceOp op, const float* x, float* out, size_t n, size_t inner, bool ordered) noexcept {
  if (inner == 1) {
    switch (op) {
      case ReduceOp::Sum: *out = float(ordered ? ordered_sum(x, n) : contiguous::sum(x, n)); return;
      case ReduceOp::Max: *out = extreme_row<Greater>(x, n, -kInf); return;
      case ReduceOp::Min: *out = extreme_row<Less>(x, n, kInf); return;
    }
  }
  switch (op) {
    case ReduceOp::Sum: return sum_cols(x, out, n, inner);
    case ReduceOp::Max: return extreme_cols<Greater>(x, out, n, inner, -kInf);
    case ReduceOp::Min: return extreme_cols<Less>(x, out, n, inner, kInf);
  }
}

// argmax of one contiguous run: a vectorized max first, then the first index holding it.
float argmax_row(const float* x, size_t n) noexcept {
  const float m = contiguous::extreme<Greater>(x, n, -kInf);
  const bool nan = m != m;
  for (size_t i = 0; i < n; ++i)
    if (nan ? x[i] != x[i] : x[i] == m) return float(i);
  return 0;
}

// argmax down the columns of one [n, inner] block; best holds indices as floats (what out stores).
void argmax_cols(const float* x, float* __restrict out, size_t n, size_t inner) noexcept {
  if (n == 0) {
    for (size_t c = 0; c < inner; ++c) out[c] = 0;
    return;
  }
  for (size_t c0 = 0; c0 < inner; c0 += kChunk) {
    const size_t w = inner - c0 < kChunk ? inner - c0 : kChunk;
    float best[kChunk], bestV[kChunk];
    for (size_t c = 0; c < w; ++c) best[c] = 0, bestV[c] = x[c0 + c];
    for (size_t j = 1; j < n; ++j) {
      const float* __restrict row = x + j * inner + c0;
      const float fj = float(j);
      for (size_t c = 0; c < w; ++c) {
        // A NaN best is final (the first NaN wins); otherwise a NaN or a strictly larger value replaces it.
        const bool take = (bestV[c] == bestV[c]) & ((row[c] > bestV[c]) | (row[c] != row[c]));
        best[c] = take ? fj : best[c];
        bestV[c] = take ? row[c] : bestV[c];
      }
    }
    for (size_t c = 0; c < w; ++c) out[c0 + c] = best[c];
  }
}

}  // namespace

TENSILE_MULTIVERSION void reduce(ReduceOp op, const float* x, float* out, const ReduceShape& s, bool ordered) noexcept {
  for (size_t o = 0; o < s.outer; ++o)
    reduce_block(op, x + o * s.n * s.inner, out + o * s.inner, s.n, s.inner, ordered);
}

TENSILE_MULTIVERSION void argmax(const float* x, float* out, const ReduceShape& s) noexcept {
  for (size_t o = 0; o < s.outer; ++o) {
    const float* block = x + o * s.n * s.inner;
    if (s.inner == 1) out[o] = argmax_row(block, s.n);
    else argmax_cols(block, out + o * s.inner, s.n, s.inner);
  }
}

}  // namespace tensile::cpu
