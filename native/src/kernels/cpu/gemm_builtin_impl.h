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
// Threads (parallel.h): a product of at least kParallelFlops is split into one share per thread at whole tiles:
// runs of C's tiles in row-major order, of equal cost, when C has more rows of tiles than columns, else whole
// columns of tiles. Every element of C is summed in the same order whatever the thread count: results do not
// depend on it. Each share packs its own A and B blocks (packing all of B once for the threads to share was
// measured slower: each thread's own freshly packed block is in its cache). Each thread packs into its own
// buffers, so concurrent calls from several threads are safe.
//
// A short last row of tiles (m not a multiple of MR) runs a kernel that computes 2, 4 or 8 rows, not MR.
// m = 1 or n = 1 is a matrix-vector product (gemm_builtin_gemv.h): it reads the matrix once, at memory speed,
// where the tiled path would compute MR - 1 rows of padding. A bias and relu (gemm_epilogue.h) are applied to each tile
// as its last k block is written.
//
// Everything lives in an anonymous namespace and uses no inline library templates: each ISA's
// translation unit must keep its own copy, or the linker could merge an AVX-512 copy of an inline
// function into the code that runs on AVX2-only CPUs.
#pragma once
#include <cmath>
#include <cstddef>
#include <cstdlib>

#include "gemm.h"
#include "gemm_builtin_gemv.h"
#include "gemm_builtin_small.h"
#include "gemm_epilogue.h"
#include "parallel.h"

namespace tensile::cpu::builtin {
namespace {

// Below this size one thread finishes before a second would have started (measured on 2 cores, README).
constexpr double kParallelFlops = kSplitFlops;  // 2·m·n·k

// VL floats per vector, an MR × (NRV·VL) register tile, and MC/KC/NC cache blocks (MC a multiple of
// MR, NC a multiple of NR).
template <int VL, int MR, int NRV, size_t MC, size_t KC, size_t NC>
struct BuiltinGemm : BuiltinGemv<VL> {
  static constexpr int NR = VL * NRV;
  static_assert(MC % MR == 0 && NC % NR == 0, "blocks must hold whole tiles");
  using V = Vectors<VL>;
  using typename V::vf;
  using typename V::vfu;
  using V::fma;
  using V::splat;
  using V::transpose;
  using BuiltinGemv<VL>::gemv;

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
      } else {  // A stored m×k: VL×VL blocks transposed in registers, the rest element by element.
        size_t p = 0;
        // VL rows read (MR of them the panel's, the rest rows of A below it), each p's VL values written in turn:
        // the VL - MR values past the panel's land on the next p's, which the next store (or the element-by-element
        // rest, or the next panel) overwrites; past the last panel, in the slack run_block allocates.
        if (MR <= VL && mr == size_t(MR) && i0 + ir + VL <= s.m)
          for (; p + VL <= kc; p += VL) transpose(a + (i0 + ir) * s.k + p0 + p, s.k, dst + p * MR, MR);
        size_t r = 0;
        for (; r < mr; ++r) {
          const float* src = a + (i0 + ir + r) * s.k + p0;
          for (size_t q = p; q < kc; ++q) dst[q * MR + r] = src[q];
        }
        for (; r < size_t(MR); ++r)
          for (size_t q = 0; q < kc; ++q) dst[q * MR + r] = 0.0f;
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
      } else {  // B stored n×k: VL×VL blocks transposed in registers, the rest element by element.
        size_t p = 0;
        if (nr == size_t(NR))
          for (; p + VL <= kc; p += VL)
            for (int v = 0; v < NRV; ++v)
              transpose(b + (j0 + jr + v * VL) * s.k + p0 + p, s.k, dst + p * NR + v * VL, NR);
        size_t j = 0;
        for (; j < nr; ++j) {
          const float* src = b + (j0 + jr + j) * s.k + p0;
          for (size_t q = p; q < kc; ++q) dst[q * NR + j] = src[q];
        }
        for (; j < size_t(NR); ++j)
          for (size_t q = p; q < kc; ++q) dst[q * NR + j] = 0.0f;
      }
    }
  }

  // ---- micro-kernel --------------------------------------------------------------------------
  // C[0:R, 0:NR] = alpha · Ap·Bp + beta · C (beta == 0: C is not read). Ap, Bp: packed panels; the first R of
  // each MR values of Ap are used (R < MR: a short edge tile, which then costs R/MR of a whole one).
  // Whole tiles only, with no edge path: anything more after the k loop makes g++ spill accumulators.
  template <int R = MR>
  static __attribute__((noinline)) void kernel(size_t kc, const float* __restrict ap, const float* __restrict bp,
                                               float* __restrict c, size_t ldc, float alpha, float beta) noexcept {
    // Fetch the C tile while the k loop runs (its rows are ldc apart, which no prefetcher guesses).
#pragma GCC unroll 32
    for (int i = 0; i < R; ++i) {
      __builtin_prefetch(c + i * ldc, 1);
      __builtin_prefetch(c + i * ldc + NR - 1, 1);
    }
    vf acc[R][NRV];
#pragma GCC unroll 32
    for (int i = 0; i < R; ++i)
#pragma GCC unroll 8
      for (int v = 0; v < NRV; ++v) acc[i][v] = vf{};

    for (size_t p = 0; p < kc; ++p, ap += MR, bp += NR) {
      vf bv[NRV];
#pragma GCC unroll 8
      for (int v = 0; v < NRV; ++v) bv[v] = *(const vf*)(bp + v * VL);
#pragma GCC unroll 32
      for (int i = 0; i < R; ++i) {
        const vf av = splat(ap[i]);
#pragma GCC unroll 8
        for (int v = 0; v < NRV; ++v) acc[i][v] = fma(av, bv[v], acc[i][v]);
      }
    }

    const vf va = splat(alpha), vb = splat(beta);
#pragma GCC unroll 32
    for (int i = 0; i < R; ++i)
#pragma GCC unroll 8
      for (int v = 0; v < NRV; ++v) {
        vfu* cp = (vfu*)(c + i * ldc + v * VL);
        *cp = beta == 0.0f ? acc[i][v] * va : fma(acc[i][v], va, *cp * vb);
      }
  }

  // The rows the micro-kernel computes for a tile of mr rows: 2, 4, 8 or MR.
  static constexpr size_t kernel_rows(size_t mr) noexcept {
    return mr <= 2 ? 2 : mr <= 4 && MR > 4 ? 4 : mr <= 8 && MR > 8 ? 8 : MR;
  }

  // An edge tile (mr < MR or nr < NR): compute the whole tile into a buffer, update the valid part.
  static void edge(size_t kc, const float* ap, const float* bp, float* c, size_t ldc, size_t mr, size_t nr, float alpha,
                   float beta) noexcept {
    alignas(64) float tile[MR * NR];
    // Only the rows it needs: each element of C is the same sum of products whatever R is.
    switch (kernel_rows(mr)) {
      case 2: kernel<2>(kc, ap, bp, tile, NR, 1.0f, 0.0f); break;
      case 4: kernel<(MR > 4 ? 4 : MR)>(kc, ap, bp, tile, NR, 1.0f, 0.0f); break;
      case 8: kernel<(MR > 8 ? 8 : MR)>(kc, ap, bp, tile, NR, 1.0f, 0.0f); break;
      default: kernel(kc, ap, bp, tile, NR, 1.0f, 0.0f);
    }
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
  static void naive(const GemmShape& s, float alpha, const float* a, const float* b, float beta, float* c,
                    size_t i_begin, size_t i_end, size_t j_begin, size_t j_end) noexcept {
    for (size_t i = i_begin; i < i_end; ++i)
      for (size_t j = j_begin; j < j_end; ++j) {
        float acc = 0.0f;
        for (size_t p = 0; p < s.k; ++p)
          acc += (s.transA ? a[p * s.m + i] : a[i * s.k + p]) * (s.transB ? b[j * s.k + p] : b[p * s.n + j]);
        float& out = c[i * s.n + j];
        out = beta == 0.0f ? alpha * acc : alpha * acc + beta * out;
      }
  }

  // This thread's packing buffers, kept between calls: a fresh allocation of this size is an mmap, and its
  // page faults cost more than a 256×256 product (measured: 12 against 170 GFLOP/s). At most MC·KC + KC·NC floats.
  struct Scratch {
    float* p = nullptr;
    size_t floats = 0;
    ~Scratch() { std::free(p); }
  };
  // slot 0: the packing buffers; slot 1: a narrow product's transposed result (narrow below).
  static float* scratch(size_t floats, int slot = 0) noexcept {
    thread_local Scratch slots[2];
    Scratch& s = slots[slot];
    if (s.floats < floats) {
      std::free(s.p);
      s.p = static_cast<float*>(std::aligned_alloc(64, round_up(floats * sizeof(float), 64)));
      s.floats = s.p ? floats : 0;
    }
    return s.p;
  }

  // The blocked loops over C[i_begin:i_end, j_begin:j_end] (i_begin a multiple of MR, j_begin of NR), restricted
  // to the tiles numbered [t_begin, t_end) in row-major order over that block (a thread's share: see run).
  static void run_block(const GemmShape& s, float alpha, const float* a, const float* b, float beta, float* c,
                        size_t i_begin, size_t i_end, size_t j_begin, size_t j_end, const GemmEpilogue& e,
                        size_t t_begin = 0, size_t t_end = ~size_t(0)) noexcept {
    const size_t rows = i_end - i_begin, cols = j_end - j_begin;
    const size_t colTiles = (cols + NR - 1) / NR;
    const size_t mcMax = min_size(MC, round_up(rows, MR));
    const size_t kcMax = min_size(KC, s.k);
    const size_t ncMax = min_size(NC, round_up(cols, NR));
    // A's panels, VL floats of slack (pack_a's transposed blocks may write past the last panel), B's.
    const size_t aFloats = round_up(mcMax * kcMax + VL, 16), bFloats = round_up(kcMax * ncMax, 16);
    float* buf = scratch(aFloats + bFloats);
    if (buf == nullptr) {
      naive(s, alpha, a, b, beta, c, i_begin, i_end, j_begin, j_end);
      return finish(e, c + i_begin * s.n + j_begin, s.n, i_end - i_begin, j_end - j_begin, j_begin);
    }
    float* const ap = buf;
    float* const bp = buf + aFloats;
    auto mine = [&](size_t i, size_t j) {
      const size_t t = (i - i_begin) / MR * colTiles + (j - j_begin) / NR;
      return t >= t_begin && t < t_end;
    };

    for (size_t i0 = i_begin; i0 < i_end; i0 += MC) {
      const size_t mc = min_size(MC, i_end - i0);
      for (size_t p0 = 0; p0 < s.k; p0 += KC) {
        const size_t kc = min_size(KC, s.k - p0);
        const float betaHere = p0 == 0 ? beta : 1.0f;
        const bool last = p0 + kc == s.k && e.any();  // finish each tile as its last block is written
        pack_a(s, a, i0, mc, p0, kc, ap);
        for (size_t j0 = j_begin; j0 < j_end; j0 += NC) {
          const size_t nc = min_size(NC, j_end - j0);
          bool any = false;  // does this block hold any of the tiles?
          for (size_t ir = 0; ir < mc && !any; ir += MR)
            for (size_t jr = 0; jr < nc && !any; jr += NR) any = mine(i0 + ir, j0 + jr);
          if (!any) continue;
          pack_b(s, b, p0, kc, j0, nc, bp);
          for (size_t ir = 0; ir < mc; ir += MR) {
            const size_t mr = min_size(MR, mc - ir);
            const float* apanel = ap + ir * kc;
            float* crow = c + (i0 + ir) * s.n + j0;
            for (size_t jr = 0; jr < nc; jr += NR) {
              if (!mine(i0 + ir, j0 + jr)) continue;
              const size_t nr = min_size(NR, nc - jr);
              if (mr == size_t(MR) && nr == size_t(NR))
                kernel(kc, apanel, bp + jr * kc, crow + jr, s.n, alpha, betaHere);
              else edge(kc, apanel, bp + jr * kc, crow + jr, s.n, mr, nr, alpha, betaHere);
              if (last) finish(e, crow + jr, s.n, mr, nr, j0 + jr);
            }
          }
        }
      }
    }
  }

  // ---- driver --------------------------------------------------------------------------------
  // A thread's share of C: the rows [i_begin, i_end) that hold its tiles [t_begin, t_end), numbered row-major over
  // the whole of C, or (columns) the columns [j_begin, j_end), all rows. Row-major shares are equal in cost, a
  // tile costing the rows its kernel computes (a short last row of tiles is cheaper: kernel_rows).
  struct Split {
    const GemmShape* s;
    float alpha, beta;
    const float *a, *b;
    float* c;
    const GemmEpilogue* e;
    bool rows;      // share C's tiles row-major (else split its columns)
    size_t chunks;  // shares
    // The first tile that starts at or after `cost` (the sum of the costs of the tiles before it).
    size_t tile_at(double cost) const noexcept {
      const size_t colTiles = (s->n + NR - 1) / NR, full = s->m / MR * colTiles;
      const double fullCost = double(full) * MR;
      if (cost <= fullCost) return size_t(std::ceil(cost / MR));
      return min_size(full + colTiles, full + size_t(std::ceil((cost - fullCost) / double(kernel_rows(s->m % MR)))));
    }
    static void body(void* p, size_t t) noexcept {
      const Split& d = *static_cast<const Split*>(p);
      const size_t colTiles = (d.s->n + NR - 1) / NR;
      if (!d.rows) {
        const size_t from = t * colTiles / d.chunks, to = (t + 1) * colTiles / d.chunks;
        return run_block(*d.s, d.alpha, d.a, d.b, d.beta, d.c, 0, d.s->m, from * NR, min_size(d.s->n, to * NR), *d.e);
      }
      const size_t last = d.s->m % MR;
      const double total = double(colTiles) * double(d.s->m / MR * MR + (last ? kernel_rows(last) : 0));
      const size_t from = d.tile_at(total * double(t) / double(d.chunks));
      const size_t to =
          t + 1 == d.chunks ? (d.s->m + MR - 1) / MR * colTiles : d.tile_at(total * double(t + 1) / double(d.chunks));
      if (from >= to) return;
      const size_t i_begin = from / colTiles * MR, i_end = min_size(d.s->m, (to + colTiles - 1) / colTiles * MR);
      const size_t skip = i_begin / MR * colTiles;
      run_block(*d.s, d.alpha, d.a, d.b, d.beta, d.c, i_begin, i_end, 0, d.s->n, *d.e, from - skip, to - skip);
    }
  };

  // A narrow C (few columns, many rows: a classifier's last layer) pads each row of tiles to NR columns, most of
  // them wasted. Cᵀ = op(B)ᵀ·op(A)ᵀ pads its few rows to MR instead; it is computed into a buffer and transposed
  // into C. Every element sums the same products (x·y = y·x exactly) in the same order of p, with the same alpha and
  // KC blocks, so C gets the same bits either way (test/native/gemm-builtin.test.ts). Packing op(A)ᵀ is most of
  // its work, so it is split over the threads from a quarter of the usual size (256×256·256×10: 31 → 19 µs).
  static bool narrow(const GemmShape& s) noexcept {
    return s.m >= 4 * size_t(NR) && round_up(s.n, MR) * 4 <= round_up(s.n, NR) * 3;
  }
  static bool run_narrow(const GemmShape& s, float alpha, const float* a, const float* b, float* c,
                         const GemmEpilogue& e) noexcept {
    float* ct = scratch(s.m * s.n, 1);
    if (ct == nullptr) return false;
    const GemmShape t{!s.transB, !s.transA, s.n, s.m, s.k};
    run(t, alpha, b, a, 0.0f, ct, {}, kParallelFlops / 4);
    for (size_t i = 0; i < s.m; ++i) {
      for (size_t j = 0; j < s.n; ++j) c[i * s.n + j] = ct[j * s.m + i];
      finish(e, c + i * s.n, s.n, 1, s.n, 0);
    }
    return true;
  }

  // C = epilogue(alpha·op(A)·op(B) + beta·C).
  static void run(const GemmShape& s, float alpha, const float* a, const float* b, float beta, float* c,
                  const GemmEpilogue& e, double splitFlops = kParallelFlops) noexcept {
    if (s.m == 0 || s.n == 0) return;
    if (s.k == 0 || alpha == 0.0f || s.m == 1 || s.n == 1) {  // C is one row or column, or no product at all
      if (s.k == 0 || alpha == 0.0f) scale(c, s.m * s.n, beta);
      else gemv(s, alpha, a, b, beta, c);
      return finish(e, c, s.n, s.m, s.n, 0);
    }
    if (small_product(s)) {
      float* bp = scratch(s.k * round_up(s.n, VL));
      if (bp != nullptr) {
        BuiltinSmall<VL>::run(s, alpha, a, b, beta, c, bp);
        return finish(e, c, s.n, s.m, s.n, 0);
      }
    }
    if (beta == 0.0f && narrow(s) && run_narrow(s, alpha, a, b, c, e)) return;

    const size_t threads = size_t(pool_threads());
    if (threads > 1 && double(s.m) * double(s.n) * double(s.k) >= splitFlops / 2) {
      // Many row tiles: each thread takes a run of C's tiles in row-major order of equal cost, so a share may end or
      // start inside a row of tiles (256 rows, 19 rows of tiles: 9.3 each rather than 10 and 9). Else column tiles.
      const size_t rowTiles = (s.m + MR - 1) / MR, colTiles = (s.n + NR - 1) / NR;
      const bool rows = rowTiles > colTiles;
      const size_t chunks = min_size(threads, rows ? rowTiles : colTiles);
      Split d{&s, alpha, beta, a, b, c, &e, rows, chunks};
      if (chunks > 1) return parallel_chunks(chunks, &Split::body, &d);
    }
    run_block(s, alpha, a, b, beta, c, 0, s.m, 0, s.n, e);
  }
};

}  // namespace
}  // namespace tensile::cpu::builtin
