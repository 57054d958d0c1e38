// The built-in GEMM for AVX2 + FMA, compiled with -march=x86-64-v3 (see CMakeLists.txt).
// 16 ymm registers: a 6×16 tile (12 accumulators, 2 B vectors, 1 broadcast of A).
#include "gemm_builtin.h"
#include "gemm_builtin_impl.h"

namespace tensile::cpu::builtin {

void gemm_avx2(const GemmShape& s, float alpha, const float* a, const float* b, float beta, float* c) noexcept {
  //           VL MR NRV   MC    KC   NC
  BuiltinGemm<8, 6, 2, 4080, 384, 384>::run(s, alpha, a, b, beta, c);
}

}  // namespace tensile::cpu::builtin
