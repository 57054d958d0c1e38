// The built-in GEMM used when OpenBLAS is absent at build time: a packed,
// register-tiled kernel compiled once per ISA in its own translation unit
// (per-function target attributes lose AVX-512 with g++ 12; separate files do not).
#pragma once
#include <cstddef>

#include "gemm.h"

namespace tensile::cpu::builtin {

// A product of at least this many flops (2·m·n·k) is split over the threads; smaller ones run on one.
constexpr double kSplitFlops = double(1 << 21);

// Products this small (a small model's layers: 32×10×10) skip the packing and padding of the tiled path, which
// cost it more than the arithmetic (the built-in kernel runs them whatever kernel runs larger products).
inline bool small_product(const GemmShape& s) noexcept {
  return double(s.m) * double(s.n) * double(s.k) <= 32768.0 && s.k <= 384 && s.n <= 256;
}

using GemmFn = void (*)(const GemmShape&, float, const float*, const float*, float, float*,
                        const GemmEpilogue&) noexcept;
// y[j] = Σ_p x[p]·R[p, j] for j in [j0, j1) (R: k rows, row stride ld), on the calling thread only.
using RowsFn = void (*)(const float* r, size_t ld, const float* x, size_t k, float* y, size_t j0, size_t j1) noexcept;

void gemm_generic(const GemmShape& s, float alpha, const float* a, const float* b, float beta, float* c,
                  const GemmEpilogue& e) noexcept;
void gemm_avx2(const GemmShape& s, float alpha, const float* a, const float* b, float beta, float* c,
               const GemmEpilogue& e) noexcept;
void gemm_avx512(const GemmShape& s, float alpha, const float* a, const float* b, float beta, float* c,
                 const GemmEpilogue& e) noexcept;
void rows_generic(const float* r, size_t ld, const float* x, size_t k, float* y, size_t j0, size_t j1) noexcept;
void rows_avx2(const float* r, size_t ld, const float* x, size_t k, float* y, size_t j0, size_t j1) noexcept;
void rows_avx512(const float* r, size_t ld, const float* x, size_t k, float* y, size_t j0, size_t j1) noexcept;

// The best variant this CPU runs: its GEMM, its row combination, and its ISA's name.
struct Kernels {
  GemmFn gemm;
  RowsFn rows;
  const char* isa;
};
Kernels select() noexcept;

}  // namespace tensile::cpu::builtin
