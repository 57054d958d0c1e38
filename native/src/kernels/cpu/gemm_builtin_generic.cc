// Placeholder portable kernel; replaced by the packed, register-tiled version.
#include "gemm_builtin.h"

namespace tensile::cpu::builtin {

void gemm_generic(const GemmShape& s, float alpha, const float* a, const float* b, float beta, float* c) noexcept {
  for (size_t i = 0; i < s.m; ++i)
    for (size_t j = 0; j < s.n; ++j) {
      float acc = 0;
      for (size_t p = 0; p < s.k; ++p) {
        const float av = s.transA ? a[p * s.m + i] : a[i * s.k + p];
        const float bv = s.transB ? b[j * s.k + p] : b[p * s.n + j];
        acc += av * bv;
      }
      float& out = c[i * s.n + j];
      out = alpha * acc + (beta == 0.0f ? 0.0f : beta * out);
    }
}

GemmFn select(const char** isa) noexcept {
  *isa = "generic";
  return gemm_generic;
}

}  // namespace tensile::cpu::builtin
