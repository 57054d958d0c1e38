// C = alpha·op(A)·op(B) + beta·C, row-major and contiguous.
// op(A) is m×k (A stored k×m when transA), op(B) is k×n (B stored n×k when transB).
// Sizes are validated by the caller; every dimension fits in int.
#pragma once
#include <cstddef>

#include "gemm_epilogue.h"

namespace tensile::cpu {

struct GemmShape {
  bool transA, transB;
  size_t m, n, k;
};

// C = epilogue(alpha·op(A)·op(B) + beta·C): the epilogue (gemm_epilogue.h) adds a bias per column and applies relu.
void gemm(const GemmShape& s, float alpha, const float* a, const float* b, float beta, float* c,
          const GemmEpilogue& e = {}) noexcept;

// y[j] = Σ_p x[p]·R[p, j] for j in [j0, j1), R having k rows of stride ld: one row times some columns of a
// matrix (the built-in kernel's matrix-vector path), on the calling thread only, for callers that split the
// work themselves. j0 a multiple of 16 keeps the result independent of how the columns are split.
void row_combination(const float* r, size_t ld, const float* x, size_t k, float* y, size_t j0, size_t j1) noexcept;

// `batch` products of the same shape in one call: operand i at a + i·strideA, b + i·strideB (a stride of 0
// shares one operand across the batch), c + i·m·n.
void gemm_batched(const GemmShape& s, float alpha, const float* a, const float* b, float beta, float* c, size_t batch,
                  size_t strideA, size_t strideB) noexcept;

// What the build links and which kernel gemm() runs for each shape class, for `tensile info`.
// Both kernels are built where OpenBLAS is found; env TENSILE_GEMM=openblas|builtin overrides the choice.
struct GemmInfo {
  const char* library;     // "OpenBLAS" or "builtin": the BLAS linked
  const char* version;     // OpenBLAS' config string, or the builtin's ISA
  const char* coreType;    // OpenBLAS' chosen core, or the builtin's ISA
  const char* builtinIsa;  // the built-in kernel's ISA (generic, avx2, avx512)
  const char* products;    // the kernel of products with m, n > 1: "OpenBLAS" or "builtin"
  const char* vectors;     // the kernel of matrix-vector products (m = 1 or n = 1)
  const char* rule;        // why
};
GemmInfo gemm_info() noexcept;

// The thread count of every native kernel: OpenBLAS's and tensile's own (parallel.h).
void set_num_threads(int n) noexcept;
int get_num_threads() noexcept;

}  // namespace tensile::cpu
