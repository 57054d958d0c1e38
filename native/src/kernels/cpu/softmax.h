// Row-wise softmax or log-softmax of a [rows, cols] matrix, shifted by the row max as the
// reference does (a NaN in a row makes the whole row NaN; a row of -Inf gives NaN).
#pragma once
#include <cstddef>

namespace tensile::cpu {

void softmax(const float* x, float* out, size_t rows, size_t cols, bool log) noexcept;

}  // namespace tensile::cpu
