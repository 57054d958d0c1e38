#include "gemm.h"

#include <algorithm>

#ifdef TENSILE_OPENBLAS
#include <cblas.h>
#else
#include "gemm_builtin.h"
#endif

namespace tensile::cpu {

namespace {
// BLAS requires beta = 0 to ignore C entirely (NaN in C must not leak through 0·NaN).
void scale(float* c, size_t n, float beta) noexcept {
  if (beta == 0.0f) std::fill(c, c + n, 0.0f);
  else if (beta != 1.0f) for (size_t i = 0; i < n; ++i) c[i] *= beta;
}

#ifndef TENSILE_OPENBLAS
struct Builtin {
  builtin::GemmFn fn;
  const char* isa;
  Builtin() { fn = builtin::select(&isa); }
};
const Builtin& builtin_gemm() {
  static const Builtin b;
  return b;
}
#endif
}  // namespace

void gemm(const GemmShape& s, float alpha, const float* a, const float* b, float beta, float* c) noexcept {
  if (s.m == 0 || s.n == 0) return;
  if (s.k == 0 || alpha == 0.0f) return scale(c, s.m * s.n, beta);
#ifdef TENSILE_OPENBLAS
  // A single row or column is a matrix-vector product: OpenBLAS 0.3.21's sgemm pads it to a full
  // tile and runs about 20 times slower than sgemv (predicting one sample is this case).
  if (s.m == 1) {  // c[1×n] = a[1×k]·op(B): op(B)ᵀ·a
    if (s.transB) cblas_sgemv(CblasRowMajor, CblasNoTrans, int(s.n), int(s.k), alpha, b, int(s.k), a, 1, beta, c, 1);
    else cblas_sgemv(CblasRowMajor, CblasTrans, int(s.k), int(s.n), alpha, b, int(s.n), a, 1, beta, c, 1);
    return;
  }
  if (s.n == 1) {  // c[m×1] = op(A)·b[k×1]
    if (s.transA) cblas_sgemv(CblasRowMajor, CblasTrans, int(s.k), int(s.m), alpha, a, int(s.m), b, 1, beta, c, 1);
    else cblas_sgemv(CblasRowMajor, CblasNoTrans, int(s.m), int(s.k), alpha, a, int(s.k), b, 1, beta, c, 1);
    return;
  }
  // Leading dimensions of contiguous row-major storage; BLAS wants them >= 1.
  const int lda = int(std::max<size_t>(1, s.transA ? s.m : s.k));
  const int ldb = int(std::max<size_t>(1, s.transB ? s.k : s.n));
  cblas_sgemm(CblasRowMajor, s.transA ? CblasTrans : CblasNoTrans, s.transB ? CblasTrans : CblasNoTrans, int(s.m),
              int(s.n), int(s.k), alpha, a, lda, b, ldb, beta, c, int(s.n));
#else
  builtin_gemm().fn(s, alpha, a, b, beta, c);
#endif
}

void gemm_batched(const GemmShape& s, float alpha, const float* a, const float* b, float beta, float* c, size_t batch,
                  size_t strideA, size_t strideB) noexcept {
  for (size_t i = 0; i < batch; ++i) gemm(s, alpha, a + i * strideA, b + i * strideB, beta, c + i * s.m * s.n);
}

GemmInfo gemm_info() noexcept {
#ifdef TENSILE_OPENBLAS
  return {"OpenBLAS", openblas_get_config(), openblas_get_corename()};
#else
  return {"builtin", builtin_gemm().isa, builtin_gemm().isa};
#endif
}

void set_num_threads(int n) noexcept {
#ifdef TENSILE_OPENBLAS
  openblas_set_num_threads(n);
#else
  (void)n;
#endif
}

int get_num_threads() noexcept {
#ifdef TENSILE_OPENBLAS
  return openblas_get_num_threads();
#else
  return 1;
#endif
}

}  // namespace tensile::cpu
