// The built-in GEMM, written once and instantiated per ISA: gemm_builtin_avx2.cc (x86-64-v3),
// gemm_builtin_avx512.cc (x86-64-v4) and gemm_builtin_generic.cc (the baseline target) each include
// this header and pick a vector width, a register tile and cache blocks.
//
// Scheme (BLIS/GotoBLAS, with the roles of A and B swapped to suit row-major C, whose rows are the
// vector direction):
//   for i0 in m by MC           A block, MC×KC, packed once per (i0, p0): stays in L3
//     for p0 in k by KC
//       pack op(A)[i0.., p0..] into MR-row micro-panels (transposes handled here)
//       for j0 in n by NC       B block, KC×NC: stays in L2
//         pack op(B)[p0.., j0..] into NR-column micro-panels (transposes handled here)
//         for ir in MC by MR    A micro-panel, KC×MR: stays in L1
//           for jr in NC by NR  B micro-panel streams from L2
//             micro-kernel: MR×NR accumulators in registers, one broadcast of A and NR/VL
//             vector loads of B per k step; C is read and written once per (p0) block.
// Panels are zero-padded to whole tiles, so the micro-kernel never branches on edges; edge tiles
// go through a small buffer and only their valid part touches C. beta applies at the first KC
// block only (later blocks accumulate), and beta == 0 never reads C, so NaN in C cannot leak.
//
// Single-threaded: the caller (a libuv worker) is the parallelism; there is no thread pool here.
// Every call allocates its own packing buffers, so concurrent calls from several threads are safe.
// Known cost: a dimension far below the tile (m < MR, n < NR) computes padding; m = 1 runs at a few
// GFLOP/s where a GEMV path would be memory-bound instead.
//
// Everything lives in an anonymous namespace and uses no inline library templates: each ISA's
// translation unit must keep its own copy, or the linker could merge an AVX-512 copy of an inline
// function into the code that runs on AVX2-only CPUs.
#pragma once
#include <cstddef>
#include <cstdlib>

#include "gemm.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace tensile::cpu::builtin {
namespace {

inline size_t min_size(size_t a, size_t b) { return a < b ? a : b; }
inline size_t round_up(size_t a, size_t to) { return (a + to - 1) / to * to; }

// VL floats per vector, an MR × (NRV·VL) register tile, and MC/KC/NC cache blocks (MC a multiple of
// MR, NC a multiple of NR).
template <int VL, int MR, int NRV, size_t MC, size_t KC, size_t NC>
struct BuiltinGemm {
  static constexpr int NR = VL * NRV;
  static_assert(MC % MR == 0 && NC % NR == 0, "blocks must hold whole tiles");

  typedef float vf __attribute__((vector_size(VL * sizeof(float))));                 // aligned
  typedef float vfu __attribute__((vector_size(VL * sizeof(float)), aligned(4)));   // unaligned

  static inline __attribute__((always_inline)) vf fma(vf a, vf b, vf c) {
#if defined(__AVX512F__)
    if constexpr (VL == 16) return (vf)_mm512_fmadd_ps((__m512)a, (__m512)b, (__m512)c);
#endif
#if defined(__FMA__)
    if constexpr (VL == 8) return (vf)_mm256_fmadd_ps((__m256)a, (__m256)b, (__m256)c);
    if constexpr (VL == 4) return (vf)_mm_fmadd_ps((__m128)a, (__m128)b, (__m128)c);
#endif
    return a * b + c;
  }
  // x - (+0) == x for every float, -0 and NaN included, so this is an exact broadcast.
  static inline __attribute__((always_inline)) vf splat(float x) { return x - vf{}; }

  // ---- packing -------------------------------------------------------------------------------
  // op(A)[i0 : i0+mc, p0 : p0+kc] -> micro-panels of MR rows: panel r holds, for each p, MR values.
  static void pack_a(const GemmShape& s, const float* a, size_t i0, size_t mc, size_t p0, size_t kc,
                     float* __restrict dst) noexcept {
    for (size_t ir = 0; ir < mc; ir += MR, dst += MR * kc) {
      const size_t mr = min_size(MR, mc - ir);
      if (s.transA) {  // A stored k×m: the MR values of one p are contiguous.
        const float* src = a + p0 * s.m + i0 + ir;
        for (size_t p = 0; p < kc; ++p, src += s.m) {
          float* d = dst + p * MR;
          size_t r = 0;
          for (; r < mr; ++r) d[r] = src[r];
          for (; r < size_t(MR); ++r) d[r] = 0.0f;
        }
      } else {  // A stored m×k: read each row contiguously, write with stride MR.
        size_t r = 0;
        for (; r < mr; ++r) {
          const float* src = a + (i0 + ir + r) * s.k + p0;
          for (size_t p = 0; p < kc; ++p) dst[p * MR + r] = src[p];
        }
        for (; r < size_t(MR); ++r)
          for (size_t p = 0; p < kc; ++p) dst[p * MR + r] = 0.0f;
      }
    }
  }

  // op(B)[p0 : p0+kc, j0 : j0+nc] -> micro-panels of NR columns: panel holds, for each p, NR values.
  static void pack_b(const GemmShape& s, const float* b, size_t p0, size_t kc, size_t j0, size_t nc,
                     float* __restrict dst) noexcept {
    for (size_t jr = 0; jr < nc; jr += NR, dst += NR * kc) {
      const size_t nr = min_size(NR, nc - jr);
      if (!s.transB) {  // B stored k×n: the NR values of one p are contiguous.
        const float* src = b + p0 * s.n + j0 + jr;
        if (nr == size_t(NR)) {
          for (size_t p = 0; p < kc; ++p, src += s.n)
            for (int v = 0; v < NRV; ++v) *(vf*)(dst + p * NR + v * VL) = *(const vfu*)(src + v * VL);
        } else {
          for (size_t p = 0; p < kc; ++p, src += s.n) {
            float* d = dst + p * NR;
            size_t j = 0;
            for (; j < nr; ++j) d[j] = src[j];
            for (; j < size_t(NR); ++j) d[j] = 0.0f;
          }
        }
      } else {  // B stored n×k: read each column of op(B) contiguously, write with stride NR.
        size_t j = 0;
        for (; j < nr; ++j) {
          const float* src = b + (j0 + jr + j) * s.k + p0;
          for (size_t p = 0; p < kc; ++p) dst[p * NR + j] = src[p];
        }
        for (; j < size_t(NR); ++j)
          for (size_t p = 0; p < kc; ++p) dst[p * NR + j] = 0.0f;
      }
    }
  }

  // ---- micro-kernel --------------------------------------------------------------------------
  // C[0:MR, 0:NR] = alpha · Ap·Bp + beta · C (beta == 0: C is not read). Ap, Bp: packed panels.
  // Whole tiles only, with no edge path: anything more after the k loop makes g++ spill accumulators.
  static __attribute__((noinline)) void kernel(size_t kc, const float* __restrict ap, const float* __restrict bp,
                                               float* __restrict c, size_t ldc, float alpha, float beta) noexcept {
    // Fetch the C tile while the k loop runs (its rows are ldc apart, which no prefetcher guesses).
#pragma GCC unroll 32
    for (int i = 0; i < MR; ++i) {
      __builtin_prefetch(c + i * ldc, 1);
      __builtin_prefetch(c + i * ldc + NR - 1, 1);
    }
    vf acc[MR][NRV];
#pragma GCC unroll 32
    for (int i = 0; i < MR; ++i)
#pragma GCC unroll 8
      for (int v = 0; v < NRV; ++v) acc[i][v] = vf{};

    for (size_t p = 0; p < kc; ++p, ap += MR, bp += NR) {
      vf bv[NRV];
#pragma GCC unroll 8
      for (int v = 0; v < NRV; ++v) bv[v] = *(const vf*)(bp + v * VL);
#pragma GCC unroll 32
      for (int i = 0; i < MR; ++i) {
        const vf av = splat(ap[i]);
#pragma GCC unroll 8
        for (int v = 0; v < NRV; ++v) acc[i][v] = fma(av, bv[v], acc[i][v]);
      }
    }

    const vf va = splat(alpha), vb = splat(beta);
#pragma GCC unroll 32
    for (int i = 0; i < MR; ++i)
#pragma GCC unroll 8
      for (int v = 0; v < NRV; ++v) {
        vfu* cp = (vfu*)(c + i * ldc + v * VL);
        *cp = beta == 0.0f ? acc[i][v] * va : fma(acc[i][v], va, *cp * vb);
      }
  }

  // An edge tile (mr < MR or nr < NR): compute the whole tile into a buffer, update the valid part.
  static void edge(size_t kc, const float* ap, const float* bp, float* c, size_t ldc, size_t mr, size_t nr,
                   float alpha, float beta) noexcept {
    alignas(64) float tile[MR * NR];
    kernel(kc, ap, bp, tile, NR, 1.0f, 0.0f);
    for (size_t i = 0; i < mr; ++i) {
      float* cp = c + i * ldc;
      const float* t = tile + i * NR;
      if (beta == 0.0f)
        for (size_t j = 0; j < nr; ++j) cp[j] = alpha * t[j];
      else
        for (size_t j = 0; j < nr; ++j) cp[j] = alpha * t[j] + beta * cp[j];
    }
  }

  // ---- driver --------------------------------------------------------------------------------
  // C = beta · C, with beta == 0 writing zeros (C may hold NaN).
  static void scale(float* c, size_t count, float beta) noexcept {
    if (beta == 0.0f)
      for (size_t i = 0; i < count; ++i) c[i] = 0.0f;
    else if (beta != 1.0f)
      for (size_t i = 0; i < count; ++i) c[i] *= beta;
  }

  // Unpacked, unblocked: only used if the packing buffers cannot be allocated.
  static void naive(const GemmShape& s, float alpha, const float* a, const float* b, float beta,
                    float* c) noexcept {
    for (size_t i = 0; i < s.m; ++i)
      for (size_t j = 0; j < s.n; ++j) {
        float acc = 0.0f;
        for (size_t p = 0; p < s.k; ++p)
          acc += (s.transA ? a[p * s.m + i] : a[i * s.k + p]) * (s.transB ? b[j * s.k + p] : b[p * s.n + j]);
        float& out = c[i * s.n + j];
        out = beta == 0.0f ? alpha * acc : alpha * acc + beta * out;
      }
  }

  static void run(const GemmShape& s, float alpha, const float* a, const float* b, float beta,
                  float* c) noexcept {
    if (s.m == 0 || s.n == 0) return;
    if (s.k == 0 || alpha == 0.0f) return scale(c, s.m * s.n, beta);

    const size_t mcMax = min_size(MC, round_up(s.m, MR));
    const size_t kcMax = min_size(KC, s.k);
    const size_t ncMax = min_size(NC, round_up(s.n, NR));
    const size_t aFloats = round_up(mcMax * kcMax, 16), bFloats = round_up(kcMax * ncMax, 16);
    float* buf = static_cast<float*>(std::aligned_alloc(64, (aFloats + bFloats) * sizeof(float)));
    if (buf == nullptr) return naive(s, alpha, a, b, beta, c);
    float* const ap = buf;
    float* const bp = buf + aFloats;

    for (size_t i0 = 0; i0 < s.m; i0 += MC) {
      const size_t mc = min_size(MC, s.m - i0);
      for (size_t p0 = 0; p0 < s.k; p0 += KC) {
        const size_t kc = min_size(KC, s.k - p0);
        const float betaHere = p0 == 0 ? beta : 1.0f;
        pack_a(s, a, i0, mc, p0, kc, ap);
        for (size_t j0 = 0; j0 < s.n; j0 += NC) {
          const size_t nc = min_size(NC, s.n - j0);
          pack_b(s, b, p0, kc, j0, nc, bp);
          for (size_t ir = 0; ir < mc; ir += MR) {
            const size_t mr = min_size(MR, mc - ir);
            const float* apanel = ap + ir * kc;
            float* crow = c + (i0 + ir) * s.n + j0;
            for (size_t jr = 0; jr < nc; jr += NR) {
              const size_t nr = min_size(NR, nc - jr);
              if (mr == size_t(MR) && nr == size_t(NR))
                kernel(kc, apanel, bp + jr * kc, crow + jr, s.n, alpha, betaHere);
              else
                edge(kc, apanel, bp + jr * kc, crow + jr, s.n, mr, nr, alpha, betaHere);
            }
          }
        }
      }
    }
    std::free(buf);
  }
};

}  // namespace
}  // namespace tensile::cpu::builtin
