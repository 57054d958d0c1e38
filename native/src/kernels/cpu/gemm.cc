#include "gemm.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <string>

#include "gemm_builtin.h"
#include "parallel.h"

#ifdef TENSILE_OPENBLAS
#include <cblas.h>
#endif

namespace tensile::cpu {

namespace {
// BLAS requires beta = 0 to ignore C entirely (NaN in C must not leak through 0·NaN).
void scale(float* c, size_t n, float beta) noexcept {
  if (beta == 0.0f) std::fill(c, c + n, 0.0f);
  else if (beta != 1.0f)
    for (size_t i = 0; i < n; ++i) c[i] *= beta;
}

const builtin::Kernels& builtin_gemm() {
  static const builtin::Kernels b = builtin::select();
  return b;
}

#ifdef TENSILE_OPENBLAS
void openblas_gemm(const GemmShape& s, float alpha, const float* a, const float* b, float beta, float* c) noexcept {
  // A single row or column is a matrix-vector product: OpenBLAS 0.3.21's sgemm pads it to a full
  // tile and runs about 20 times slower than sgemv (predicting one sample is this case).
  if (s.m == 1) {  // c[1×n] = a[1×k]·op(B): op(B)ᵀ·a
    if (s.transB) cblas_sgemv(CblasRowMajor, CblasNoTrans, int(s.n), int(s.k), alpha, b, int(s.k), a, 1, beta, c, 1);
    else cblas_sgemv(CblasRowMajor, CblasTrans, int(s.k), int(s.n), alpha, b, int(s.n), a, 1, beta, c, 1);
    return;
  }
  if (s.n == 1) {  // c[m×1] = op(A)·b[k×1]
    if (s.transA) cblas_sgemv(CblasRowMajor, CblasTrans, int(s.k), int(s.m), alpha, a, int(s.m), b, 1, beta, c, 1);
    else cblas_sgemv(CblasRowMajor, CblasNoTrans, int(s.m), int(s.k), alpha, a, int(s.k), b, 1, beta, c, 1);
    return;
  }
  // Leading dimensions of contiguous row-major storage; BLAS wants them >= 1.
  const int lda = int(std::max<size_t>(1, s.transA ? s.m : s.k));
  const int ldb = int(std::max<size_t>(1, s.transB ? s.k : s.n));
  cblas_sgemm(CblasRowMajor, s.transA ? CblasTrans : CblasNoTrans, s.transB ? CblasTrans : CblasNoTrans, int(s.m),
              int(s.n), int(s.k), alpha, a, lda, b, ldb, beta, c, int(s.n));
}

#endif

// Which kernel runs each shape class: products (m, n > 1) and matrix-vector products (m = 1 or n = 1).
// Decided once per process, by a rule from measurements (README "GEMM"), not by timing at start-up: a
// choice by the clock could differ between two runs of one program, and so could their results.
struct Choice {
  bool builtinGemm = true, builtinGemv = true;
  std::string rule;
  Choice() {
    const char* want = std::getenv("TENSILE_GEMM");
    const std::string w = want ? want : "";
#ifdef TENSILE_OPENBLAS
    if (w == "openblas" || w == "builtin") {
      builtinGemm = builtinGemv = w == "builtin";
      rule = "TENSILE_GEMM=" + w;
      return;
    }
    // Measured (README "GEMM", AMD EPYC, 2 threads): the built-in AVX-512 kernel runs 305-369 GFLOP/s at
    // n = 256..2048, OpenBLAS 0.3.21 149-198 held to its Haswell kernels and 220-347 on its own AVX-512
    // (Cooperlake) kernels; with AVX2 only, OpenBLAS leads by 0-6 %. Matrix-vector products are bound by
    // memory: the built-in path splits them over the threads and beat OpenBLAS's sgemv at every W6 shape.
    const bool avx512 = std::strcmp(builtin_gemm().isa, "avx512") == 0;
    const std::string core = openblas_get_corename();
    builtinGemm = avx512;
    builtinGemv = true;
    rule = avx512 ? "rule: products on the built-in AVX-512 kernel (OpenBLAS core: " + core + ")"
                  : "rule: products on OpenBLAS (the built-in kernel has no AVX-512 here)";
    rule += ", matrix-vector products on the built-in kernel";
    if (!w.empty() && w != "auto") rule += "; TENSILE_GEMM=" + w + " not understood (openblas | builtin)";
#else
    rule = "built without OpenBLAS";
    if (w == "openblas") rule += ": TENSILE_GEMM=openblas has no effect";
#endif
  }
};
const Choice& choice() {
  static const Choice c;
  return c;
}
}  // namespace

void gemm(const GemmShape& s, float alpha, const float* a, const float* b, float beta, float* c,
          const GemmEpilogue& e) noexcept {
  if (s.m == 0 || s.n == 0) return;
  if (s.k == 0 || alpha == 0.0f) {
    scale(c, s.m * s.n, beta);
    return finish(e, c, s.n, s.m, s.n, 0);
  }
#ifdef TENSILE_OPENBLAS
  const Choice& ch = choice();
  if (!((s.m == 1 || s.n == 1) ? ch.builtinGemv : ch.builtinGemm || builtin::small_product(s))) {
    openblas_gemm(s, alpha, a, b, beta, c);
    return finish(e, c, s.n, s.m, s.n, 0);
  }
#endif
  builtin_gemm().gemm(s, alpha, a, b, beta, c, e);
}

void row_combination(const float* r, size_t ld, const float* x, size_t k, float* y, size_t j0, size_t j1) noexcept {
  builtin_gemm().rows(r, ld, x, k, y, j0, j1);
}

void gemm_batched(const GemmShape& s, float alpha, const float* a, const float* b, float beta, float* c, size_t batch,
                  size_t strideA, size_t strideB) noexcept {
  auto items = [&](size_t from, size_t to) {
    for (size_t i = from; i < to; ++i) gemm(s, alpha, a + i * strideA, b + i * strideB, beta, c + i * s.m * s.n);
  };
  // Products too small to be split (attention's, one per sample and head) run side by side instead, a share of
  // the batch per thread, on the built-in kernel only (OpenBLAS is not called from tensile's helpers), and not
  // matrix-vector products (which split by another measure: a job never starts another). Each is the
  // one-thread product it would be alone, so results do not depend on the thread count.
  const double flops = 2.0 * double(s.m) * double(s.n) * double(s.k);
  const size_t threads = size_t(std::max(get_num_threads(), 1));
  const bool small = flops < builtin::kSplitFlops && flops * double(batch) >= builtin::kSplitFlops;
  if (!small || s.m == 1 || s.n == 1 || !choice().builtinGemm || threads < 2 || batch < 2) return items(0, batch);
  const size_t chunks = std::min(threads, batch);
  auto share = [&](size_t ch) { items(ch * batch / chunks, (ch + 1) * batch / chunks); };
  parallel_chunks(chunks, share);
}

GemmInfo gemm_info() noexcept {
  const Choice& ch = choice();
#ifdef TENSILE_OPENBLAS
  GemmInfo g{"OpenBLAS", openblas_get_config(), openblas_get_corename(), builtin_gemm().isa, nullptr, nullptr, ""};
#else
  GemmInfo g{"builtin", builtin_gemm().isa, builtin_gemm().isa, builtin_gemm().isa, nullptr, nullptr, ""};
#endif
  g.products = ch.builtinGemm ? "builtin" : "OpenBLAS";
  g.vectors = ch.builtinGemv ? "builtin" : "OpenBLAS";
  g.rule = ch.rule.c_str();
  return g;
}

void set_num_threads(int n) noexcept {
  set_pool_threads(n);
#ifdef TENSILE_OPENBLAS
  openblas_set_num_threads(n);
#endif
}

int get_num_threads() noexcept { return pool_threads(); }

}  // namespace tensile::cpu
