// The built-in GEMM used when OpenBLAS is absent at build time: a packed,
// register-tiled kernel compiled once per ISA in its own translation unit
// (per-function target attributes lose AVX-512 with g++ 12; separate files do not).
#pragma once
#include <cstddef>

#include "gemm.h"

namespace tensile::cpu::builtin {

using GemmFn = void (*)(const GemmShape&, float, const float*, const float*, float, float*) noexcept;

void gemm_generic(const GemmShape& s, float alpha, const float* a, const float* b, float beta, float* c) noexcept;
void gemm_avx2(const GemmShape& s, float alpha, const float* a, const float* b, float beta, float* c) noexcept;
void gemm_avx512(const GemmShape& s, float alpha, const float* a, const float* b, float beta, float* c) noexcept;

// The best variant this CPU runs, and its ISA's name.
GemmFn select(const char** isa) noexcept;

}  // namespace tensile::cpu::builtin
