#include "softmax.h"

#include <cmath>
#include <limits>

#include "contiguous.h"
#include "multiversion.h"
#include "transcendental.h"

namespace tensile::cpu {

TENSILE_MULTIVERSION void softmax(const float* x, float* out, size_t rows, size_t cols, bool log) noexcept {
  constexpr float kInf = std::numeric_limits<float>::infinity();
  for (size_t r = 0; r < rows; ++r) {
    const float* __restrict xr = x + r * cols;
    float* __restrict yr = out + r * cols;
    // Subtract the row max first: softmax is shift-invariant and exp() of a value ≤ 0 cannot overflow.
    float max = contiguous::extreme<contiguous::Greater>(xr, cols, -kInf);  // NaN if the row holds one, as Math.max
    if (max == -kInf) max = 0;  // a row of -Inf: NaN below, not -Inf − -Inf
    // exp(x − max) goes through out: the sum reads it back from L1, and log-softmax overwrites it.
    for (size_t j = 0; j < cols; ++j) yr[j] = exp_f32(xr[j] - max);
    const double sum = contiguous::sum(yr, cols);  // in double, as the reference
    if (log) {
      // (x − max) − log Σ in double, in the reference's order: x − (max + log Σ) would lose log Σ next to a large max.
      const double lse = std::log(sum);
      for (size_t j = 0; j < cols; ++j) yr[j] = float((double(xr[j]) - double(max)) - lse);
    } else {
      const float inv = float(1.0 / sum);
      for (size_t j = 0; j < cols; ++j) yr[j] *= inv;
    }
  }
}

TENSILE_MULTIVERSION void masked_softmax(const float* x, const float* mask, float* out, size_t rows, size_t cols,
                                         size_t heads, size_t inner) noexcept {
  if (!mask) return softmax(x, out, rows, cols, false);
  constexpr float kInf = std::numeric_limits<float>::infinity();
  for (size_t r = 0; r < rows; ++r) {
    const float* __restrict xr = x + r * cols;
    const float* __restrict mr = mask + ((r / (heads * inner)) * inner + r % inner) * cols;
    float* __restrict yr = out + r * cols;
    float max = -kInf;
    bool any = false;
    for (size_t j = 0; j < cols; ++j)
      if (mr[j] != 0.0f) {
        any = true;
        if (xr[j] != xr[j] || xr[j] > max) max = max != max ? max : xr[j];  // NaN sticks, as Math.max
      }
    if (!any) {  // −1e9 added everywhere: every score equal, the probabilities uniform
      for (size_t j = 0; j < cols; ++j) yr[j] = 1.0f / float(cols);
      continue;
    }
    if (max == -kInf) max = 0;
    double sum = 0;
    for (size_t j = 0; j < cols; ++j) {
      yr[j] = mr[j] != 0.0f ? exp_f32(xr[j] - max) : 0.0f;
      sum += double(yr[j]);
    }
    const float inv = float(1.0 / sum);
    for (size_t j = 0; j < cols; ++j)
      yr[j] = mr[j] != 0.0f ? yr[j] * inv : 0.0f;  // a masked entry stays 0 beside a NaN
  }
}

TENSILE_MULTIVERSION void softmax_backward(const float* y, const float* dy, float* dx, size_t rows,
                                           size_t cols) noexcept {
  for (size_t r = 0; r < rows; ++r) {
    const float* __restrict yr = y + r * cols;
    const float* __restrict dyr = dy + r * cols;
    float* __restrict o = dx + r * cols;
    double dot = 0;
    for (size_t j = 0; j < cols; ++j) dot += double(dyr[j]) * double(yr[j]);
    for (size_t j = 0; j < cols; ++j) o[j] = yr[j] * (dyr[j] - float(dot));
  }
}

}  // namespace tensile::cpu
