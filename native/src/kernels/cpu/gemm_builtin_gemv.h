// The built-in GEMM's matrix-vector products (m = 1 or n = 1): the matrix is read once, at memory speed, as rows
// dotted with the vector or as a combination of its rows, split over tensile's threads when long enough.
// Everything lives in an anonymous namespace and uses no inline library templates: each ISA's translation unit
// (gemm_builtin_<isa>.cc, through gemm_builtin_impl.h) must keep its own copy.
#pragma once
#include <cstddef>

#include "gemm.h"
#include "gemm_builtin_vec.h"
#include "parallel.h"

namespace tensile::cpu::builtin {
namespace {

// Below this size one thread finishes before a second would have started (measured on 2 cores, README).
constexpr size_t kParallelGemvValues = size_t(1) << 15;  // matrix values read by a matrix-vector product

template <int VL>
struct BuiltinGemv : Vectors<VL> {
  using V = Vectors<VL>;
  using typename V::vf;
  using typename V::vfu;
  using V::fma;
  using V::hsum;
  using V::splat;

  // y[i] = alpha · R[i, 0:k]·x + beta · y[i] for i in [i0, i1): rows of R (row stride ld) dotted with x.
  static void gemv_dots(const float* r, size_t ld, const float* x, size_t k, float alpha, float beta, float* y,
                        size_t i0, size_t i1) noexcept {
    constexpr int ROWS = 4;
    size_t i = i0;
    for (; i + ROWS <= i1; i += ROWS) {
      vf acc[ROWS][2] = {};
      size_t p = 0;
      for (; p + 2 * VL <= k; p += 2 * VL) {
        const vf x0 = *(const vfu*)(x + p), x1 = *(const vfu*)(x + p + VL);
#pragma GCC unroll 4
        for (int q = 0; q < ROWS; ++q) {
          const float* rq = r + (i + q) * ld + p;
          acc[q][0] = fma(*(const vfu*)rq, x0, acc[q][0]);
          acc[q][1] = fma(*(const vfu*)(rq + VL), x1, acc[q][1]);
        }
      }
      for (int q = 0; q < ROWS; ++q) {
        float sum = hsum(acc[q][0] + acc[q][1]);
        const float* rq = r + (i + q) * ld;
        for (size_t t = p; t < k; ++t) sum += rq[t] * x[t];
        y[i + q] = beta == 0.0f ? alpha * sum : alpha * sum + beta * y[i + q];
      }
    }
    for (; i < i1; ++i) {
      const float* ri = r + i * ld;
      vf acc = {};
      size_t p = 0;
      for (; p + VL <= k; p += VL) acc = fma(*(const vfu*)(ri + p), *(const vfu*)(x + p), acc);
      float sum = hsum(acc);
      for (; p < k; ++p) sum += ri[p] * x[p];
      y[i] = beta == 0.0f ? alpha * sum : alpha * sum + beta * y[i];
    }
  }

  // y[j] = alpha · Σ_p x[p]·R[p, j] + beta · y[j] for j in [j0, j1): a combination of the k rows of R (row
  // stride ld). Rows stream through contiguously, four at a time, into sums for a panel of up to P columns
  // that stay in L1. Each y[j] adds its k terms in order of p, and whether j falls in the vector body or the
  // scalar tail depends on j and the length only (chunks and panels start at multiples of VL).
  static void gemv_columns(const float* r, size_t ld, const float* x, size_t k, float alpha, float beta, float* y,
                           size_t j0, size_t j1) noexcept {
    constexpr size_t P = 1024;
    alignas(64) float acc[P];
    for (size_t jp = j0; jp < j1; jp += P) {
      const size_t w = min_size(P, j1 - jp), wv = w / VL * VL;
      for (size_t j = 0; j < w; ++j) acc[j] = 0.0f;
      const float* rp = r + jp;
      size_t p = 0;
      for (; p + 4 <= k; p += 4, rp += 4 * ld) {
        const vf x0 = splat(x[p]), x1 = splat(x[p + 1]), x2 = splat(x[p + 2]), x3 = splat(x[p + 3]);
        size_t j = 0;
        for (; j < wv; j += VL) {
          vf t = *(const vf*)(acc + j);
          t = fma(x0, *(const vfu*)(rp + j), t);
          t = fma(x1, *(const vfu*)(rp + ld + j), t);
          t = fma(x2, *(const vfu*)(rp + 2 * ld + j), t);
          t = fma(x3, *(const vfu*)(rp + 3 * ld + j), t);
          *(vf*)(acc + j) = t;
        }
        for (; j < w; ++j) {
          float t = acc[j];
          t += x[p] * rp[j];
          t += x[p + 1] * rp[ld + j];
          t += x[p + 2] * rp[2 * ld + j];
          t += x[p + 3] * rp[3 * ld + j];
          acc[j] = t;
        }
      }
      for (; p < k; ++p, rp += ld) {
        const vf xp = splat(x[p]);
        size_t j = 0;
        for (; j < wv; j += VL) *(vf*)(acc + j) = fma(xp, *(const vfu*)(rp + j), *(const vf*)(acc + j));
        for (; j < w; ++j) acc[j] += x[p] * rp[j];
      }
      float* yp = y + jp;
      if (beta == 0.0f)
        for (size_t j = 0; j < w; ++j) yp[j] = alpha * acc[j];
      else
        for (size_t j = 0; j < w; ++j) yp[j] = alpha * acc[j] + beta * yp[j];
    }
  }

  // One output of length `len` from a matrix of len·k values: dots (rows of the matrix) or columns.
  struct Gemv {
    const float* r;
    size_t ld;
    const float* x;
    size_t k, len;
    bool dots;
    float alpha, beta;
    float* y;
    size_t chunk;  // outputs per chunk, a multiple of 8·VL
    static void body(void* p, size_t c) noexcept {
      const Gemv& g = *static_cast<const Gemv*>(p);
      const size_t from = c * g.chunk, to = min_size(g.len, from + g.chunk);
      if (g.dots) gemv_dots(g.r, g.ld, g.x, g.k, g.alpha, g.beta, g.y, from, to);
      else gemv_columns(g.r, g.ld, g.x, g.k, g.alpha, g.beta, g.y, from, to);
    }
  };

  static void gemv(const GemmShape& s, float alpha, const float* a, const float* b, float beta, float* c) noexcept {
    Gemv g;
    g.alpha = alpha;
    g.beta = beta;
    g.y = c;
    g.k = s.k;
    if (s.m == 1) {  // c[1×n] = a·op(B); a is contiguous whether or not it is transposed
      g.x = a, g.r = b, g.len = s.n, g.dots = s.transB, g.ld = s.transB ? s.k : s.n;
    } else {  // c[m×1] = op(A)·b
      g.x = b, g.r = a, g.len = s.m, g.dots = !s.transA, g.ld = s.transA ? s.m : s.k;
    }
    const size_t threads = size_t(pool_threads());
    size_t chunks = 1;
    if (threads > 1 && g.len * g.k >= kParallelGemvValues) chunks = min_size(threads, (g.len + 8 * VL - 1) / (8 * VL));
    g.chunk = round_up((g.len + chunks - 1) / chunks, 8 * VL);
    chunks = (g.len + g.chunk - 1) / g.chunk;
    if (chunks <= 1) return Gemv::body(&g, 0);
    parallel_chunks(chunks, &Gemv::body, &g);
  }
};

}  // namespace
}  // namespace tensile::cpu::builtin
