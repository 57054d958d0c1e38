// The portable built-in GEMM (the same kernel with 4-wide vectors, compiled for the baseline
// target: SSE2 on x86-64) and the run-time choice among the built-in variants.
#include <cstdlib>
#include <cstring>

#include "gemm_builtin.h"
#include "gemm_builtin_impl.h"

namespace tensile::cpu::builtin {

void gemm_generic(const GemmShape& s, float alpha, const float* a, const float* b, float beta, float* c,
                  const GemmEpilogue& e) noexcept {
  //           VL MR NRV   MC    KC   NC
  BuiltinGemm<4, 4, 2, 4080, 384, 384>::run(s, alpha, a, b, beta, c, e);
}

void rows_generic(const float* r, size_t ld, const float* x, size_t k, float* y, size_t j0, size_t j1) noexcept {
  BuiltinGemm<4, 4, 2, 4080, 384, 384>::gemv_columns(r, ld, x, k, 1.0f, 0.0f, y, j0, j1);
}

// The best variant this CPU runs. TENSILE_GEMM_ISA (generic | avx2 | avx512) caps the choice, for
// testing; it never selects an ISA the CPU lacks, and an unknown value is ignored.
Kernels select() noexcept {
  int best = 0;  // 0 generic, 1 avx2, 2 avx512
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  // The features -march=x86-64-v3 / -v4 let the compiler use anywhere in those files (BMI2 too).
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("bmi") &&
      __builtin_cpu_supports("bmi2"))
    best = 1;
  if (best == 1 && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
      __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512cd"))
    best = 2;
#endif
  if (const char* want = std::getenv("TENSILE_GEMM_ISA")) {
    int cap = best;
    if (std::strcmp(want, "generic") == 0) cap = 0;
    else if (std::strcmp(want, "avx2") == 0) cap = 1;
    else if (std::strcmp(want, "avx512") == 0) cap = 2;
    if (cap < best) best = cap;
  }
  switch (best) {
    case 2: return {gemm_avx512, rows_avx512, "avx512"};
    case 1: return {gemm_avx2, rows_avx2, "avx2"};
    default: return {gemm_generic, rows_generic, "generic"};
  }
}

}  // namespace tensile::cpu::builtin
