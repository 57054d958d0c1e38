// One training step of a stack of dense layers, fused: forward through every layer, the loss and its
// metric on the last layer's output, and every layer's gradients, in one call. The optimizer update
// stays separate (any optimizer, its own fused kernels). The arithmetic is the dense, dense_backward
// and crossentropy kernels' own, so the step matches the op-by-op path to rounding.
#pragma once
#include <cstddef>

#include "kinds.h"

namespace tensile::cpu {

struct MlpLayer {
  const float* w;  // [k, n]
  const float* b;  // [n], or null
  float* dw;       // [k, n]
  float* db;       // [n], or null
  size_t k, n;
  DenseAct act;
};

// Keras' losses on probabilities (crossentropies clipped to [eps, 1 − eps]) or on values (mse).
enum class MlpLoss { BinaryCrossentropy, CategoricalCrossentropy, MeanSquaredError };
enum class MlpMetric { None, BinaryAccuracy, CategoricalAccuracy };

struct MlpResult {
  double loss;    // mean over the batch
  double metric;  // mean over the batch (0 with MlpMetric::None)
};

// x [batch, layers[0].k], y [batch, layers[count−1].n]. Every dw/db is overwritten.
MlpResult mlp_step(const float* x, const float* y, const MlpLayer* layers, size_t count, size_t batch, MlpLoss loss,
                   float eps, MlpMetric metric);

}  // namespace tensile::cpu
