// Inference through a stack of dense layers in one call: the same dense() kernel per layer as the op-by-op forward,
// without a crossing and a tensor per layer, and for one row the first two layers on two threads (W6 of BENCH.md).
// Training steps of any model, this one included, are compiled steps (lib/models/plan/): there is no fused training
// loop here.
#pragma once
#include <cstddef>

#include "kinds.h"

namespace tensile::cpu {

struct MlpLayer {
  const float* w;  // [k, n]
  const float* b;  // [n], or null
  size_t k, n;
  DenseAct act;
};

// out [rows, layers[count−1].n] = the stack applied to x [rows, layers[0].k], layer by layer through dense().
// One row through a stack whose first two layers are large, with linear or relu activations, runs that pair on two
// threads (parallel.h): each computes half of layer 0's columns and its share of layer 1's sums, one join for both
// layers. Predicting one sample reads every weight once, so it is bound by memory bandwidth, which the second core
// nearly doubles.
void mlp_forward(const float* x, const MlpLayer* layers, size_t count, size_t rows, float* out) noexcept;

}  // namespace tensile::cpu
