// Keras' crossentropies on probabilities ([rows, cols], p clipped to [eps, 1 − eps]) and their exact gradient, in
// the reference's arithmetic (lib/backend/reference/crossentropy.ts): double sums, JavaScript's log (js_log.h),
// the same order of operations. A compiled step runs them natively where the op-by-op step runs the reference
// (cheaper than a crossing at a loss's sizes), and both give the same bits.
#pragma once
#include <cstddef>

namespace tensile::cpu {

enum class CrossentropyKind { Binary = 0, Categorical = 1 };

// out[r]: the loss of row r.
void crossentropy(CrossentropyKind kind, const float* y, const float* p, float* out, size_t rows, size_t cols,
                  double eps) noexcept;

// dp = dL/dp for an upstream gradient dy[r] of each row's loss (0 where the clip is active).
void crossentropy_backward(CrossentropyKind kind, const float* y, const float* p, const float* dy, float* dp,
                           size_t rows, size_t cols, double eps) noexcept;

}  // namespace tensile::cpu
