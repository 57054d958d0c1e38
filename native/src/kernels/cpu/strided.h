// A broadcast plan as kernels see it (lib/tensor/broadcast.ts builds it): the output shape
// and, per operand, a read stride per output axis (0 where the operand is broadcast).
#pragma once
#include <array>
#include <cstddef>

namespace tensile::cpu {

inline constexpr size_t kMaxRank = 32;  // bindings reject more: index arrays then live on the stack

template <size_t K>
struct Strided {
  size_t rank;               // ≤ kMaxRank
  const size_t* shape;       // rank entries
  const size_t* strides[K];  // per operand, rank entries; every reachable offset is in bounds
};

// Calls row(outOffset, offsets, length, innerStrides) once per run along the innermost axis, in
// output order; the row function holds the loop that the compiler vectorizes.
template <size_t K, class Row>
void for_each_row(const Strided<K>& p, Row&& row) noexcept {
  std::array<size_t, K> offs{}, inner{};
  if (p.rank == 0) return row(size_t(0), offs, size_t(1), inner);
  size_t rows = 1;
  for (size_t d = 0; d < p.rank; ++d) {
    if (p.shape[d] == 0) return;
    if (d + 1 < p.rank) rows *= p.shape[d];
  }
  const size_t last = p.rank - 1, len = p.shape[last];
  for (size_t k = 0; k < K; ++k) inner[k] = p.strides[k][last];
  std::array<size_t, kMaxRank> idx{};
  for (size_t r = 0; r < rows; ++r) {
    row(r * len, offs, len, inner);
    for (size_t d = last; d-- > 0;) {
      for (size_t k = 0; k < K; ++k) offs[k] += p.strides[k][d];
      if (++idx[d] < p.shape[d]) break;
      for (size_t k = 0; k < K; ++k) offs[k] -= p.strides[k][d] * p.shape[d];
      idx[d] = 0;
    }
  }
}

}  // namespace tensile::cpu
