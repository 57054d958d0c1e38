// C = alpha·op(A)·op(B) + beta·C, row-major and contiguous.
// op(A) is m×k (A stored k×m when transA), op(B) is k×n (B stored n×k when transB).
// Sizes are validated by the caller; every dimension fits in int.
#pragma once
#include <cstddef>

namespace tensile::cpu {

struct GemmShape {
  bool transA, transB;
  size_t m, n, k;
};

void gemm(const GemmShape& s, float alpha, const float* a, const float* b, float beta, float* c) noexcept;

// `batch` products of the same shape in one call: operand i at a + i·strideA, b + i·strideB (a stride of 0
// shares one operand across the batch), c + i·m·n.
void gemm_batched(const GemmShape& s, float alpha, const float* a, const float* b, float beta, float* c, size_t batch,
                  size_t strideA, size_t strideB) noexcept;

// Which implementation gemm() uses, for `tensile info`.
struct GemmInfo {
  const char* library;   // "OpenBLAS" or "builtin"
  const char* version;   // OpenBLAS' config string, or the builtin's ISA
  const char* coreType;  // OpenBLAS' chosen core, or the builtin's ISA
};
GemmInfo gemm_info() noexcept;

void set_num_threads(int n) noexcept;
int get_num_threads() noexcept;

}  // namespace tensile::cpu
