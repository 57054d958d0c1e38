// The vector type of the built-in GEMM and its few operations: VL floats (GCC vector extensions, so one source
// serves SSE, AVX2 and AVX-512), fused multiply-add, broadcast, horizontal sum, and a VL×VL transpose in registers.
// Everything lives in an anonymous namespace and uses no inline library templates: each ISA's translation unit
// (gemm_builtin_<isa>.cc, through gemm_builtin_impl.h) must keep its own copy.
#pragma once
#include <cstddef>
#include <utility>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace tensile::cpu::builtin {
namespace {

inline size_t min_size(size_t a, size_t b) { return a < b ? a : b; }
inline size_t round_up(size_t a, size_t to) { return (a + to - 1) / to * to; }

template <int VL>
struct Vectors {
  typedef float vf __attribute__((vector_size(VL * sizeof(float))));               // aligned
  typedef float vfu __attribute__((vector_size(VL * sizeof(float)), aligned(4)));  // unaligned

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
  static inline float hsum(vf v) {
    float lanes[VL];
    *(vfu*)lanes = v;
    float sum = 0.0f;
    for (int l = 0; l < VL; ++l) sum += lanes[l];
    return sum;
  }
  // x - (+0) == x for every float, -0 and NaN included, so this is an exact broadcast.
  static inline __attribute__((always_inline)) vf splat(float x) { return x - vf{}; }

  // A VL×VL transpose in registers: log2(VL) stages, each swapping the off-diagonal S×S blocks of every 2S×2S
  // block (row i, lane l, bit S of each exchanged), as shuffles of two rows (vpermt2ps, vshufps, ...).
  template <int S, size_t... L>
  static inline __attribute__((always_inline)) vf keep_low(vf x, vf y, std::index_sequence<L...>) {
    return __builtin_shufflevector(x, y, ((L & S) ? VL + L - S : L)...);  // bit S of the lane clear: x, set: y
  }
  template <int S, size_t... L>
  static inline __attribute__((always_inline)) vf keep_high(vf x, vf y, std::index_sequence<L...>) {
    return __builtin_shufflevector(x, y, ((L & S) ? VL + L : L + S)...);
  }
  template <int S>
  static inline __attribute__((always_inline)) void swap_blocks(vf* r) {
#pragma GCC unroll 16
    for (int i = 0; i < VL; ++i)
      if (!(i & S)) {
        const vf x = r[i], y = r[i + S];
        r[i] = keep_low<S>(x, y, std::make_index_sequence<VL>{});
        r[i + S] = keep_high<S>(x, y, std::make_index_sequence<VL>{});
      }
  }
  // dst[p·ldd + j] = src[j·lds + p] for j, p < VL.
  static inline __attribute__((always_inline)) void transpose(const float* src, size_t lds, float* dst,
                                                              size_t ldd) noexcept {
    vf r[VL];
#pragma GCC unroll 16
    for (int j = 0; j < VL; ++j) r[j] = *(const vfu*)(src + j * lds);
    if constexpr (VL >= 16) swap_blocks<8>(r);
    if constexpr (VL >= 8) swap_blocks<4>(r);
    swap_blocks<2>(r);
    swap_blocks<1>(r);
#pragma GCC unroll 16
    for (int p = 0; p < VL; ++p) *(vfu*)(dst + p * ldd) = r[p];
  }
};

}  // namespace
}  // namespace tensile::cpu::builtin
