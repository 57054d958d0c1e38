// The built-in GEMM for AVX-512F, compiled with -march=x86-64-v4 -mprefer-vector-width=512
// (see CMakeLists.txt). 32 zmm registers: a 14×32 tile (28 accumulators, 2 B vectors, 1 broadcast of A);
// g++ 12 spills a B vector inside the k loop with a 12×32 tile, not with 14×32 (check the asm on changes).
#include "gemm_builtin.h"
#include "gemm_builtin_impl.h"

namespace tensile::cpu::builtin {

void gemm_avx512(const GemmShape& s, float alpha, const float* a, const float* b, float beta, float* c,
                 const GemmEpilogue& e) noexcept {
  //           VL  MR NRV   MC    KC   NC
  BuiltinGemm<16, 14, 2, 4088, 384, 384>::run(s, alpha, a, b, beta, c, e);
}

void rows_avx512(const float* r, size_t ld, const float* x, size_t k, float* y, size_t j0, size_t j1) noexcept {
  BuiltinGemm<16, 14, 2, 4088, 384, 384>::gemv_columns(r, ld, x, k, 1.0f, 0.0f, y, j0, j1);
}

}  // namespace tensile::cpu::builtin
