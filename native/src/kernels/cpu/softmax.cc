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

}  // namespace tensile::cpu
