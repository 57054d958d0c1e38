// Row-wise softmax or log-softmax of a [rows, cols] matrix, shifted by the row max as the
// reference does (a NaN in a row makes the whole row NaN; a row of -Inf gives NaN).
#pragma once
#include <cstddef>

namespace tensile::cpu {

void softmax(const float* x, float* out, size_t rows, size_t cols, bool log) noexcept;

// Softmax of the entries a mask keeps (mask ≠ 0; the others get probability 0), as Keras' Softmax with a mask,
// which adds −1e9 to masked scores: a row with every entry masked is uniform. The mask is shared by `heads`
// consecutive blocks of `inner` rows: score row r reads mask row (r / (heads·inner))·inner + r % inner
// (scores [batch, heads, q, k], mask [batch, q, k]: heads = heads, inner = q). mask null: plain softmax.
void masked_softmax(const float* x, const float* mask, float* out, size_t rows, size_t cols, size_t heads,
                    size_t inner) noexcept;

// dx = y ⊙ (dy − Σ dy⊙y), row by row: the gradient of softmax (masked or not) from its output y.
void softmax_backward(const float* y, const float* dy, float* dx, size_t rows, size_t cols) noexcept;

}  // namespace tensile::cpu
