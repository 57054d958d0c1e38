// Placeholder: replaced by the packed, register-tiled kernel.
#include "gemm_builtin.h"

namespace tensile::cpu::builtin {
void gemm_avx2(const GemmShape& s, float alpha, const float* a, const float* b, float beta, float* c) noexcept {
  gemm_generic(s, alpha, a, b, beta, c);
}
}  // namespace tensile::cpu::builtin
