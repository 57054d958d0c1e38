// The built-in GEMM for AVX2 + FMA, compiled with -march=x86-64-v3 (see CMakeLists.txt).
// 16 ymm registers: a 6×16 tile (12 accumulators, 2 B vectors, 1 broadcast of A).
#include "gemm_builtin.h"
#include "gemm_builtin_impl.h"

namespace tensile::cpu::builtin {

void gemm_avx2(const GemmShape& s, float alpha, const float* a, const float* b, float beta, float* c,
               const GemmEpilogue& e) noexcept {
  //           VL MR NRV   MC    KC   NC
  BuiltinGemm<8, 6, 2, 4080, 384, 384>::run(s, alpha, a, b, beta, c, e);
}

void rows_avx2(const float* r, size_t ld, const float* x, size_t k, float* y, size_t j0, size_t j1) noexcept {
  BuiltinGemm<8, 6, 2, 4080, 384, 384>::gemv_columns(r, ld, x, k, 1.0f, 0.0f, y, j0, j1);
}

}  // namespace tensile::cpu::builtin
