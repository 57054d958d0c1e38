// Data layout kernels: transpose (permute axes), gather rows, scatter-add rows.
// Shapes, permutations and indices are validated by the caller.
#pragma once
#include <cstddef>
#include <cstdint>

namespace tensile::cpu {

// out axis i is x axis perm[i]; rank ≤ kMaxRank (strided.h).
void transpose(const float* x, float* out, const size_t* shape, const size_t* perm, size_t rank) noexcept;
// out row r = x row indices[r]; rows of rowSize elements.
void gather(const float* x, const int32_t* indices, size_t count, float* out, size_t rowSize) noexcept;
// out row indices[r] += x row r, in order of r (repeated indices accumulate).
void scatter_add(const float* x, const int32_t* indices, size_t count, float* out, size_t rowSize) noexcept;

}  // namespace tensile::cpu
