// What a product does to each finished element of C while its tile is still in cache: add bias[j] (j the column),
// then relu, which keeps NaN as UnaryOp::Relu does. A dense layer's forward pass is one product with this epilogue
// rather than a product and a second pass over its output.
//
// finish() lives in an anonymous namespace so each translation unit keeps its own copy, compiled for that unit's
// ISA (the built-in GEMM's AVX-512 file must not share code with the one that runs on AVX2-only CPUs).
#pragma once
#include <cstddef>

namespace tensile::cpu {

struct GemmEpilogue {
  const float* bias = nullptr;  // n values, or none
  bool relu = false;
  bool any() const noexcept { return bias != nullptr || relu; }
};

namespace {

// The epilogue on a block of C: `rows` rows of `cols` values, row stride ldc, whose first column is column j0.
inline void finish(const GemmEpilogue& e, float* c, size_t ldc, size_t rows, size_t cols, size_t j0) noexcept {
  const float* __restrict b = e.bias ? e.bias + j0 : nullptr;
  for (size_t i = 0; i < rows; ++i) {
    float* __restrict row = c + i * ldc;
    if (b)
      for (size_t j = 0; j < cols; ++j) row[j] += b[j];
    if (e.relu)
      for (size_t j = 0; j < cols; ++j) row[j] = row[j] > 0.0f || row[j] != row[j] ? row[j] : 0.0f;
  }
}

}  // namespace
}  // namespace tensile::cpu
