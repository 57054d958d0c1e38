// The built-in GEMM's small products (gemm_builtin.h small_product: a small model's layers, 32×10×10), which the tiled
// path would spend more on packing and padding than on the arithmetic: A read in place, op(B) copied once into rows
// of whole vectors, C by register blocks. Each entry is the micro-kernel's sum (from zero, p in order, its alpha and
// beta), so C gets the bits the tiled path gives it (test/native/gemm-builtin.test.ts).
// Everything lives in an anonymous namespace and uses no inline library templates: each ISA's translation unit
// (gemm_builtin_<isa>.cc, through gemm_builtin_impl.h) must keep its own copy.
#pragma once
#include <cstddef>

#include "gemm.h"
#include "gemm_builtin_vec.h"

namespace tensile::cpu::builtin {
namespace {

template <int VL>
struct BuiltinSmall : Vectors<VL> {
  using V = Vectors<VL>;
  using typename V::vf;
  using typename V::vfu;
  using V::fma;
  using V::splat;

  // R rows of C from row i, columns [j, j + CV·VL) of the padded B panel (np floats a row), A read in place: the
  // micro-kernel's sums (from zero, p in order) and its alpha/beta, so C gets the bits the tiled path gives it.
  template <int R, int CV>
  static void small_block(const GemmShape& s, float alpha, const float* a, const float* bp, size_t np, float beta,
                          float* c, size_t i, size_t j) noexcept {
    vf acc[R][CV];
#pragma GCC unroll 8
    for (int r = 0; r < R; ++r)
#pragma GCC unroll 4
      for (int v = 0; v < CV; ++v) acc[r][v] = vf{};
    for (size_t p = 0; p < s.k; ++p) {
      vf bv[CV];
#pragma GCC unroll 4
      for (int v = 0; v < CV; ++v) bv[v] = *(const vf*)(bp + p * np + j + v * VL);
#pragma GCC unroll 8
      for (int r = 0; r < R; ++r) {
        const vf av = splat(s.transA ? a[p * s.m + i + r] : a[(i + r) * s.k + p]);
#pragma GCC unroll 4
        for (int v = 0; v < CV; ++v) acc[r][v] = fma(av, bv[v], acc[r][v]);
      }
    }
    const vf va = splat(alpha), vb = splat(beta);
    const size_t valid = min_size(size_t(CV * VL), s.n - j);
#pragma GCC unroll 8
    for (int r = 0; r < R; ++r) {
      float* cp = c + (i + r) * s.n + j;
      if (valid == size_t(CV * VL)) {
#pragma GCC unroll 4
        for (int v = 0; v < CV; ++v) {
          vfu* cv = (vfu*)(cp + v * VL);
          *cv = beta == 0.0f ? acc[r][v] * va : fma(acc[r][v], va, *cv * vb);
        }
        continue;
      }
      alignas(64) float t[CV * VL];
      if (beta != 0.0f) __builtin_memcpy(t, cp, valid * sizeof(float));
#pragma GCC unroll 4
      for (int v = 0; v < CV; ++v) {
        vf* tv = (vf*)(t + v * VL);
        *tv = beta == 0.0f ? acc[r][v] * va : fma(acc[r][v], va, *tv * vb);
      }
      __builtin_memcpy(cp, t, valid * sizeof(float));
    }
  }
  template <int R>
  static void small_rows(const GemmShape& s, float alpha, const float* a, const float* bp, size_t np, float beta,
                         float* c, size_t i) noexcept {
    size_t j = 0;
    for (; j + 2 * VL <= np; j += 2 * VL) small_block<R, 2>(s, alpha, a, bp, np, beta, c, i, j);
    if (j < np) small_block<R, 1>(s, alpha, a, bp, np, beta, c, i, j);
  }
  // C = alpha·op(A)·op(B) + beta·C for a small product (small_product): op(B) copied once into bp (k·round_up(n, VL)
  // floats) as rows of whole vectors, zero-padded; C by blocks of 4 rows (then 1) and 2 vectors of columns (then 1).
  static void run(const GemmShape& s, float alpha, const float* a, const float* b, float beta, float* c,
                  float* bp) noexcept {
    const size_t np = round_up(s.n, VL);
    for (size_t p = 0; p < s.k; ++p) {
      float* d = bp + p * np;
      if (s.transB)
        for (size_t j = 0; j < s.n; ++j) d[j] = b[j * s.k + p];
      else __builtin_memcpy(d, b + p * s.n, s.n * sizeof(float));
      for (size_t j = s.n; j < np; ++j) d[j] = 0.0f;
    }
    size_t i = 0;
    for (; i + 4 <= s.m; i += 4) small_rows<4>(s, alpha, a, bp, np, beta, c, i);
    for (; i < s.m; ++i) small_rows<1>(s, alpha, a, bp, np, beta, c, i);
  }
};

}  // namespace
}  // namespace tensile::cpu::builtin
