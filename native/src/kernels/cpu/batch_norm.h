// Batch normalization in training of a [rows, cols] matrix over its rows (one statistic per column, as Keras'
// BatchNormalization over every axis but the last), fused each way:
// y = (x − mean)·(rstd·gamma) + beta with rstd = 1/√(var + eps), var the biased variance (as Keras).
#pragma once
#include <cstddef>

namespace tensile::cpu {

// gamma, beta may be null (scale 1, offset 0); mean, variance (for the moving averages) and rstd (for the
// backward pass) [cols] receive the batch statistics. rows = 0 gives NaN statistics (0/0, as a mean over nothing).
void batch_norm(const float* x, const float* gamma, const float* beta, float* out, float* mean, float* variance,
                float* rstd, size_t rows, size_t cols, float eps) noexcept;

// With x̂ = (x − mean)·rstd: dgamma = Σ dy⊙x̂, dbeta = Σ dy over rows (each overwritten; null: skipped);
// dx (null: skipped) = rstd·gamma·(dy − Σdy/rows − x̂·Σ(dy⊙x̂)/rows), the gradient through the batch statistics too.
void batch_norm_backward(const float* x, const float* gamma, const float* mean, const float* rstd, const float* dy,
                         float* dx, float* dgamma, float* dbeta, size_t rows, size_t cols) noexcept;

// avg = avg·momentum + x·rest, in place, each product and the sum rounded to float (rest = 1 − momentum rounded
// once): the numbers of the two multiplications and the addition as separate ops.
void moving_average(float* avg, const float* x, size_t n, float momentum, float rest) noexcept;

}  // namespace tensile::cpu
