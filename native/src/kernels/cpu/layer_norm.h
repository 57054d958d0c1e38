// Layer normalization over the last axis of a [rows, cols] matrix, fused each way:
// y = (x − mean)·rstd·gamma + beta with rstd = 1/√(var + eps), var the biased variance (as Keras).
#pragma once
#include <cstddef>

namespace tensile::cpu {

// gamma, beta may be null (scale 1, offset 0); mean and rstd [rows] receive what the backward pass needs.
void layer_norm(const float* x, const float* gamma, const float* beta, float* out, float* mean, float* rstd,
                size_t rows, size_t cols, float eps) noexcept;

// dx (null: skipped) = rstd·(g − mean(g) − x̂·mean(g⊙x̂)) with g = dy⊙gamma; dgamma = Σ dy⊙x̂, dbeta = Σ dy
// over rows (each overwritten; null: skipped).
void layer_norm_backward(const float* x, const float* gamma, const float* mean, const float* rstd, const float* dy,
                         float* dx, float* dgamma, float* dbeta, size_t rows, size_t cols) noexcept;

}  // namespace tensile::cpu
