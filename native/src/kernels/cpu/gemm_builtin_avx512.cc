// The built-in GEMM for AVX-512F, compiled with -march=x86-64-v4 -mprefer-vector-width=512
// (see CMakeLists.txt). 32 zmm registers: a 14×32 tile (28 accumulators, 2 B vectors, 1 broadcast of A);
// g++ 12 spills a B vector inside the k loop with a 12×32 tile, not with 14×32 (check the asm on changes).
#include "gemm_builtin.h"
#include "gemm_builtin_impl.h"

namespace tensile::cpu::builtin {

void gemm_avx512(const GemmShape& s, float alpha, const float* a, const float* b, float beta, float* c) noexcept {
  //           VL  MR NRV   MC    KC   NC
  BuiltinGemm<16, 14, 2, 4088, 384, 384>::run(s, alpha, a, b, beta, c);
}

}  // namespace tensile::cpu::builtin
